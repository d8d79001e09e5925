package ref

import (
	"image"
	"slices"
	"sort"
	"testing"

	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/floatnet"
	"github.com/numsense/numsense/model/internal/dots"
	"github.com/numsense/numsense/model/rng"
)

// stimuli are 16 dot images, one per numerosity of the papers (1, 2, 4, ..., 30).
func stimuli(t *testing.T) []*image.Gray {
	t.Helper()
	var imgs []*image.Gray
	for i, n := range []int{1, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30} {
		imgs = append(imgs, dots.Random(uint64(1001+i), n))
	}
	return imgs
}

// testQNet is the seed-1 network quantised on the stimuli; with -short (the float
// network is slow under emulation) a synthetic one: random int8 weights, each
// activation scale fitted on img by this package's own stages, so that the engine
// sees activations that use the range.
func testQNet(t *testing.T, img *image.Gray) *model.QNet {
	t.Helper()
	if !testing.Short() {
		q, err := floatnet.Quantize(floatnet.New(1), stimuli(t))
		if err != nil {
			t.Fatal(err)
		}
		return q
	}
	r := rng.New(5)
	q := &model.QNet{Seed: 5, Calib: "synthetic"}
	x, err := Input(img)
	if err != nil {
		t.Fatal(err)
	}
	in := float32(1)
	for li, l := range model.Arch {
		c := &q.Conv[li]
		c.W = make([]int8, l.Out*l.KDim())
		for i := range c.W {
			c.W[i] = int8(r.IntRange(-127, 127))
		}
		c.WScale = make([]float32, l.Out)
		c.Bias = make([]int32, l.Out)
		for o := range c.WScale {
			c.WScale[o] = float32(0.001 + 0.01*r.Float64())
			c.Bias[o] = int32(r.IntRange(-20000, 20000))
		}
		c.InScale, c.InZP, c.OutZP = in, -128, -128
		acc := ConvAcc(q, li, x)
		var v []float64
		for i, a := range acc {
			if a > 0 {
				v = append(v, float64(a)*float64(c.InScale)*float64(c.WScale[i/l.Pixels()]))
			}
		}
		sort.Float64s(v)
		c.OutScale = float32(v[len(v)*99/100] / 200)
		x = Conv(q, li, x)
		in = c.OutScale
		if l.LRNPool {
			ni := map[int]int{model.Conv1: 0, model.Conv2: 1}[li]
			q.Norm[ni] = model.NewQLRN(in, in/4)
			in /= 4
			x = MaxPool(LRN(&q.Norm[ni], x, l.Out), l.Out, l.OutSize)
		}
	}
	return q
}

// TestMatchesEngine checks relu4 and relu5 of Run against model.Engine bit for bit.
func TestMatchesEngine(t *testing.T) {
	imgs := stimuli(t)
	q := testQNet(t, imgs[6])
	e := model.NewEngine(q, 2)
	defer e.Close()
	for _, i := range []int{6, 0, 15} {
		s, err := Run(q, imgs[i])
		if err != nil {
			t.Fatal(err)
		}
		if err := e.Run(imgs[i]); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(s[8], e.Relu4()) {
			t.Errorf("image %d: relu4 differs from the engine", i)
		}
		if !slices.Equal(s[9], e.Relu5()) {
			t.Errorf("image %d: relu5 differs from the engine", i)
		}
		nz := 0
		for _, v := range s[9] {
			if v != -128 {
				nz++
			}
		}
		t.Logf("image %d: %d of %d relu5 values non-zero", i, nz, len(s[9]))
		if nz < len(s[9])/100 {
			t.Errorf("image %d: relu5 almost all zero (%d non-zero): the test does not exercise the network", i, nz)
		}
		if testing.Short() {
			break
		}
	}
}

func TestLRNIndex(t *testing.T) {
	for _, c := range []struct {
		s    uint32
		mb   int
		want int
	}{
		{0, 8, 0}, {511, 8, 511}, {512, 8, 512}, {513, 8, 512}, {514, 8, 513}, {1023, 8, 767}, {1024, 8, 768},
		{lrnMaxS, 8, 2877}, {1023, 9, 1023}, {1024, 9, 1024}, {2047, 9, 1535}, {2048, 9, 1536}, {lrnMaxS, 9, 5243},
	} {
		if got := lrnIndex(c.s, c.mb); got != c.want {
			t.Errorf("lrnIndex(%d, %d) = %d, want %d", c.s, c.mb, got, c.want)
		}
	}
	// The model's table length identifies its layout.
	n := model.NewQLRN(0.5, 0.25)
	mb := lrnMantBits(len(n.Table))
	if mb < 0 || lrnIndex(lrnMaxS, mb) != len(n.Table)-1 {
		t.Errorf("model table of %d entries: no bucket layout found (mb %d)", len(n.Table), mb)
	}
	if lrnMantBits(1000) != -1 {
		t.Error("a table of 1000 entries should fit no layout")
	}
}

func TestMaxPool(t *testing.T) {
	x := make([]int8, 2*5*5)
	for i := range x {
		x[i] = int8(i - 60)
	}
	y := MaxPool(x, 2, 5)
	want := []int8{-48, -46, -38, -36, -23, -21, -13, -11}
	if !slices.Equal(y, want) {
		t.Errorf("MaxPool = %v, want %v", y, want)
	}
}
