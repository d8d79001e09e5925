package report

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/numsense/numsense/model/lab/experiment"
	"github.com/numsense/numsense/model/lab/numunits"
	"github.com/numsense/numsense/model/lab/stimulus"
)

// pngBytes renders p as a PNG of w x h.
func pngBytes(p *plot.Plot, w, h vg.Length) ([]byte, error) {
	wt, err := p.WriterTo(w, h, "png")
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if _, err := wt.WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// palette of distinguishable colours.
func colour(i, n int) color.Color {
	// hue wheel
	h := float64(i) / float64(max(n, 1))
	r, g, b := hsv(h, 0.85, 0.85)
	return color.RGBA{r, g, b, 255}
}

func hsv(h, s, v float64) (uint8, uint8, uint8) {
	i := math.Floor(h * 6)
	f := h*6 - i
	p, q, t := v*(1-s), v*(1-f*s), v*(1-(1-f)*s)
	var r, g, b float64
	switch int(i) % 6 {
	case 0:
		r, g, b = v, t, p
	case 1:
		r, g, b = q, v, p
	case 2:
		r, g, b = p, v, t
	case 3:
		r, g, b = p, q, v
	case 4:
		r, g, b = t, p, v
	default:
		r, g, b = v, p, q
	}
	return uint8(255 * r), uint8(255 * g), uint8(255 * b)
}

func addLine(p *plot.Plot, xs, ys []float64, c color.Color, label string, points bool, dashed bool) error {
	var xy plotter.XYs
	for i := range xs {
		if !math.IsNaN(ys[i]) && !math.IsInf(ys[i], 0) {
			xy = append(xy, plotter.XY{X: xs[i], Y: ys[i]})
		}
	}
	if len(xy) == 0 {
		return nil
	}
	l, err := plotter.NewLine(xy)
	if err != nil {
		return err
	}
	l.Color = c
	l.Width = vg.Points(1.5)
	if dashed {
		l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	}
	p.Add(l)
	if points {
		s, err := plotter.NewScatter(xy)
		if err != nil {
			return err
		}
		s.Color = c
		s.GlyphStyle.Shape = draw.CircleGlyph{}
		s.GlyphStyle.Radius = vg.Points(2.5)
		p.Add(s)
		if label != "" {
			p.Legend.Add(label, l, s)
		}
	} else if label != "" {
		p.Legend.Add(label, l)
	}
	return nil
}

type yerrs struct {
	plotter.XYs
	plotter.YErrors
}

func addErrBars(p *plot.Plot, xs []float64, m []MeanSD, c color.Color) error {
	var e yerrs
	for i := range xs {
		if math.IsNaN(m[i].Mean) || math.IsNaN(m[i].SD) {
			continue
		}
		e.XYs = append(e.XYs, plotter.XY{X: xs[i], Y: m[i].Mean})
		e.YErrors = append(e.YErrors, struct{ Low, High float64 }{m[i].SD, m[i].SD})
	}
	if len(e.XYs) == 0 {
		return nil
	}
	b, err := plotter.NewYErrorBars(e)
	if err != nil {
		return err
	}
	b.Color = c
	p.Add(b)
	return nil
}

func means(m []MeanSD) []float64 {
	v := make([]float64, len(m))
	for i, x := range m {
		v[i] = x.Mean
	}
	return v
}

func numsF(log bool) []float64 {
	v := make([]float64, len(stimulus.Numerosities))
	for i, n := range stimulus.Numerosities {
		v[i] = float64(n)
		if log {
			v[i] = math.Log2(float64(n))
		}
	}
	return v
}

var (
	black = color.RGBA{0, 0, 0, 255}
	red   = color.RGBA{200, 30, 30, 255}
	blue  = color.RGBA{30, 80, 200, 255}
	grey  = color.RGBA{120, 120, 120, 255}
	green = color.RGBA{20, 140, 60, 255}
)

// figPN plots the PN distribution (mean ± sd over networks) with the monkey data.
func figPN(a Aggregate, monkey []numunits.MonkeyRow) ([]byte, error) {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Preferred numerosity (%d networks)", a.Networks)
	p.X.Label.Text = "preferred numerosity"
	p.Y.Label.Text = "fraction of number-selective units"
	x := numsF(false)
	if err := addLine(p, x, means(a.PNDist), blue, "network (mean ± sd)", true, false); err != nil {
		return nil, err
	}
	if err := addErrBars(p, x, a.PNDist, blue); err != nil {
		return nil, err
	}
	if err := addMonkey(p, monkey, red, "monkey PFC (Nieder & Merten 2007)"); err != nil {
		return nil, err
	}
	p.Legend.Top = true
	return pngBytes(p, 16*vg.Centimeter, 11*vg.Centimeter)
}

// addMonkey draws the monkeys' PN distribution as a dashed line (nothing
// without rows).
func addMonkey(p *plot.Plot, monkey []numunits.MonkeyRow, c color.Color, label string) error {
	if len(monkey) == 0 {
		return nil
	}
	mx, my := make([]float64, len(monkey)), make([]float64, len(monkey))
	for i, r := range monkey {
		mx[i], my[i] = float64(r.N), r.PNFraction
	}
	return addLine(p, mx, my, c, label, true, true)
}

// figTuning plots the average tuning curve of every PN class; what names the
// draw and the procedure in the title.
func figTuning(curves [][]float64, what string, log bool) ([]byte, error) {
	p := plot.New()
	x := numsF(log)
	p.Title.Text = "Average tuning curves, " + what + " (linear axis)"
	p.X.Label.Text = "numerosity"
	if log {
		p.Title.Text = "Average tuning curves, " + what + " (log2 axis)"
		p.X.Label.Text = "log2 numerosity"
	}
	p.Y.Label.Text = "normalised response"
	L := len(stimulus.Numerosities)
	for pn := 0; pn < L; pn++ {
		label := ""
		if pn%3 == 0 || pn == L-1 {
			label = fmt.Sprintf("PN %d", stimulus.Numerosities[pn])
		}
		if err := addLine(p, x, curves[pn], colour(pn, L), label, false, false); err != nil {
			return nil, err
		}
	}
	p.Legend.Top = true
	p.Legend.Left = false
	return pngBytes(p, 16*vg.Centimeter, 11*vg.Centimeter)
}

// figSigma plots sigma against PN with the regression line.
func figSigma(w numunits.Weber, what string, log bool) ([]byte, error) {
	p := plot.New()
	x := numsF(false)
	s, line := w.SigmaLin, w.LineLin
	p.Title.Text = "Tuning width, Gaussian fits on a linear axis, " + what
	p.Y.Label.Text = "sigma (numerosity)"
	if log {
		s, line = w.SigmaLog, w.LineLog
		p.Title.Text = "Tuning width, Gaussian fits on a log2 axis, " + what
		p.Y.Label.Text = "sigma (log2 numerosity)"
	}
	p.X.Label.Text = "preferred numerosity"
	if err := addLine(p, x, s, blue, "network (mean over networks)", true, false); err != nil {
		return nil, err
	}
	if !math.IsNaN(line.Slope) {
		ly := []float64{line.Intercept + line.Slope*x[0], line.Intercept + line.Slope*x[len(x)-1]}
		if err := addLine(p, []float64{x[0], x[len(x)-1]}, ly, black,
			fmt.Sprintf("fit: slope %.3f, r %.2f, p %.2g", line.Slope, line.R, line.P), false, true); err != nil {
			return nil, err
		}
	}
	p.Legend.Top = true
	p.Legend.Left = true
	return pngBytes(p, 16*vg.Centimeter, 11*vg.Centimeter)
}

// figDistance plots comparison accuracy against numerical distance.
func figDistance(a Aggregate) ([]byte, error) {
	p := plot.New()
	p.Title.Text = "Numerosity comparison: accuracy vs numerical distance"
	p.X.Label.Text = "distance N_sample - N_test"
	p.Y.Label.Text = "accuracy"
	x := make([]float64, len(a.Distances))
	for i, d := range a.Distances {
		x[i] = float64(d)
	}
	for _, s := range []struct {
		m     []MeanSD
		c     color.Color
		label string
	}{{a.DistSel, blue, "number-selective units"}, {a.DistNon, grey, "non-selective units"}, {a.DistPix, green, "pixels (sample only)"}} {
		if err := addLine(p, x, means(s.m), s.c, s.label, true, false); err != nil {
			return nil, err
		}
		if err := addErrBars(p, x, s.m, s.c); err != nil {
			return nil, err
		}
	}
	if len(x) > 0 {
		if err := addLine(p, []float64{x[0], x[len(x)-1]}, []float64{0.5, 0.5}, black, "chance", false, true); err != nil {
			return nil, err
		}
	}
	p.Y.Min, p.Y.Max = 0, 1.02
	p.Legend.Top = false
	p.Legend.Left = false
	return pngBytes(p, 16*vg.Centimeter, 11*vg.Centimeter)
}

// figCongruency is a grouped bar chart of incongruent-trial accuracy per cue.
func figCongruency(a Aggregate) ([]byte, error) {
	p := plot.New()
	p.Title.Text = "Incongruent test trials (trained on congruent pairs)"
	p.Y.Label.Text = "accuracy"
	w := vg.Points(14)
	groups := []struct {
		v     plotter.Values
		c     color.Color
		label string
		off   vg.Length
	}{{plotter.Values(means(a.IncongSel)), blue, "number-selective", -w}, {plotter.Values(means(a.IncongNon)), grey, "non-selective", 0}}
	for _, g := range groups {
		for i := range g.v {
			if math.IsNaN(g.v[i]) {
				g.v[i] = 0
			}
		}
		b, err := plotter.NewBarChart(g.v, w)
		if err != nil {
			return nil, err
		}
		b.Color = g.c
		b.Offset = g.off
		b.LineStyle.Width = 0
		p.Add(b)
		p.Legend.Add(g.label, b)
	}
	pix := a.IncongPix.Mean
	if math.IsNaN(pix) {
		pix = 0
	}
	pb, err := plotter.NewBarChart(plotter.Values{pix, 0, 0}, w)
	if err != nil {
		return nil, err
	}
	pb.Color = green
	pb.Offset = w
	pb.LineStyle.Width = 0
	p.Add(pb)
	p.Legend.Add("pixels (area cue)", pb)
	if err := addLine(p, []float64{-0.5, float64(len(a.Cues)) - 0.5}, []float64{0.5, 0.5}, black, "chance", false, true); err != nil {
		return nil, err
	}
	p.NominalX(a.Cues...)
	p.Y.Min, p.Y.Max = 0, 1
	p.Legend.Top = true
	return pngBytes(p, 16*vg.Centimeter, 11*vg.Centimeter)
}

// stimulusGrid draws examples: one row per set, columns numerosities.
func stimulusGrid(seed uint64) ([]byte, error) {
	cols := []int{1, 4, 8, 16, 24, 30}
	sets := []stimulus.Set{stimulus.Standard, stimulus.Control1, stimulus.Control2, stimulus.AreaVarying}
	const S, gap = stimulus.Size, 6
	out := image.NewGray(image.Rect(0, 0, len(cols)*(S+gap)+gap, len(sets)*(S+gap)+gap))
	for i := range out.Pix {
		out.Pix[i] = 128
	}
	img := stimulus.NewImage()
	for r, s := range sets {
		g := stimulus.New(seed + uint64(r))
		for c, n := range cols {
			if _, err := g.Draw(s, n, img); err != nil {
				return nil, err
			}
			x0, y0 := gap+c*(S+gap), gap+r*(S+gap)
			for y := 0; y < S; y++ {
				copy(out.Pix[(y0+y)*out.Stride+x0:], img.Pix[y*img.Stride:y*img.Stride+S])
			}
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, out); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// The range of adult human Weber fractions for dot arrays the population figures
// show (docs/science.md gives the sources): about 0.15 to 0.25.
const (
	HumanWeberLow  = 0.15
	HumanWeberHigh = 0.25
)

// figPopulation plots the population study: the Weber fraction (weber) or the
// median relative error against the number of networks, one colour per view set
// and one dash per set of pictures, with the adult human range of Weber fractions.
func figPopulation(pts []experiment.StudyPoint, weber bool) ([]byte, error) {
	p := plot.New()
	p.X.Label.Text = "networks (each averaged over the views; passes = networks x views)"
	if weber {
		p.Title.Text = "Weber fraction (sd of ln(estimate / true)) against population size"
		p.Y.Label.Text = "Weber fraction"
	} else {
		p.Title.Text = "Median relative error against population size"
		p.Y.Label.Text = "median |estimate - true| / true"
	}
	var sets, views []string
	maxK := 1
	for _, pt := range pts {
		if !slices.Contains(sets, pt.Set) {
			sets = append(sets, pt.Set)
		}
		if !slices.Contains(views, pt.Views) {
			views = append(views, pt.Views)
		}
		maxK = max(maxK, pt.Networks)
	}
	if weber {
		band, err := plotter.NewPolygon(plotter.XYs{{X: 0.8, Y: HumanWeberLow}, {X: float64(maxK) + 0.2, Y: HumanWeberLow},
			{X: float64(maxK) + 0.2, Y: HumanWeberHigh}, {X: 0.8, Y: HumanWeberHigh}})
		if err != nil {
			return nil, err
		}
		band.Color = color.NRGBA{R: 255, G: 190, B: 110, A: 90}
		band.LineStyle.Width = 0
		p.Add(band)
		p.Legend.Add("adult humans, dot arrays (about)", band)
	}
	dashes := [][]vg.Length{nil, {vg.Points(5), vg.Points(3)}, {vg.Points(1.5), vg.Points(2.5)}}
	ymax := 0.0
	for si, set := range sets {
		for vi, v := range views {
			var xy plotter.XYs
			for _, pt := range pts {
				y := pt.MedRelErr
				if weber {
					y = pt.WeberFraction
				}
				if pt.Set == set && pt.Views == v && !math.IsNaN(y) {
					xy = append(xy, plotter.XY{X: float64(pt.Networks), Y: y})
					ymax = math.Max(ymax, y)
				}
			}
			if len(xy) == 0 {
				continue
			}
			l, pp, err := plotter.NewLinePoints(xy)
			if err != nil {
				return nil, err
			}
			l.Color, pp.Color = colour(vi, len(views)), colour(vi, len(views))
			l.Width = vg.Points(1.5)
			l.Dashes = dashes[si%len(dashes)]
			p.Add(l, pp)
		}
	}
	// The legend: one entry per colour (views) and per dash (pictures).
	for vi, v := range views {
		l, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}})
		if err != nil {
			return nil, err
		}
		l.Color, l.Width = colour(vi, len(views)), vg.Points(2)
		p.Legend.Add("views "+v, l)
	}
	for si, set := range sets {
		l, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}})
		if err != nil {
			return nil, err
		}
		l.Color, l.Width, l.Dashes = black, vg.Points(1.5), dashes[si%len(dashes)]
		p.Legend.Add(set, l)
	}
	p.X.Min, p.X.Max = 0.8, float64(maxK)+0.2
	p.Y.Min, p.Y.Max = 0, math.Max(ymax, HumanWeberHigh)*1.6 // room for the legend above the lines
	p.Legend.Top = true
	p.Legend.Left = false
	return pngBytes(p, 18*vg.Centimeter, 14*vg.Centimeter)
}
