package report

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/stat"

	"github.com/numsense/numsense/model/lab/experiment"
	"github.com/numsense/numsense/model/lab/numunits"
	"github.com/numsense/numsense/model/lab/stimulus"
)

// NetSummary is what the report keeps of one network (the large responses are
// dropped as soon as a network is done).
type NetSummary struct {
	Index                                                     int
	Seeds                                                     experiment.Seeds
	Selected, NonSelective, Constant                          int
	SelectiveFraction, NonSelectiveFraction, ConstantFraction float64
	PNDist                                                    []float64
	Curves                                                    [][]float64
	Fits                                                      []numunits.CurveFit
	Weber                                                     numunits.Weber
	Stability                                                 numunits.Stability
	Tasks                                                     *experiment.Tasks
	Float                                                     *experiment.FloatComparison
	Seconds                                                   float64
}

func summarise(i int, r *experiment.Result, secs float64) NetSummary {
	return NetSummary{Index: i, Seeds: r.Seeds,
		Selected: len(r.Sel.Selective), NonSelective: len(r.Sel.NonSelective), Constant: r.Sel.Constant,
		SelectiveFraction: r.SelectiveFraction, NonSelectiveFraction: r.NonSelectiveFraction, ConstantFraction: r.ConstantFraction,
		PNDist: r.PNDist, Curves: r.Curves, Fits: r.Fits, Weber: r.Weber, Stability: r.Stability,
		Tasks: r.Tasks, Float: r.Float, Seconds: secs}
}

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
	Curves            [][]float64 // mean tuning curve per PN over networks (NaN rows skipped)
	Weber             numunits.Weber
	StabilitySame     MeanSD
	StabilityP        []float64

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
	AllSelected               bool // every network has number-selective units
	// PerRepetition is set when there were fewer than MinNetworksForTests
	// networks: the task tests then run over repetitions (unit draws) pooled
	// across networks, or over pooled trials, instead of over networks.
	PerRepetition bool
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

func aggregate(nets []NetSummary) Aggregate {
	L := len(stimulus.Numerosities)
	nums := stimulus.Numerosities
	a := Aggregate{Networks: len(nets), AllSelected: true, Prior: numunits.PriorBaseline(L)}
	col := func(f func(NetSummary) float64) []float64 {
		v := make([]float64, len(nets))
		for i, n := range nets {
			v[i] = f(n)
		}
		return v
	}
	a.SelectiveFraction = meanSD(col(func(n NetSummary) float64 { return n.SelectiveFraction }))
	a.NonSelFraction = meanSD(col(func(n NetSummary) float64 { return n.NonSelectiveFraction }))
	a.ConstantFraction = meanSD(col(func(n NetSummary) float64 { return n.ConstantFraction }))
	a.StabilitySame = meanSD(col(func(n NetSummary) float64 { return n.Stability.Same }))
	for _, n := range nets {
		if n.Selected == 0 {
			a.AllSelected = false
		}
		a.StabilityP = append(a.StabilityP, n.Stability.P)
	}
	a.PNDist = make([]MeanSD, L)
	a.Curves = make([][]float64, L)
	var fits []numunits.CurveFit
	for p := 0; p < L; p++ {
		a.PNDist[p] = meanSD(col(func(n NetSummary) float64 { return n.PNDist[p] }))
		a.Curves[p] = make([]float64, L)
		for i := 0; i < L; i++ {
			a.Curves[p][i] = meanSD(col(func(n NetSummary) float64 { return n.Curves[p][i] })).Mean
		}
	}
	for _, n := range nets {
		fits = append(fits, n.Fits...)
	}
	a.Weber = numunits.WeberFechner(fits, nums)

	if len(nets) == 0 || nets[0].Tasks == nil {
		return a
	}
	acc := func(t func(*experiment.Tasks) float64) MeanSD {
		return meanSD(col(func(n NetSummary) float64 { return t(n.Tasks) }))
	}
	mean := func(r *numunits.TaskResult) float64 {
		if r == nil {
			return math.NaN()
		}
		return r.Mean
	}
	a.CompSel = acc(func(t *experiment.Tasks) float64 { return mean(t.Selective) })
	a.CompNon = acc(func(t *experiment.Tasks) float64 { return mean(t.NonSelective) })
	a.CompPix = acc(func(t *experiment.Tasks) float64 { return mean(t.Pixels) })
	ds := map[int]bool{}
	for _, n := range nets {
		for _, d := range n.Tasks.Selective.Distance {
			ds[d.D] = true
		}
	}
	for d := range ds {
		// The protocol plots d = 2..28 in steps of 2: odd distances arise only
		// from pairs with N = 1 and would mix that level's effect in.
		if d%2 == 0 {
			a.Distances = append(a.Distances, d)
		}
	}
	sort.Ints(a.Distances)
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
	d2 := col(func(n NetSummary) float64 { return at(n.Tasks.Selective, 2) })
	a.D2P = numunits.SignRank(dropNaN(d2), 0.5, numunits.Greater)
	a.PerRepetition = len(nets) < MinNetworksForTests
	if a.PerRepetition {
		// d = 2 accuracy per repetition is not kept; fall back to a pooled
		// binomial test of the trials at d = 2.
		c, t := 0, 0
		for _, n := range nets {
			for _, d := range n.Tasks.Selective.Distance {
				if d.D == 2 {
					c, t = c+d.Correct, t+d.Total
				}
			}
		}
		a.D2P = binomUpper(c, t)
	}
	diff := col(func(n NetSummary) float64 { return mean(n.Tasks.Selective) - mean(n.Tasks.NonSelective) })
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
	a.SelOverNonP = numunits.SignRank(dropNaN(diff), 0, numunits.Greater)
	if len(nets[0].Tasks.Congruency) > 0 {
		for ci, c := range nets[0].Tasks.Congruency {
			a.Cues = append(a.Cues, c.Cue.String())
			a.IncongSel = append(a.IncongSel, acc(func(t *experiment.Tasks) float64 { return mean(t.Congruency[ci].Selective) }))
			a.IncongNon = append(a.IncongNon, acc(func(t *experiment.Tasks) float64 { return mean(t.Congruency[ci].NonSelective) }))
			// Across networks when there are enough, else across the
			// repetitions (unit draws) of all networks.
			v := col(func(n NetSummary) float64 { return mean(n.Tasks.Congruency[ci].Selective) })
			if a.PerRepetition {
				v = nil
				for _, n := range nets {
					v = append(v, n.Tasks.Congruency[ci].Selective.Acc...)
				}
			}
			a.IncongSelP = append(a.IncongSelP, numunits.SignRank(dropNaN(v), 0.5, numunits.Greater))
		}
		a.IncongPix = acc(func(t *experiment.Tasks) float64 { return mean(t.CongruencyPixels) })
	}
	return a
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
