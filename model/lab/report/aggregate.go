package report

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/stat"

	"github.com/numsense/numsense/model/accuracy"
	"github.com/numsense/numsense/model/lab/experiment"
	"github.com/numsense/numsense/model/lab/numunits"
	"github.com/numsense/numsense/model/lab/stimulus"
)

// MeanSD is a mean and standard deviation over networks (sd NaN for one).
type MeanSD struct {
	Mean float64 `json:"mean"`
	SD   float64 `json:"sd"`
	N    int     `json:"n"`
}

func meanSD(v []float64) MeanSD {
	var x []float64
	for _, a := range v {
		if !math.IsNaN(a) {
			x = append(x, a)
		}
	}
	switch len(x) {
	case 0:
		return MeanSD{math.NaN(), math.NaN(), 0}
	case 1:
		return MeanSD{x[0], math.NaN(), 1}
	}
	m, s := stat.MeanStdDev(x, nil)
	return MeanSD{m, s, len(x)}
}

// Aggregate is the summary over networks.
type Aggregate struct {
	Networks          int
	SelectiveFraction MeanSD
	NonSelFraction    MeanSD
	ConstantFraction  MeanSD
	PNDist            []MeanSD    // per numerosity index
	Curves            [][]float64 // mean T-draw tuning curve per PN over networks (NaN rows skipped)
	Weber             numunits.Weber
	StabilitySame     MeanSD
	StabilityP        []float64
	AllSelected       bool // every network has number-selective units
	// PerRepetition is set when there were fewer than MinNetworksForTests
	// networks: the task tests then run over repetitions (unit draws) pooled
	// across networks, or over pooled trials, instead of over networks.
	PerRepetition bool

	CV   CVAggregate
	Fig5 *Fig5Aggregate // nil when no network has the Fig. 5 analyses
	// Model is Kim's summation model (independent of the networks) and
	// ModelR2 its agreement with the networks' V-draw curves per PN class
	// (NaN where either lacks the class); SummationR2 their mean.
	Model       numunits.SummationModel
	ModelR2     []float64
	SummationR2 float64

	// Comparison task (nil pointers when no tasks ran).
	CompSel, CompNon, CompPix MeanSD
	Prior                     float64
	Distances                 []int
	DistSel, DistNon, DistPix []MeanSD // accuracy per distance, over networks
	DistLineSel               numunits.Line
	D2P                       float64 // signed-rank p of selective accuracy at d=2 > 0.5 over networks
	SelOverNonP               float64 // signed-rank p of selective - non-selective accuracy > 0 over networks
	Cues                      []string
	IncongSel, IncongNon      []MeanSD // per cue
	IncongPix                 MeanSD   // pixels, area cue
	IncongSelP                []float64
}

// CVAggregate summarises the cross-validated analyses over networks.
type CVAggregate struct {
	// Fractions of the selective units of each shape (test on V), over networks.
	Tuned, Increasing, Decreasing, Unclassified MeanSD
	// TunedP: binomial p of all networks' tuned units among their inner-PN
	// units against the rate alpha at which monotonic units pass the test.
	TunedP float64
	Alpha  float64
	// Replicated: fraction of selective units whose numerosity effect
	// replicates on V (one-way ANOVA p < alpha), with ReplicatedP the binomial
	// p of all networks' count against alpha. PeakInner: fraction of inner-PN
	// units whose V mean at the PN exceeds both ends (no test).
	Replicated, PeakInner MeanSD
	ReplicatedP           float64
	// FallMidT and FallMidV: the fall to the right averaged over PN 12..24,
	// over networks; FallMidP the right-tailed signed-rank p of the V falls
	// of every (network, PN) in that range.
	FallMidT, FallMidV MeanSD
	FallMidP           float64
	// ShapeByPN pools the networks' counts per T-draw PN and shape.
	ShapeByPN [][4]int
	// StabilityChance is the permutation chance level of PN stability;
	// StabilityP tests Same > Chance (over networks with enough of them, else
	// the largest per-network permutation p).
	StabilityChance MeanSD
	StabilityP      float64
	// CurvesV: mean V-draw curve per T-draw PN over networks.
	CurvesV [][]float64
	// WeberV pools every network's V-draw fits (range bounds), of which
	// Inside have both centres inside the range (the others are ramps);
	// WeberTRange the T-draw curves within range bounds.
	WeberV, WeberTRange numunits.Weber
	Inside, Fits        int
	// The units that tested tuned on V, measured on the area-varying set (a
	// third draw): their mean PN-class curves, the Weber-Fechner summary of
	// all networks' fits, and the share of them whose mean there is still
	// highest at their PN than at both ends (nil curves without the area set).
	CurvesTunedW [][]float64
	WeberTunedW  numunits.Weber
	PeakW        MeanSD
	// FallRightT and FallRightV per PN index, over networks.
	FallRightT, FallRightV []MeanSD
}

// Fig5Aggregate summarises Kim's Fig. 5 analyses over networks.
type Fig5Aggregate struct {
	Networks int
	// Fractions of the layers' units classified monotonic on the area-varying
	// T draw, and the share of them with the same class on the V draw.
	Relu4Inc, Relu4Dec, Relu5Inc, Relu5Dec, Relu4Agree, Relu5Agree MeanSD
	// DecMinusInc and Shuffled per T-draw PN index: mean over networks of the
	// networks' mean over units.
	DecMinusInc, Shuffled []MeanSD
	// P4 (right-tailed, PN 4) and P24 (left-tailed, PN 24): signed-rank tests
	// of Dec - Inc against 0, over networks when there are enough, else over
	// the pooled units; P4Shuffled and P24Shuffled the same for the control.
	P4, P24, P4Shuffled, P24Shuffled float64
	PerUnit                          bool
	// ByShape is Dec - Inc pooled over units per V-draw shape (indexed by
	// numunits.Shape), with DecVsIncP the rank-sum p of decreasing > increasing.
	ByShape   [4]MeanSD
	DecVsIncP float64
	// Summation fits per V-draw shape, pooled over units: mean and sd of the
	// R^2 of the two-weight fits and of the correlations with the summed drive.
	R2Mono, R2MonoShuffled, CorrSum, CorrSumShuffled, CorrAll [4]MeanSD
	// The same over all selective units.
	R2MonoAll, R2MonoShuffledAll, CorrSumAll, CorrSumShuffledAll MeanSD
	// SumOverShuffledP: signed-rank p (pooled units) that the curves correlate
	// better with the real weights' summed drive than with the shuffled
	// control's.
	SumOverShuffledP float64
}

// MinNetworksForTests is the smallest number of networks for which the task
// tests run over networks: a one-sided signed-rank test over n values cannot
// go below 2^-n (0.125 for 3 networks).
const MinNetworksForTests = 6

// binomUpper is the one-sided p value of c or more successes in t trials with
// probability 1/2 (normal approximation with continuity correction).
func binomUpper(c, t int) float64 {
	if t == 0 {
		return math.NaN()
	}
	z := (float64(c) - 0.5 - float64(t)/2) / math.Sqrt(float64(t)/4)
	return 0.5 * math.Erfc(z/math.Sqrt2)
}

// aggregate summarises the networks in named stages; the summation model
// runs with opts.
func aggregate(nets []NetSummary, model numunits.SummationOpts) Aggregate {
	a := Aggregate{Networks: len(nets), AllSelected: true, Prior: numunits.PriorBaseline(len(stimulus.Numerosities)),
		PerRepetition: len(nets) < MinNetworksForTests}
	a.selection(nets)
	a.CV = crossValidated(nets)
	a.Fig5 = fig5(nets)
	a.summationModel(model)
	if len(nets) > 0 && nets[0].Tasks != nil {
		a.comparison(nets)
		a.congruency(nets)
	}
	return a
}

// column returns f of every network.
func column(nets []NetSummary, f func(NetSummary) float64) []float64 {
	v := make([]float64, len(nets))
	for i, n := range nets {
		v[i] = f(n)
	}
	return v
}

// selection: fractions, PN distribution, PN stability, Kim's T-draw tuning.
func (a *Aggregate) selection(nets []NetSummary) {
	L := len(stimulus.Numerosities)
	col := func(f func(NetSummary) float64) MeanSD { return meanSD(column(nets, f)) }
	a.SelectiveFraction = col(func(n NetSummary) float64 { return n.SelectiveFraction })
	a.NonSelFraction = col(func(n NetSummary) float64 { return n.NonSelectiveFraction })
	a.ConstantFraction = col(func(n NetSummary) float64 { return n.ConstantFraction })
	a.StabilitySame = col(func(n NetSummary) float64 { return n.Stability.Same })
	var fits []numunits.CurveFit
	for _, n := range nets {
		if n.Selected == 0 {
			a.AllSelected = false
		}
		a.StabilityP = append(a.StabilityP, n.Stability.P)
		fits = append(fits, n.Fits...)
	}
	a.PNDist = make([]MeanSD, L)
	for p := 0; p < L; p++ {
		a.PNDist[p] = col(func(n NetSummary) float64 { return n.PNDist[p] })
	}
	a.Curves = meanCurves(nets, func(n NetSummary) [][]float64 { return n.Curves })
	a.Weber = numunits.WeberFechner(fits, stimulus.Numerosities)
}

// meanCurves averages a curve set over the networks that have it.
func meanCurves(nets []NetSummary, get func(NetSummary) [][]float64) [][]float64 {
	L := len(stimulus.Numerosities)
	out := make([][]float64, L)
	for p := range out {
		out[p] = make([]float64, L)
		for i := range out[p] {
			out[p][i] = meanSD(column(nets, func(n NetSummary) float64 {
				c := get(n)
				if c == nil {
					return math.NaN()
				}
				return c[p][i]
			})).Mean
		}
	}
	return out
}

// crossValidated summarises the V-draw analyses.
func crossValidated(nets []NetSummary) CVAggregate {
	L := len(stimulus.Numerosities)
	var c CVAggregate
	c.Alpha = numunits.DefaultAlpha
	cvOf := func(f func(*CVSummary) float64) MeanSD {
		return meanSD(column(nets, func(n NetSummary) float64 {
			if n.CV == nil {
				return math.NaN()
			}
			return f(n.CV)
		}))
	}
	c.Tuned = cvOf(func(s *CVSummary) float64 { return s.Counts.Fraction(s.Counts.Tuned) })
	c.Increasing = cvOf(func(s *CVSummary) float64 { return s.Counts.Fraction(s.Counts.Increasing) })
	c.Decreasing = cvOf(func(s *CVSummary) float64 { return s.Counts.Fraction(s.Counts.Decreasing) })
	c.Unclassified = cvOf(func(s *CVSummary) float64 { return s.Counts.Fraction(s.Counts.Unclassified) })
	c.Replicated = cvOf(func(s *CVSummary) float64 { return s.Counts.Fraction(s.Counts.Replicated) })
	c.PeakInner = cvOf(func(s *CVSummary) float64 { return float64(s.Counts.Peak) / float64(s.Counts.Inner) })
	c.StabilityChance = meanSD(column(nets, func(n NetSummary) float64 { return n.Stability.Chance }))
	c.StabilityP = stabilityAboveChance(nets)
	c.ShapeByPN = make([][4]int, L)
	tuned, inner, repl, units := 0, 0, 0, 0
	var fitsV, fitsT, fitsW []numunits.CurveFit
	for _, n := range nets {
		if n.CV == nil {
			continue
		}
		tuned += n.CV.Counts.Tuned
		inner += n.CV.Counts.Inner
		repl += n.CV.Counts.Replicated
		units += n.CV.Counts.Units
		for p, row := range n.CV.ShapeByPN {
			for s, k := range row {
				c.ShapeByPN[p][s] += k
			}
		}
		fitsV = append(fitsV, n.CV.FitsV...)
		fitsT = append(fitsT, n.CV.FitsTRange...)
		fitsW = append(fitsW, n.CV.FitsTunedW...)
	}
	c.TunedP = numunits.BinomUpper(tuned, inner, c.Alpha)
	c.ReplicatedP = numunits.BinomUpper(repl, units, c.Alpha)
	nums := stimulus.Numerosities
	c.WeberV, c.WeberTRange, c.WeberTunedW = numunits.WeberFechner(fitsV, nums), numunits.WeberFechner(fitsT, nums), numunits.WeberFechner(fitsW, nums)
	c.Inside, c.Fits = len(numunits.Inside(fitsV)), len(fitsV)
	c.CurvesTunedW = meanCurves(nets, func(n NetSummary) [][]float64 {
		if n.CV == nil {
			return nil
		}
		return n.CV.CurvesTunedW
	})
	c.PeakW = cvOf(func(s *CVSummary) float64 {
		if s.CurvesTunedW == nil {
			return math.NaN()
		}
		return float64(s.PeakW) / float64(s.Counts.Tuned)
	})
	c.CurvesV = meanCurves(nets, func(n NetSummary) [][]float64 {
		if n.CV == nil {
			return nil
		}
		return n.CV.CurvesV
	})
	c.FallRightT, c.FallRightV = make([]MeanSD, L), make([]MeanSD, L)
	for p := 0; p < L; p++ {
		c.FallRightT[p] = cvOf(func(s *CVSummary) float64 { return s.FallRightT[p] })
		c.FallRightV[p] = cvOf(func(s *CVSummary) float64 { return s.FallRightV[p] })
	}
	c.fallMid(nets)
	return c
}

// FallMidPN are the PNs of the fall-to-the-right test: the classes whose T-draw
// curves look tuned with a one-point spike (issue 15).
var FallMidPN = []int{12, 14, 16, 18, 20, 22, 24}

func (c *CVAggregate) fallMid(nets []NetSummary) {
	var all []float64
	mid := func(v []float64) float64 {
		var x []float64
		for _, n := range FallMidPN {
			if p := indexOf(stimulus.Numerosities, n); p >= 0 && !math.IsNaN(v[p]) {
				x = append(x, v[p])
			}
		}
		return meanSD(x).Mean
	}
	var t, v []float64
	for _, n := range nets {
		if n.CV == nil {
			continue
		}
		t, v = append(t, mid(n.CV.FallRightT)), append(v, mid(n.CV.FallRightV))
		for _, x := range FallMidPN {
			if p := indexOf(stimulus.Numerosities, x); p >= 0 && !math.IsNaN(n.CV.FallRightV[p]) {
				all = append(all, n.CV.FallRightV[p])
			}
		}
	}
	c.FallMidT, c.FallMidV = meanSD(t), meanSD(v)
	c.FallMidP = numunits.SignRank(all, 0, numunits.Greater)
}

// stabilityAboveChance tests PN stability against its permutation chance: a
// signed-rank test of Same - Chance over networks when there are enough of
// them, else the largest of the networks' permutation p values.
func stabilityAboveChance(nets []NetSummary) float64 {
	if len(nets) >= MinNetworksForTests {
		d := column(nets, func(n NetSummary) float64 { return n.Stability.Same - n.Stability.Chance })
		return numunits.SignRank(dropNaN(d), 0, numunits.Greater)
	}
	p := math.NaN()
	for _, n := range nets {
		if !math.IsNaN(n.Stability.ChanceP) && !(p >= n.Stability.ChanceP) {
			p = n.Stability.ChanceP
		}
	}
	return p
}

// fig5 summarises the monotonic units, the backtracked weights and the
// summation fits (nil when no network has them).
func fig5(nets []NetSummary) *Fig5Aggregate {
	var with []NetSummary
	for _, n := range nets {
		if n.Fig5 != nil {
			with = append(with, n)
		}
	}
	if len(with) == 0 {
		return nil
	}
	f := &Fig5Aggregate{Networks: len(with), PerUnit: len(with) < MinNetworksForTests}
	f.monotonic(with)
	f.backtrack(with)
	f.summation(with)
	return f
}

func (f *Fig5Aggregate) monotonic(nets []NetSummary) {
	frac := func(get func(*Fig5Summary) float64) MeanSD {
		return meanSD(column(nets, func(n NetSummary) float64 { return get(n.Fig5) }))
	}
	f.Relu4Inc = frac(func(s *Fig5Summary) float64 { return float64(s.Relu4.Increasing) / float64(s.Relu4.Units) })
	f.Relu4Dec = frac(func(s *Fig5Summary) float64 { return float64(s.Relu4.Decreasing) / float64(s.Relu4.Units) })
	f.Relu5Inc = frac(func(s *Fig5Summary) float64 { return float64(s.Relu5.Increasing) / float64(s.Relu5.Units) })
	f.Relu5Dec = frac(func(s *Fig5Summary) float64 { return float64(s.Relu5.Decreasing) / float64(s.Relu5.Units) })
	f.Relu4Agree = frac(func(s *Fig5Summary) float64 { return float64(s.Relu4.Same) / float64(s.Relu4.Classified) })
	f.Relu5Agree = frac(func(s *Fig5Summary) float64 { return float64(s.Relu5.Same) / float64(s.Relu5.Classified) })
}

// backtrack: Dec - Inc by T-draw PN and by V-draw shape, with Kim's tests at
// PN 4 and 24.
func (f *Fig5Aggregate) backtrack(nets []NetSummary) {
	nums := stimulus.Numerosities
	L := len(nums)
	perNet := func(get func(*Fig5Summary) []float32, p int) []float64 {
		return column(nets, func(n NetSummary) float64 { return meanWhere(get(n.Fig5), n.Fig5.PN, p) })
	}
	realW := func(s *Fig5Summary) []float32 { return s.DecMinusInc }
	shufW := func(s *Fig5Summary) []float32 { return s.DecMinusIncShuffled }
	f.DecMinusInc, f.Shuffled = make([]MeanSD, L), make([]MeanSD, L)
	for p := 0; p < L; p++ {
		f.DecMinusInc[p] = meanSD(perNet(realW, p))
		f.Shuffled[p] = meanSD(perNet(shufW, p))
	}
	test := func(get func(*Fig5Summary) []float32, n int, tail numunits.Tail) float64 {
		p := indexOf(nums, n)
		if p < 0 {
			return math.NaN()
		}
		if !f.PerUnit {
			return numunits.SignRank(dropNaN(perNet(get, p)), 0, tail)
		}
		var v []float64
		for _, net := range nets {
			v = append(v, valuesWhere(get(net.Fig5), net.Fig5.PN, p)...)
		}
		return numunits.SignRank(v, 0, tail)
	}
	f.P4, f.P24 = test(realW, 4, numunits.Greater), test(realW, 24, numunits.Less)
	f.P4Shuffled, f.P24Shuffled = test(shufW, 4, numunits.Greater), test(shufW, 24, numunits.Less)
	var byShape [4][]float64
	for _, n := range nets {
		for j, s := range n.Fig5.Shape {
			if v := float64(n.Fig5.DecMinusInc[j]); !math.IsNaN(v) {
				byShape[s] = append(byShape[s], v)
			}
		}
	}
	for s := range byShape {
		f.ByShape[s] = meanSD(byShape[s])
	}
	f.DecVsIncP = numunits.RankSum(byShape[numunits.Decreasing], byShape[numunits.Increasing], numunits.Greater)
}

// summation pools the summation fits' R^2 by V-draw shape.
func (f *Fig5Aggregate) summation(nets []NetSummary) {
	var sum, shuf []float64
	for s := -1; s < 4; s++ {
		pool := func(get func(*Fig5Summary) []float32) MeanSD {
			var v []float64
			for _, n := range nets {
				for j, sh := range n.Fig5.Shape {
					if int(sh) == s || s < 0 {
						v = append(v, float64(get(n.Fig5)[j]))
					}
				}
			}
			return meanSD(v)
		}
		if s < 0 {
			f.R2MonoAll = pool(func(x *Fig5Summary) []float32 { return x.R2Mono })
			f.R2MonoShuffledAll = pool(func(x *Fig5Summary) []float32 { return x.R2MonoShuffled })
			f.CorrSumAll = pool(func(x *Fig5Summary) []float32 { return x.CorrSum })
			f.CorrSumShuffledAll = pool(func(x *Fig5Summary) []float32 { return x.CorrSumShuffled })
			continue
		}
		f.R2Mono[s] = pool(func(x *Fig5Summary) []float32 { return x.R2Mono })
		f.R2MonoShuffled[s] = pool(func(x *Fig5Summary) []float32 { return x.R2MonoShuffled })
		f.CorrSum[s] = pool(func(x *Fig5Summary) []float32 { return x.CorrSum })
		f.CorrSumShuffled[s] = pool(func(x *Fig5Summary) []float32 { return x.CorrSumShuffled })
		f.CorrAll[s] = pool(func(x *Fig5Summary) []float32 { return x.CorrAll })
	}
	for _, n := range nets {
		for j := range n.Fig5.CorrSum {
			a, b := float64(n.Fig5.CorrSum[j]), float64(n.Fig5.CorrSumShuffled[j])
			if !math.IsNaN(a) && !math.IsNaN(b) {
				sum, shuf = append(sum, a), append(shuf, b)
			}
		}
	}
	d := make([]float64, len(sum))
	for i := range d {
		d[i] = sum[i] - shuf[i]
	}
	f.SumOverShuffledP = numunits.SignRank(d, 0, numunits.Greater)
}

// summationModel runs Kim's summation model and compares its PN classes'
// curves with the networks' V-draw curves.
func (a *Aggregate) summationModel(o numunits.SummationOpts) {
	a.Model = numunits.RunSummationModel(stimulus.Numerosities, o)
	a.ModelR2 = make([]float64, len(a.Model.Curves))
	var r2 []float64
	for p := range a.ModelR2 {
		a.ModelR2[p] = numunits.CurveR2(a.CV.CurvesV[p], a.Model.Curves[p])
		if !math.IsNaN(a.ModelR2[p]) {
			r2 = append(r2, a.ModelR2[p])
		}
	}
	a.SummationR2 = meanSD(r2).Mean
}

// meanWhere is the mean of v over the entries whose pn is p (NaN values and
// no entries give NaN).
func meanWhere(v []float32, pn []int8, p int) float64 {
	return accuracy.Mean(valuesWhere(v, pn, p))
}

func valuesWhere(v []float32, pn []int8, p int) []float64 {
	var out []float64
	for j, q := range pn {
		if int(q) == p && !math.IsNaN(float64(v[j])) {
			out = append(out, float64(v[j]))
		}
	}
	return out
}

func indexOf(v []int, x int) int {
	for i, y := range v {
		if y == x {
			return i
		}
	}
	return -1
}

// comparison: the comparison task's accuracies, distance effect and tests.
func (a *Aggregate) comparison(nets []NetSummary) {
	acc := func(t func(*experiment.Tasks) float64) MeanSD {
		return meanSD(column(nets, func(n NetSummary) float64 { return t(n.Tasks) }))
	}
	a.CompSel = acc(func(t *experiment.Tasks) float64 { return taskMean(t.Selective) })
	a.CompNon = acc(func(t *experiment.Tasks) float64 { return taskMean(t.NonSelective) })
	a.CompPix = acc(func(t *experiment.Tasks) float64 { return taskMean(t.Pixels) })
	a.Distances = evenDistances(nets)
	at := func(r *numunits.TaskResult, d int) float64 {
		if r == nil {
			return math.NaN()
		}
		return r.AccAt(d)
	}
	var xs, ys []float64
	for _, d := range a.Distances {
		a.DistSel = append(a.DistSel, acc(func(t *experiment.Tasks) float64 { return at(t.Selective, d) }))
		a.DistNon = append(a.DistNon, acc(func(t *experiment.Tasks) float64 { return at(t.NonSelective, d) }))
		a.DistPix = append(a.DistPix, acc(func(t *experiment.Tasks) float64 { return at(t.Pixels, d) }))
		for _, n := range nets {
			if v := at(n.Tasks.Selective, d); !math.IsNaN(v) {
				xs, ys = append(xs, float64(d)), append(ys, v)
			}
		}
	}
	a.DistLineSel = numunits.FitLine(xs, ys)
	a.D2P = a.distance2P(nets)
	a.SelOverNonP = a.selOverNonP(nets)
}

func taskMean(r *numunits.TaskResult) float64 {
	if r == nil {
		return math.NaN()
	}
	return r.Mean
}

// evenDistances lists the distances of the networks' selective results, even
// ones only: the protocol plots d = 2..28 in steps of 2, odd distances arise
// only from pairs with N = 1 and would mix that level's effect in.
func evenDistances(nets []NetSummary) []int {
	ds := map[int]bool{}
	for _, n := range nets {
		for _, d := range n.Tasks.Selective.Distance {
			ds[d.D] = true
		}
	}
	var out []int
	for d := range ds {
		if d%2 == 0 {
			out = append(out, d)
		}
	}
	sort.Ints(out)
	return out
}

// distance2P tests selective accuracy at d = 2 against 0.5: over networks, or
// with few networks a pooled binomial test of the trials at d = 2 (the d = 2
// accuracy per repetition is not kept).
func (a *Aggregate) distance2P(nets []NetSummary) float64 {
	if !a.PerRepetition {
		d2 := column(nets, func(n NetSummary) float64 { return n.Tasks.Selective.AccAt(2) })
		return numunits.SignRank(dropNaN(d2), 0.5, numunits.Greater)
	}
	c, t := 0, 0
	for _, n := range nets {
		for _, d := range n.Tasks.Selective.Distance {
			if d.D == 2 {
				c, t = c+d.Correct, t+d.Total
			}
		}
	}
	return binomUpper(c, t)
}

// selOverNonP tests selective - non-selective accuracy > 0, over networks or
// over the repetitions of all networks.
func (a *Aggregate) selOverNonP(nets []NetSummary) float64 {
	diff := column(nets, func(n NetSummary) float64 { return taskMean(n.Tasks.Selective) - taskMean(n.Tasks.NonSelective) })
	if a.PerRepetition {
		diff = nil
		for _, n := range nets {
			if n.Tasks.NonSelective == nil {
				continue
			}
			for r := range n.Tasks.Selective.Acc {
				diff = append(diff, n.Tasks.Selective.Acc[r]-n.Tasks.NonSelective.Acc[r])
			}
		}
	}
	return numunits.SignRank(dropNaN(diff), 0, numunits.Greater)
}

// congruency: incongruent-trial accuracies per cue and their tests.
func (a *Aggregate) congruency(nets []NetSummary) {
	if len(nets[0].Tasks.Congruency) == 0 {
		return
	}
	acc := func(t func(*experiment.Tasks) float64) MeanSD {
		return meanSD(column(nets, func(n NetSummary) float64 { return t(n.Tasks) }))
	}
	for ci, c := range nets[0].Tasks.Congruency {
		a.Cues = append(a.Cues, c.Cue.String())
		a.IncongSel = append(a.IncongSel, acc(func(t *experiment.Tasks) float64 { return taskMean(t.Congruency[ci].Selective) }))
		a.IncongNon = append(a.IncongNon, acc(func(t *experiment.Tasks) float64 { return taskMean(t.Congruency[ci].NonSelective) }))
		// Across networks when there are enough, else across the
		// repetitions (unit draws) of all networks.
		v := column(nets, func(n NetSummary) float64 { return taskMean(n.Tasks.Congruency[ci].Selective) })
		if a.PerRepetition {
			v = nil
			for _, n := range nets {
				v = append(v, n.Tasks.Congruency[ci].Selective.Acc...)
			}
		}
		a.IncongSelP = append(a.IncongSelP, numunits.SignRank(dropNaN(v), 0.5, numunits.Greater))
	}
	a.IncongPix = acc(func(t *experiment.Tasks) float64 { return taskMean(t.CongruencyPixels) })
}

func dropNaN(v []float64) []float64 {
	var out []float64
	for _, x := range v {
		if !math.IsNaN(x) {
			out = append(out, x)
		}
	}
	return out
}
