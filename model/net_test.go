package model

import (
	"hash/fnv"
	"math"
	"testing"
)

func TestArchCounts(t *testing.T) {
	if err := checkArch(); err != nil {
		t.Fatal(err)
	}
	wantMACs := [NumConv]int64{35138400, 223948800, 149520384, 112140288, 74760192}
	wantW := [NumConv]int{11616, 307200, 884736, 663552, 442368}
	for i, l := range Arch {
		if l.MACs() != wantMACs[i] || l.NumWeights() != wantW[i] {
			t.Errorf("%s: %d MACs, %d weights; want %d, %d", l.Name, l.MACs(), l.NumWeights(), wantMACs[i], wantW[i])
		}
	}
	if got := TotalMACs(); got != 595508064 {
		t.Errorf("TotalMACs = %d, want 595508064 (595.5 M)", got)
	}
	fan := [NumConv]int{363, 1200, 2304, 1728, 1728}
	for i, l := range Arch {
		if l.FanIn() != fan[i] {
			t.Errorf("%s fan-in %d, want %d", l.Name, l.FanIn(), fan[i])
		}
	}
	if Relu5Units != 43264 || Relu4Units != 64896 {
		t.Error("unit counts")
	}
}

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

func TestNewNet(t *testing.T) {
	n, _ := testNet(t)
	again := NewNet(fixtureSeed)
	h := hashFloats(n.W1RGB, n.W[0], n.W[1], n.W[2], n.W[3], n.W[4], n.B[0])
	if h != hashFloats(again.W1RGB, again.W[0], again.W[1], again.W[2], again.W[3], again.W[4], again.B[0]) {
		t.Fatal("NewNet is not deterministic")
	}
	t.Logf("weights hash %#x", h)
	if h != goldenWeights {
		t.Errorf("seed-1 weight hash %#x, pinned %#x (the draw order or the rng changed)", h, uint64(goldenWeights))
	}
	other := NewNet(2)
	if hashFloats(other.W[2]) == hashFloats(n.W[2]) {
		t.Error("seeds 1 and 2 give the same conv3")
	}
	// He-normal statistics: zero mean, std sqrt(2/fan_in) (conv1: the drawn RGB filter).
	for i, l := range Arch {
		w := n.W[i]
		if i == Conv1 {
			w = n.W1RGB
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
		if i != Conv1 {
			for _, b := range n.B[i] {
				if b != 0 {
					t.Fatalf("%s: nonzero bias %g", l.Name, b)
				}
			}
		}
	}
	// The fold: W' = sum over channels, b' = -sum_c m_c sum_ij W[c].
	kk := 121
	for f := 0; f < 96; f++ {
		var bias float64
		for c := 0; c < 3; c++ {
			var s float64
			for t := 0; t < kk; t++ {
				s += float64(n.W1RGB[(f*3+c)*kk+t])
			}
			bias -= ChannelMean[c] * s
		}
		if math.Abs(bias-float64(n.B[Conv1][f])) > 1e-4*math.Max(1, math.Abs(bias)) {
			t.Fatalf("filter %d: folded bias %g, want %g", f, n.B[Conv1][f], bias)
		}
		for t := 0; t < kk; t++ {
			w := float64(n.W1RGB[(f*3)*kk+t]) + float64(n.W1RGB[(f*3+1)*kk+t]) + float64(n.W1RGB[(f*3+2)*kk+t])
			if float32(w) != n.W[Conv1][f*kk+t] {
				panic("fold")
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
	rgb := NewFloatActs()
	layers := NumConv
	if testing.Short() {
		layers = 1
	}
	n.ForwardRGBUpTo(fixture.calib, rgb, layers)
	check := func(name string, a, b []float32) {
		d := maxRelDiff(a, b)
		t.Logf("%s: max |grey - rgb| / max |rgb| = %.3g", name, d)
		if d > 1e-4 || math.IsNaN(d) {
			t.Errorf("%s: grey and RGB paths differ by %.3g relative", name, d)
		}
	}
	check("relu1", rgb.Relu1, grey.Relu1)
	check("pool1", rgb.Pool1, grey.Pool1)
	if layers == NumConv {
		check("relu4", rgb.Relu4, grey.Relu4)
		check("relu5", rgb.Relu5, grey.Relu5)
		if r := pearson(rgb.Relu5, grey.Relu5); r < 0.999999 {
			t.Errorf("relu5 correlation %v", r)
		}
	}
}

func TestForwardShapesAndReLU(t *testing.T) {
	testNet(t)
	a := fixture.acts
	for name, x := range map[string][]float32{"relu1": a.Relu1, "relu2": a.Relu2, "relu3": a.Relu3, "relu4": a.Relu4, "relu5": a.Relu5} {
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
	if len(a.Relu5) != Relu5Units || len(a.Relu4) != Relu4Units {
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
