package floatnet

import (
	"image"
	"math"
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

func pearson(a, b []float32) float64 {
	var ma, mb float64
	for i := range a {
		ma += float64(a[i])
		mb += float64(b[i])
	}
	ma /= float64(len(a))
	mb /= float64(len(b))
	var sab, saa, sbb float64
	for i := range a {
		x, y := float64(a[i])-ma, float64(b[i])-mb
		sab += x * y
		saa += x * x
		sbb += y * y
	}
	if saa == 0 || sbb == 0 {
		return math.NaN()
	}
	return sab / math.Sqrt(saa*sbb)
}
