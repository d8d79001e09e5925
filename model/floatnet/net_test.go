package floatnet

import (
	"hash/fnv"
	"math"
	"testing"

	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/accuracy"
)

// F is Floats, short for the tests.
var F = Floats

func hashFloats(xs ...[]float32) uint64 {
	h := fnv.New64a()
	var b [4]byte
	for _, x := range xs {
		for _, v := range x {
			u := math.Float32bits(v)
			b[0], b[1], b[2], b[3] = byte(u), byte(u>>8), byte(u>>16), byte(u>>24)
			h.Write(b[:])
		}
	}
	return h.Sum64()
}

// The float weights of seed 1, bit for bit, on every architecture.
const goldenWeights = 0xddbe2e6a6f5adf92

func TestNew(t *testing.T) {
	n, _ := testNet(t)
	again := New(fixtureSeed)
	h := hashFloats(F(n.W1RGB), F(n.W[0]), F(n.W[1]), F(n.W[2]), F(n.W[3]), F(n.W[4]), F(n.B[0]))
	if h != hashFloats(F(again.W1RGB), F(again.W[0]), F(again.W[1]), F(again.W[2]), F(again.W[3]), F(again.W[4]), F(again.B[0])) {
		t.Fatal("NewNet is not deterministic")
	}
	t.Logf("weights hash %#x", h)
	if h != goldenWeights {
		t.Errorf("seed-1 weight hash %#x, pinned %#x (the draw order or the rng changed)", h, uint64(goldenWeights))
	}
	other := New(2)
	if hashFloats(F(other.W[2])) == hashFloats(F(n.W[2])) {
		t.Error("seeds 1 and 2 give the same conv3")
	}
	// He-normal statistics: zero mean, std sqrt(2/fan_in) (conv1: the drawn RGB filter).
	for i, l := range model.Arch {
		w := F(n.W[i])
		if i == model.Conv1 {
			w = F(n.W1RGB)
		}
		var s, s2 float64
		for _, v := range w {
			s += float64(v)
			s2 += float64(v) * float64(v)
		}
		mean := s / float64(len(w))
		std := math.Sqrt(s2/float64(len(w)) - mean*mean)
		want := math.Sqrt(2 / float64(l.FanIn()))
		if math.Abs(std/want-1) > 0.03 || math.Abs(mean) > 0.03*want {
			t.Errorf("%s: mean %.4g std %.5g, want 0 and %.5g", l.Name, mean, std, want)
		}
		if i != model.Conv1 {
			for _, b := range F(n.B[i]) {
				if b != 0 {
					t.Fatalf("%s: nonzero bias %g", l.Name, b)
				}
			}
		}
	}
	// The fold: W' = sum over channels, b' = -sum_c m_c sum_ij W[c].
	kk := 121
	rgb, grey, gb := F(n.W1RGB), F(n.W[model.Conv1]), F(n.B[model.Conv1])
	for f := 0; f < 96; f++ {
		var bias float64
		for c := 0; c < 3; c++ {
			var s float64
			for t := 0; t < kk; t++ {
				s += float64(rgb[(f*3+c)*kk+t])
			}
			bias -= model.ChannelMean[c] * s
		}
		if math.Abs(bias-float64(gb[f])) > 1e-4*math.Max(1, math.Abs(bias)) {
			t.Fatalf("filter %d: folded bias %g, want %g", f, gb[f], bias)
		}
		for k := 0; k < kk; k++ {
			w := float64(rgb[(f*3)*kk+k]) + float64(rgb[(f*3+1)*kk+k]) + float64(rgb[(f*3+2)*kk+k])
			if float32(w) != grey[f*kk+k] {
				t.Fatalf("filter %d tap %d: folded weight %g, want %g", f, k, grey[f*kk+k], float32(w))
			}
		}
	}
}

func maxRelDiff(a, b []float32) float64 {
	var d, m float64
	for i := range a {
		d = math.Max(d, math.Abs(float64(a[i])-float64(b[i])))
		m = math.Max(m, math.Abs(float64(a[i])))
	}
	return d / m
}

// The grey network equals the unfolded 3-channel network with the per-channel mean
// subtracted. With -short only conv1 (relu1, norm1, pool1) is compared: the layers
// after it are the same code on the same input.
func TestGreyFoldExact(t *testing.T) {
	n, _ := testNet(t)
	grey := fixture.acts
	rgb := NewActs()
	layers := model.NumConv
	if testing.Short() {
		layers = 1
	}
	if err := n.ForwardRGBUpTo(fixture.calib, rgb, layers); err != nil {
		t.Fatal(err)
	}
	check := func(name string, a, b []float32) {
		d := maxRelDiff(a, b)
		t.Logf("%s: max |grey - rgb| / max |rgb| = %.3g", name, d)
		if d > 1e-4 || math.IsNaN(d) {
			t.Errorf("%s: grey and RGB paths differ by %.3g relative", name, d)
		}
	}
	check("relu1", F(rgb.Relu1), F(grey.Relu1))
	check("pool1", F(rgb.Pool1), F(grey.Pool1))
	if layers == model.NumConv {
		check("relu4", F(rgb.Relu4), F(grey.Relu4))
		check("relu5", F(rgb.Relu5), F(grey.Relu5))
		if r := accuracy.Pearson(F(rgb.Relu5), F(grey.Relu5)); r < 0.999999 {
			t.Errorf("relu5 correlation %v", r)
		}
	}
}

func TestForwardShapesAndReLU(t *testing.T) {
	testNet(t)
	a := fixture.acts
	for name, x := range map[string][]float32{"relu1": F(a.Relu1), "relu2": F(a.Relu2), "relu3": F(a.Relu3), "relu4": F(a.Relu4), "relu5": F(a.Relu5)} {
		pos := 0
		for _, v := range x {
			if v < 0 || math.IsNaN(float64(v)) {
				t.Fatalf("%s has %v", name, v)
			}
			if v > 0 {
				pos++
			}
		}
		if pos == 0 || pos == len(x) {
			t.Errorf("%s: %d of %d positive: degenerate", name, pos, len(x))
		}
	}
	if s := a.Relu5.Shape(); len(s) != 3 || s[0] != 256 || s[1] != 13 || s[2] != 13 {
		t.Fatalf("relu5 shape %v", s)
	}
	if len(F(a.Relu5)) != model.Relu5Units || len(F(a.Relu4)) != model.Relu4Units {
		t.Fatal("sizes")
	}
}

// lrnF against the formula evaluated directly with math.Pow.
func TestLRNFloat(t *testing.T) {
	c, plane := 7, 3
	x := make([]float32, c*plane)
	for i := range x {
		x[i] = float32(i*37%101) * 3
	}
	y := make([]float32, len(x))
	lrnF(x, c, plane, y)
	for ch := 0; ch < c; ch++ {
		for i := 0; i < plane; i++ {
			s := 0.0
			for cc := max(0, ch-2); cc <= min(c-1, ch+2); cc++ {
				v := float64(x[cc*plane+i])
				s += v * v
			}
			want := float64(x[ch*plane+i]) / math.Pow(1+1e-4/5*s, 0.75)
			if got := float64(y[ch*plane+i]); math.Abs(got-want) > 1e-6*math.Max(1, want) {
				t.Fatalf("c=%d i=%d: %v, want %v", ch, i, got, want)
			}
		}
	}
}
