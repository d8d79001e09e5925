package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/numsense/numsense/model/lab/experiment"
	"github.com/numsense/numsense/model/lab/numunits"
	"github.com/numsense/numsense/model/lab/report"
)

func init() {
	register(command{name: "reproduce", summary: "reproduce the papers' number-unit findings and write a report", run: cmdReproduce})
}

// reproduceNetwork, when set by a test, makes the network that replaces the int8
// engine (a new one per call, so that concurrent calls share no state).
var reproduceNetwork func() experiment.Network

func cmdReproduce(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "merge" {
		return cmdReproduceMerge(args[1:], stdout, stderr)
	}
	fs := newFlags("reproduce", "reproduce [--networks 3] [--images 10] [--seed 1] [--dice DIR] [--monkey FILE] [--shard I/N] -o DIR|PART\n       numsense reproduce merge PART... -o DIR", `
Reproduces Kim et al. 2021 on untrained int8 AlexNets: for each network, the three
dot-stimulus sets select number-selective relu5 units (two-way ANOVA) on a selection
draw T, then PN distribution, PN stability, tuning curves, Gaussian fits on linear
and log axes and the Weber-Fechner regressions, twice: as Kim's procedure on T, and
cross-validated with the PN from T and every curve, fit and shape test on the
independent draw V (decreasing, increasing or tuned units). On the area-varying set
it finds the monotonic relu4 and relu5 units, backtracks the selective units to them
through conv5's weights and fits the summation model (Kim Fig. 5); then the
comparison task (selective, non-selective and pixel features) and the
congruent/incongruent test; on the first network also the int8-vs-float32 selection
agreement and the two decoders (on held-out stimuli and, with --dice, on labelled
photos); then the population study: the first 1..--population networks read
together, averaged over 1-4 exact views of the silhouette, with the error and Weber
fraction of each on new dot stimuli, synthetic camera scenes and the photos, beside
the human range. Writes report.md, PNG figures, CSV tables and results.json into DIR, all
at once when complete. The defaults finish in about ten minutes on a 2-core machine;
paper scale is --networks 100 --images 50 --area-images 50 (about 5 CPU-hours:
shard it, below; a progress bar shows the ETA).

With --shard I/N only networks [I*networks/N, (I+1)*networks/N) run (I counts from
0) and -o names a part file; "numsense reproduce merge" then writes the report of all
parts, the same as one run would (docs/cluster.md: Slurm and Kubernetes).`, stderr)
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
	summation := fs.Int("summation-trials", report.DefaultSummationTrials, "trials of Kim's summation model, 10,000 model neurons each (paper: 1000)")
	shard := fs.String("shard", "", "run only shard I of N (I/N, I from 0) and write a part file to -o")
	out := fs.String("o", "", "output directory (with --shard: part file)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "numsense reproduce: -o DIR is required and no arguments are taken (did you mean \"reproduce merge\"?)")
		return errUsage
	}
	if err := checkThreads(*threads); err != nil {
		return err
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
	case *summation < 1 || *summation > 100000:
		return fmt.Errorf("--summation-trials: %d is outside 1..100000", *summation)
	case *pop < 0 || *pop > 16:
		return fmt.Errorf("--population: %d is outside 0..16", *pop)
	}
	if *pop == 0 {
		*pop = -1 // report.Options: negative is no study
	}
	o := report.Options{Networks: *networks, Images: *images, AreaImages: *area, FloatImages: *float, CalibImages: *calib, Seed: *seed, Population: *pop,
		Dice: *dice, Monkey: *monkey, Task: numunits.TaskOpts{PairsPerSample: *pairs, Reps: *reps}, SummationTrials: *summation,
		Threads: *threads, Progress: stderr}
	if reproduceNetwork != nil {
		o.Network = reproduceNetwork()
	}
	if *shard != "" {
		i, n, err := parseShard(*shard, *networks)
		if err != nil {
			return err
		}
		p, err := report.RunShard(o, i, n, *out)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s: shard %d/%d, networks %d..%d in %.0f s\n", *out, i, n, p.First, p.First+len(p.Nets)-1, p.Seconds)
		return nil
	}
	s, err := report.Run(o, *out)
	if err != nil {
		return err
	}
	printSummary(stdout, s, *out)
	return nil
}

// parseShard reads "I/N" with 0 <= I < N <= networks.
func parseShard(v string, networks int) (int, int, error) {
	a, b, ok := strings.Cut(v, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || i < 0 || n < 1 || i >= n {
		return 0, 0, fmt.Errorf("--shard %q: want I/N with 0 <= I < N", v)
	}
	if n > networks {
		return 0, 0, fmt.Errorf("--shard %q: %d shards for %d networks", v, n, networks)
	}
	return i, n, nil
}

func cmdReproduceMerge(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("reproduce merge", "reproduce merge PART... -o DIR", `
Writes the report of a sharded reproduction run (numsense reproduce --shard I/N -o
PART) from the part files of all its shards, exactly as one run of all networks
would (the computing time is the sum of the shards'). The parts must come from the
same options and hold every shard once.`, stderr)
	out := fs.String("o", "", "output directory")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() == 0 {
		fmt.Fprintln(stderr, "numsense reproduce merge: part files and -o DIR are required")
		return errUsage
	}
	s, err := report.Merge(fs.Args(), *out)
	if err != nil {
		return err
	}
	printSummary(stdout, s, *out)
	return nil
}

func printSummary(stdout io.Writer, s *report.Summary, out string) {
	a := s.Agg
	fmt.Fprintf(stdout, "wrote %s (computing time %s): selective %.1f %% ± %.1f; on V: tuned %.1f %%, decreasing %.1f %%, increasing %.1f %% of them\n",
		filepath.Join(out, "report.md"), s.Elapsed.Round(1e9), 100*a.SelectiveFraction.Mean, 100*a.SelectiveFraction.SD,
		100*a.CV.Tuned.Mean, 100*a.CV.Decreasing.Mean, 100*a.CV.Increasing.Mean)
}
