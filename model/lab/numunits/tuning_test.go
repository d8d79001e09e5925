package numunits

import (
	"math"
	"testing"

	"github.com/numsense/numsense/model/rng"
)

func TestTuningCurves(t *testing.T) {
	// Units 0 and 1 prefer index 0, unit 2 prefers index 2; index 1 is empty.
	mean := []float64{
		2, 1, 0,
		4, 1, 0,
		0, 1, 3,
	}
	pn := []int{0, 0, 2}
	rows := TuningCurves(mean, 3, []int{0, 1, 2}, pn)
	want0 := []float64{1, 1.0 / 3, 0} // average {3,1,0} rescaled
	for i, w := range want0 {
		near(t, "class 0", rows[0][i], w, 1e-12)
	}
	for _, v := range rows[1] {
		if !math.IsNaN(v) {
			t.Errorf("empty class row %v, want NaN", rows[1])
		}
	}
	near(t, "class 2 max", rows[2][2], 1, 0)
	dc := DistanceCurves(mean, []int{1, 2, 4}, []int{2}, pn)
	// Unit 2 (PN = 4): values /3 at ND = -3, -2, 0.
	if dc.MinND != -3 || len(dc.Mean) != 7 {
		t.Fatalf("distance axis %d..%d", dc.MinND, dc.MinND+len(dc.Mean)-1)
	}
	near(t, "ND 0", dc.Mean[3], 1, 1e-12)
	near(t, "ND -2", dc.Mean[1], 1.0/3, 1e-12)
	near(t, "ND -3", dc.Mean[0], 0, 0)
	if !math.IsNaN(dc.Mean[6]) || dc.Count[3] != 1 {
		t.Errorf("ND 3 %v count %v", dc.Mean[6], dc.Count)
	}
}

func axes() (lin, lg []float64) {
	for _, n := range Numerosities {
		lin = append(lin, float64(n))
		lg = append(lg, math.Log2(float64(n)))
	}
	return
}

func TestFitGaussRecovers(t *testing.T) {
	lin, lg := axes()
	for _, c := range []struct {
		name    string
		x       []float64
		a, b, s float64
	}{
		{"linear", lin, 0.9, 12, 6},
		{"linear narrow", lin, 1, 2, 1.5},
		{"log", lg, 1, 3, 1.2},
		{"log small peak", lg, 0.7, 0.5, 2},
	} {
		y := make([]float64, len(c.x))
		for i, x := range c.x {
			y[i] = gauss(c.a, c.b, c.s, x)
		}
		f := FitGauss(c.x, y)
		near(t, c.name+" a", f.A, c.a, 1e-5)
		near(t, c.name+" b", f.B, c.b, 1e-5)
		near(t, c.name+" c", f.C, c.s, 1e-5)
		near(t, c.name+" sigma", f.Sigma, c.s/math.Sqrt2, 1e-5)
		if f.R2 < 1-1e-9 {
			t.Errorf("%s: R2 %g, want 1", c.name, f.R2)
		}
	}
}

func TestFitGaussBounds(t *testing.T) {
	lin, _ := axes()
	y := make([]float64, len(lin))
	for i, x := range lin {
		y[i] = gauss(2, 10, 5, x) // a above its bound
	}
	f := FitGauss(lin, y)
	if f.A != MaxA {
		t.Errorf("a = %g, want the bound %g", f.A, MaxA)
	}
	if f.R2 >= 1 || f.R2 < 0.5 {
		t.Errorf("bounded fit R2 %g, want in [0.5, 1)", f.R2)
	}
	for i, x := range lin {
		y[i] = gauss(1, 45, 8, x) // b above its bound
	}
	f = FitGauss(lin, y)
	if f.B != MaxB || f.A > MaxA || f.C > MaxC || f.C <= 0 {
		t.Errorf("b = %g (want %g), a %g, c %g", f.B, MaxB, f.A, f.C)
	}
	// Noisy data: a sensible fit with R2 < 1.
	r := rng.New(2)
	for i, x := range lin {
		y[i] = gauss(1, 16, 7, x) + 0.05*r.Normal()
	}
	f = FitGauss(lin, y)
	if math.Abs(f.B-16) > 1.5 || math.Abs(f.C-7) > 1.5 || f.R2 < 0.9 || f.R2 >= 1 {
		t.Errorf("noisy fit %+v", f)
	}
	if g := FitGauss([]float64{1, 2}, []float64{1, 0}); !math.IsNaN(g.A) {
		t.Error("two points: want NaN fit")
	}
}

// TestWeberFechner builds PN classes from units with log-Gaussian tuning of a
// constant width on the log axis: sigma_lin must grow with PN, sigma_log stay
// flat, and the log fits must be better.
func TestWeberFechner(t *testing.T) {
	L := len(Numerosities)
	var mean []float64
	var units, pn []int
	for p := 0; p < L; p++ {
		for k := 0; k < 3; k++ {
			u := len(units)
			units = append(units, u)
			pn = append(pn, p)
			for _, n := range Numerosities {
				z := (math.Log2(float64(n)) - math.Log2(float64(Numerosities[p]))) / (0.7 + 0.05*float64(k))
				mean = append(mean, 0.2+math.Exp(-z*z/2))
			}
		}
	}
	fits := FitTuningCurves(TuningCurves(mean, L, units, pn), Numerosities, BoundsKim)
	if len(fits) != L {
		t.Fatalf("%d fits, want %d", len(fits), L)
	}
	w := WeberFechner(fits, Numerosities)
	if w.LineLin.Slope <= 0.1 || w.LineLin.P > 1e-4 {
		t.Errorf("sigma_lin vs N: slope %g p %g, want clearly increasing", w.LineLin.Slope, w.LineLin.P)
	}
	if math.Abs(w.LineLog.Slope) > 0.02 {
		t.Errorf("sigma_log vs N: slope %g, want flat", w.LineLog.Slope)
	}
	if w.R2LogMean <= w.R2LinMean || w.SignRankP > 0.01 || w.PairedTP > 0.05 {
		t.Errorf("R2 log %g vs lin %g, p %g / %g", w.R2LogMean, w.R2LinMean, w.SignRankP, w.PairedTP)
	}
}
