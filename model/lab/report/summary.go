package report

import (
	"github.com/numsense/numsense/model/lab/experiment"
	"github.com/numsense/numsense/model/lab/numunits"
)

// NetSummary is what the report keeps of one network (the large responses are
// dropped as soon as a network is done). It is what a shard writes into its
// part file, so everything the report shows of a network must be in it.
type NetSummary struct {
	Index                                                     int
	Seeds                                                     experiment.Seeds
	Selected, NonSelective, Constant                          int
	SelectiveFraction, NonSelectiveFraction, ConstantFraction float64
	PNDist                                                    []float64
	// Kim's procedure on the T draw (PN, curves and fits on the same data,
	// Kim's bounds).
	Curves    [][]float64
	Fits      []numunits.CurveFit
	Weber     numunits.Weber
	Stability numunits.Stability
	// Cross-validated (PN from T, everything else on V); nil without
	// selective units.
	CV    *CVSummary
	Fig5  *Fig5Summary
	Tasks *experiment.Tasks
	Float *experiment.FloatComparison
	// Seconds is the network's wall time, StageSeconds that of each stage of
	// experiment.Run (timing fields; the report shows only Seconds).
	Seconds      float64
	StageSeconds map[string]float64
}

// CVSummary is the part of experiment.CrossValidated a report needs.
type CVSummary struct {
	CurvesV                [][]float64
	FitsV, FitsTRange      []numunits.CurveFit
	WeberV, WeberTRange    numunits.Weber
	FallRightT, FallRightV []float64
	Counts                 numunits.ShapeCounts
	ShapeByPN              [][4]int
	TunedP                 float64
	// The V-tuned units on the area-varying set (experiment.CrossValidated).
	CurvesTunedW [][]float64
	FitsTunedW   []numunits.CurveFit
	PeakW        int
}

// Fig5Summary keeps, per selective unit, what the Fig. 5 aggregates need
// (float32: a few hundred kilobytes per network).
type Fig5Summary struct {
	Relu4, Relu5 experiment.MonotonicCounts
	// PN (T-draw PN index) and Shape (numunits.Shape on V) of each selective unit.
	PN, Shape []int8
	// DecMinusInc and DecMinusIncShuffled are the backtracked weights.
	DecMinusInc, DecMinusIncShuffled []float32
	// R^2 and correlations of the summation fits (experiment.Fig5).
	R2Mono, R2MonoShuffled, CorrSum, CorrSumShuffled, CorrAll []float32
}

// DecoderSummary is what the report shows of the decoders of network 0.
type DecoderSummary struct {
	FitSamples, HeldOutSamples int
	Stimuli, Dice              []experiment.DecoderEval
	Chosen, Reason             string
}

func summarise(i int, r *experiment.Result, secs float64) NetSummary {
	n := NetSummary{Index: i, Seeds: r.Seeds,
		Selected: len(r.Sel.Selective), NonSelective: len(r.Sel.NonSelective), Constant: r.Sel.Constant,
		SelectiveFraction: r.SelectiveFraction, NonSelectiveFraction: r.NonSelectiveFraction, ConstantFraction: r.ConstantFraction,
		PNDist: r.PNDist, Curves: r.Curves, Fits: r.Fits, Weber: r.Weber, Stability: r.Stability,
		Tasks: r.Tasks, Float: r.Float, Seconds: secs, StageSeconds: map[string]float64{}}
	for k, v := range r.Timing {
		n.StageSeconds[k] = v.Seconds()
	}
	if cv := r.CV; cv != nil {
		n.CV = &CVSummary{CurvesV: cv.CurvesV, FitsV: cv.FitsV, FitsTRange: cv.FitsTRange, WeberV: cv.WeberV, WeberTRange: cv.WeberTRange,
			FallRightT: cv.FallRightT, FallRightV: cv.FallRightV, Counts: cv.Counts, ShapeByPN: cv.ShapeByPN, TunedP: cv.TunedP,
			CurvesTunedW: cv.CurvesTunedW, FitsTunedW: cv.FitsTunedW, PeakW: cv.PeakW}
	}
	if f := r.Fig5; f != nil {
		k := len(r.Sel.Selective)
		fs := &Fig5Summary{Relu4: f.Relu4, Relu5: f.Relu5, PN: make([]int8, k), Shape: make([]int8, k),
			DecMinusInc: make([]float32, k), DecMinusIncShuffled: make([]float32, k)}
		for j, u := range r.Sel.Selective {
			fs.PN[j] = int8(r.Sel.PN[u])
			fs.Shape[j] = int8(r.CV.Shapes[j].Shape)
			fs.DecMinusInc[j] = float32(f.Back[j].DecMinusInc())
			fs.DecMinusIncShuffled[j] = float32(f.BackShuffled[j].DecMinusInc())
		}
		fs.R2Mono, fs.R2MonoShuffled, fs.CorrSum, fs.CorrSumShuffled, fs.CorrAll = f32(f.R2Mono), f32(f.R2MonoShuffled), f32(f.CorrSum), f32(f.CorrSumShuffled), f32(f.CorrAll)
		n.Fig5 = fs
	}
	return n
}

func f32(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}

func summariseDecoders(d *experiment.Decoders) *DecoderSummary {
	if d == nil {
		return nil
	}
	return &DecoderSummary{FitSamples: d.FitSamples, HeldOutSamples: d.HeldOutSamples, Stimuli: d.Stimuli, Dice: d.Dice, Chosen: d.Chosen, Reason: d.Reason}
}
