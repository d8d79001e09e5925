package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/numsense/numsense/model/lab/experiment"
	"github.com/numsense/numsense/model/lab/numunits"
	"github.com/numsense/numsense/model/lab/report"
)

func init() {
	register(command{name: "reproduce", summary: "reproduce the papers' number-unit findings and write a report", run: cmdReproduce})
}

// reproduceNetwork, when set by a test, replaces the int8 engine.
var reproduceNetwork experiment.Network

func cmdReproduce(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("reproduce", "reproduce [--networks 3] [--images 10] [--seed 1] [--dice DIR] [--monkey FILE] -o DIR", `
Reproduces Kim et al. 2021 on untrained int8 AlexNets: for each network, the three
dot-stimulus sets select number-selective relu5 units (two-way ANOVA), then PN
distribution, PN stability, tuning curves, Gaussian fits on linear and log axes,
the Weber-Fechner regressions, the comparison task (selective, non-selective and
pixel features) and the congruent/incongruent test; on the first network also the
int8-vs-float32 selection agreement and the two decoders (on held-out stimuli and,
with --dice, on labelled photos); then the population study: the first 1..--population
networks read together, averaged over 1-4 exact views of the silhouette, with the
error and Weber fraction of each on new dot stimuli, synthetic camera scenes and the
photos, beside the human range. Writes report.md, PNG figures, CSV tables and
results.json into DIR, all at once when complete. The defaults finish in about ten
minutes on a 2-core machine; paper scale is --networks 100 --images 50 (hours; a
progress bar shows the ETA).`, stderr)
	networks := fs.Int("networks", report.DefaultNetworks, "independent untrained networks (paper: 100)")
	images := fs.Int("images", report.DefaultImages, "images per numerosity and set in each draw (paper: 50)")
	area := fs.Int("area-images", report.DefaultAreaImages, "images per (numerosity, area level) of the area-varying set (paper: 50, unverified)")
	float := fs.Int("float-images", report.DefaultFloatImages, "images per cell run through the float32 reference on network 0 (0: skip)")
	calib := fs.Int("calib-images", experiment.DefaultCalibImages, "dot images each network's int8 ranges are calibrated on")
	pairs := fs.Int("pairs", 100, "comparison pairs per sample numerosity")
	reps := fs.Int("reps", 10, "unit draws (repetitions) per task")
	seed := fs.Uint64("seed", 1, "network k has seed SEED+k")
	pop := fs.Int("population", report.DefaultPopulation, "networks the population study reads together (0: no study)")
	dice := fs.String("dice", "", "directory with labelled photos (counts.csv) to evaluate the decoders on")
	monkey := fs.String("monkey", "", "monkey reference CSV (default: the embedded table of Nieder & Merten 2007, docs/protocol.md §10)")
	threads := fs.Int("threads", 0, "engine threads (0: all cores)")
	out := fs.String("o", "", "output directory")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fmt.Fprintln(stderr, "numsense reproduce: -o DIR is required")
		return errUsage
	}
	switch {
	case *networks < 1 || *networks > 10000:
		return fmt.Errorf("--networks: %d is outside 1..10000", *networks)
	case *images < 2 || *images > 1000:
		return fmt.Errorf("--images: %d is outside 2..1000", *images)
	case *area < 1 || *area > 1000:
		return fmt.Errorf("--area-images: %d is outside 1..1000", *area)
	case *float < 0 || *float == 1:
		return fmt.Errorf("--float-images: %d (want 0, or at least 2 for the ANOVA)", *float)
	case *calib < 1 || *calib > 10000:
		return fmt.Errorf("--calib-images: %d is outside 1..10000", *calib)
	case *pairs < 1 || *reps < 1:
		return fmt.Errorf("--pairs and --reps must be positive")
	case *pop < 0 || *pop > 16:
		return fmt.Errorf("--population: %d is outside 0..16", *pop)
	}
	if *pop == 0 {
		*pop = -1 // report.Options: negative is no study
	}
	o := report.Options{Networks: *networks, Images: *images, AreaImages: *area, FloatImages: *float, CalibImages: *calib, Seed: *seed, Population: *pop,
		Dice: *dice, Monkey: *monkey, Task: numunits.TaskOpts{PairsPerSample: *pairs, Reps: *reps}, Threads: *threads,
		Progress: stderr, Command: "numsense reproduce " + strings.Join(args, " "), Network: reproduceNetwork}
	s, err := report.Run(o, *out)
	if err != nil {
		return err
	}
	a := s.Agg
	fmt.Fprintf(stdout, "wrote %s in %s: selective %.1f %% ± %.1f, R² log %.3f vs lin %.3f\n", filepath.Join(*out, "report.md"),
		s.Elapsed.Round(1e9), 100*a.SelectiveFraction.Mean, 100*a.SelectiveFraction.SD, a.Weber.R2LogMean, a.Weber.R2LinMean)
	return nil
}
