package report

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/numsense/numsense/model/lab/numunits"
	"github.com/numsense/numsense/model/lab/stimulus"
)

var shapeColour = map[numunits.Shape]color.Color{
	numunits.Decreasing:   blue,
	numunits.Tuned:        red,
	numunits.Increasing:   green,
	numunits.Unclassified: grey,
}

// figShapes is a stacked bar chart: per T-draw PN, the units of each V-draw shape
// (all networks pooled).
func figShapes(c CVAggregate) ([]byte, error) {
	p := plot.New()
	p.Title.Text = "Shape on V of the units of each PN (PN chosen on T)"
	p.Y.Label.Text = "number-selective units (all networks)"
	p.X.Label.Text = "preferred numerosity on T"
	w := vg.Points(12)
	var below *plotter.BarChart
	for _, sh := range numunits.Shapes {
		v := make(plotter.Values, len(c.ShapeByPN))
		for pn, row := range c.ShapeByPN {
			v[pn] = float64(row[sh])
		}
		b, err := plotter.NewBarChart(v, w)
		if err != nil {
			return nil, err
		}
		b.Color = shapeColour[sh]
		b.LineStyle.Width = 0
		if below != nil {
			b.StackOn(below)
		}
		below = b
		p.Add(b)
		p.Legend.Add(sh.String(), b)
	}
	labels := make([]string, len(stimulus.Numerosities))
	for i, n := range stimulus.Numerosities {
		labels[i] = fmt.Sprint(n)
	}
	p.NominalX(labels...)
	top := 0.0
	for _, row := range c.ShapeByPN {
		top = max(top, float64(row[0]+row[1]+row[2]+row[3]))
	}
	p.Y.Min, p.Y.Max = 0, 1.35*max(top, 1) // room for the legend above the bars
	p.Legend.Top = true
	p.Legend.Left = true
	return pngBytes(p, 16*vg.Centimeter, 11*vg.Centimeter)
}

// series is one line with error bars of a figure against PN.
type series struct {
	m     []MeanSD
	c     color.Color
	label string
}

// figAgainstPN plots series against PN with error bars and a dashed zero line.
func figAgainstPN(title, xlabel, ylabel string, ss ...series) ([]byte, error) {
	p := plot.New()
	p.Title.Text, p.X.Label.Text, p.Y.Label.Text = title, xlabel, ylabel
	x := numsF(false)
	for _, s := range ss {
		if err := addLine(p, x, means(s.m), s.c, s.label, true, false); err != nil {
			return nil, err
		}
		if err := addErrBars(p, x, s.m, s.c); err != nil {
			return nil, err
		}
	}
	if err := addLine(p, []float64{x[0], x[len(x)-1]}, []float64{0, 0}, black, "", false, true); err != nil {
		return nil, err
	}
	p.Legend.Top = true
	p.Legend.Left = false
	return pngBytes(p, 16*vg.Centimeter, 11*vg.Centimeter)
}

// figFall plots how far each PN class's average curve falls from its PN to 30,
// on T (where the PN was chosen) and on V.
func figFall(c CVAggregate) ([]byte, error) {
	return figAgainstPN("Fall of the average curve from its PN to 30", "preferred numerosity (chosen on T)",
		"curve at PN - curve at 30 (normalised)",
		series{c.FallRightT, grey, "T draw (PN chosen on it: Kim's figure)"}, series{c.FallRightV, blue, "V draw (cross-validated)"})
}

// figBacktrack plots W_dec - W_inc against the T-draw PN with the shuffled control
// (Kim Fig. 5).
func figBacktrack(f *Fig5Aggregate) ([]byte, error) {
	return figAgainstPN("Weights from decreasing minus increasing relu4 units", "preferred numerosity of the relu5 unit (T)",
		"mean W_dec - mean W_inc", series{f.DecMinusInc, blue, "conv5 weights"}, series{f.Shuffled, grey, "shuffled kernels (control)"})
}

// figSummation compares the PN distributions of Kim's summation model, the
// networks (T draw) and the monkeys.
func figSummation(a Aggregate, monkey []numunits.MonkeyRow) ([]byte, error) {
	p := plot.New()
	p.Title.Text = "Preferred numerosity: summation model, networks, monkeys"
	p.X.Label.Text = "preferred numerosity"
	p.Y.Label.Text = "fraction"
	x := numsF(false)
	if err := addLine(p, x, a.Model.PNDist, red, "summation model (responsive neurons)", true, false); err != nil {
		return nil, err
	}
	if err := addLine(p, x, means(a.PNDist), blue, "networks (selective units, PN on T)", true, false); err != nil {
		return nil, err
	}
	if err := addMonkey(p, monkey, grey, "monkey PFC"); err != nil {
		return nil, err
	}
	p.Legend.Top = true
	return pngBytes(p, 16*vg.Centimeter, 11*vg.Centimeter)
}
