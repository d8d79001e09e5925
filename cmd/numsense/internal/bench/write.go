package bench

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"image/color"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/numsense/numsense/model/atomicfile"
)

// Check returns nil if out may receive the outputs (see atomicfile.CheckDir): call
// it before the work, so that a wrong -o fails at once.
func Check(out string) error { return atomicfile.CheckDir(out) }

// Write writes frames.csv, summary.json, estimates.png, report.html and, when rows
// hold views of the worst frames (Dir, Source), worst.png as the output directory
// out: complete or not at all, replacing only an earlier output of numsense.
func Write(out string, rows []Row, s Summary) error {
	d, err := atomicfile.NewDir(out, "bench")
	if err != nil {
		return err
	}
	defer d.Abort()
	if err := d.Write("frames.csv", func(w io.Writer) error { return writeFramesCSV(w, rows) }); err != nil {
		return err
	}
	js, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	if err := d.WriteFile("summary.json", append(js, '\n')); err != nil {
		return err
	}
	p, err := plotEstimates(rows)
	if err != nil {
		return err
	}
	if err := d.Write("estimates.png", func(w io.Writer) error {
		wt, err := p.WriterTo(6*vg.Inch, 5*vg.Inch, "png")
		if err != nil {
			return err
		}
		_, err = wt.WriteTo(w)
		return err
	}); err != nil {
		return err
	}
	if err := d.Write("report.html", func(w io.Writer) error { return writeReport(w, rows, s) }); err != nil {
		return err
	}
	if hasViews(rows) {
		if err := d.Write("worst.png", func(w io.Writer) error { return writeSheet(w, rows) }); err != nil {
			return err
		}
	}
	return d.Commit()
}

func writeFramesCSV(out io.Writer, rows []Row) error {
	w := csv.NewWriter(out)
	w.Write([]string{"file", "true_count", "estimate", "lo", "hi", "state", "latency_ms"})
	for _, r := range rows {
		t := ""
		if r.True >= 0 {
			t = strconv.Itoa(r.True)
		}
		w.Write([]string{r.File, t, fmtF(r.Estimate), fmtF(r.Lo), fmtF(r.Hi), r.State, fmtF(r.LatencyMS)})
	}
	w.Flush()
	return w.Error()
}

func fmtF(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }

var grey = color.Gray{Y: 170}

// plotEstimates draws every estimate with its interval against the true count, on
// log axes, with the identity line.
func plotEstimates(rows []Row) (*plot.Plot, error) {
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
		return nil, errors.New("bench: nothing to plot")
	}
	for j := 0; j+1 < len(bars); j += 2 {
		l, err := plotter.NewLine(bars[j : j+2])
		if err != nil {
			return nil, err
		}
		l.Color = grey
		p.Add(l)
	}
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return nil, err
	}
	p.Add(sc)
	id, err := plotter.NewLine(plotter.XYs{{X: 1, Y: 1}, {X: 30, Y: 30}})
	if err != nil {
		return nil, err
	}
	id.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	p.Add(id)
	p.Legend.Add("identity", id)
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0.8, 35, 0.5, 35
	return p, nil
}
