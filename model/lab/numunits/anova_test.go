package numunits

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/numsense/numsense/model/rng"
)

func near(t *testing.T, what string, got, want, rel float64) {
	t.Helper()
	if math.IsNaN(want) != math.IsNaN(got) || math.Abs(got-want) > rel*math.Max(1e-300, math.Abs(want)) {
		t.Errorf("%s = %.12g, want %.12g (rel tol %g)", what, got, want, rel)
	}
}

// TestANOVAHandTable checks a 2x2 design with 2 replicates computed by hand:
// cells (A1,B1) {1,3}, (A1,B2) {2,4}, (A2,B1) {5,7}, (A2,B2) {6,10}.
// Cell means 2,3,6,8; row means 2.5, 7; column means 4, 5.5; grand 4.75.
// SS_A = 4*(2.25^2*2) = 40.5, SS_B = 4*(0.75^2*2) = 4.5,
// SS_AB = 2*4*0.25^2 = 0.5, SS_E = 2+2+2+8 = 14, df 1,1,1,4.
func TestANOVAHandTable(t *testing.T) {
	s, err := NewANOVA(2, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	data := map[[2]int][]float32{{0, 0}: {1, 3}, {0, 1}: {2, 4}, {1, 0}: {5, 7}, {1, 1}: {6, 10}}
	for k, v := range data {
		for _, x := range v {
			if err := s.Add(k[1], k[0], []float32{x}); err != nil {
				t.Fatal(err)
			}
		}
	}
	r, err := s.Result()
	if err != nil {
		t.Fatal(err)
	}
	if r.DfA != 1 || r.DfB != 1 || r.DfAB != 1 || r.DfE != 4 {
		t.Fatalf("df %d %d %d %d, want 1 1 1 4", r.DfA, r.DfB, r.DfAB, r.DfE)
	}
	near(t, "SS_A", r.SSA[0], 40.5, 1e-12)
	near(t, "SS_B", r.SSB[0], 4.5, 1e-12)
	near(t, "SS_AB", r.SSAB[0], 0.5, 1e-12)
	near(t, "SS_E", r.SSE[0], 14, 1e-12)
	near(t, "F_A", r.FA[0], 40.5/3.5, 1e-12)
	near(t, "F_B", r.FB[0], 4.5/3.5, 1e-12)
	near(t, "F_AB", r.FAB[0], 0.5/3.5, 1e-12)
	// F(1, 4) = T(4)^2: p = 2*P(T_4 > sqrt F).
	tt := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: 4}
	near(t, "p_A", r.PA[0], 2*tt.Survival(math.Sqrt(40.5/3.5)), 1e-9)
	near(t, "p_B", r.PB[0], 2*tt.Survival(math.Sqrt(4.5/3.5)), 1e-9)
	near(t, "p_AB", r.PAB[0], 2*tt.Survival(math.Sqrt(0.5/3.5)), 1e-9)
	near(t, "mean A1", r.Mean[0], 2.5, 1e-12)
	near(t, "mean A2", r.Mean[1], 7, 1e-12)
	// SD of {1,3,2,4}: var = 5/3.
	near(t, "SD A1", r.SD[0], math.Sqrt(5.0/3), 1e-12)
}

// twoPass computes the ANOVA of one unit from raw data y[i][j][k] by the
// textbook two-pass formulas.
func twoPass(y [][][]float64) (ssa, ssb, ssab, sse float64) {
	a, b, n := len(y), len(y[0]), len(y[0][0])
	grand := 0.0
	cm := make([][]float64, a)
	for i := range y {
		cm[i] = make([]float64, b)
		for j := range y[i] {
			for _, v := range y[i][j] {
				cm[i][j] += v
				grand += v
			}
			cm[i][j] /= float64(n)
		}
	}
	grand /= float64(a * b * n)
	rm := make([]float64, a)
	colm := make([]float64, b)
	for i := range y {
		for j := range y[i] {
			rm[i] += cm[i][j] / float64(b)
			colm[j] += cm[i][j] / float64(a)
		}
	}
	for i := range y {
		ssa += float64(b*n) * (rm[i] - grand) * (rm[i] - grand)
		for j := range y[i] {
			e := cm[i][j] - rm[i] - colm[j] + grand
			ssab += float64(n) * e * e
			for _, v := range y[i][j] {
				sse += (v - cm[i][j]) * (v - cm[i][j])
			}
		}
	}
	for j := range colm {
		ssb += float64(a*n) * (colm[j] - grand) * (colm[j] - grand)
	}
	return
}

// TestANOVAAgainstTwoPass compares random designs, including responses with
// a large offset and small variance, with independent two-pass code.
func TestANOVAAgainstTwoPass(t *testing.T) {
	r := rng.New(1)
	const a, b, n, units = 5, 3, 7, 6
	s, _ := NewANOVA(a, b, units)
	offsets := []float64{0, 10, 1e4, 3e4, 0, 0}
	scales := []float64{1, 0.1, 0.01, 0.05, 1, 1}
	y := make([][][][]float64, units)
	for u := range y {
		y[u] = make([][][]float64, a)
		for i := range y[u] {
			y[u][i] = make([][]float64, b)
			for j := range y[u][i] {
				y[u][i][j] = make([]float64, n)
			}
		}
	}
	resp := make([]float32, units)
	for k := 0; k < n; k++ {
		for i := 0; i < a; i++ {
			for j := 0; j < b; j++ {
				for u := range resp {
					v := offsets[u] + scales[u]*(r.Normal()+0.3*float64(i)*float64(u%2)+0.2*float64(j*(u/4)))
					resp[u] = float32(v)
					y[u][i][j][k] = float64(resp[u]) // the exact value seen by Add
				}
				if err := s.Add(j, i, resp); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	res, err := s.Result()
	if err != nil {
		t.Fatal(err)
	}
	dfE := float64(a * b * (n - 1))
	for u := 0; u < units; u++ {
		ssa, ssb, ssab, sse := twoPass(y[u])
		near(t, "SS_A", res.SSA[u], ssa, 1e-8)
		near(t, "SS_B", res.SSB[u], ssb, 1e-8)
		near(t, "SS_AB", res.SSAB[u], ssab, 1e-8)
		near(t, "SS_E", res.SSE[u], sse, 1e-9)
		fa := (ssa / (a - 1)) / (sse / dfE)
		near(t, "F_A", res.FA[u], fa, 1e-8)
		near(t, "p_A", res.PA[u], distuv.F{D1: a - 1, D2: dfE}.Survival(fa), 1e-6)
		fi := (ssab / ((a - 1) * (b - 1))) / (sse / dfE)
		near(t, "p_AB", res.PAB[u], distuv.F{D1: (a - 1) * (b - 1), D2: dfE}.Survival(fi), 1e-6)
	}
}

func TestFUpperKnownValues(t *testing.T) {
	// F(2, d2) has the closed-form tail (1 + 2f/d2)^(-d2/2).
	for _, f := range []float64{0.1, 1, 3.3158, 5.3904, 20, 100} {
		near(t, "F(2,30) tail", FUpper(f, 2, 30), math.Pow(1+2*f/30, -15), 1e-10)
	}
	// Published table values: F_0.95(2,30) = 3.32, F_0.99(2,30) = 5.39,
	// F_0.99(15,30) = 2.70, F_0.95(15,30) = 2.01.
	for _, c := range []struct{ alpha, d1, d2, want, tol float64 }{
		{0.05, 2, 30, 3.3158, 1e-4}, {0.01, 2, 30, 5.3903, 1e-4},
		{0.01, 15, 30, 2.7002, 1e-3}, {0.05, 15, 30, 2.0148, 1e-3},
	} {
		near(t, "F critical", FCritical(c.alpha, c.d1, c.d2), c.want, c.tol)
	}
	// Selection thresholds of the paper's design (16x3x50): F(15, 2352),
	// F(2, 2352), F(30, 2352). As d2 -> inf, d1*F -> chi2(d1), whose 0.99
	// quantile is 30.578 for d1 = 15, so F_crit is just above 2.0385.
	fc := FCritical(0.01, 15, 2352)
	if fc < 2.0385 || fc > 2.06 {
		t.Errorf("F_0.99(15,2352) = %g, want in [2.0385, 2.06]", fc)
	}
	near(t, "p at F_crit(15,2352)", FUpper(fc, 15, 2352), 0.01, 1e-9)
	near(t, "vs distuv quantile", fc, distuv.F{D1: 15, D2: 2352}.Quantile(0.99), 1e-7)
	// F(2, 2352) closed form at its critical value: (1+2f/2352)^-1176 = 0.01.
	f2 := FCritical(0.01, 2, 2352)
	near(t, "F(2,2352) crit", f2, 2352.0/2*(math.Pow(0.01, -1.0/1176)-1), 1e-9)
	// Tiny p values keep relative precision (1 - CDF would give 0).
	p := FUpper(200, 2, 30)
	near(t, "tiny p", p, math.Pow(1+400.0/30, -15), 1e-9)
	if FUpper(math.Inf(1), 3, 10) != 0 || FUpper(0, 3, 10) != 1 || !math.IsNaN(FUpper(math.NaN(), 3, 10)) {
		t.Error("FUpper edge cases wrong")
	}
}

func TestANOVAConstantAndInt8(t *testing.T) {
	const a, b, n = 4, 3, 3
	sf, _ := NewANOVA(a, b, 4)
	sq, _ := NewANOVA(a, b, 4)
	r := rng.New(3)
	q := make([]int8, 4)
	f := make([]float32, 4)
	const scale, zp = 0.25, -5
	for i := 0; i < a; i++ {
		for j := 0; j < b; j++ {
			for k := 0; k < n; k++ {
				q[0] = -5                    // dead ReLU: real value 0
				q[1] = 17                    // constant non-zero
				q[2] = int8(r.IntN(40) - 20) // noise
				q[3] = int8(10*i + r.IntN(3))
				for u := range q {
					f[u] = scale * float32(int32(q[u])-zp)
				}
				if err := sq.AddInt8(j, i, q, scale, zp); err != nil {
					t.Fatal(err)
				}
				if err := sf.Add(j, i, f); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	rf, _ := sf.Result()
	rq, _ := sq.Result()
	for u := 0; u < 4; u++ {
		if rf.SSE[u] != rq.SSE[u] || rf.SSA[u] != rq.SSA[u] || !(rf.PA[u] == rq.PA[u] || math.IsNaN(rf.PA[u]) && math.IsNaN(rq.PA[u])) {
			t.Errorf("unit %d: int8 path differs from float path", u)
		}
	}
	for u, want := range []bool{true, true, false, false} {
		if rq.Constant[u] != want {
			t.Errorf("unit %d: Constant = %v, want %v", u, rq.Constant[u], want)
		}
		if want && !(math.IsNaN(rq.PA[u]) && math.IsNaN(rq.PB[u]) && math.IsNaN(rq.PAB[u])) {
			t.Errorf("constant unit %d: p values %g %g %g, want NaN", u, rq.PA[u], rq.PB[u], rq.PAB[u])
		}
	}
	sel := rq.Select(0)
	if sel.Constant != 2 || sel.PN[0] != -1 {
		t.Errorf("Select: %d constant, PN[0] = %d; want 2, -1", sel.Constant, sel.PN[0])
	}
	if len(sel.Selective) != 1 || sel.Selective[0] != 3 || sel.PN[3] != a-1 {
		t.Errorf("Select: selective %v PN[3] %d, want [3] and %d", sel.Selective, sel.PN[3], a-1)
	}
}

func TestANOVAErrors(t *testing.T) {
	if _, err := NewANOVA(1, 3, 10); err == nil {
		t.Error("1 level accepted")
	}
	s, _ := NewANOVA(2, 2, 3)
	if err := s.Add(2, 0, make([]float32, 3)); err == nil {
		t.Error("set out of range accepted")
	}
	if err := s.Add(0, -1, make([]float32, 3)); err == nil {
		t.Error("negative numerosity index accepted")
	}
	if err := s.Add(0, 0, make([]float32, 2)); err == nil {
		t.Error("short response vector accepted")
	}
	for i := 0; i < 2; i++ {
		for j := 0; j < 2; j++ {
			_ = s.Add(j, i, []float32{1, 2, 3})
			_ = s.Add(j, i, []float32{1, 2, 3})
		}
	}
	_ = s.Add(0, 0, []float32{1, 2, 3})
	if _, err := s.Result(); !errors.Is(err, ErrUnbalanced) {
		t.Errorf("unbalanced design: err %v", err)
	}
	s.Reset()
	if _, err := s.Result(); !errors.Is(err, ErrUnbalanced) {
		t.Errorf("empty design: err %v", err)
	}
}

func TestANOVAAddAllocs(t *testing.T) {
	s, _ := NewANOVA(16, 3, 1000)
	resp := make([]float32, 1000)
	q := make([]int8, 1000)
	if n := testing.AllocsPerRun(20, func() {
		_ = s.Add(1, 5, resp)
		_ = s.AddInt8(2, 7, q, 0.1, 3)
	}); n != 0 {
		t.Errorf("Add/AddInt8 allocate %v times per call", n)
	}
}
