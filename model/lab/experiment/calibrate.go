package experiment

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/decoder"
	"github.com/numsense/numsense/model/estimate"
)

// Model-file sections written by Calibrate: those the runtime reads (model/estimate
// defines them) and the calibration record.
const (
	SectionUnits       = estimate.SectionUnits
	SectionDecoder     = estimate.SectionDecoder
	SectionLikelihood  = estimate.SectionLikelihood
	SectionReadout     = estimate.SectionReadout
	SectionClasses     = estimate.SectionClasses
	SectionCalibration = "calibration" // CalibrationInfo as JSON
)

// CalibrateOpts configures Calibrate.
type CalibrateOpts struct {
	Seed        uint64      // network seed (and stimulus seed); ignored for the network when Base is set
	Images      int         // images per numerosity and set in T and V (default DefaultImages)
	CalibImages int         // quantisation images (default DefaultCalibImages)
	Base        *model.File // if set, its network is used instead of a new one (its sections are kept)
	Dice        string      // directory of labelled photos (counts.csv) to evaluate the decoders on; "" for none
	Scenes      int         // synthetic scenes per count that set the interval widths, and half as many photo-realistic ones (0: DefaultScenesPerCount; <0: none)
	Threads     int
	Progress    *Progress
	Command     string // recorded in the calibration section
	// Network replaces the engine (tests only; see Config.Network).
	Network Network
}

// CalibrationInfo is the "calibration" section: how the unit map and the
// decoders were made, and how well the decoders did.
type CalibrationInfo struct {
	Command          string  `json:"command,omitempty"`
	NetSeed          uint64  `json:"net_seed"`
	StimSeed         uint64  `json:"stim_seed"`
	Seeds            Seeds   `json:"seeds"`
	ImagesPerCell    int     `json:"images_per_cell"`
	CalibImages      int     `json:"calib_images"`
	TImages          int     `json:"t_images"`
	VImages          int     `json:"v_images"`
	LayerUnits       int     `json:"layer_units"`
	Selected         int     `json:"selected"`
	NonSelective     int     `json:"non_selective"`
	Constant         int     `json:"constant"`
	SelectedFraction float64 `json:"selected_fraction"`
	// Shapes counts the selective units by their cross-validated shape (PN from
	// T, test on V; section "unit-classes" lists them).
	Shapes         *ShapeRecord  `json:"shapes,omitempty"`
	FitSamples     int           `json:"decoder_fit_samples"`
	HeldOutSamples int           `json:"decoder_held_out_samples"`
	MinSDFrac      float64       `json:"likelihood_min_sd_frac"`
	LikelihoodTau  float64       `json:"likelihood_tau"`
	ReadoutLambda  float64       `json:"readout_lambda"`
	ReadoutSigma   float64       `json:"readout_sigma_log2"`
	Stimuli        []DecoderEval `json:"held_out_stimuli"`
	ScenesPerCount int           `json:"scenes_per_count,omitempty"`
	ScenesBefore   []DecoderEval `json:"scenes_before_widening,omitempty"`
	Scenes         []DecoderEval `json:"scenes,omitempty"`
	Dice           []DecoderEval `json:"dice,omitempty"`
	DiceDir        string        `json:"dice_dir,omitempty"`
	Chosen         string        `json:"chosen"`
	Reason         string        `json:"reason"`
}

// ShapeRecord is the calibration record of the units' shapes.
type ShapeRecord struct {
	Alpha        float64 `json:"alpha"`
	Tuned        int     `json:"tuned"`
	Decreasing   int     `json:"decreasing"`
	Increasing   int     `json:"increasing"`
	Unclassified int     `json:"unclassified"`
	Replicated   int     `json:"replicated_on_v"`
}

// MarshalJSON writes NaN metrics as null.
func (e DecoderEval) MarshalJSON() ([]byte, error) {
	f := func(v float64) any {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return v
	}
	return json.Marshal(map[string]any{"decoder": e.Decoder, "samples": e.Samples,
		"coverage_68": f(e.Coverage), "median_rel_error": f(e.MedRelErr),
		"weber_fraction": f(e.WeberFraction), "log_bias": f(e.LogBias)})
}

// CalibrationWork is the Progress total of Calibrate with o.
func CalibrationWork(o CalibrateOpts, dicePhotos int) int {
	scenes := o.Scenes
	if scenes == 0 {
		scenes = DefaultScenesPerCount
	}
	return Work(o.config()) + max(scenes, 0)*30 + PhotoScenes(max(scenes, 0)) + dicePhotos
}

func (o CalibrateOpts) config() Config {
	c := Config{NetSeed: o.Seed, StimSeed: o.Seed, Images: o.Images, AreaImages: -1, CalibImages: o.CalibImages,
		Threads: o.Threads, Progress: o.Progress, Network: o.Network}
	if o.Base != nil {
		c.QNet = o.Base.Q
	}
	return c
}

// Calibrate makes a model file: the network (new from o.Seed, or o.Base's),
// the number-unit map selected on the T draw, the units grouped by their
// cross-validated shape (section "unit-classes": PN from T, test on V), both
// decoders fitted on T and compared on V (and on the photos of o.Dice), the
// chosen one in section "decoder", and a "calibration" JSON section saying how
// and why.
func Calibrate(o CalibrateOpts) (*model.File, *CalibrationInfo, *Result, error) {
	res, err := Run(o.config())
	if err != nil {
		return nil, nil, nil, err
	}
	d, err := FitDecoders(res)
	if err != nil {
		return nil, nil, nil, err
	}
	net := o.Network
	if net == nil {
		e := model.NewEngine(res.Q, o.Threads)
		defer e.Close()
		net = e
	}
	scenes := o.Scenes
	if scenes == 0 {
		scenes = DefaultScenesPerCount
	}
	if scenes > 0 {
		ss, err := SceneSamples(net, res.Map, Derive(res.Seeds.Stim, SceneSeedStream), scenes, o.Progress)
		if err != nil {
			return nil, nil, nil, err
		}
		if err := d.WidenOnScenes(ss); err != nil {
			return nil, nil, nil, err
		}
	} else {
		scenes = 0
	}
	if o.Dice != "" {
		ev, _, err := EvalDice(o.Dice, net, res.Map, []decoder.Decoder{d.Likelihood, d.Readout}, o.Progress)
		if err != nil {
			return nil, nil, nil, err
		}
		d.SetDice(ev)
	}
	info := &CalibrationInfo{
		Command: o.Command, NetSeed: res.Seeds.Net, StimSeed: res.Seeds.Stim, Seeds: res.Seeds,
		ImagesPerCell: res.Config.Images, CalibImages: res.Config.CalibImages,
		TImages: res.T.Len(), VImages: res.V.Len(), LayerUnits: res.Map.LayerUnits,
		Selected: len(res.Map.Units), NonSelective: res.Map.NonSelective, Constant: res.Map.Constant,
		SelectedFraction: res.SelectiveFraction, FitSamples: d.FitSamples, HeldOutSamples: d.HeldOutSamples,
		MinSDFrac: MinSDFrac, LikelihoodTau: d.Likelihood.Tau, ReadoutLambda: ReadoutLambda, ReadoutSigma: d.Readout.Sigma,
		Stimuli: d.Stimuli, ScenesPerCount: scenes, ScenesBefore: d.ScenesBefore, Scenes: d.Scenes, Dice: d.Dice, DiceDir: o.Dice, Chosen: d.Chosen, Reason: d.Reason,
	}
	if o.Base != nil {
		info.CalibImages = 0 // the network came quantised
	}
	if cv := res.CV; cv != nil {
		info.Shapes = &ShapeRecord{Alpha: res.Sel.Alpha, Tuned: cv.Counts.Tuned, Decreasing: cv.Counts.Decreasing,
			Increasing: cv.Counts.Increasing, Unclassified: cv.Counts.Unclassified, Replicated: cv.Counts.Replicated}
	}
	f := &model.File{Q: res.Q, Seed: res.Seeds.Net, Sections: map[string][]byte{}}
	if o.Base != nil {
		f.Seed = o.Base.Seed
		for k, v := range o.Base.Sections {
			f.Sections[k] = v
		}
	}
	put := func(name string, b []byte, err error) error {
		if err != nil {
			return fmt.Errorf("experiment: section %s: %w", name, err)
		}
		f.Sections[name] = b
		return nil
	}
	ub, err := res.Map.MarshalBinary()
	if err := put(SectionUnits, ub, err); err != nil {
		return nil, nil, nil, err
	}
	lb, err := d.Likelihood.MarshalBinary()
	if err := put(SectionLikelihood, lb, err); err != nil {
		return nil, nil, nil, err
	}
	rb, err := d.Readout.MarshalBinary()
	if err := put(SectionReadout, rb, err); err != nil {
		return nil, nil, nil, err
	}
	cb, err := d.ChosenDecoder().MarshalBinary()
	if err := put(SectionDecoder, cb, err); err != nil {
		return nil, nil, nil, err
	}
	if res.Classes != nil {
		kb, err := res.Classes.MarshalBinary()
		if err := put(SectionClasses, kb, err); err != nil {
			return nil, nil, nil, err
		}
	} else {
		delete(f.Sections, SectionClasses) // a base model's classes belong to its old unit map
	}
	jb, err := json.MarshalIndent(info, "", "  ")
	if err := put(SectionCalibration, jb, err); err != nil {
		return nil, nil, nil, err
	}
	return f, info, res, nil
}
