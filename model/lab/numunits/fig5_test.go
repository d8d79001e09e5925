package numunits

import (
	"math"
	"testing"

	"github.com/numsense/numsense/model/rng"
)

// TestMonotonic regresses units of known dependence on log N and log area over a
// set where the two vary independently: pure number units are monotonic, area
// units and noise are not.
func TestMonotonic(t *testing.T) {
	m := NewMonotonicAccumulator(4)
	r := rng.New(1)
	resp := make([]float32, 4)
	for _, n := range Numerosities {
		for k := 1; k <= 8; k++ {
			for i := 0; i < 4; i++ {
				area := 300 * math.Pow(1.5, float64(k)) * (1 + 0.05*r.Float64())
				ln, la := math.Log(float64(n)), math.Log(area)
				resp[0] = float32(2*ln + 0.3*r.Normal())  // increasing
				resp[1] = float32(-2*ln + 0.3*r.Normal()) // decreasing
				resp[2] = float32(2*la + 0.3*r.Normal())  // area
				resp[3] = float32(r.Normal())             // noise
				if err := m.Add(area, n, resp); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	res, err := m.Result()
	if err != nil {
		t.Fatal(err)
	}
	want := []Shape{Increasing, Decreasing, Unclassified, Unclassified}
	for u, w := range want {
		if res.Class[u] != w {
			t.Errorf("unit %d: %v (beta_N %.2f, beta_area %.2f, R2 %.2f), want %v", u, res.Class[u], res.BetaN[u], res.BetaArea[u], res.R2[u], w)
		}
	}
	if !(res.BetaN[0] > 0.5 && res.BetaN[0] <= 1.2) || !(math.Abs(float64(res.BetaArea[2])) > 0.5) {
		t.Errorf("normalised coefficients %v %v", res.BetaN, res.BetaArea)
	}
	if res.Increasing != 1 || res.Decreasing != 1 {
		t.Errorf("counts %d %d", res.Increasing, res.Decreasing)
	}
	c, s := Agreement(res.Class, []Shape{Increasing, Increasing, Unclassified, Decreasing})
	if c != 2 || s != 1 {
		t.Errorf("agreement %d of %d", s, c)
	}
	if err := m.Add(0, 3, resp); err == nil {
		t.Error("zero area accepted")
	}
	if _, err := NewMonotonicAccumulator(1).Result(); err == nil {
		t.Error("an empty regression gave a result")
	}
}

// testConv is a small two-group convolution: 4x4 maps, 4 -> 2 channels, 3x3.
func testConv() *Conv {
	c := &Conv{Size: 4, K: 3, Pad: 1, In: 4, Out: 2, Groups: 2}
	c.W = make([]float32, c.Out*c.KDim())
	for i := range c.W {
		c.W[i] = float32(i%7) - 3
	}
	return c
}

// TestBacktrack checks the wiring against a direct sum: output channel 1 sees
// input channels 2 and 3 only, the kernel is centred on the unit, borders are
// padding.
func TestBacktrack(t *testing.T) {
	c := testConv()
	plane := c.Size * c.Size
	class := make([]Shape, c.In*plane)
	for j := range class {
		switch (j / plane) % 2 {
		case 0:
			class[j] = Decreasing
		default:
			class[j] = Increasing
		}
	}
	u := 1*plane + 0*c.Size + 1 // channel 1, row 0, column 1
	got, err := Backtrack(c, class, []int{u}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var dec, inc float64
	nd, ni := 0, 0
	for ci := 0; ci < 2; ci++ {
		for ky := 0; ky < 3; ky++ {
			for kx := 0; kx < 3; kx++ {
				y, x := ky-1, 1+kx-1
				if y < 0 || y >= c.Size || x < 0 || x >= c.Size {
					continue
				}
				w := float64(c.W[1*c.KDim()+ci*9+ky*3+kx])
				if class[(2+ci)*plane+y*c.Size+x] == Decreasing {
					dec += w
					nd++
				} else {
					inc += w
					ni++
				}
			}
		}
	}
	b := got[0]
	if b.NDec != nd || b.NInc != ni || nd != 6 || math.Abs(b.Dec-dec/6) > 1e-12 || math.Abs(b.Inc-inc/float64(ni)) > 1e-12 {
		t.Fatalf("backtracked %+v, want dec %g/%d inc %g/%d", b, dec, nd, inc, ni)
	}
	sh, _ := Backtrack(c, class, []int{u}, rng.New(1))
	if sh[0].NDec != nd || (sh[0].Dec == b.Dec && sh[0].Inc == b.Inc) {
		t.Errorf("shuffled %+v against %+v", sh[0], b)
	}
	// Drives: with every input's mean curve equal to (1, 2), All is the sum of
	// the weights the unit sees times (1, 2), Dec + Inc likewise.
	mean := make([]float64, 2*len(class))
	for j := range class {
		mean[2*j], mean[2*j+1] = 1, 2
	}
	d, err := UnitDrives(c, class, mean, 2, []int{u}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(d[0].All[0]-(dec+inc)) > 1e-9 || math.Abs(d[0].All[1]-2*(dec+inc)) > 1e-9 || math.Abs(d[0].Dec[0]-dec) > 1e-9 {
		t.Errorf("drives %+v, want all %g", d[0], dec+inc)
	}
	if _, err := Backtrack(c, class[:3], []int{u}, nil); err == nil {
		t.Error("too few classes accepted")
	}
	if _, err := Backtrack(c, class, []int{2 * plane}, nil); err == nil {
		t.Error("a unit outside the layer accepted")
	}
}

func TestRegressR2(t *testing.T) {
	y := []float64{1, 2, 3, 4, 5}
	if r := RegressR2(y, []float64{2, 4, 6, 8, 10}); math.Abs(r-1) > 1e-12 {
		t.Errorf("exact line: R2 %g", r)
	}
	if r := RegressR2(y, []float64{0, 0, 0, 0, 0}); math.Abs(r) > 1e-12 {
		t.Errorf("a zero regressor: R2 %g, want 0", r)
	}
	if r := RegressR2(y, []float64{1, 0, 1, 0, 1}, []float64{0, 1, 3, 0, 1}); r <= 0 || r >= 1 {
		t.Errorf("two regressors: R2 %g", r)
	}
	if !math.IsNaN(RegressR2([]float64{2, 2, 2}, []float64{1, 2, 3})) {
		t.Error("a constant y must give NaN")
	}
}

// TestSummationModel runs a small summation model: Kim's model gives a U-shaped
// PN distribution and W_dec - W_inc falling from positive to negative with PN.
func TestSummationModel(t *testing.T) {
	m := RunSummationModel(Numerosities, SummationOpts{Trials: 2, Neurons: 2000, Seed: 1})
	L := len(Numerosities)
	t.Logf("silent %.2f; PN %0.3v; dec-inc %0.2v", m.Silent, m.PNDist, m.DecMinusInc)
	if m.PNDist[0] < 0.1 || m.PNDist[L-1] < 0.1 || m.PNDist[L/2] > m.PNDist[0] {
		t.Errorf("PN distribution %v, want peaks at both ends", m.PNDist)
	}
	if !(m.DecMinusInc[0] > 0) || !(m.DecMinusInc[L-1] < 0) {
		t.Errorf("W_dec - W_inc %v, want positive at PN 1 and negative at PN 30", m.DecMinusInc)
	}
	if m.Silent <= 0 || m.Silent >= 0.5 {
		t.Errorf("silent fraction %g", m.Silent)
	}
	if r := CurveR2(m.Curves[0], m.Curves[0]); r != 1 {
		t.Errorf("a curve against itself: %g", r)
	}
}

func TestCorr(t *testing.T) {
	if r := Corr([]float64{1, 2, 3}, []float64{3, 2, 1}); math.Abs(r+1) > 1e-12 {
		t.Errorf("reversed: %g", r)
	}
	if !math.IsNaN(Corr([]float64{1, 1, 1}, []float64{1, 2, 3})) {
		t.Error("a constant must give NaN")
	}
}
