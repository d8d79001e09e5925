package floatnet

import (
	"image"
	"sync"
	"testing"

	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/internal/dots"
)

// Shared fixture: the seed-1 network quantised on one 16-dot image, and the float
// activations of that image (the most expensive thing under emulation).
var fixture struct {
	once  sync.Once
	net   *Net
	q     *model.QNet
	calib *image.Gray
	acts  *Acts
	err   error
}

const fixtureSeed = 1

func testNet(t testing.TB) (*Net, *model.QNet) {
	t.Helper()
	fixture.once.Do(func() {
		fixture.net = New(fixtureSeed)
		fixture.calib = dots.Random(7, 16)
		fixture.q, fixture.err = quantize(fixture.net, []*image.Gray{fixture.calib}, func(_ int, a *Acts) {
			fixture.acts = a.Clone() // Quantize reuses its buffers
		})
	})
	if fixture.err != nil {
		t.Fatal(fixture.err)
	}
	return fixture.net, fixture.q
}
