package numunits

import (
	"math"

	"gonum.org/v1/gonum/stat"
)

// TuningCurves returns one row per numerosity index p (len levels): the
// average of the levels-point mean-response vectors (mean, unit-major) of the
// listed units whose PN is p, min-max rescaled to [0, 1]. A class with no
// units, or whose average is flat, gives a row of NaN.
func TuningCurves(mean []float64, levels int, units []int, pn []int) [][]float64 {
	rows := make([][]float64, levels)
	counts := make([]int, levels)
	for p := range rows {
		rows[p] = make([]float64, levels)
	}
	for _, u := range units {
		p := pn[u]
		if p < 0 || p >= levels {
			continue
		}
		counts[p]++
		for i, v := range mean[u*levels : (u+1)*levels] {
			rows[p][i] += v
		}
	}
	for p, row := range rows {
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := range row {
			row[i] /= float64(counts[p])
			lo, hi = math.Min(lo, row[i]), math.Max(hi, row[i])
		}
		for i := range row {
			if counts[p] == 0 || !(hi > lo) {
				row[i] = math.NaN()
			} else {
				row[i] = (row[i] - lo) / (hi - lo)
			}
		}
	}
	return rows
}

// DistanceCurve is the response averaged over units as a function of the
// numerical distance ND = N - PN, for ND = MinND..MaxND.
type DistanceCurve struct {
	MinND int
	Mean  []float64 // Mean[k] at ND = MinND+k; NaN where no unit contributes
	Count []int     // units contributing at each ND
}

// DistanceCurves aligns the listed units' mean-response vectors on ND = N - PN
// (N and PN in numerosity values nums, ND from -30 to 30 for the paper's
// levels), each unit divided by its own maximum first (units whose maximum is
// not positive are skipped).
func DistanceCurves(mean []float64, nums []int, units []int, pn []int) DistanceCurve {
	levels := len(nums)
	span := nums[levels-1] - nums[0]
	dc := DistanceCurve{MinND: -span, Mean: make([]float64, 2*span+1), Count: make([]int, 2*span+1)}
	for _, u := range units {
		p := pn[u]
		if p < 0 || p >= levels {
			continue
		}
		row := mean[u*levels : (u+1)*levels]
		mx := row[argmax(row)]
		if !(mx > 0) {
			continue
		}
		for i, v := range row {
			k := nums[i] - nums[p] + span
			dc.Mean[k] += v / mx
			dc.Count[k]++
		}
	}
	for k := range dc.Mean {
		if dc.Count[k] == 0 {
			dc.Mean[k] = math.NaN()
		} else {
			dc.Mean[k] /= float64(dc.Count[k])
		}
	}
	return dc
}

// Kim's bounds on the Gaussian parameters (Weberlaw.m), the same on both axes.
const (
	MaxA = 1.5
	MaxB = 30.0
	MaxC = 100.0
	// minC stands in for the lower bound c = 0, where the model is singular.
	minC = 1e-6
)

// Bounds are the box a Gaussian fit is confined to: a in [0, AMax], b in
// [BMin, BMax], c in [CMin, CMax].
type Bounds struct {
	AMax, BMin, BMax, CMin, CMax float64
}

// KimBounds are the bounds of the authors' code (Weberlaw.m): a in [0, 1.5],
// b in [0, 30], c in [0, 100], applied unchanged on the log2 axis too, where
// b <= 30 lets the centre of a ramp run off to 2^30. Kim's T-draw figures use
// them, so that they reproduce the paper's procedure.
func KimBounds() Bounds { return Bounds{AMax: MaxA, BMin: 0, BMax: MaxB, CMin: minC, CMax: MaxC} }

// RangeBounds are bounds that mean the same on any axis x: the centre b stays
// inside the tested range [min x, max x] (1..30 on the linear axis, 0..log2 30
// on the log2 axis), and the width c may reach the same multiple of the range
// as Kim's 100 on the linear axis 1..30 (100/29 of the span). A monotonic ramp
// is then fitted with its centre at the end of the range, never outside it.
func RangeBounds(x []float64) Bounds {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range x {
		if !math.IsNaN(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	return Bounds{AMax: MaxA, BMin: lo, BMax: hi, CMin: minC, CMax: MaxC / 29 * (hi - lo)}
}

// BoundRule chooses the bounds of the fits of FitTuningCurves.
type BoundRule int

// The bound rules.
const (
	// BoundsKim: KimBounds on both axes (the paper's procedure).
	BoundsKim BoundRule = iota
	// BoundsRange: RangeBounds of each axis.
	BoundsRange
)

func (r BoundRule) bounds(x []float64) Bounds {
	if r == BoundsRange {
		return RangeBounds(x)
	}
	return KimBounds()
}

// String names the rule.
func (r BoundRule) String() string {
	if r == BoundsRange {
		return "range"
	}
	return "kim"
}

// GaussFit is a fit of y = A*exp(-((x-B)/C)^2).
type GaussFit struct {
	A, B, C float64
	Sigma   float64 // C/sqrt(2)
	R2      float64 // 1 - SSRes/SSTot, SSTot about the mean of y
	SSRes   float64
	Iter    int
	// AtBound is true when the centre B ended on a bound of the box.
	AtBound bool
}

func gauss(a, b, c, x float64) float64 {
	z := (x - b) / c
	return a * math.Exp(-z*z)
}

func (bd Bounds) clamp(p *[3]float64) {
	p[0] = math.Max(0, math.Min(bd.AMax, p[0]))
	p[1] = math.Max(bd.BMin, math.Min(bd.BMax, p[1]))
	p[2] = math.Max(bd.CMin, math.Min(bd.CMax, p[2]))
}

func ssr(p [3]float64, x, y []float64) float64 {
	s := 0.0
	for i := range x {
		d := y[i] - gauss(p[0], p[1], p[2], x[i])
		s += d * d
	}
	return s
}

// FitGauss fits y = a*exp(-((x-b)/c)^2) within KimBounds (see FitGaussIn).
func FitGauss(x, y []float64) GaussFit { return FitGaussIn(x, y, KimBounds()) }

// FitGaussIn fits y = a*exp(-((x-b)/c)^2) by Levenberg-Marquardt with the
// bounds bd enforced by projecting every trial step onto the box. The start is
// a = 1, b = the x of the largest y, c = a quarter of the x range, each clamped
// into the box. Points with NaN are ignored; fewer than 3 points give a fit of
// NaN.
func FitGaussIn(x, y []float64, bd Bounds) GaussFit {
	var xs, ys []float64
	for i := range x {
		if !math.IsNaN(x[i]) && !math.IsNaN(y[i]) {
			xs = append(xs, x[i])
			ys = append(ys, y[i])
		}
	}
	nan := math.NaN()
	if len(xs) < 3 {
		return GaussFit{A: nan, B: nan, C: nan, Sigma: nan, R2: nan, SSRes: nan}
	}
	x, y = xs, ys
	lo, hi := x[0], x[0]
	for _, v := range x {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	p := [3]float64{1, x[argmax(y)], (hi - lo) / 4}
	bd.clamp(&p)
	p, cur, iter := levenberg(p, x, y, bd)
	f := GaussFit{A: p[0], B: p[1], C: p[2], Sigma: p[2] / math.Sqrt2, SSRes: cur, Iter: iter,
		AtBound: p[1] <= bd.BMin || p[1] >= bd.BMax}
	m := stat.Mean(y, nil)
	tot := 0.0
	for _, v := range y {
		tot += (v - m) * (v - m)
	}
	f.R2 = 1 - cur/tot
	return f
}

// levenberg minimises the squared residuals of the Gaussian from p within bd;
// it returns the parameters, their SSR and the iterations run.
func levenberg(p [3]float64, x, y []float64, bd Bounds) ([3]float64, float64, int) {
	cur := ssr(p, x, y)
	lambda := 1e-3
	iter := 0
	converged := false
	for ; iter < 1000 && !converged; iter++ {
		jtj, jtr := normalEquations(p, x, y)
		improved := false
		for try := 0; try < 30; try++ {
			m := jtj
			for k := 0; k < 3; k++ {
				m[k][k] += lambda * math.Max(jtj[k][k], 1e-12)
			}
			d, ok := solve3(m, jtr)
			if !ok {
				lambda *= 10
				continue
			}
			q := [3]float64{p[0] + d[0], p[1] + d[1], p[2] + d[2]}
			bd.clamp(&q)
			s := ssr(q, x, y)
			if s < cur {
				step := math.Abs(q[0]-p[0]) + math.Abs(q[1]-p[1]) + math.Abs(q[2]-p[2])
				rel := (cur - s) / math.Max(cur, 1e-300)
				p, cur = q, s
				lambda = math.Max(lambda/10, 1e-12)
				improved = true
				converged = rel < 1e-12 || step < 1e-12
				break
			}
			lambda *= 10
		}
		if !improved {
			break
		}
	}
	return p, cur, iter
}

// normalEquations returns J'J and J'r of the Gaussian's residuals at p.
func normalEquations(p [3]float64, x, y []float64) ([3][3]float64, [3]float64) {
	var jtj [3][3]float64
	var jtr [3]float64
	for i := range x {
		z := (x[i] - p[1]) / p[2]
		e := math.Exp(-z * z)
		f := p[0] * e
		g := [3]float64{e, f * 2 * z / p[2], f * 2 * z * z / p[2]}
		r := y[i] - f
		for k := 0; k < 3; k++ {
			jtr[k] += g[k] * r
			for l := 0; l < 3; l++ {
				jtj[k][l] += g[k] * g[l]
			}
		}
	}
	return jtj, jtr
}

// solve3 solves m*d = r by Gaussian elimination with partial pivoting.
func solve3(m [3][3]float64, r [3]float64) ([3]float64, bool) {
	for c := 0; c < 3; c++ {
		piv := c
		for k := c + 1; k < 3; k++ {
			if math.Abs(m[k][c]) > math.Abs(m[piv][c]) {
				piv = k
			}
		}
		if m[piv][c] == 0 || math.IsNaN(m[piv][c]) {
			return r, false
		}
		m[c], m[piv] = m[piv], m[c]
		r[c], r[piv] = r[piv], r[c]
		for k := c + 1; k < 3; k++ {
			f := m[k][c] / m[c][c]
			for l := c; l < 3; l++ {
				m[k][l] -= f * m[c][l]
			}
			r[k] -= f * r[c]
		}
	}
	var d [3]float64
	for c := 2; c >= 0; c-- {
		s := r[c]
		for l := c + 1; l < 3; l++ {
			s -= m[c][l] * d[l]
		}
		d[c] = s / m[c][c]
	}
	return d, true
}

// CurveFit holds the Gaussian fits of one PN-averaged tuning curve.
type CurveFit struct {
	PN       int // numerosity index
	Lin, Log GaussFit
}

// FitTuningCurves fits every non-NaN row of curves (as from TuningCurves;
// row p is the PN-p class) on x = N and on x = log2 N, within the bounds of
// rule on each axis.
func FitTuningCurves(curves [][]float64, nums []int, rule BoundRule) []CurveFit {
	lin := make([]float64, len(nums))
	lg := make([]float64, len(nums))
	for i, n := range nums {
		lin[i] = float64(n)
		lg[i] = math.Log2(float64(n))
	}
	bl, bg := rule.bounds(lin), rule.bounds(lg)
	var out []CurveFit
	for p, row := range curves {
		empty := true
		for _, v := range row {
			if !math.IsNaN(v) {
				empty = false
			}
		}
		if empty {
			continue
		}
		out = append(out, CurveFit{PN: p, Lin: FitGaussIn(lin, row, bl), Log: FitGaussIn(lg, row, bg)})
	}
	return out
}

// Weber is the Weber-Fechner summary of a set of tuning-curve fits (from one
// or many networks).
type Weber struct {
	// SigmaLin and SigmaLog are the mean sigma per PN index (NaN where no fit).
	SigmaLin, SigmaLog []float64
	// LineLin and LineLog are least-squares lines of the mean sigma against
	// PN (x = N on both axes).
	LineLin, LineLog Line
	// R2Lin and R2Log are the goodness of fit, mean and standard deviation
	// over all fits.
	R2LinMean, R2LinSD, R2LogMean, R2LogSD float64
	// PairedTP and SignRankP test R2 log > R2 lin over the paired fits
	// (right-tailed paired t-test and signed-rank test).
	PairedTP, SignRankP float64
}

// WeberFechner summarises fits with numerosity values nums.
func WeberFechner(fits []CurveFit, nums []int) Weber {
	L := len(nums)
	w := Weber{SigmaLin: make([]float64, L), SigmaLog: make([]float64, L)}
	cnt := make([]int, L)
	var r2lin, r2log []float64
	for _, f := range fits {
		if f.PN < 0 || f.PN >= L {
			continue
		}
		w.SigmaLin[f.PN] += f.Lin.Sigma
		w.SigmaLog[f.PN] += f.Log.Sigma
		cnt[f.PN]++
		r2lin = append(r2lin, f.Lin.R2)
		r2log = append(r2log, f.Log.R2)
	}
	x := make([]float64, L)
	for p := range cnt {
		x[p] = float64(nums[p])
		if cnt[p] == 0 {
			w.SigmaLin[p], w.SigmaLog[p] = math.NaN(), math.NaN()
		} else {
			w.SigmaLin[p] /= float64(cnt[p])
			w.SigmaLog[p] /= float64(cnt[p])
		}
	}
	w.LineLin = FitLine(x, w.SigmaLin)
	w.LineLog = FitLine(x, w.SigmaLog)
	w.R2LinMean, w.R2LinSD = meanSD(r2lin)
	w.R2LogMean, w.R2LogSD = meanSD(r2log)
	_, _, w.PairedTP = PairedT(r2log, r2lin, Greater)
	d := make([]float64, len(r2log))
	for i := range d {
		d[i] = r2log[i] - r2lin[i]
	}
	w.SignRankP = SignRank(d, 0, Greater)
	return w
}

func meanSD(v []float64) (float64, float64) {
	if len(v) == 0 {
		return math.NaN(), math.NaN()
	}
	if len(v) == 1 {
		return v[0], math.NaN()
	}
	return stat.MeanStdDev(v, nil)
}

// FallRight returns, for every PN class row p of curves (as from TuningCurves),
// curves[p][p] - curves[p][last]: how far the class's average curve falls from
// its PN to the largest numerosity. A class tuned to its PN falls; a ramp that
// only peaks at its PN through the argmax of the draw it was chosen on falls
// on that draw and not on an independent one. NaN for the last level and for
// empty rows.
func FallRight(curves [][]float64) []float64 {
	out := make([]float64, len(curves))
	for p, row := range curves {
		out[p] = math.NaN()
		if p < len(row)-1 {
			out[p] = row[p] - row[len(row)-1]
		}
	}
	return out
}

// Inside returns the fits whose centre lies strictly inside the bounds on both
// axes: a fit whose centre ends on a bound is a ramp (or an edge-tuned curve)
// whose width says nothing about tuning, and a Weber-Fechner regression over
// such widths measures the ramps, not the tuning.
func Inside(fits []CurveFit) []CurveFit {
	var out []CurveFit
	for _, f := range fits {
		if !f.Lin.AtBound && !f.Log.AtBound && !math.IsNaN(f.Lin.B) && !math.IsNaN(f.Log.B) {
			out = append(out, f)
		}
	}
	return out
}
