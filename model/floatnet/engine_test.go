package floatnet

import (
	"hash/fnv"
	"image"
	"sort"
	"testing"

	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/accuracy"
	"github.com/numsense/numsense/model/internal/dots"
)

// numerosities are the papers' 16 numerosities.
var numerosities = []int{1, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30}

// dotImages draws perN dot images for every numerosity (numerosity-major), each
// placed from its own seed derived from seed.
func dotImages(seed uint64, perN int) (imgs []*image.Gray, nums []int) {
	for i, n := range numerosities {
		for k := 0; k < perN; k++ {
			imgs = append(imgs, dots.Random(seed+uint64(1000*i+k), n))
			nums = append(nums, n)
		}
	}
	return imgs, nums
}

func fnvInt8(x []int8) uint64 {
	h := fnv.New64a()
	b := make([]byte, len(x))
	for i, v := range x {
		b[i] = byte(v)
	}
	h.Write(b)
	return h.Sum64()
}

// The int8 relu5 of the seed-1 network (quantised on the fixture image) for a fixed
// local stimulus, pinned: the same bytes on amd64, arm64 and armv7.
const goldenRelu5 = 0x1238d58d773e221f

func TestGolden(t *testing.T) {
	_, q := testNet(t)
	e := model.NewEngine(q, 2)
	defer e.Close()
	if err := e.Run(dots.Random(42, 12)); err != nil {
		t.Fatal(err)
	}
	h := fnvInt8(e.Relu5())
	t.Logf("relu5 FNV-64a %#x; relu4 %#x", h, fnvInt8(e.Relu4()))
	if h != goldenRelu5 {
		t.Errorf("relu5 checksum %#x, pinned %#x", h, uint64(goldenRelu5))
	}
}

// Fidelity of the int8 engine to the float reference on dot images (discs of
// radius 7). Full: 7 images of each of the 16 numerosities (112), calibrated on 16
// other images. -short: the fixture network and 2 images.
func TestFidelity(t *testing.T) {
	var q *model.QNet
	var n *Net
	var imgs []*image.Gray
	var nums []int
	if testing.Short() {
		n, q = testNet(t)
		imgs, nums = []*image.Gray{fixture.calib}, []int{16}
		imgs, nums = append(imgs, dots.Random(77, 30)), append(nums, 30)
	} else {
		n, _ = testNet(t)
		calib, _ := dotImages(1001, 1)
		var err error
		if q, err = Quantize(n, calib); err != nil {
			t.Fatal(err)
		}
		imgs, nums = dotImages(2002, 7)
	}
	e := model.NewEngine(q, 0)
	defer e.Close()
	fa := NewActs()
	qa := make([]float32, model.Relu5Units)
	meanF := make([]float64, model.Relu5Units)
	meanQ := make([]float64, model.Relu5Units)
	var rs []float64
	perN := map[int][]float64{}
	for i, img := range imgs {
		if img == fixture.calib {
			fa = fixture.acts
		} else {
			if err := n.Forward(img, fa); err != nil {
				t.Fatal(err)
			}
		}
		if err := e.Run(img); err != nil {
			t.Fatal(err)
		}
		e.Relu5Float(qa)
		r := accuracy.Pearson(qa, Floats(fa.Relu5))
		rs = append(rs, r)
		perN[nums[i]] = append(perN[nums[i]], r)
		for u := range qa {
			meanF[u] += float64(Floats(fa.Relu5)[u])
			meanQ[u] += float64(qa[u])
		}
		if img == fixture.calib {
			fa = NewActs()
		}
	}
	sort.Float64s(rs)
	med := rs[len(rs)/2]
	if len(rs)%2 == 0 {
		med = (rs[len(rs)/2-1] + rs[len(rs)/2]) / 2
	}
	mf, mq := make([]float32, model.Relu5Units), make([]float32, model.Relu5Units)
	for u := range mf {
		mf[u], mq[u] = float32(meanF[u]), float32(meanQ[u])
	}
	rm := accuracy.Pearson(mq, mf)
	t.Logf("%d images: per-image r min %.5f median %.5f max %.5f; per-unit mean r %.5f", len(rs), rs[0], med, rs[len(rs)-1], rm)
	for _, k := range numerosities {
		if v := perN[k]; len(v) > 0 {
			sort.Float64s(v)
			t.Logf("N=%2d: min r %.5f", k, v[0])
		}
	}
	if !(med >= 0.99) {
		t.Errorf("median per-image r = %.5f, want >= 0.99", med)
	}
	if !(rm >= 0.99) {
		t.Errorf("per-unit mean response r = %.5f, want >= 0.99", rm)
	}
}
