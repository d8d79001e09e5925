package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/lab/experiment"
	"github.com/numsense/numsense/model/population"
)

func init() {
	register(command{name: "calibrate", summary: "select the number units and fit the decoders into a model file", run: cmdCalibrate})
}

// calibrateNetwork, when set by a test, replaces the int8 engine (see
// experiment.Config.Network).
var calibrateNetwork experiment.Network

func cmdCalibrate(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("calibrate", "calibrate [--seed 1] [--images 50] [--networks K] [--views LIST] [--model FILE] [--dice DIR] -o FILE", `
Makes a model file for numsense run: draws the untrained network of --seed (or takes
the network of --model), quantises it to int8 on representative dot stimuli, runs the
three stimulus sets of Kim et al. 2021 through the int8 network (--images per
numerosity and set, a selection draw T and a validation draw V), selects the
number-selective units of relu5 by two-way ANOVA, tests each unit's shape on V
(tuned to its PN from T, decreasing or increasing), fits both decoders on T only and
compares them on V (and on the labelled photos of --dice), and writes the network,
the unit map (section "units"), the units grouped by shape ("unit-classes": what a
display shows as units tuned to a number), the chosen decoder ("decoder"), both
decoders ("decoder.likelihood", "decoder.readout") and a JSON record of seeds, sizes
and metrics ("calibration"). The decoder with the lower median relative error on the
held-out stimuli is chosen; within 10 % of each other, the one with the coverage
nearer 68 % (the photos are reported, never used to choose).

With --networks K it does this for a population of K untrained networks (network 0
is the network of --seed, network k the one of a seed derived from it), each
selecting its own number units on the same stimuli, and fits the decoders over the
units of all of them (sections "units", "units.1", ...). --views names exact
transforms of the silhouette (m: mirror image, r90/r180/r270: quarter turns, x+N/y-N:
shifts by N pixels, joined by "."; id: as it is) whose responses are averaged before
decoding (section "views"); numsense run then runs every network on every view.
--train-views names views of the T images whose responses are training samples of
the decoders besides the images themselves (they keep the number, so they multiply
the training data; dot stimuli only, as always). The readout's ridge penalty is the
one of 0.1, 0.3, 1 and 3 with the lowest root mean square error on the held-out T
images.

The defaults are those of the embedded model: 3 networks, the silhouette alone, the
8 views of the square's symmetry group for training (about 2.5 minutes and 1.3 GB on
a 2-core x86 at --images 30; --networks 1 --train-views id is the quick single
network).`, stderr)
	seed := fs.Uint64("seed", 1, "network and stimulus seed")
	images := fs.Int("images", experiment.DefaultImages, "images per numerosity and stimulus set in each draw (paper: 50)")
	calib := fs.Int("calib-images", experiment.DefaultCalibImages, "dot images the int8 activation ranges are calibrated on")
	networks := fs.Int("networks", experiment.DefaultNetworks, "untrained networks in the population (1..16; with --model: the file's networks)")
	viewList := fs.String("views", experiment.DefaultViews, "views of the silhouette whose responses are averaged, comma-separated (id, m, r90, m.r180, x+2, ...)")
	trainList := fs.String("train-views", experiment.DefaultTrainViews, "views of the T images whose responses are also training samples of the decoders, comma-separated (id: the images alone)")
	base := fs.String("model", "", "take the network(s) from this model file instead of drawing new ones")
	dice := fs.String("dice", "", "directory with labelled photos (counts.csv) to evaluate the decoders on")
	scenes := fs.Int("scenes", experiment.DefaultScenesPerCount, "synthetic camera scenes per count 1-30 that set the interval widths (0: none)")
	threads := fs.Int("threads", 0, "engine threads (0: all cores)")
	out := fs.String("o", "", "output model file")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fmt.Fprintln(stderr, "numsense calibrate: -o FILE is required")
		return errUsage
	}
	if err := checkThreads(*threads); err != nil {
		return err
	}
	if err := model.FileKind.Check(*out); err != nil {
		return fmt.Errorf("-o: %w", err)
	}
	if *images < 2 || *images > 1000 {
		return fmt.Errorf("--images: %d is outside 2..1000", *images)
	}
	if *calib < 1 || *calib > 10000 {
		return fmt.Errorf("--calib-images: %d is outside 1..10000", *calib)
	}
	if *scenes < 0 || *scenes > 100 {
		return fmt.Errorf("--scenes: %d is outside 0..100", *scenes)
	}
	nScenes := *scenes
	if nScenes == 0 {
		nScenes = -1 // CalibrateOpts: none
	}
	if *networks < 1 || *networks > model.MaxNetworks {
		return fmt.Errorf("--networks: %d is outside 1..%d", *networks, model.MaxNetworks)
	}
	views, err := population.ParseViews(*viewList)
	if err != nil {
		return fmt.Errorf("--views: %w", err)
	}
	if len(views) == 1 && views[0] == population.Identity {
		views = nil // the silhouette alone: no section "views"
	}
	train, err := population.ParseViews(*trainList)
	if err != nil {
		return fmt.Errorf("--train-views: %w", err)
	}
	o := experiment.CalibrateOpts{Seed: *seed, Images: *images, CalibImages: *calib, Scenes: nScenes, Dice: *dice, Threads: *threads,
		Networks: *networks, Views: views, TrainViews: train, Network: calibrateNetwork, Command: "numsense calibrate " + strings.Join(args, " ")}
	if *base != "" {
		f, err := model.Load(*base)
		if err != nil {
			return fmt.Errorf("--model: %w", err)
		}
		o.Base = f
		set := false
		fs.Visit(func(f *flag.Flag) { set = set || f.Name == "networks" })
		if n := len(f.Networks()); set && n != *networks {
			return fmt.Errorf("--networks %d: the model file %s holds %d networks", *networks, *base, n)
		}
		o.Networks = len(f.Networks())
	}
	photos := 0
	if *dice != "" {
		rows, err := camera.ReadCounts(filepath.Join(*dice, camera.CountsFile))
		if err != nil {
			return fmt.Errorf("--dice: %w", err)
		}
		photos = len(rows)
	}
	o.Progress = experiment.NewProgress(stderr, "calibrate", experiment.CalibrationWork(o, photos))
	f, info, _, err := experiment.Calibrate(o)
	o.Progress.Finish()
	if err != nil {
		return err
	}
	if err := model.Save(*out, f); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: %d number-selective units of %d (%.1f %%), decoder %s (%s)\n",
		*out, info.Selected, info.LayerUnits, 100*info.SelectedFraction, info.Chosen, info.Reason)
	if len(info.Networks) > 0 {
		fmt.Fprintf(stdout, "  population: %d networks, %d number units in all, views %s\n", len(info.Networks), info.Units, info.Views)
	}
	for _, e := range info.Stimuli {
		fmt.Fprintf(stdout, "  held-out stimuli, %-10s coverage %.3f, median relative error %.3f (%d images)\n", e.Decoder, e.Coverage, e.MedRelErr, e.Samples)
	}
	for _, e := range info.Dice {
		fmt.Fprintf(stdout, "  dice photos,      %-10s coverage %.3f, median relative error %.3f (%d photos)\n", e.Decoder, e.Coverage, e.MedRelErr, e.Samples)
	}
	return nil
}
