package numunits

import (
	"math"
	"testing"

	"github.com/numsense/numsense/model/rng"
	"github.com/numsense/numsense/model/unitmap"
)

// shapeDraw makes a V draw of units with known curves: curve(k, level) plus
// Gaussian noise of sd noise, n images per level.
func shapeDraw(units, n int, noise float64, curve func(k, level int) float64, seed uint64) *Responses {
	L := len(Numerosities)
	ids := make([]int, units)
	for k := range ids {
		ids[k] = k
	}
	r := NewResponses(ids)
	g := rng.New(seed)
	row := make([]float32, units)
	for l := 0; l < L; l++ {
		for i := 0; i < n; i++ {
			for k := range row {
				row[k] = float32(curve(k, l) + noise*g.Normal())
			}
			if err := r.Append(ImageInfo{NumIdx: l}, row); err != nil {
				panic(err)
			}
		}
	}
	return r
}

// TestClassifyShapes checks the test on units of known shape: tuned curves with
// an inner PN test as tuned, ramps as monotonic whatever PN they were given (a
// ramp's PN chosen on T may land anywhere along its plateau), flat noise as
// unclassified, and ramps pass the tuned test at no more than about alpha.
func TestClassifyShapes(t *testing.T) {
	L := len(Numerosities)
	const per = 200 // units of each kind
	x := func(l int) float64 { return math.Log2(float64(Numerosities[l])) / math.Log2(30) }
	kinds := []func(l int) float64{
		func(l int) float64 { z := (x(l) - x(6)) / 0.15; return 1 + 4*math.Exp(-z*z/2) }, // tuned to 12
		func(l int) float64 { return 1 + 3*x(l) },                                        // increasing ramp
		func(l int) float64 { return 4 - 3*x(l) },                                        // decreasing ramp
		func(l int) float64 { return 2 },                                                 // flat
		func(l int) float64 { return 1 + 3*math.Min(1, 2*x(l)) },                         // saturating ramp: a plateau
	}
	curve := func(k, l int) float64 { return kinds[k/per](l) }
	v := shapeDraw(len(kinds)*per, 30, 1, curve, 1)
	pn := make([]int, len(kinds)*per)
	units := make([]int, len(pn))
	r := rng.New(2)
	for k := range pn {
		units[k] = k
		switch k / per {
		case 0:
			pn[k] = 6
		default:
			pn[k] = 1 + r.IntN(L-2) // an inner PN: the argmax wandered along the ramp
		}
	}
	shapes, err := ClassifyShapes(v, units, pn, Numerosities, 0.01)
	if err != nil {
		t.Fatal(err)
	}
	count := func(kind int, s Shape) int {
		c := 0
		for k := kind * per; k < (kind+1)*per; k++ {
			if shapes[k].Shape == s {
				c++
			}
		}
		return c
	}
	if c := count(0, Tuned); c < per*95/100 {
		t.Errorf("tuned units: %d of %d test as tuned", c, per)
	}
	if c := count(1, Increasing); c < per*95/100 {
		t.Errorf("increasing ramps: %d of %d test as increasing", c, per)
	}
	if c := count(2, Decreasing); c < per*95/100 {
		t.Errorf("decreasing ramps: %d of %d test as decreasing", c, per)
	}
	if c := count(3, Unclassified); c < per*90/100 {
		t.Errorf("flat units: %d of %d unclassified", c, per)
	}
	ramps := count(1, Tuned) + count(2, Tuned) + count(4, Tuned)
	if ramps > 3*per/50 { // alpha = 1 %: expect about 0-6 of 600
		t.Errorf("%d of %d ramps test as tuned", ramps, 3*per)
	}
	if c := count(4, Increasing); c < per*90/100 {
		t.Errorf("saturating ramps: %d of %d increasing", c, per)
	}
	cnt := CountShapes(shapes, pn, L, 0.01)
	if cnt.Units != len(shapes) || cnt.Tuned+cnt.Increasing+cnt.Decreasing+cnt.Unclassified != cnt.Units || cnt.Inner != cnt.Units {
		t.Errorf("counts %+v", cnt)
	}
	if cnt.Replicated < 4*per*95/100 || cnt.Replicated > 4*per+per/10 {
		t.Errorf("replicated %d, want the %d non-flat units (and about 1 %% of the flat ones)", cnt.Replicated, 4*per)
	}
	if p := BinomUpper(cnt.Tuned, cnt.Inner, 0.01); !(p < 1e-10) {
		t.Errorf("tuned above alpha: p %g", p)
	}
	if _, err := ClassifyShapes(v, []int{len(pn) + 5}, pn, Numerosities, 0.01); err == nil {
		t.Error("a unit that is not stored was accepted")
	}
}

func TestBinomUpper(t *testing.T) {
	if p := BinomUpper(0, 10, 0.3); p != 1 {
		t.Errorf("P(X >= 0) = %g", p)
	}
	// P(X >= 2) for n = 2, p = 0.5 is 0.25.
	if p := BinomUpper(2, 2, 0.5); math.Abs(p-0.25) > 1e-12 {
		t.Errorf("P(X >= 2 | 2, 0.5) = %g", p)
	}
	if !math.IsNaN(BinomUpper(1, 0, 0.5)) {
		t.Error("n = 0 must give NaN")
	}
}

// TestStabilityChance: with PNs at the two ends only, random pairing agrees half
// the time (not 1/16), and an identical pairing is far above that.
func TestStabilityChance(t *testing.T) {
	n := 400
	pnT, pnV := make([]int, n), make([]int, n)
	for k := range pnT {
		pnT[k] = 15 * (k % 2)
		pnV[k] = pnT[k]
	}
	st, err := PNStability(pnT, pnV, Numerosities, rng.New(1))
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(st.Chance-0.5) > 1e-12 || st.Same != 1 || st.ChanceP > 2.0/StabilityPermutations {
		t.Errorf("identical end PNs: same %g chance %g p %g", st.Same, st.Chance, st.ChanceP)
	}
	r := rng.New(3)
	for k := range pnV {
		pnV[k] = 15 * r.IntN(2) // independent of pnT
	}
	st, _ = PNStability(pnT, pnV, Numerosities, rng.New(1))
	if st.ChanceP < 0.01 || math.Abs(st.Same-st.Chance) > 0.1 {
		t.Errorf("independent PNs: same %g chance %g p %g", st.Same, st.Chance, st.ChanceP)
	}
}

// TestRangeBounds: a ramp fitted on the log axis within Kim's bounds puts its
// centre far beyond log2 30; within the range bounds it stays at the end.
func TestRangeBounds(t *testing.T) {
	lin, lg := axes()
	y := make([]float64, len(lg))
	for i, v := range lg {
		y[i] = 0.1 + 0.9*v/lg[len(lg)-1] // a ramp, linear in log N
	}
	kim := FitGaussIn(lg, y, KimBounds())
	rb := RangeBounds(lg)
	in := FitGaussIn(lg, y, rb)
	t.Logf("Kim bounds: b %.2f (2^b = %.0f); range bounds: b %.3f, R2 %.3f", kim.B, math.Exp2(kim.B), in.B, in.R2)
	if kim.B <= lg[len(lg)-1]+0.5 {
		t.Errorf("within Kim's bounds the ramp's centre is %.2f, expected beyond the range", kim.B)
	}
	if in.B < rb.BMin || in.B > rb.BMax || !in.AtBound || math.Abs(rb.BMax-math.Log2(30)) > 1e-12 || rb.BMin != 0 {
		t.Errorf("within the range bounds: b %.3f (bounds %+v), at bound %v", in.B, rb, in.AtBound)
	}
	if lb := RangeBounds(lin); lb.BMin != 1 || lb.BMax != 30 || lb.CMax != MaxC {
		t.Errorf("linear range bounds %+v", lb)
	}
	fits := FitTuningCurves([][]float64{y}, Numerosities, BoundsRange)
	if len(fits) != 1 || len(Inside(fits)) != 0 {
		t.Errorf("a ramp's fit counted as inside the range: %+v", fits)
	}
	peak := make([]float64, len(lg))
	for i, v := range lg {
		peak[i] = gauss(1, 2.5, 1, v)
	}
	if f := FitTuningCurves([][]float64{peak}, Numerosities, BoundsRange); len(Inside(f)) != 1 {
		t.Errorf("a peaked curve's fit is not inside: %+v", f)
	}
}

func TestFallRight(t *testing.T) {
	c := [][]float64{{1, 0.5, 0}, {0, 1, 1}, {0, 0.5, 1}}
	f := FallRight(c)
	if f[0] != 1 || f[1] != 0 || !math.IsNaN(f[2]) {
		t.Errorf("FallRight = %v", f)
	}
}

func TestNewClasses(t *testing.T) {
	L := len(Numerosities)
	m := &unitmap.Map{Numerosities: Numerosities, Alpha: 0.01, LayerUnits: 100}
	shapes := []UnitShape{{Shape: Tuned}, {Shape: Decreasing}, {Shape: Unclassified}, {Shape: Tuned}, {Shape: Increasing}}
	pns := []int{5, 0, 3, 5, 15}
	for k := range shapes {
		shapes[k].MeanV = make([]float64, L)
		for l := range shapes[k].MeanV {
			d := float64(l - pns[k])
			shapes[k].MeanV[l] = 10 + float64(k) - d*d
		}
		m.Units = append(m.Units, unitmap.Unit{Index: 10 * k, PN: pns[k], Mean: make([]float32, L), SD: make([]float32, L)})
	}
	c, err := NewClasses(m, shapes)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Classes) != 3 || c.Classes[0].Shape != unitmap.Decreasing || c.Classes[1].Shape != unitmap.Tuned || c.Classes[1].PN != 5 ||
		c.Classes[2].Shape != unitmap.Increasing || len(c.Classes[1].Units) != 2 || c.Classes[1].Units[1] != 3 {
		t.Fatalf("classes %+v", c.Classes)
	}
	if c.Classes[1].Curve[5] != 1 || c.Classes[1].Curve[15] != 0 {
		t.Errorf("tuned curve %v, want 1 at its PN and 0 at the far end", c.Classes[1].Curve)
	}
	if _, err := c.MarshalBinary(); err != nil {
		t.Errorf("classes do not encode: %v", err)
	}
	for _, s := range []Shape{Decreasing, Increasing, Tuned} {
		if s.String() != map[Shape]string{Decreasing: unitmap.Decreasing, Increasing: unitmap.Increasing, Tuned: unitmap.Tuned}[s] {
			t.Errorf("shape %v is not named as in unitmap", s)
		}
	}
	if _, err := NewClasses(m, shapes[:2]); err == nil {
		t.Error("shapes of another length accepted")
	}
}
