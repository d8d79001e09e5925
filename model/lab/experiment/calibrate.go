package experiment

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/decoder"
	"github.com/numsense/numsense/model/estimate"
	"github.com/numsense/numsense/model/lab/numunits"
	"github.com/numsense/numsense/model/lab/stimulus"
	"github.com/numsense/numsense/model/population"
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
	SectionViews       = estimate.SectionViews
)

// The defaults of numsense calibrate and of the embedded model: three networks,
// the silhouette alone, and the T images under the 8 views of the square's symmetry
// group as training samples (docs/science.md: what each adds, and the cost on the
// Pi).
const (
	DefaultNetworks   = 3
	DefaultViews      = "id"
	DefaultTrainViews = "id,m,r90,r180,r270,m.r90,m.r180,m.r270"
)

// NetworkSeedStream is the Derive stream of the networks of a population: network
// k >= 1 has seed Derive(Seed, NetworkSeedStream+k), network 0 Seed itself (so a
// population of one is the network of Seed, as without --networks).
const NetworkSeedStream = 2000

// NetworkSeed is the seed of network k of the population of seed.
func NetworkSeed(seed uint64, k int) uint64 {
	if k == 0 {
		return seed
	}
	return Derive(seed, NetworkSeedStream+uint64(k))
}

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
	// Networks is the size of the population (0: one network; with Base: as many
	// as Base has). Every network is drawn from its own seed (NetworkSeed), is
	// quantised on the same dot images and selects its number units on the same
	// T draw (the stimulus seed is Seed for all); the decoders read the units of
	// all networks.
	Networks int
	// Views are the exact transforms of the silhouette whose responses are
	// averaged before decoding (model/population; nil: the silhouette alone).
	Views []population.View
	// TrainViews are views of the T images whose responses are training samples
	// of the decoders besides the images themselves: exact symmetries of the
	// stimulus sets, which multiply the training data (nil or id alone: the T
	// images only).
	TrainViews []population.View
	// Network replaces the engine of every network (tests only; see Config.Network).
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
	// Shapes counts the selective units of network 0 by their cross-validated
	// shape (PN from T, test on V; section "unit-classes" lists them).
	Shapes         *ShapeRecord `json:"shapes,omitempty"`
	FitSamples     int          `json:"decoder_fit_samples"`
	HeldOutSamples int          `json:"decoder_held_out_samples"`
	MinSDFrac      float64      `json:"likelihood_min_sd_frac"`
	LikelihoodTau  float64      `json:"likelihood_tau"`
	ReadoutLambda  float64      `json:"readout_lambda"`
	ReadoutSigma   float64      `json:"readout_sigma_log2"`
	// The intervals of exact silhouettes (held-out stimuli); the two above are
	// those of camera pictures, widened on the synthetic scenes.
	LikelihoodTauStimuli float64       `json:"likelihood_tau_stimuli,omitempty"`
	ReadoutSigmaStimuli  float64       `json:"readout_sigma_stimuli_log2,omitempty"`
	Stimuli              []DecoderEval `json:"held_out_stimuli"`
	ScenesPerCount       int           `json:"scenes_per_count,omitempty"`
	ScenesBefore         []DecoderEval `json:"scenes_before_widening,omitempty"`
	Scenes               []DecoderEval `json:"scenes,omitempty"`
	Dice                 []DecoderEval `json:"dice,omitempty"`
	DiceDir              string        `json:"dice_dir,omitempty"`
	Chosen               string        `json:"chosen"`
	Reason               string        `json:"reason"`
	// Population: every network (network 0 is also net_seed, selected, ...), the
	// number units of all of them (what the decoders read) and the views.
	Networks   []NetworkRecord `json:"networks,omitempty"`
	Units      int             `json:"units,omitempty"`
	Views      string          `json:"views,omitempty"`
	TrainViews string          `json:"train_views,omitempty"`
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

// NetworkRecord is one network of a population in the calibration record.
type NetworkRecord struct {
	Seed             uint64  `json:"seed"`
	Selected         int     `json:"selected"`
	SelectedFraction float64 `json:"selected_fraction"`
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
	k := max(1, o.Networks)
	if o.Base != nil {
		k = len(o.Base.Networks())
	}
	w := 0
	for i := 0; i < k; i++ {
		w += Work(o.config(i))
	}
	w += o.passes() * (max(scenes, 0)*sceneCounts + PhotoScenes(max(scenes, 0)) + dicePhotos)
	if o.readsAgain() {
		L, S, n := len(stimulus.Numerosities), len(stimulus.Sets), o.Images
		if n <= 0 {
			n = DefaultImages
		}
		held := 0
		for j := 0; j < n; j++ {
			if heldOut(j, n) {
				held++
			}
		}
		w += len(o.extraTrainViews()) * k * L * S * (n - held) // T under the training views
		if len(o.Views) > 0 {
			w += o.passes() * L * S * (held + n) // held-out T and V as numsense run reads them
		}
	}
	return w
}

// extraTrainViews are the training views besides the T images themselves.
func (o CalibrateOpts) extraTrainViews() []population.View {
	var out []population.View
	for _, v := range o.TrainViews {
		if v != population.Identity {
			out = append(out, v)
		}
	}
	return out
}

// readsAgain says whether the decoders need more than the responses the
// experiment stored: training views, or views to average.
func (o CalibrateOpts) readsAgain() bool { return len(o.extraTrainViews()) > 0 || len(o.Views) > 0 }

// passes is the number of network passes per silhouette: networks x views.
func (o CalibrateOpts) passes() int {
	k := max(1, o.Networks)
	if o.Base != nil {
		k = len(o.Base.Networks())
	}
	return k * max(1, len(o.Views))
}

// config is the experiment of network k.
func (o CalibrateOpts) config(k int) Config {
	c := Config{NetSeed: NetworkSeed(o.Seed, k), StimSeed: o.Seed, Images: o.Images, AreaImages: -1, CalibImages: o.CalibImages,
		Threads: o.Threads, Progress: o.Progress, Network: o.Network}
	if o.Base != nil {
		c.QNet = o.Base.Networks()[k]
	}
	return c
}

// Calibrate makes a model file: the networks (new from o.Seed, or o.Base's),
// each network's number-unit map selected on the T draw, network 0's units
// grouped by their cross-validated shape (section "unit-classes": PN from T,
// test on V), both decoders fitted on T over the units of all networks and
// compared on V (and on the photos of o.Dice), the chosen one in section
// "decoder", and a "calibration" JSON section saying how and why. The Result is
// network 0's.
func Calibrate(o CalibrateOpts) (*model.File, *CalibrationInfo, *Result, error) {
	if o.Base != nil && o.Networks > 0 && o.Networks != len(o.Base.Networks()) {
		return nil, nil, nil, fmt.Errorf("experiment: %d networks asked for, the base model has %d", o.Networks, len(o.Base.Networks()))
	}
	if o.Networks > model.MaxNetworks {
		return nil, nil, nil, fmt.Errorf("experiment: %d networks, at most %d", o.Networks, model.MaxNetworks)
	}
	results, err := o.runNetworks()
	if err != nil {
		return nil, nil, nil, err
	}
	rd, err := o.reader(results)
	if err != nil {
		return nil, nil, nil, err
	}
	defer rd.Close()
	d, err := o.fit(results, rd)
	if err != nil {
		return nil, nil, nil, err
	}
	scenes := o.Scenes
	if scenes == 0 {
		scenes = DefaultScenesPerCount
	}
	if scenes > 0 {
		ss, err := SceneSamples(rd, Derive(results[0].Seeds.Stim, SceneSeedStream), scenes, o.Progress)
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
		ev, _, err := EvalDice(o.Dice, rd, []decoder.Decoder{d.Likelihood, d.Readout}, o.Progress)
		if err != nil {
			return nil, nil, nil, err
		}
		d.SetDice(ev)
	}
	info := o.record(results, d, scenes)
	f, err := o.file(results, d, info)
	if err != nil {
		return nil, nil, nil, err
	}
	return f, info, results[0], nil
}

// runNetworks runs the experiment of every network of the population.
func (o CalibrateOpts) runNetworks() ([]*Result, error) {
	k := max(1, o.Networks)
	if o.Base != nil {
		k = len(o.Base.Networks())
	}
	results := make([]*Result, k)
	for i := range results {
		res, err := Run(o.config(i))
		if err != nil {
			return nil, fmt.Errorf("experiment: network %d: %w", i, err)
		}
		results[i] = res
	}
	return results, nil
}

// reader reads the population's units from silhouettes as numsense run will (the
// views o.Views).
func (o CalibrateOpts) reader(results []*Result) (UnitReader, error) {
	return o.readerOf(results, o.Views)
}

// readerOf reads the population's units averaged over views: model/population's
// Reader on the int8 engines, or (tests) the same sequence on the stand-in
// network.
func (o CalibrateOpts) readerOf(results []*Result, views []population.View) (UnitReader, error) {
	if o.Network != nil {
		nr := &netsReader{views: views}
		for _, r := range results {
			nr.nets = append(nr.nets, o.Network)
			nr.maps = append(nr.maps, r.Map)
		}
		return nr, nil
	}
	var ms []population.Member
	for _, r := range results {
		ms = append(ms, population.Member{Net: r.Q, Units: r.Map})
	}
	return population.New(ms, views, o.Threads)
}

// fit fits the decoders of a calibration on the T draw: the responses the
// experiments stored, and the T images under every other training view (each a
// sample of its own); their interval and ridge penalty are set on T's held-out
// images, and they are evaluated on the V draw, both read as numsense run reads
// them (rd: averaged over the views).
func (o CalibrateOpts) fit(results []*Result, rd UnitReader) (*Decoders, error) {
	if !o.readsAgain() {
		return FitDecoders(results...)
	}
	n, seeds := results[0].Config.Images, results[0].Seeds
	stored, err := JointSamples(results, func(r *Result) *numunits.Responses { return r.T })
	if err != nil {
		return nil, err
	}
	fit, held, err := splitHeld(stored, n)
	if err != nil {
		return nil, err
	}
	for _, tv := range o.extraTrainViews() {
		vr, err := o.readerOf(results, []population.View{tv})
		if err != nil {
			return nil, err
		}
		s, err := drawSamples(seeds.T, n, vr, func(j int) bool { return !heldOut(j, n) }, o.Progress)
		vr.Close()
		if err != nil {
			return nil, fmt.Errorf("experiment: T draw, view %s: %w", tv, err)
		}
		fit = append(fit, s...)
	}
	var v []decoder.Sample
	if len(o.Views) == 0 {
		v, err = JointSamples(results, func(r *Result) *numunits.Responses { return r.V })
	} else {
		if held, err = drawSamples(seeds.T, n, rd, func(j int) bool { return heldOut(j, n) }, o.Progress); err != nil {
			return nil, fmt.Errorf("experiment: T draw, held-out images: %w", err)
		}
		v, err = drawSamples(seeds.V, n, rd, nil, o.Progress)
	}
	if err != nil {
		return nil, fmt.Errorf("experiment: V draw: %w", err)
	}
	return fitOn(fit, held, v)
}

// drawSamples reads the images of a draw of sets 1-3 (n per cell, the same
// images as the experiment's draw of that seed) through rd, those with keep(image
// index within its cell) true (nil: all), in drawing order.
func drawSamples(seed uint64, n int, rd UnitReader, keep func(j int) bool, prog *Progress) ([]decoder.Sample, error) {
	var out []decoder.Sample
	img := stimulus.NewImage()
	err := forCells(seed, n, false, img, func(_, ni, j int, _ stimulus.Info) error {
		if keep != nil && !keep(j) {
			return nil
		}
		r, err := rd.Read(img)
		if err != nil {
			return err
		}
		out = append(out, decoder.Sample{N: stimulus.Numerosities[ni], R: slices.Clone(r)})
		prog.Add(rd.Passes())
		return nil
	})
	return out, err
}

// record is the "calibration" section of a calibration.
func (o CalibrateOpts) record(results []*Result, d *Decoders, scenes int) *CalibrationInfo {
	res := results[0]
	info := &CalibrationInfo{
		Command: o.Command, NetSeed: res.Seeds.Net, StimSeed: res.Seeds.Stim, Seeds: res.Seeds,
		ImagesPerCell: res.Config.Images, CalibImages: res.Config.CalibImages,
		TImages: res.T.Len(), VImages: res.V.Len(), LayerUnits: res.Map.LayerUnits,
		Selected: len(res.Map.Units), NonSelective: res.Map.NonSelective, Constant: res.Map.Constant,
		SelectedFraction: res.SelectiveFraction, FitSamples: d.FitSamples, HeldOutSamples: d.HeldOutSamples,
		MinSDFrac: MinSDFrac, LikelihoodTau: d.Likelihood.Tau, ReadoutLambda: d.Readout.Lambda, ReadoutSigma: d.Readout.Sigma,
		LikelihoodTauStimuli: d.Likelihood.TauStimuli, ReadoutSigmaStimuli: d.Readout.SigmaStimuli,
		Stimuli: d.Stimuli, ScenesPerCount: scenes, ScenesBefore: d.ScenesBefore, Scenes: d.Scenes, Dice: d.Dice, DiceDir: o.Dice, Chosen: d.Chosen, Reason: d.Reason,
	}
	if o.Base != nil {
		info.CalibImages = 0 // the network came quantised
	}
	if cv := res.CV; cv != nil {
		info.Shapes = &ShapeRecord{Alpha: res.Sel.Alpha, Tuned: cv.Counts.Tuned, Decreasing: cv.Counts.Decreasing,
			Increasing: cv.Counts.Increasing, Unclassified: cv.Counts.Unclassified, Replicated: cv.Counts.Replicated}
	}
	if len(results) > 1 || o.readsAgain() {
		for _, r := range results {
			info.Networks = append(info.Networks, NetworkRecord{Seed: r.Seeds.Net, Selected: len(r.Map.Units), SelectedFraction: r.SelectiveFraction})
			info.Units += len(r.Map.Units)
		}
		info.Views = population.Names(o.Views)
		info.TrainViews = population.Names(o.TrainViews)
	}
	return info
}

// file assembles the model file: every network, each one's unit map, the views,
// the decoders and the record.
func (o CalibrateOpts) file(results []*Result, d *Decoders, info *CalibrationInfo) (*model.File, error) {
	res := results[0]
	f := &model.File{Q: res.Q, Seed: res.Seeds.Net, Sections: map[string][]byte{}}
	if o.Base != nil {
		f.Seed = o.Base.Seed
		for k, v := range o.Base.Sections {
			if !strings.HasPrefix(k, SectionUnits+".") { // the maps are written anew below
				f.Sections[k] = v
			}
		}
	}
	for _, r := range results[1:] {
		f.Population = append(f.Population, r.Q)
	}
	put := func(name string, b []byte, err error) error {
		if err != nil {
			return fmt.Errorf("experiment: section %s: %w", name, err)
		}
		f.Sections[name] = b
		return nil
	}
	for k, r := range results {
		ub, err := r.Map.MarshalBinary()
		if err := put(estimate.SectionUnitsOf(k), ub, err); err != nil {
			return nil, err
		}
	}
	delete(f.Sections, SectionViews)
	if len(o.Views) > 0 {
		vb, err := population.MarshalViews(o.Views)
		if err := put(SectionViews, vb, err); err != nil {
			return nil, err
		}
	}
	lb, err := d.Likelihood.MarshalBinary()
	if err := put(SectionLikelihood, lb, err); err != nil {
		return nil, err
	}
	rb, err := d.Readout.MarshalBinary()
	if err := put(SectionReadout, rb, err); err != nil {
		return nil, err
	}
	cb, err := d.ChosenDecoder().MarshalBinary()
	if err := put(SectionDecoder, cb, err); err != nil {
		return nil, err
	}
	if res.Classes != nil {
		kb, err := res.Classes.MarshalBinary()
		if err := put(SectionClasses, kb, err); err != nil {
			return nil, err
		}
	} else {
		delete(f.Sections, SectionClasses) // a base model's classes belong to its old unit map
	}
	jb, err := json.MarshalIndent(info, "", "  ")
	if err := put(SectionCalibration, jb, err); err != nil {
		return nil, err
	}
	return f, nil
}
