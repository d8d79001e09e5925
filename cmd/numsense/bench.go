package main

import (
	"fmt"
	"io"

	"github.com/numsense/numsense/cmd/numsense/internal/bench"
	"github.com/numsense/numsense/cmd/numsense/internal/config"
	"github.com/numsense/numsense/model/estimate"
)

func init() {
	register(command{name: "bench", summary: "estimate every frame of a labelled set (or a live source) and summarise the accuracy", run: cmdBench})
}

func cmdBench(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bench", "bench [flags] DIR | bench --source SPEC --frames N [flags]", `
Runs the whole pipeline (front end, int8 network, decoder) on every image listed in
DIR/counts.csv ("file,count", files relative to DIR) and writes, into the -o directory:
frames.csv (file, true count, estimate, interval, latency), summary.json (frames,
mean_abs_rel_error, median_abs_rel_error, interval_coverage, weber_fraction,
latency_ms_p50, latency_ms_p95, empty_with_objects, a per-count table, groups),
estimates.png (estimate against true count on log axes with the identity line),
report.html (the summary, the same plot, and every frame as a thumbnail with the
silhouette the network saw, its truth, estimate and interval, worst first: one file
that opens in a browser from disk) and (with labels) worst.png: a contact sheet of the
24 labelled frames furthest from the truth, each picture beside the 227x227 silhouette
the network saw. A summary is printed.

Columns of counts.csv after file and count whose values are not numbers are labels
(numsense scenes writes kind, table, layout, size and array): the figures are also
given for each value of each label. empty_with_objects is the share of the frames
with objects that the front end found empty.

The Weber fraction is the standard deviation of ln(estimate/true) over the frames:
the noise of a scale-invariant estimator (estimate = true x exp(N(bias, w^2))).

With --source, frames come from a live or recorded source without truth instead
(the error columns stay empty). Malformed input (bad rows, missing or unreadable
images) is listed file by file, the exit status is 1 and no output is written.`, stderr)
	out := fs.String("o", "bench-out", "output directory (written when the run is complete; an existing one is replaced only if numsense wrote it)")
	modelPath := fs.String("model", "", "model file (default: the calibrated model embedded in the binary)")
	threads := fs.Int("threads", 0, "network worker threads (0: all cores)")
	dec := fs.String("decoder", "", "decoder: likelihood or readout (default: the one chosen at calibration)")
	roi := fs.String("roi", "", "region of interest x,y,w,h in image pixels, as camera.roi")
	zoom := fs.Bool("zoom", true, "zoom the view around the objects, as camera.zoom (--zoom=false: off)")
	source := fs.String("source", "", "bench a frame source instead of a labelled directory (see numsense run --help)")
	frames := fs.Int("frames", 100, "with --source: how many frames")
	quiet := fs.Bool("q", false, "do not print the summary")
	if err := parse(fs, args); err != nil {
		return err
	}
	if (*source == "") == (fs.NArg() != 1) {
		fmt.Fprintln(stderr, "numsense bench: give one DIR with counts.csv, or --source SPEC")
		return errUsage
	}
	if err := checkThreads(*threads); err != nil {
		return err
	}
	if *source != "" && *frames < 1 {
		return fmt.Errorf("--frames: %d, want at least 1", *frames)
	}
	r, err := config.ParseROI(*roi)
	if err != nil {
		return fmt.Errorf("--roi: %w", err)
	}
	if err := bench.Check(*out); err != nil {
		return fmt.Errorf("-o: %w", err)
	}
	est, err := loadEstimatorOpts(*modelPath, *dec, *threads, r, *zoom, 0)
	if err != nil {
		return err
	}
	defer est.Close()
	var rows []bench.Row
	var srcName string
	if *source != "" {
		srcName = *source
		rows, err = benchSource(est, *source, *frames)
	} else {
		srcName = fs.Arg(0)
		rows, err = bench.Dir(est, fs.Arg(0))
	}
	if err != nil {
		return err
	}
	sum := bench.Summarise(rows)
	sum.Decoder, sum.Source = est.DecoderName(), srcName
	if err := bench.Write(*out, rows, sum); err != nil {
		return err
	}
	if !*quiet {
		bench.Print(stdout, sum)
		sheet := ""
		if sum.Labelled > 0 {
			sheet = ", worst.png"
		}
		fmt.Fprintf(stdout, "wrote %s/frames.csv, summary.json, estimates.png, report.html%s\n", *out, sheet)
	}
	return nil
}

// benchSource opens a source and benches up to n of its frames.
func benchSource(est *estimate.Estimator, spec string, n int) ([]bench.Row, error) {
	src, err := openSource(spec, nil)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	return bench.Source(est, src, n)
}
