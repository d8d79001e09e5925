package experiment

import (
	"context"
	"fmt"
	"image"
	"math"
	"slices"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/camera/frontend"
	"github.com/numsense/numsense/camera/scene"
	"github.com/numsense/numsense/model/decoder"
)

// SceneSeedStream is the Derive stream of the synthetic scenes' seed.
const SceneSeedStream = 8

// DefaultScenesPerCount is how many synthetic scenes per count (1..30) set the
// decoders' interval widths.
const DefaultScenesPerCount = 6

// SceneSamples renders perCount synthetic table scenes for every count from 1 to 30
// (camera.NewSynthetic: mixed objects, textured tables, light and shadow; no hand),
// half of them (rounded down) with camera.SyntheticOpts.Varied layouts (small
// objects, clusters in part of the view, touching neighbours) and the rest with the
// default ones (large objects well apart), and PhotoScenes(perCount) photo-realistic
// scenes of camera/scene (coins, sweets, dice, leaves and blocks on five tables,
// counts 1-30, dense arrays; seed seed+2, never the bench set's seed), takes each
// through the camera front end and the network(s) as numsense run would (rd), and returns
// the number units' responses with the true counts. These are calibration stimuli
// of our own renderers, never photos; Calibrate uses them only to widen the
// decoders' 68 % intervals so that they also cover what the front end and the
// layout of real tables add (see WidenOnScenes), not to fit the decoders.
func SceneSamples(rd UnitReader, seed uint64, perCount int, prog *Progress) ([]decoder.Sample, error) {
	fe := frontend.New(nil)
	out := make([]decoder.Sample, 0, sceneCounts*perCount+PhotoScenes(perCount))
	for k, varied := range []bool{false, true} {
		per := perCount - perCount/2
		if varied {
			per = perCount / 2
		}
		var err error
		if out, err = sceneLayout(rd, fe, seed+uint64(k), per, varied, prog, out); err != nil {
			return nil, err
		}
	}
	var err error
	if out, err = photoScenes(rd, fe, seed+2, PhotoScenes(perCount), prog, out); err != nil {
		return nil, err
	}
	if len(out) < 2 {
		return nil, fmt.Errorf("experiment: only %d synthetic scenes were not empty", len(out))
	}
	return out, nil
}

// sceneMaxCount is the largest count of SceneSamples' scenes.
const sceneMaxCount = 30

// sceneCounts is the largest count SceneSamples renders scenes of (sceneMaxCount;
// the tests lower it under emulation, where rendering a scene takes seconds).
var sceneCounts = sceneMaxCount

// sceneLayout appends to out the samples of per scenes for each count 1..sceneCounts of one
// layout (see SceneSamples).
func sceneLayout(rd UnitReader, fe *frontend.FrontEnd, seed uint64, per int, varied bool, prog *Progress, out []decoder.Sample) ([]decoder.Sample, error) {
	const settle = 3
	counts := make([]int, 0, sceneCounts*per)
	for i := 0; i < per; i++ {
		for n := 1; n <= sceneCounts; n++ {
			counts = append(counts, n)
		}
	}
	if len(counts) == 0 {
		return out, nil
	}
	o := &camera.Opts{Width: 640, Height: 480}
	o.Synthetic = camera.SyntheticOpts{Seed: seed, Every: settle, Counts: counts, Hand: -1, Varied: varied}
	src := camera.NewSynthetic(o)
	defer src.Close()
	var f camera.Frame
	for i := 0; i < len(counts)*settle; i++ {
		if err := src.Next(context.Background(), &f); err != nil {
			return nil, fmt.Errorf("experiment: synthetic scene: %w", err)
		}
		if i%settle != settle-1 {
			continue // the last frame of each scene
		}
		fe.Reset()
		res, err := fe.Process(&f)
		if err != nil {
			return nil, fmt.Errorf("experiment: synthetic scene %d: %w", i/settle, err)
		}
		if res.State == frontend.Empty {
			continue
		}
		if out, err = appendSample(rd, res.Image, f.Count, out); err != nil {
			return nil, err
		}
		prog.Add(rd.Passes())
	}
	return out, nil
}

// PhotoScenes is how many photo-realistic scenes SceneSamples adds to perCount
// synthetic scenes per count: half as many again.
func PhotoScenes(perCount int) int { return sceneCounts * perCount / 2 }

// photoScenes appends to out the samples of scenes 0..n-1 of camera/scene's set of
// seed, read from their JPEG files' pixels as numsense bench reads them.
func photoScenes(rd UnitReader, fe *frontend.FrontEnd, seed uint64, n int, prog *Progress, out []decoder.Sample) ([]decoder.Sample, error) {
	g, err := scene.New(scene.Opts{Seed: seed, MaxCount: sceneMaxCount}) // the decoders' range
	if err != nil {
		return nil, err
	}
	var f camera.Frame
	for i := 0; i < n; i++ {
		sc, img, err := g.Image(i)
		if err != nil {
			return nil, fmt.Errorf("experiment: photo-realistic scene %d: %w", i, err)
		}
		f.SetImage(img)
		fe.Forget()
		res, err := fe.Process(&f)
		if err != nil {
			return nil, fmt.Errorf("experiment: photo-realistic scene %d: %w", i, err)
		}
		prog.Add(rd.Passes())
		if res.State == frontend.Empty {
			continue
		}
		if out, err = appendSample(rd, res.Image, sc.Count, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// appendSample reads a silhouette through the network(s) and appends the number
// units' responses, with the true count n, to out.
func appendSample(rd UnitReader, sil *image.Gray, n int, out []decoder.Sample) ([]decoder.Sample, error) {
	r, err := rd.Read(sil)
	if err != nil {
		return nil, err
	}
	return append(out, decoder.Sample{N: n, R: slices.Clone(r)}), nil
}

// minTauFactor bounds how far WidenOnScenes lowers the likelihood's temperature.
const minTauFactor = 10

// WidenOnScenes widens both decoders' intervals of camera pictures where the
// scenes need it: the readout's half-width (log2 axis) becomes the larger of its
// held-out-stimulus value and the 68.27th percentile of its absolute log2 errors on
// the scenes (so that the interval holds 68 % of them; errors on scenes are
// heavy-tailed, and their root mean square would hold more); the likelihood's
// temperature becomes the smaller of its value and the one that gives 68 % coverage
// on the scenes, but not below 1/minTauFactor of its value. The intervals of exact silhouettes (ForSilhouettes: what the
// held-out stimuli measured) and the point estimates do not change. It records the
// scenes' evaluation before and after.
func (d *Decoders) WidenOnScenes(scenes []decoder.Sample) error {
	ds := []decoder.Decoder{d.Likelihood, d.Readout}
	d.ScenesBefore = Evaluate(ds, scenes)
	errs := make([]float64, len(scenes))
	for i, s := range scenes {
		e := d.Readout.Decode(s.R)
		errs[i] = math.Abs(math.Log2(e.Value) - math.Log2(float64(s.N)))
	}
	slices.Sort(errs)
	q := errs[min(len(errs)-1, int(math.Ceil(0.6827*float64(len(errs))))-1)]
	d.Readout.Sigma = math.Max(d.Readout.SigmaStimuli, q)
	tau := d.Likelihood.TauStimuli
	if err := d.Likelihood.FitTau(scenes); err != nil {
		return err
	}
	// At most a tenth of the stimuli's temperature (a posterior about three times
	// wider): below, the posterior flattens into the prior and the point estimate
	// goes with it, whatever the scenes ask for.
	d.Likelihood.Tau, d.Likelihood.TauStimuli = math.Min(tau, math.Max(d.Likelihood.Tau, tau/minTauFactor)), tau
	d.Scenes = Evaluate(ds, scenes)
	d.Stimuli = Evaluate(silhouettes(ds), d.v)
	d.choose()
	return nil
}

// silhouettes returns the decoders with the intervals of exact silhouettes.
func silhouettes(ds []decoder.Decoder) []decoder.Decoder {
	out := make([]decoder.Decoder, len(ds))
	for i, d := range ds {
		out[i] = d.ForSilhouettes()
	}
	return out
}
