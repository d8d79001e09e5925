package experiment

import (
	"errors"
	"fmt"
	"math"

	"github.com/numsense/numsense/model/accuracy"
	"github.com/numsense/numsense/model/decoder"
	"github.com/numsense/numsense/model/lab/numunits"
	"github.com/numsense/numsense/model/lab/stimulus"
	"github.com/numsense/numsense/model/unitmap"
)

// Decoder fitting defaults.
const (
	// MinSDFrac floors the likelihood decoder's standard deviations.
	MinSDFrac = 0.1
	// ReadoutLambda was the ridge penalty of the readout decoder (per sample, on
	// standardised responses) before it was chosen from ReadoutLambdas.
	ReadoutLambda = 0.1
	// HeldOutEvery puts every HeldOutEvery-th T image of each cell aside to fit
	// the likelihood decoder's temperature and the readout's interval width.
	HeldOutEvery = 5
	// NearTie is the relative difference of median errors under which two
	// decoders count as tied on held-out stimuli.
	NearTie = 0.10
)

// ReadoutLambdas are the ridge penalties the readout is fitted with; the one with
// the lowest root mean square log2 error on the held-out T images (its interval
// half-width) is kept: dot stimuli only, never V or photos. (The median relative
// error of a few hundred held-out images is too noisy to choose by: for three
// networks it preferred 3 to 1 by 0.079 to 0.080, where 192 other held-out images
// gave 0.076 against 0.067 and the root mean square error 0.205 against 0.189.)
var ReadoutLambdas = []float64{0.1, 0.3, 1, 3}

// DecoderEval is one decoder's performance on a set of samples (the figures of
// model/accuracy).
type DecoderEval struct {
	Decoder       string  `json:"decoder"`
	Samples       int     `json:"samples"`
	Coverage      float64 `json:"coverage_68"`      // share of true N inside the 68 % interval
	MedRelErr     float64 `json:"median_rel_error"` // median |estimate - N| / N
	WeberFraction float64 `json:"weber_fraction"`   // sd of ln(estimate / N)
	LogBias       float64 `json:"log_bias"`         // mean of ln(estimate / N)
}

// evalOf is a DecoderEval of figures.
func evalOf(name string, f accuracy.Figures) DecoderEval {
	return DecoderEval{Decoder: name, Samples: f.Labelled, Coverage: f.Coverage, MedRelErr: f.MedianRelErr,
		WeberFraction: f.WeberFraction, LogBias: f.LogBias}
}

// Decoders are the two decoders fitted on the T draw and their comparison.
type Decoders struct {
	Likelihood *decoder.Likelihood
	Readout    *decoder.Readout
	// FitSamples and HeldOutSamples are the T images used to fit and to set the
	// temperature / interval width.
	FitSamples, HeldOutSamples int
	// Stimuli evaluates both on the V draw (held-out stimuli), likelihood first.
	Stimuli []DecoderEval
	// Dice evaluates both on labelled photos (empty unless SetDice was called).
	Dice []DecoderEval
	// ScenesBefore and Scenes evaluate both on synthetic camera scenes before and
	// after WidenOnScenes (empty unless it was called).
	ScenesBefore, Scenes []DecoderEval
	// Chosen is the name of the chosen decoder and Reason why.
	Chosen, Reason string

	v []decoder.Sample // the V samples, to re-evaluate after widening
}

// Samples returns, for every image of r, the responses of the unit map's units
// (in the map's order) with the image's numerosity.
func Samples(m *unitmap.Map, r *numunits.Responses) ([]decoder.Sample, error) {
	idx := make([]int, len(m.Units))
	for k, u := range m.Units {
		idx[k] = u.Index
	}
	cols, err := r.Columns(idx)
	if err != nil {
		return nil, err
	}
	out := make([]decoder.Sample, r.Len())
	nums := m.Numerosities
	for i := range out {
		row := r.Row(i)
		v := make([]float32, len(cols))
		for k, c := range cols {
			v[k] = row[c]
		}
		out[i] = decoder.Sample{N: nums[r.Info[i].NumIdx], R: v}
	}
	return out, nil
}

// JointSamples returns, for every image of the draw that draw picks from each
// result (res.T or res.V), the units of every network's map in order, network 0's
// first: what a population's decoders read. The results must come from the same
// stimuli (the same stimulus seed and Images).
func JointSamples(results []*Result, draw func(*Result) *numunits.Responses) ([]decoder.Sample, error) {
	var out []decoder.Sample
	for k, res := range results {
		s, err := Samples(res.Map, draw(res))
		if err != nil {
			return nil, err
		}
		if k == 0 {
			out = s
			continue
		}
		if len(s) != len(out) {
			return nil, fmt.Errorf("experiment: network %d saw %d images, network 0 %d", k, len(s), len(out))
		}
		for i := range out {
			if s[i].N != out[i].N {
				return nil, fmt.Errorf("experiment: network %d saw other stimuli than network 0 (image %d)", k, i)
			}
			out[i].R = append(out[i].R, s[i].R...)
		}
	}
	return out, nil
}

// FitDecoders fits both decoders on the T draw only (calibration stimuli; every
// HeldOutEvery-th image of a cell is held out for the temperature and the
// interval width), evaluates both on the V draw and chooses one by the rule of
// Choose. With several results (a population: networks that saw the same
// stimuli) the decoders read the units of all of them, network 0's first.
func FitDecoders(results ...*Result) (*Decoders, error) {
	if len(results) == 0 {
		return nil, errors.New("experiment: no network to fit decoders on")
	}
	for k, res := range results {
		if res.Map == nil || len(res.Map.Units) < 2 {
			return nil, fmt.Errorf("experiment: network %d has fewer than 2 number-selective units: no decoder can be fitted", k)
		}
	}
	all, err := JointSamples(results, func(r *Result) *numunits.Responses { return r.T })
	if err != nil {
		return nil, err
	}
	v, err := JointSamples(results, func(r *Result) *numunits.Responses { return r.V })
	if err != nil {
		return nil, err
	}
	fit, held, err := splitHeld(all, results[0].Config.Images)
	if err != nil {
		return nil, err
	}
	return fitOn(fit, held, v)
}

// splitHeld splits the samples of a draw (n images per cell, in drawing order)
// into those the decoders are fitted on and those held out: every HeldOutEvery-th
// image of each cell (the last one with fewer images).
func splitHeld(all []decoder.Sample, n int) (fit, held []decoder.Sample, err error) {
	if n < 2 {
		return nil, nil, errors.New("experiment: decoders need at least 2 images per cell")
	}
	for i, s := range all {
		if heldOut(i%n, n) {
			held = append(held, s)
		} else {
			fit = append(fit, s)
		}
	}
	return fit, held, nil
}

// heldOut says whether image j of a cell of n images is held out.
func heldOut(j, n int) bool {
	return (n >= HeldOutEvery && j%HeldOutEvery == HeldOutEvery-1) || (n < HeldOutEvery && j == n-1)
}

// fitOn fits both decoders on fit; the held-out samples set the likelihood's
// temperature, the readout's interval and its ridge penalty (of ReadoutLambdas,
// the lowest root mean square error on them); both are evaluated on the V samples
// and one is chosen.
func fitOn(fit, held, v []decoder.Sample) (*Decoders, error) {
	d := &Decoders{FitSamples: len(fit), HeldOutSamples: len(held)}
	tun, err := decoder.TuningFrom(stimulus.Numerosities, fit)
	if err != nil {
		return nil, fmt.Errorf("experiment: likelihood decoder: %w", err)
	}
	if d.Likelihood, err = decoder.NewLikelihood(tun, MinSDFrac); err != nil {
		return nil, fmt.Errorf("experiment: likelihood decoder: %w", err)
	}
	if err := d.Likelihood.FitTau(held); err != nil {
		return nil, fmt.Errorf("experiment: likelihood decoder: %w", err)
	}
	for _, lambda := range ReadoutLambdas {
		r, err := decoder.NewReadout(fit, held, lambda)
		if err != nil {
			return nil, fmt.Errorf("experiment: readout decoder: %w", err)
		}
		if d.Readout == nil || r.SigmaStimuli < d.Readout.SigmaStimuli {
			d.Readout = r
		}
	}
	d.v = v
	d.Stimuli = Evaluate([]decoder.Decoder{d.Likelihood, d.Readout}, v)
	d.choose()
	return d, nil
}

// Evaluate returns the accuracy figures of each decoder on samples.
func Evaluate(ds []decoder.Decoder, samples []decoder.Sample) []DecoderEval {
	out := make([]DecoderEval, len(ds))
	for i, d := range ds {
		out[i] = evalOf(d.Name(), decoder.Evaluate(d, samples))
	}
	return out
}

// SetDice records the photo evaluation (as from EvalDice) and re-applies the
// choice rule.
func (d *Decoders) SetDice(e []DecoderEval) {
	d.Dice = e
	d.choose()
}

// ChosenDecoder returns the chosen decoder.
func (d *Decoders) ChosenDecoder() decoder.Decoder {
	if d.Chosen == d.Readout.Name() {
		return d.Readout
	}
	return d.Likelihood
}

// choose applies the rule: the lower median relative error on held-out
// stimuli (V) wins; if the two are within NearTie of each other, the coverage
// of the 68 % interval on V closer to nominal decides. Photos (SetDice) are
// recorded for the report but never decide: nothing is chosen or fitted on photos.
func (d *Decoders) choose() {
	a, b := d.Stimuli[0], d.Stimuli[1]
	lo := math.Min(a.MedRelErr, b.MedRelErr)
	tie := math.Abs(a.MedRelErr-b.MedRelErr) <= NearTie*lo
	pick := func(i int, why string) {
		d.Chosen = d.Stimuli[i].Decoder
		d.Reason = why
	}
	switch {
	case !tie && a.MedRelErr < b.MedRelErr:
		pick(0, fmt.Sprintf("lower median relative error on held-out stimuli (%.3f vs %.3f)", a.MedRelErr, b.MedRelErr))
	case !tie:
		pick(1, fmt.Sprintf("lower median relative error on held-out stimuli (%.3f vs %.3f)", b.MedRelErr, a.MedRelErr))
	case math.Abs(a.Coverage-0.68) <= math.Abs(b.Coverage-0.68):
		pick(0, fmt.Sprintf("near tie on held-out stimuli (%.3f vs %.3f); 68 %% coverage closer to nominal (%.3f vs %.3f)", a.MedRelErr, b.MedRelErr, a.Coverage, b.Coverage))
	default:
		pick(1, fmt.Sprintf("near tie on held-out stimuli (%.3f vs %.3f); 68 %% coverage closer to nominal (%.3f vs %.3f)", a.MedRelErr, b.MedRelErr, b.Coverage, a.Coverage))
	}
}
