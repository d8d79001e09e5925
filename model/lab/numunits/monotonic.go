package numunits

import (
	"fmt"
	"math"
)

// Criteria of Stoianov & Zorzi 2012 for monotonic number units, as Kim et al.
// 2021 apply them to relu4 on the area-varying set (docs/protocol.md §9).
const (
	// MonotonicMinR2: the regression must explain more than this share of the
	// variance.
	MonotonicMinR2 = 0.1
	// MonotonicMaxArea: the normalised total-area coefficient must stay below
	// this in absolute value.
	MonotonicMaxArea = 0.1
)

// MonotonicAccumulator streams a layer's responses to the area-varying set and
// regresses each unit on log total area and log N (Stoianov & Zorzi 2012):
// responses, log area and log N are each mapped linearly onto [0, 1] over the
// whole set, and an ordinary least-squares fit with intercept gives the
// normalised coefficients beta_N and beta_area and R^2. It keeps sums per unit,
// never the responses, so a layer of 64,896 units costs 3 MB.
type MonotonicAccumulator struct {
	units                 int
	n                     float64
	s1, s2, s11, s12, s22 float64 // sums of x1 = ln area, x2 = ln N and their products
	lo1, hi1, lo2, hi2    float64
	sy, syy, s1y, s2y     []float64
	ymin, ymax            []float32
}

// NewMonotonicAccumulator returns an empty accumulator for units units.
func NewMonotonicAccumulator(units int) *MonotonicAccumulator {
	m := &MonotonicAccumulator{units: units, sy: make([]float64, units), syy: make([]float64, units),
		s1y: make([]float64, units), s2y: make([]float64, units), ymin: make([]float32, units), ymax: make([]float32, units),
		lo1: math.Inf(1), hi1: math.Inf(-1), lo2: math.Inf(1), hi2: math.Inf(-1)}
	for u := range m.ymin {
		m.ymin[u], m.ymax[u] = float32(math.Inf(1)), float32(math.Inf(-1))
	}
	return m
}

// Add accumulates one image with total dot area totalArea (px^2) and n items.
func (m *MonotonicAccumulator) Add(totalArea float64, n int, resp []float32) error {
	if len(resp) != m.units || !(totalArea > 0) || n < 1 {
		return fmt.Errorf("numunits: MonotonicAccumulator.Add(area %g, n %d, %d responses): want area > 0, n >= 1 and %d responses",
			totalArea, n, len(resp), m.units)
	}
	x1, x2 := math.Log(totalArea), math.Log(float64(n))
	m.n++
	m.s1 += x1
	m.s2 += x2
	m.s11 += x1 * x1
	m.s12 += x1 * x2
	m.s22 += x2 * x2
	m.lo1, m.hi1 = math.Min(m.lo1, x1), math.Max(m.hi1, x1)
	m.lo2, m.hi2 = math.Min(m.lo2, x2), math.Max(m.hi2, x2)
	for u, r := range resp {
		y := float64(r)
		m.sy[u] += y
		m.syy[u] += y * y
		m.s1y[u] += x1 * y
		m.s2y[u] += x2 * y
		m.ymin[u] = min(m.ymin[u], r)
		m.ymax[u] = max(m.ymax[u], r)
	}
	return nil
}

// Monotonic is the classification of a layer's units by MonotonicAccumulator.
type Monotonic struct {
	// Class is Increasing, Decreasing or Unclassified per unit.
	Class []Shape
	// BetaN, BetaArea and R2 are each unit's normalised coefficients and R^2
	// (NaN for a constant unit).
	BetaN, BetaArea, R2 []float32
	// Increasing and Decreasing count the classified units; Units all units.
	Increasing, Decreasing, Units int
}

// Result classifies every unit: monotonic when R^2 > MonotonicMinR2 and
// |beta_area| < MonotonicMaxArea, increasing when beta_N > 0, decreasing when
// beta_N < 0.
func (m *MonotonicAccumulator) Result() (Monotonic, error) {
	if m.n < 4 {
		return Monotonic{}, fmt.Errorf("numunits: monotonic regression on %g images, want at least 4", m.n)
	}
	n := m.n
	c11 := m.s11 - m.s1*m.s1/n
	c12 := m.s12 - m.s1*m.s2/n
	c22 := m.s22 - m.s2*m.s2/n
	det := c11*c22 - c12*c12
	if !(det > 1e-12*c11*c22) {
		return Monotonic{}, fmt.Errorf("numunits: monotonic regression: log area and log N are collinear over the set")
	}
	out := Monotonic{Class: make([]Shape, m.units), BetaN: make([]float32, m.units), BetaArea: make([]float32, m.units),
		R2: make([]float32, m.units), Units: m.units}
	r1, r2 := m.hi1-m.lo1, m.hi2-m.lo2
	nan := float32(math.NaN())
	for u := 0; u < m.units; u++ {
		ry := float64(m.ymax[u]) - float64(m.ymin[u])
		cyy := m.syy[u] - m.sy[u]*m.sy[u]/n
		if !(ry > 0) || !(cyy > 0) {
			out.BetaN[u], out.BetaArea[u], out.R2[u] = nan, nan, nan
			continue
		}
		c1y := m.s1y[u] - m.s1*m.sy[u]/n
		c2y := m.s2y[u] - m.s2*m.sy[u]/n
		b1 := (c22*c1y - c12*c2y) / det
		b2 := (c11*c2y - c12*c1y) / det
		r2u := (b1*c1y + b2*c2y) / cyy
		bArea, bN := b1*r1/ry, b2*r2/ry
		out.BetaN[u], out.BetaArea[u], out.R2[u] = float32(bN), float32(bArea), float32(r2u)
		if r2u > MonotonicMinR2 && math.Abs(bArea) < MonotonicMaxArea {
			switch {
			case bN > 0:
				out.Class[u] = Increasing
				out.Increasing++
			case bN < 0:
				out.Class[u] = Decreasing
				out.Decreasing++
			}
		}
	}
	return out, nil
}

// Agreement compares the monotonic classes of two draws: of the units
// classified on a, how many have the same class on b.
func Agreement(a, b []Shape) (classified, same int) {
	for u, s := range a {
		if s == Unclassified {
			continue
		}
		classified++
		if u < len(b) && b[u] == s {
			same++
		}
	}
	return classified, same
}
