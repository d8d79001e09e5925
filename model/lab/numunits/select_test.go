package numunits

import (
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/numsense/numsense/model/rng"
)

func TestSelectClasses(t *testing.T) {
	const a, b, n = 16, 3, 10
	s, _ := NewANOVA(a, b, 4)
	r := rng.New(5)
	resp := make([]float32, 4)
	for i := 0; i < a; i++ {
		for j := 0; j < b; j++ {
			for k := 0; k < n; k++ {
				resp[0] = float32(5*math.Exp(-math.Pow(float64(i-6)/2, 2)) + r.Normal()) // tuned to index 6
				resp[1] = float32(2*float64(j) + r.Normal())                             // set-selective
				resp[2] = float32(3*float64((i%2)*(j%2)) + r.Normal())                   // interaction
				resp[3] = float32(1 + r.Normal())                                        // noise
				_ = s.Add(j, i, resp)
			}
		}
	}
	res, err := s.Result()
	if err != nil {
		t.Fatal(err)
	}
	sel := res.Select(0.01)
	if !slices.Contains(sel.Selective, 0) || slices.Contains(sel.Selective, 1) || slices.Contains(sel.Selective, 2) {
		t.Errorf("selective %v, want to contain 0 but not 1, 2 (p %v %v %v)", sel.Selective, res.PA, res.PB, res.PAB)
	}
	if !slices.Contains(sel.NonSelective, 1) || slices.Contains(sel.NonSelective, 2) {
		t.Errorf("non-selective %v, want to contain 1 but not 2", sel.NonSelective)
	}
	if sel.PN[0] != 6 {
		t.Errorf("PN of unit 0 = %d, want 6", sel.PN[0])
	}
	d := PNDistribution(sel.PN, []int{0, 0, 1}, a)
	if d[6] < 2.0/3-1e-12 || math.Abs(d[6]+d[sel.PN[1]]-1) > 1e-12 {
		t.Errorf("PN distribution %v", d)
	}
}

func TestArgmaxTies(t *testing.T) {
	if got := argmax([]float64{1, 3, 3, 2}); got != 1 {
		t.Errorf("argmax ties -> %d, want first (1)", got)
	}
	if got := argmax([]float64{math.NaN(), 2, 5}); got != 2 {
		t.Errorf("argmax with NaN -> %d, want 2", got)
	}
}

func TestPNStability(t *testing.T) {
	r := rng.New(9)
	const units = 400
	pnT := make([]int, units)
	pnV := make([]int, units)
	for k := range pnT {
		pnT[k] = r.IntN(16)
		pnV[k] = pnT[k]
		if r.Float64() < 0.3 {
			pnV[k] = min(15, max(0, pnT[k]+r.IntN(3)-1))
		}
	}
	st, err := PNStability(pnT, pnV, Numerosities, rng.New(1))
	if err != nil {
		t.Fatal(err)
	}
	if st.Same < 0.7 || st.Same > 0.95 || st.Corr < 0.95 || st.P > 1e-10 || st.MeanAbsDiff >= st.MeanAbsDiffShuffled {
		t.Errorf("stability %+v", st)
	}
	total := 0
	for _, c := range st.Hist {
		total += c
	}
	if total != units {
		t.Errorf("histogram holds %d units, want %d", total, units)
	}
	// Independent PNs: no better than shuffled.
	for k := range pnV {
		pnV[k] = r.IntN(16)
	}
	st, _ = PNStability(pnT, pnV, Numerosities, rng.New(2))
	if st.P < 0.01 || math.Abs(st.Corr) > 0.2 {
		t.Errorf("independent PNs look stable: %+v", st)
	}
	if _, err := PNStability(pnT, pnV[:3], Numerosities, r); err == nil {
		t.Error("length mismatch accepted")
	}
}

func TestMeanAccumulator(t *testing.T) {
	m := NewMeanAccumulator(3, 2)
	_ = m.Add(0, []float32{1, 5})
	_ = m.Add(1, []float32{3, 1})
	_ = m.Add(1, []float32{5, 1})
	_ = m.Add(2, []float32{2, 0})
	if got := m.PN([]int{0, 1}); got[0] != 1 || got[1] != 0 {
		t.Errorf("PN %v, want [1 0]", got)
	}
	if err := m.Add(3, []float32{1, 1}); err == nil {
		t.Error("bad index accepted")
	}
}

func TestSignRankExact(t *testing.T) {
	// All 5 differences positive: W+ = 15 is the largest of 2^5 sign patterns.
	near(t, "signrank all positive", SignRank([]float64{1, 2, 3, 4, 5}, 0, Greater), 1.0/32, 1e-12)
	near(t, "signrank two-sided", SignRank([]float64{1, 2, 3, 4, 5}, 0, TwoSided), 2.0/32, 1e-12)
	// W+ = 13: subsets of {1..5} summing to >= 13 are the complements of
	// {}, {1}, {2}: 3/32.
	near(t, "signrank W+=13", SignRank([]float64{1, -2, 3, 4, 5}, 0, Greater), 3.0/32, 1e-12)
	near(t, "signrank mu", SignRank([]float64{1.5, 2.5, 3.5, 4.5, 5.5}, 0.5, Greater), 1.0/32, 1e-12)
	// Large sample: normal approximation.
	r := rng.New(4)
	x := make([]float64, 200)
	for i := range x {
		x[i] = 0.5 + r.Normal()
	}
	if p := SignRank(x, 0, Greater); p > 1e-4 {
		t.Errorf("shifted sample: p = %g", p)
	}
	if p := SignRank(x, 0.5, TwoSided); p < 0.001 {
		t.Errorf("centred sample: p = %g", p)
	}
}

func TestRankSum(t *testing.T) {
	// x = {1,2,3}, y = {4,5,6}: W = 6, E = 10.5, V = 9*7/12.
	want := distuv.UnitNormal.CDF((6 - 10.5 + 0.5) / math.Sqrt(5.25))
	near(t, "ranksum less", RankSum([]float64{1, 2, 3}, []float64{4, 5, 6}, Less), want, 1e-12)
	r := rng.New(6)
	x := make([]float64, 300)
	y := make([]float64, 300)
	for i := range x {
		x[i], y[i] = r.Normal(), r.Normal()+0.5
	}
	if p := RankSum(x, y, Less); p > 1e-6 {
		t.Errorf("shifted samples: p = %g", p)
	}
	if p := RankSum(y, x, Less); p < 0.5 {
		t.Errorf("wrong tail: p = %g", p)
	}
	if !math.IsNaN(RankSum([]float64{1, 1}, []float64{1, 1}, TwoSided)) {
		t.Error("all ties: want NaN")
	}
}

func TestPairedTAndLine(t *testing.T) {
	tv, df, p := PairedT([]float64{1, 2, 3, 4}, []float64{0, 0, 0, 0}, Greater)
	near(t, "t", tv, 2.5/(math.Sqrt(5.0/3)/2), 1e-12)
	if df != 3 {
		t.Errorf("df %d", df)
	}
	near(t, "p", p, distuv.StudentsT{Mu: 0, Sigma: 1, Nu: 3}.Survival(tv), 1e-12)
	l := FitLine([]float64{0, 1, 2, 3}, []float64{2, 5, 8, 11})
	near(t, "slope", l.Slope, 3, 1e-12)
	near(t, "intercept", l.Intercept, 2, 1e-12)
	near(t, "r", l.R, 1, 1e-12)
	// r = 0.5 over 10 points: t = 0.5*sqrt(8/0.75), p two-sided.
	near(t, "CorrP", CorrP(0.5, 10), 2*distuv.StudentsT{Mu: 0, Sigma: 1, Nu: 8}.Survival(0.5*math.Sqrt(8/0.75)), 1e-12)
}

func TestOverlap(t *testing.T) {
	c, j := Overlap([]int{1, 3, 5, 7}, []int{3, 4, 5, 8, 9})
	if c != 2 || j != 2.0/7 {
		t.Errorf("Overlap = %d, %g; want 2, 2/7", c, j)
	}
	if _, j := Overlap(nil, nil); !math.IsNaN(j) {
		t.Error("empty lists: want NaN")
	}
}
