package numunits

import (
	"math"

	"github.com/numsense/numsense/model/rng"
)

// SummationOpts are the parameters of Kim's summation model (docs/protocol.md
// §9, Figure5.m); zero fields take the paper's values.
type SummationOpts struct {
	Dec, Inc int     // monotonic input curves of each kind (60, 60)
	Neurons  int     // model neurons per trial (10,000)
	Trials   int     // trials (the paper: 1,000; default here 20)
	SigmaDec float64 // mean width of the decreasing curves on the log2 axis (1.94)
	SigmaInc float64 // mean width of the increasing curves (2.19)
	SigmaSD  float64 // spread of the widths (1.5)
	WeightSD float64 // weights ~ N(0, WeightSD^2) (0.0065)
	Seed     uint64
}

func (o SummationOpts) withDefaults() SummationOpts {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	deff := func(v *float64, d float64) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.Dec, 60)
	def(&o.Inc, 60)
	def(&o.Neurons, 10000)
	def(&o.Trials, 20)
	deff(&o.SigmaDec, 1.94)
	deff(&o.SigmaInc, 2.19)
	deff(&o.SigmaSD, 1.5)
	deff(&o.WeightSD, 0.0065)
	return o
}

// SummationModel is the outcome of Kim's summation model: neurons that add
// randomly weighted decreasing and increasing curves and rectify the sum.
type SummationModel struct {
	Opts SummationOpts
	// PNDist is the fraction of responsive model neurons preferring each
	// numerosity index; Silent is the fraction whose output is 0 everywhere
	// (the model's "0" bin).
	PNDist []float64
	Silent float64
	// Curves are the PN-averaged tuning curves (min-max rescaled, as
	// TuningCurves), pooled over trials.
	Curves [][]float64
	// DecMinusInc is, per PN index, the mean over neurons of (mean weight from
	// the decreasing curves - mean weight from the increasing ones).
	DecMinusInc []float64
	// Fits and Weber: Gaussian fits of Curves within RangeBounds.
	Fits  []CurveFit
	Weber Weber
}

// RunSummationModel simulates Kim's summation model on the numerosities nums:
// per trial, Dec curves exp(-(log2 N)^2 / (2 s^2)) and Inc curves
// exp(-(log2 N - log2 max)^2 / (2 s^2)) with s ~ N(SigmaDec or SigmaInc,
// SigmaSD^2) (only s^2 enters), and Neurons outputs ReLU(sum w * curve) with
// w ~ N(0, WeightSD^2); PN is each output's argmax.
func RunSummationModel(nums []int, o SummationOpts) SummationModel {
	o = o.withDefaults()
	L := len(nums)
	r := rng.New(o.Seed)
	x := make([]float64, L)
	for i, n := range nums {
		x[i] = math.Log2(float64(n))
	}
	top := x[L-1]
	nIn := o.Dec + o.Inc
	basis := make([]float64, nIn*L)
	sum := make([][]float64, L)
	for p := range sum {
		sum[p] = make([]float64, L)
	}
	count := make([]float64, L)
	dmi := make([]float64, L)
	silent, total := 0.0, 0.0
	out := make([]float64, L)
	w := make([]float64, nIn)
	for t := 0; t < o.Trials; t++ {
		for i := 0; i < nIn; i++ {
			mu, c := o.SigmaDec, 0.0
			if i >= o.Dec {
				mu, c = o.SigmaInc, top
			}
			s := mu + o.SigmaSD*r.Normal()
			for l := 0; l < L; l++ {
				d := x[l] - c
				basis[i*L+l] = math.Exp(-d * d / (2 * s * s))
			}
		}
		for k := 0; k < o.Neurons; k++ {
			var wd, wi float64
			for i := range w {
				w[i] = o.WeightSD * r.Normal()
				if i < o.Dec {
					wd += w[i]
				} else {
					wi += w[i]
				}
			}
			any := false
			for l := 0; l < L; l++ {
				v := 0.0
				for i, wv := range w {
					v += wv * basis[i*L+l]
				}
				out[l] = math.Max(0, v)
				any = any || out[l] > 0
			}
			total++
			if !any {
				silent++
				continue
			}
			p := argmax(out)
			count[p]++
			dmi[p] += wd/float64(o.Dec) - wi/float64(o.Inc)
			for l, v := range out {
				sum[p][l] += v
			}
		}
	}
	m := SummationModel{Opts: o, PNDist: make([]float64, L), Curves: make([][]float64, L), DecMinusInc: make([]float64, L),
		Silent: silent / total}
	responsive := total - silent
	for p := 0; p < L; p++ {
		m.PNDist[p] = count[p] / responsive
		m.DecMinusInc[p] = dmi[p] / count[p]
		m.Curves[p] = minMax(sum[p], count[p] > 0)
	}
	m.Fits = FitTuningCurves(m.Curves, nums, BoundsRange)
	m.Weber = WeberFechner(m.Fits, nums)
	return m
}

// minMax rescales v to [0, 1] (a row of NaN when !ok or v is flat).
func minMax(v []float64, ok bool) []float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range v {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	out := make([]float64, len(v))
	for i, x := range v {
		if !ok || !(hi > lo) {
			out[i] = math.NaN()
		} else {
			out[i] = (x - lo) / (hi - lo)
		}
	}
	return out
}

// CurveR2 is the R^2 of curve model as a prediction of curve data (1 -
// SS_res/SS_tot about data's mean, no parameter fitted; points where either is
// NaN are left out; NaN with fewer than 3 points).
func CurveR2(data, model []float64) float64 {
	var d, m []float64
	for i := range data {
		if !math.IsNaN(data[i]) && !math.IsNaN(model[i]) {
			d, m = append(d, data[i]), append(m, model[i])
		}
	}
	if len(d) < 3 {
		return math.NaN()
	}
	mean := 0.0
	for _, v := range d {
		mean += v
	}
	mean /= float64(len(d))
	var res, tot float64
	for i := range d {
		res += (d[i] - m[i]) * (d[i] - m[i])
		tot += (d[i] - mean) * (d[i] - mean)
	}
	if !(tot > 0) {
		return math.NaN()
	}
	return 1 - res/tot
}
