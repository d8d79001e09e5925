package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // photos
	_ "image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/cmd/numsense/internal/config"
	"github.com/numsense/numsense/model/estimate"
)

func init() {
	register(command{name: "bench", summary: "estimate every frame of a labelled set (or a live source) and summarise the accuracy", run: cmdBench})
}

// benchRow is one frame of a bench run.
type benchRow struct {
	File      string
	True      int // -1 without truth
	Estimate  float64
	Lo, Hi    float64
	State     string
	LatencyMS float64
}

// benchSummary is summary.json.
type benchSummary struct {
	Frames           int        `json:"frames"`
	Labelled         int        `json:"labelled"`
	MeanAbsRelError  *float64   `json:"mean_abs_rel_error"`
	MedianAbsRelErr  *float64   `json:"median_abs_rel_error"`
	IntervalCoverage *float64   `json:"interval_coverage"`
	WeberFraction    *float64   `json:"weber_fraction"`
	LogBias          *float64   `json:"log_bias"`
	LatencyP50       float64    `json:"latency_ms_p50"`
	LatencyP95       float64    `json:"latency_ms_p95"`
	Decoder          string     `json:"decoder"`
	Source           string     `json:"source"`
	PerCount         []countRow `json:"per_count,omitempty"`
}

type countRow struct {
	Count            int     `json:"count"`
	Frames           int     `json:"frames"`
	MeanEstimate     float64 `json:"mean_estimate"`
	MedianAbsRelErr  float64 `json:"median_abs_rel_error"`
	IntervalCoverage float64 `json:"interval_coverage"`
}

func cmdBench(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bench", "bench [flags] DIR | bench --source SPEC --frames N [flags]", `
Runs the whole pipeline (front end, int8 network, decoder) on every image listed in
DIR/counts.csv ("file,count", files relative to DIR) and writes, into the -o directory:
frames.csv (file, true count, estimate, interval, latency), summary.json (frames,
mean_abs_rel_error, median_abs_rel_error, interval_coverage, weber_fraction,
latency_ms_p50, latency_ms_p95, a per-count table) and estimates.png (estimate against
true count on log axes with the identity line). A summary is printed.

The Weber fraction is the standard deviation of ln(estimate/true) over the frames:
the noise of a scale-invariant estimator (estimate = true x exp(N(bias, w^2))).

With --source, frames come from a live or recorded source without truth instead
(the error columns stay empty). Malformed input (bad rows, missing or unreadable
images) is listed file by file, the exit status is 1 and no output is written.`, stderr)
	out := fs.String("o", "bench-out", "output directory (replaced only when the run is complete)")
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
	r, err := config.ParseROI(*roi)
	if err != nil {
		return fmt.Errorf("--roi: %w", err)
	}
	est, err := loadEstimatorOpts(*modelPath, *dec, *threads, r, *zoom)
	if err != nil {
		return err
	}
	defer est.Close()
	var rows []benchRow
	var srcName string
	if *source != "" {
		srcName = *source
		rows, err = benchSource(est, *source, *frames)
	} else {
		srcName = fs.Arg(0)
		rows, err = benchDir(est, fs.Arg(0))
	}
	if err != nil {
		return err
	}
	sum := summarise(rows)
	sum.Decoder, sum.Source = est.DecoderName(), srcName
	if err := writeBench(*out, rows, sum); err != nil {
		return err
	}
	if !*quiet {
		printSummary(stdout, sum)
		fmt.Fprintf(stdout, "wrote %s/frames.csv, summary.json, estimates.png\n", *out)
	}
	return nil
}

// benchDir runs every labelled image of dir. All problems are collected and returned
// together, one line per file.
func benchDir(est *estimate.Estimator, dir string) ([]benchRow, error) {
	labels, err := camera.ReadCounts(filepath.Join(dir, camera.CountsFile))
	if err != nil {
		return nil, err
	}
	if len(labels) == 0 {
		return nil, fmt.Errorf("bench: %s lists no images", filepath.Join(dir, camera.CountsFile))
	}
	var rows []benchRow
	var errs []error
	for _, l := range labels {
		img, err := decodeImage(l.Path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		res, err := est.Image(img)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", l.Path, err))
			continue
		}
		rows = append(rows, rowOf(l.File, l.Count, res))
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("bench: %d of %d images failed:\n%w", len(errs), len(labels), errors.Join(errs...))
	}
	return rows, nil
}

func decodeImage(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot decode image: %w", path, err)
	}
	return img, nil
}

func benchSource(est *estimate.Estimator, spec string, n int) ([]benchRow, error) {
	src, err := openSource(spec, nil)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	var f camera.Frame
	var rows []benchRow
	ctx := context.Background()
	for i := 0; i < n; i++ {
		if err := src.Next(ctx, &f); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return nil, err
		}
		res, err := est.Frame(&f)
		if err != nil {
			return nil, err
		}
		name := f.Name
		if name == "" {
			name = "frame" + strconv.FormatUint(f.Seq, 10)
		}
		rows = append(rows, rowOf(name, f.Count, res))
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("bench: source %s gave no frames", spec)
	}
	return rows, nil
}

func rowOf(file string, truth int, r estimate.Result) benchRow {
	return benchRow{File: file, True: truth, Estimate: r.Value, Lo: r.Lo, Hi: r.Hi, State: r.State.String(),
		LatencyMS: float64(r.Took) / float64(time.Millisecond)}
}

func median(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	c := append([]float64(nil), x...)
	sort.Float64s(c)
	if len(c)%2 == 1 {
		return c[len(c)/2]
	}
	return (c[len(c)/2-1] + c[len(c)/2]) / 2
}

// quantile is the nearest-rank q-quantile.
func quantile(x []float64, q float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	c := append([]float64(nil), x...)
	sort.Float64s(c)
	i := int(math.Ceil(q*float64(len(c)))) - 1
	return c[max(0, min(i, len(c)-1))]
}

func ptr(v float64) *float64 { return &v }

func summarise(rows []benchRow) benchSummary {
	s := benchSummary{Frames: len(rows)}
	var lat, rel, logs []float64
	in := 0
	byCount := map[int][]benchRow{}
	for _, r := range rows {
		lat = append(lat, r.LatencyMS)
		if r.True <= 0 {
			continue
		}
		s.Labelled++
		byCount[r.True] = append(byCount[r.True], r)
		rel = append(rel, math.Abs(r.Estimate-float64(r.True))/float64(r.True))
		if r.Estimate > 0 {
			logs = append(logs, math.Log(r.Estimate/float64(r.True)))
		} else {
			logs = append(logs, math.Log(0.5/float64(r.True))) // an empty verdict counts as half an object
		}
		if float64(r.True) >= r.Lo && float64(r.True) <= r.Hi {
			in++
		}
	}
	s.LatencyP50, s.LatencyP95 = quantile(lat, 0.5), quantile(lat, 0.95)
	if s.Labelled == 0 {
		return s
	}
	mean := 0.0
	for _, v := range rel {
		mean += v
	}
	s.MeanAbsRelError = ptr(mean / float64(len(rel)))
	s.MedianAbsRelErr = ptr(median(rel))
	s.IntervalCoverage = ptr(float64(in) / float64(s.Labelled))
	b := 0.0
	for _, v := range logs {
		b += v
	}
	b /= float64(len(logs))
	ss := 0.0
	for _, v := range logs {
		ss += (v - b) * (v - b)
	}
	s.LogBias = ptr(b)
	if len(logs) > 1 {
		s.WeberFraction = ptr(math.Sqrt(ss / float64(len(logs)-1)))
	}
	counts := make([]int, 0, len(byCount))
	for c := range byCount {
		counts = append(counts, c)
	}
	sort.Ints(counts)
	for _, c := range counts {
		rs := byCount[c]
		cr := countRow{Count: c, Frames: len(rs)}
		var re []float64
		inC := 0
		for _, r := range rs {
			cr.MeanEstimate += r.Estimate / float64(len(rs))
			re = append(re, math.Abs(r.Estimate-float64(c))/float64(c))
			if float64(c) >= r.Lo && float64(c) <= r.Hi {
				inC++
			}
		}
		cr.MedianAbsRelErr = median(re)
		cr.IntervalCoverage = float64(inC) / float64(len(rs))
		s.PerCount = append(s.PerCount, cr)
	}
	return s
}

func printSummary(w io.Writer, s benchSummary) {
	fmt.Fprintf(w, "frames %d (labelled %d), decoder %s, source %s\n", s.Frames, s.Labelled, s.Decoder, s.Source)
	if s.MedianAbsRelErr != nil {
		fmt.Fprintf(w, "median |rel err| %.3f   mean |rel err| %.3f   inside 68%% interval %.1f%%", *s.MedianAbsRelErr, *s.MeanAbsRelError, 100**s.IntervalCoverage)
		if s.WeberFraction != nil {
			fmt.Fprintf(w, "   Weber fraction %.3f (log bias %+.3f)", *s.WeberFraction, *s.LogBias)
		}
		fmt.Fprintln(w)
		fmt.Fprintf(w, "%6s %6s %10s %10s %9s\n", "count", "frames", "mean est", "med |rel|", "inside")
		for _, c := range s.PerCount {
			fmt.Fprintf(w, "%6d %6d %10.2f %10.3f %8.0f%%\n", c.Count, c.Frames, c.MeanEstimate, c.MedianAbsRelErr, 100*c.IntervalCoverage)
		}
	}
	fmt.Fprintf(w, "latency p50 %.1f ms, p95 %.1f ms\n", s.LatencyP50, s.LatencyP95)
}

// writeBench writes the three outputs into a fresh temporary directory beside out and
// renames it into place, so out only ever holds a complete run.
func writeBench(out string, rows []benchRow, s benchSummary) error {
	parent := filepath.Dir(filepath.Clean(out))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(out)+".tmp-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := writeFramesCSV(filepath.Join(tmp, "frames.csv"), rows); err != nil {
		return err
	}
	js, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, "summary.json"), append(js, '\n'), 0o644); err != nil {
		return err
	}
	if err := plotEstimates(filepath.Join(tmp, "estimates.png"), rows); err != nil {
		return err
	}
	return replaceDir(tmp, out)
}

// replaceDir moves the complete directory tmp to out, replacing an older out.
func replaceDir(tmp, out string) error {
	old := ""
	if _, err := os.Stat(out); err == nil {
		old = out + ".old-" + strconv.FormatInt(time.Now().UnixNano(), 36)
		if err := os.Rename(out, old); err != nil {
			return fmt.Errorf("cannot replace %s: %w", out, err)
		}
	}
	if err := os.Rename(tmp, out); err != nil {
		if old != "" {
			os.Rename(old, out)
		}
		return fmt.Errorf("cannot write %s: %w", out, err)
	}
	if old != "" {
		os.RemoveAll(old)
	}
	return nil
}

func writeFramesCSV(path string, rows []benchRow) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write([]string{"file", "true_count", "estimate", "lo", "hi", "state", "latency_ms"})
	for _, r := range rows {
		t := ""
		if r.True >= 0 {
			t = strconv.Itoa(r.True)
		}
		w.Write([]string{r.File, t, fmtF(r.Estimate), fmtF(r.Lo), fmtF(r.Hi), r.State, fmtF(r.LatencyMS)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func fmtF(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }

func plotEstimates(path string, rows []benchRow) error {
	p := plot.New()
	p.Title.Text = "numsense bench: estimate against true count"
	p.X.Label.Text = "true count"
	p.Y.Label.Text = "estimate (68% interval)"
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.X.Tick.Marker, p.Y.Tick.Marker = plot.LogTicks{Prec: -1}, plot.LogTicks{Prec: -1}
	var pts plotter.XYs
	var bars plotter.XYs
	i := 0
	for _, r := range rows {
		x := float64(r.True)
		if r.True <= 0 {
			i++
			x = float64(i) // no truth: plot against frame number
		}
		// deterministic jitter so that frames of the same count do not hide each other
		jx := x * math.Exp(0.03*math.Sin(float64(len(pts))*2.39996))
		pts = append(pts, plotter.XY{X: jx, Y: math.Max(r.Estimate, 0.5)})
		bars = append(bars, plotter.XY{X: jx, Y: math.Max(r.Lo, 0.5)}, plotter.XY{X: jx, Y: math.Max(r.Hi, 0.5)})
	}
	if len(pts) == 0 {
		return errors.New("bench: nothing to plot")
	}
	for j := 0; j+1 < len(bars); j += 2 {
		l, err := plotter.NewLine(bars[j : j+2])
		if err != nil {
			return err
		}
		l.Color = plotterGrey
		p.Add(l)
	}
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return err
	}
	p.Add(sc)
	id, err := plotter.NewLine(plotter.XYs{{X: 1, Y: 1}, {X: 30, Y: 30}})
	if err != nil {
		return err
	}
	id.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	p.Add(id)
	p.Legend.Add("identity", id)
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0.8, 35, 0.5, 35
	return p.Save(6*vg.Inch, 5*vg.Inch, path)
}
