// Package bench runs labelled pictures (or any frame source) through the whole
// pipeline and judges the estimates with the figures of model/accuracy: what
// numsense bench does. Its outputs go into one output directory (model/atomicfile):
// frames.csv, summary.json, estimates.png, report.html (every frame with its picture
// and silhouette, worst first; one file that opens from disk) and worst.png (a
// contact sheet of the worst frames beside the silhouettes the network saw). Labels
// in counts.csv beyond file and count (the kind, table, layout, size and array of
// numsense scenes) break the figures down (Group).
package bench

import (
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // photos
	_ "image/png"
	"io"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/model/accuracy"
	"github.com/numsense/numsense/model/estimate"
)

// Row is one frame of a bench run.
type Row struct {
	File      string
	True      int // -1 without truth
	Estimate  float64
	Lo, Hi    float64
	State     string
	LatencyMS float64
	Pictures  Pictures          // thumbnail and silhouette for report.html (the first MaxPictures frames)
	Labels    map[string]string // counts.csv's further columns
	view      *view             // what the contact sheet shows (worst frames only)
}

func rowOf(file string, truth int, r estimate.Result) Row {
	return Row{File: file, True: truth, Estimate: r.Value, Lo: r.Lo, Hi: r.Hi, State: r.State.String(),
		LatencyMS: float64(r.Took) / float64(time.Millisecond)}
}

// Dir runs every labelled picture of dir (DIR/counts.csv, camera.ReadCounts), each
// as a scene of its own. All problems are collected and returned together, one line
// per file.
func Dir(est *estimate.Estimator, dir string) ([]Row, error) {
	labels, err := camera.ReadCounts(filepath.Join(dir, camera.CountsFile))
	if err != nil {
		return nil, err
	}
	if len(labels) == 0 {
		return nil, fmt.Errorf("bench: %s lists no images", filepath.Join(dir, camera.CountsFile))
	}
	var rows []Row
	var errs []error
	var sil image.Gray
	var f camera.Frame
	var w worst
	for _, l := range labels {
		if err := camera.ReadFrame(l.Path, &f); err != nil {
			errs = append(errs, err)
			continue
		}
		f.Time, f.Seq, f.Count, f.Name = time.Now(), 0, l.Count, l.Path
		res, err := est.FrameSilhouette(&f, &sil)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", l.Path, err))
			continue
		}
		r := rowOf(l.File, l.Count, res)
		r.Labels = l.Labels
		rows = append(rows, r)
		if img, err := f.Image(); err == nil {
			if len(rows) <= MaxPictures {
				rows[len(rows)-1].Pictures = picturesOf(img, &sil)
			}
			w.offer(rows, len(rows)-1, img, silhouette(&sil))
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("bench: %d of %d images failed:\n%w", len(errs), len(labels), errors.Join(errs...))
	}
	return rows, nil
}

// Source runs up to n frames of src, in order, each frame on its own.
func Source(est *estimate.Estimator, src camera.Source, n int) ([]Row, error) {
	var f camera.Frame
	var sil image.Gray
	var rows []Row
	var w worst
	ctx := context.Background()
	for i := 0; i < n; i++ {
		if err := src.Next(ctx, &f); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return nil, err
		}
		res, err := est.FrameSilhouette(&f, &sil)
		if err != nil {
			return nil, err
		}
		name := f.Name
		if name == "" {
			name = "frame" + strconv.FormatUint(f.Seq, 10)
		}
		rows = append(rows, rowOf(name, f.Count, res))
		if img, err := f.Image(); err == nil {
			if len(rows) <= MaxPictures {
				rows[len(rows)-1].Pictures = picturesOf(img, &sil)
			}
			if f.Count >= 1 {
				w.offer(rows, len(rows)-1, img, silhouette(&sil))
			}
		}
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("bench: source %s gave no frames", src.Name())
	}
	return rows, nil
}

// Summary is summary.json: the accuracy figures of the labelled frames (null
// without labels), the latency and a table per true count.
type Summary struct {
	Frames           int      `json:"frames"`
	Labelled         int      `json:"labelled"`
	MeanAbsRelError  *float64 `json:"mean_abs_rel_error"`
	MedianAbsRelErr  *float64 `json:"median_abs_rel_error"`
	IntervalCoverage *float64 `json:"interval_coverage"`
	WeberFraction    *float64 `json:"weber_fraction"`
	LogBias          *float64 `json:"log_bias"`
	LatencyP50       float64  `json:"latency_ms_p50"`
	LatencyP95       float64  `json:"latency_ms_p95"`
	// Frames whose true count is 0 (an empty table) are not in the error figures:
	// how many there were, and in how many the scene came out empty.
	EmptyTable     int        `json:"empty_table_frames"`
	EmptyEstimated int        `json:"empty_table_estimated_empty"`
	Decoder        string     `json:"decoder"`
	Source         string     `json:"source"`
	PerCount       []CountRow `json:"per_count,omitempty"`
	// EmptyWithObjects is the share of the frames with objects that came out empty.
	EmptyWithObjects *float64 `json:"empty_with_objects"`
	// Groups break the figures down by the labels of counts.csv.
	Groups []Group `json:"groups,omitempty"`
}

// CountRow is the summary of the frames of one true count.
type CountRow struct {
	Count            int     `json:"count"`
	Frames           int     `json:"frames"`
	MeanEstimate     float64 `json:"mean_estimate"`
	MedianAbsRelErr  float64 `json:"median_abs_rel_error"`
	IntervalCoverage float64 `json:"interval_coverage"`
}

func samples(rows []Row) []accuracy.Sample {
	s := make([]accuracy.Sample, len(rows))
	for i, r := range rows {
		s[i] = accuracy.Sample{True: r.True, Estimate: r.Estimate, Lo: r.Lo, Hi: r.Hi}
	}
	return s
}

// finite returns a pointer to v, nil for NaN (null in JSON).
func finite(v float64) *float64 {
	if v != v {
		return nil
	}
	return &v
}

// Summarise computes the summary of rows (decoder and source left to the caller).
func Summarise(rows []Row) Summary {
	s := Summary{Frames: len(rows)}
	lat := make([]float64, len(rows))
	byCount := map[int][]Row{}
	for i, r := range rows {
		lat[i] = r.LatencyMS
		if r.True >= 1 {
			byCount[r.True] = append(byCount[r.True], r)
		}
		if r.True == 0 {
			s.EmptyTable++
			if r.State == estimate.Empty.String() {
				s.EmptyEstimated++
			}
		}
	}
	s.LatencyP50, s.LatencyP95 = accuracy.Quantile(lat, 0.5), accuracy.Quantile(lat, 0.95)
	f := accuracy.Of(samples(rows))
	s.Labelled = f.Labelled
	if f.Labelled == 0 {
		return s
	}
	s.MeanAbsRelError, s.MedianAbsRelErr, s.IntervalCoverage = finite(f.MeanRelErr), finite(f.MedianRelErr), finite(f.Coverage)
	s.WeberFraction, s.LogBias = finite(f.WeberFraction), finite(f.LogBias)
	s.EmptyWithObjects, s.Groups = finite(emptyShare(rows)), groups(rows)
	counts := make([]int, 0, len(byCount))
	for c := range byCount {
		counts = append(counts, c)
	}
	sort.Ints(counts)
	for _, c := range counts {
		rs := byCount[c]
		fc := accuracy.Of(samples(rs))
		cr := CountRow{Count: c, Frames: len(rs), MedianAbsRelErr: fc.MedianRelErr, IntervalCoverage: fc.Coverage}
		for _, r := range rs {
			cr.MeanEstimate += r.Estimate / float64(len(rs))
		}
		s.PerCount = append(s.PerCount, cr)
	}
	return s
}

// Print writes the summary for a person.
func Print(w io.Writer, s Summary) {
	fmt.Fprintf(w, "frames %d (labelled %d), decoder %s, source %s\n", s.Frames, s.Labelled, s.Decoder, s.Source)
	if s.MedianAbsRelErr != nil {
		fmt.Fprintf(w, "median |rel err| %.3f   mean |rel err| %.3f   inside 68%% interval %.1f%%", *s.MedianAbsRelErr, *s.MeanAbsRelError, 100**s.IntervalCoverage)
		if s.WeberFraction != nil {
			fmt.Fprintf(w, "   Weber fraction %.3f (log bias %+.3f)", *s.WeberFraction, *s.LogBias)
		}
		fmt.Fprintln(w)
		if s.EmptyWithObjects != nil {
			fmt.Fprintf(w, "frames with objects reported empty: %.1f%%\n", 100**s.EmptyWithObjects)
		}
		printGroups(w, s.Groups)
		fmt.Fprintf(w, "%6s %6s %10s %10s %9s\n", "count", "frames", "mean est", "med |rel|", "inside")
		for _, c := range s.PerCount {
			fmt.Fprintf(w, "%6d %6d %10.2f %10.3f %8.0f%%\n", c.Count, c.Frames, c.MeanEstimate, c.MedianAbsRelErr, 100*c.IntervalCoverage)
		}
	}
	if s.EmptyTable > 0 {
		fmt.Fprintf(w, "empty table (true count 0): %d frames, %d of them estimated empty (not in the error figures)\n", s.EmptyTable, s.EmptyEstimated)
	}
	fmt.Fprintf(w, "latency p50 %.1f ms, p95 %.1f ms\n", s.LatencyP50, s.LatencyP95)
}

// silhouette is sil, or nil when the front end gave none (an empty rectangle).
func silhouette(sil *image.Gray) *image.Gray {
	if sil.Rect.Empty() {
		return nil
	}
	return sil
}
