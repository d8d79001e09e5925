package model

import (
	"image"
	"math"
	"sync"
	"testing"

	"github.com/numsense/numsense/model/rng"
	"github.com/numsense/numsense/model/stimulus"
)

// fixedDots draws white discs (centre x, y, radius r) on a black 227x227 image: a
// stimulus that depends on nothing outside this file (for the golden test).
func fixedDots(dots [][3]float64) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, InputSize, InputSize))
	for _, d := range dots {
		for y := 0; y < InputSize; y++ {
			for x := 0; x < InputSize; x++ {
				dx, dy := float64(x)-d[0], float64(y)-d[1]
				if dx*dx+dy*dy <= d[2]*d[2] {
					img.Pix[y*img.Stride+x] = 255
				}
			}
		}
	}
	return img
}

// stimuli draws perN standard-set images for every numerosity (numerosity-major).
func stimuli(t testing.TB, seed uint64, perN int) (imgs []*image.Gray, nums []int) {
	t.Helper()
	g := stimulus.New(seed)
	for _, n := range stimulus.Numerosities {
		for i := 0; i < perN; i++ {
			img := stimulus.NewImage()
			if _, err := g.Draw(stimulus.Standard, n, img); err != nil {
				t.Fatalf("stimulus N=%d: %v", n, err)
			}
			imgs = append(imgs, img)
			nums = append(nums, n)
		}
	}
	return imgs, nums
}

// localDots draws n non-overlapping white discs of radius 7 at positions from
// rng.New(seed): a stimulus that depends only on model/rng (used for the fixture's
// calibration and the golden test, so that they do not move when the stimulus
// package changes).
func localDots(seed uint64, n int) *image.Gray {
	r := rng.New(seed)
	var dots [][3]float64
	for len(dots) < n {
		x, y := float64(r.IntRange(8, InputSize-9)), float64(r.IntRange(8, InputSize-9))
		ok := true
		for _, d := range dots {
			if (d[0]-x)*(d[0]-x)+(d[1]-y)*(d[1]-y) <= 15*15 {
				ok = false
				break
			}
		}
		if ok {
			dots = append(dots, [3]float64{x, y, 7})
		}
	}
	return fixedDots(dots)
}

// Shared fixture: the seed-1 network quantised on one local 16-dot image, and the
// float activations of that image (the most expensive thing under emulation).
var fixture struct {
	once  sync.Once
	net   *Net
	q     *QNet
	calib *image.Gray
	acts  *FloatActs
	err   error
}

const fixtureSeed = 1

func testNet(t testing.TB) (*Net, *QNet) {
	t.Helper()
	fixture.once.Do(func() {
		fixture.net = NewNet(fixtureSeed)
		fixture.calib = localDots(7, 16)
		fixture.q, fixture.err = quantize(fixture.net, []*image.Gray{fixture.calib}, func(_ int, a *FloatActs) {
			c := *a
			fixture.acts = &c // Quantize is done with it after the last image
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
