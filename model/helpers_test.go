package model

import (
	"image"
	"path/filepath"
	"sync"
	"testing"

	"github.com/numsense/numsense/model/internal/dots"
)

// testQNet is the calibrated network of the embedded default model, read from
// defaultmodel/default.nsm (this package's own tests cannot import defaultmodel).
// The float reference and the seed-1 golden checksum are tested in model/floatnet.
func testQNet(t testing.TB) *QNet {
	t.Helper()
	fixture.once.Do(func() {
		var f *File
		f, fixture.err = Load(filepath.Join("defaultmodel", "default.nsm"))
		if fixture.err == nil {
			fixture.q = f.Q
		}
	})
	if fixture.err != nil {
		t.Fatal(fixture.err)
	}
	return fixture.q
}

var fixture struct {
	once sync.Once
	q    *QNet
	err  error
}

// localDots draws n discs of radius 7 placed by model/rng from seed.
func localDots(seed uint64, n int) *image.Gray { return dots.Random(seed, n) }
