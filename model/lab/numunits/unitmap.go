package numunits

import (
	"fmt"
	"math"

	"github.com/numsense/numsense/model/unitmap"
)

// NewUnitMap collects the selective units of sel with their tuning from r.
func NewUnitMap(r *Result, sel Selection, nums []int) (*unitmap.Map, error) {
	if len(nums) != r.Levels {
		return nil, fmt.Errorf("numunits: NewUnitMap: %d numerosities for %d levels", len(nums), r.Levels)
	}
	m := &unitmap.Map{
		Numerosities: append([]int(nil), nums...),
		Alpha:        sel.Alpha,
		LayerUnits:   r.Units,
		NonSelective: len(sel.NonSelective),
		Constant:     sel.Constant,
		Units:        make([]unitmap.Unit, len(sel.Selective)),
	}
	L := r.Levels
	for k, u := range sel.Selective {
		mu := unitmap.Unit{Index: u, PN: sel.PN[u], Mean: make([]float32, L), SD: make([]float32, L)}
		for i := 0; i < L; i++ {
			mu.Mean[i] = float32(r.Mean[u*L+i])
			mu.SD[i] = float32(r.SD[u*L+i])
		}
		m.Units[k] = mu
	}
	return m, nil
}

// NewClasses groups the units of a unit map by their cross-validated shape:
// shapes[k] is the shape of the map's unit k (ClassifyShapes on the V draw, in
// the order of m.Units) and the map's PN (from T) names the tuned classes. Each
// class's curve is the mean over its units of their V-draw mean responses,
// each rescaled to 0..1 first. Classes come in the order decreasing, tuned by
// PN, increasing; empty classes and unclassified units are left out.
func NewClasses(m *unitmap.Map, shapes []UnitShape) (*unitmap.Classes, error) {
	if len(shapes) != len(m.Units) {
		return nil, fmt.Errorf("numunits: NewClasses: %d shapes for %d units", len(shapes), len(m.Units))
	}
	L := len(m.Numerosities)
	type key struct {
		shape Shape
		pn    int
	}
	groups := map[key][]int{}
	for k, s := range shapes {
		if len(s.MeanV) != L {
			return nil, fmt.Errorf("numunits: NewClasses: unit %d has %d V means, want %d", k, len(s.MeanV), L)
		}
		switch s.Shape {
		case Decreasing, Increasing:
			groups[key{s.Shape, -1}] = append(groups[key{s.Shape, -1}], k)
		case Tuned:
			groups[key{Tuned, m.Units[k].PN}] = append(groups[key{Tuned, m.Units[k].PN}], k)
		}
	}
	order := []key{{Decreasing, -1}}
	for p := 0; p < L; p++ {
		order = append(order, key{Tuned, p})
	}
	order = append(order, key{Increasing, -1})
	c := &unitmap.Classes{Numerosities: append([]int(nil), m.Numerosities...)}
	for _, k := range order {
		units := groups[k]
		if len(units) == 0 {
			continue
		}
		curve := make([]float32, L)
		sum := make([]float64, L)
		n := 0
		for _, u := range units {
			row := minMax(shapes[u].MeanV, true)
			if math.IsNaN(row[0]) {
				continue
			}
			n++
			for i, v := range row {
				sum[i] += v
			}
		}
		for i := range curve {
			if n > 0 {
				curve[i] = float32(sum[i] / float64(n))
			}
		}
		c.Classes = append(c.Classes, unitmap.Class{Shape: k.shape.String(), PN: k.pn, Units: units, Curve: curve})
	}
	return c, nil
}
