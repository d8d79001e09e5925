package numunits

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Tail selects the alternative hypothesis of a test.
type Tail int

// The alternatives: the first sample (or the differences) tend to be larger
// (Greater), smaller (Less), or either (TwoSided).
const (
	TwoSided Tail = iota
	Greater
	Less
)

func tailP(z float64, t Tail) float64 {
	n := distuv.UnitNormal
	switch t {
	case Greater:
		return n.Survival(z)
	case Less:
		return n.CDF(z)
	}
	return 2 * n.Survival(math.Abs(z))
}

// midranks returns the 1-based ranks of v, ties getting their average rank,
// and the tie correction sum over tie groups of (t^3 - t).
func midranks(v []float64) (ranks []float64, ties float64) {
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return v[idx[a]] < v[idx[b]] })
	ranks = make([]float64, len(v))
	for i := 0; i < len(idx); {
		j := i + 1
		for j < len(idx) && v[idx[j]] == v[idx[i]] {
			j++
		}
		r := float64(i+j+1) / 2
		for k := i; k < j; k++ {
			ranks[idx[k]] = r
		}
		t := float64(j - i)
		ties += t*t*t - t
		i = j
	}
	return ranks, ties
}

// RankSum is the Wilcoxon rank-sum (Mann-Whitney) test of x against y with
// the normal approximation, tie and continuity corrections (the large-sample
// method of MATLAB's ranksum). Greater means x tends to be larger than y.
// It returns NaN when either sample is empty or all values are tied.
func RankSum(x, y []float64, tail Tail) float64 {
	nx, ny := float64(len(x)), float64(len(y))
	if nx == 0 || ny == 0 {
		return math.NaN()
	}
	all := append(append(make([]float64, 0, len(x)+len(y)), x...), y...)
	ranks, ties := midranks(all)
	w := 0.0
	for i := range x {
		w += ranks[i]
	}
	n := nx + ny
	mean := nx * (n + 1) / 2
	v := nx * ny / 12 * ((n + 1) - ties/(n*(n-1)))
	if v <= 0 {
		return math.NaN()
	}
	d := w - mean
	var cc float64
	switch tail {
	case Greater:
		cc = -0.5
	case Less:
		cc = 0.5
	default:
		cc = -0.5 * sign(d)
	}
	return tailP((d+cc)/math.Sqrt(v), tail)
}

func sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// SignRank is the Wilcoxon signed-rank test that the differences x[i]-mu
// are centred on 0. Zero differences are dropped. Up to 25 non-zero
// differences the p value is exact (the permutation distribution of the
// signed midranks, computed over doubled ranks); beyond that the normal
// approximation with tie correction is used. Greater means x tends to exceed
// mu. It returns NaN when no non-zero difference remains.
func SignRank(x []float64, mu float64, tail Tail) float64 {
	var d []float64
	for _, v := range x {
		if v-mu != 0 && !math.IsNaN(v) {
			d = append(d, v-mu)
		}
	}
	n := len(d)
	if n == 0 {
		return math.NaN()
	}
	abs := make([]float64, n)
	for i, v := range d {
		abs[i] = math.Abs(v)
	}
	ranks, ties := midranks(abs)
	wplus := 0.0
	for i, v := range d {
		if v > 0 {
			wplus += ranks[i]
		}
	}
	if n <= 25 {
		// Exact: distribution of the sum of a random subset of the doubled
		// ranks (integers even with midranks).
		r2 := make([]int, n)
		total := 0
		for i, r := range ranks {
			r2[i] = int(math.Round(2 * r))
			total += r2[i]
		}
		cnt := make([]float64, total+1)
		cnt[0] = 1
		for _, r := range r2 {
			for s := total; s >= r; s-- {
				cnt[s] += cnt[s-r]
			}
		}
		all := math.Pow(2, float64(n))
		w := int(math.Round(2 * wplus))
		ge, le := 0.0, 0.0
		for s, c := range cnt {
			if s >= w {
				ge += c
			}
			if s <= w {
				le += c
			}
		}
		ge /= all
		le /= all
		switch tail {
		case Greater:
			return ge
		case Less:
			return le
		}
		return math.Min(1, 2*math.Min(ge, le))
	}
	fn := float64(n)
	mean := fn * (fn + 1) / 4
	v := fn*(fn+1)*(2*fn+1)/24 - ties/48
	z := wplus - mean
	switch tail {
	case Greater:
		z -= 0.5
	case Less:
		z += 0.5
	default:
		z -= 0.5 * sign(z)
	}
	return tailP(z/math.Sqrt(v), tail)
}

// PairedT is the paired t-test of x[i]-y[i] against 0 (pairs with a NaN are
// dropped). It returns the t statistic, the degrees of freedom and the p
// value for tail (Greater: x exceeds y).
func PairedT(x, y []float64, tail Tail) (t float64, df int, p float64) {
	var d []float64
	for i := range x {
		if !math.IsNaN(x[i]) && !math.IsNaN(y[i]) {
			d = append(d, x[i]-y[i])
		}
	}
	if len(d) < 2 {
		return math.NaN(), 0, math.NaN()
	}
	m, sd := stat.MeanStdDev(d, nil)
	df = len(d) - 1
	t = m / (sd / math.Sqrt(float64(len(d))))
	st := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}
	switch tail {
	case Greater:
		p = st.Survival(t)
	case Less:
		p = st.CDF(t)
	default:
		p = 2 * st.Survival(math.Abs(t))
	}
	return t, df, p
}

// Line is a least-squares line y = Intercept + Slope*x with Pearson r and the
// two-sided p value of r (t test with n-2 degrees of freedom, as MATLAB's
// corrcoef).
type Line struct {
	Intercept, Slope, R, P float64
	N                      int
}

// FitLine fits a least-squares line to the points with finite x and y.
func FitLine(x, y []float64) Line {
	var xs, ys []float64
	for i := range x {
		if !math.IsNaN(x[i]) && !math.IsNaN(y[i]) && !math.IsInf(x[i], 0) && !math.IsInf(y[i], 0) {
			xs = append(xs, x[i])
			ys = append(ys, y[i])
		}
	}
	l := Line{N: len(xs)}
	if len(xs) < 2 {
		l.Intercept, l.Slope, l.R, l.P = math.NaN(), math.NaN(), math.NaN(), math.NaN()
		return l
	}
	l.Intercept, l.Slope = stat.LinearRegression(xs, ys, nil, false)
	l.R = stat.Correlation(xs, ys, nil)
	l.P = CorrP(l.R, len(xs))
	return l
}

// CorrP is the two-sided p value of a Pearson correlation r over n points.
func CorrP(r float64, n int) float64 {
	if n < 3 || math.IsNaN(r) {
		return math.NaN()
	}
	if math.Abs(r) >= 1 {
		return 0
	}
	df := float64(n - 2)
	t := r * math.Sqrt(df/(1-r*r))
	return 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Survival(math.Abs(t))
}
