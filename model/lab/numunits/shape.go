package numunits

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Shape is the shape of a unit's tuning across the tested numerosities.
type Shape int8

// The shapes. A unit whose test confirms none of the three is Unclassified.
const (
	Unclassified Shape = iota
	Decreasing
	Increasing
	Tuned
)

// Shapes lists the classified shapes in the order reports show them.
var Shapes = []Shape{Decreasing, Tuned, Increasing, Unclassified}

// String names the shape ("decreasing", "increasing", "tuned", "unclassified").
func (s Shape) String() string {
	switch s {
	case Decreasing:
		return "decreasing"
	case Increasing:
		return "increasing"
	case Tuned:
		return "tuned"
	case Unclassified:
		return "unclassified"
	}
	return fmt.Sprintf("Shape(%d)", int(s))
}

// UnitShape is the cross-validated shape of one unit: its preferred numerosity
// comes from the selection draw T, every figure here from the independent
// validation draw V.
//
// The test (alpha as in ClassifyShapes):
//   - Tuned: the T-draw PN is an inner level (not the smallest or the largest
//     numerosity) and the unit's mean V response at that PN exceeds its mean V
//     response at the smallest and at the largest numerosity, each by a one-sided
//     Welch t-test with p < alpha (PTuned is the larger of the two p values). A
//     monotonic unit passes with probability at most alpha, whatever its PN on T.
//   - Otherwise Decreasing or Increasing by the sign of the least-squares slope
//     of its V responses on log2 N, when that slope differs from 0 (two-sided
//     t-test, PSlope < alpha).
//   - Otherwise Unclassified.
type UnitShape struct {
	Shape Shape
	// PTuned is the tuned test's p value (NaN when the PN is an end level),
	// Slope the V-draw slope on log2 N and PSlope its two-sided p value.
	PTuned, Slope, PSlope float64
	// Peak is the untested version of the tuned criterion: an inner PN whose V
	// mean exceeds the V means at both ends (pure ramps pass it a few per cent
	// of the time, through noise).
	Peak bool
	// PNumV is the p value of a one-way ANOVA of the V responses across
	// numerosities (sets pooled): does the unit's numerosity effect replicate?
	PNumV float64
	// MeanV is the unit's mean V response per numerosity index.
	MeanV []float64
}

// ClassifyShapes classifies the listed units (layer indices stored in v, the
// validation draw) by the test of UnitShape, with pn their preferred numerosity
// index on the selection draw (indexed by layer unit, as Selection.PN) and nums
// the numerosity values of the indices.
func ClassifyShapes(v *Responses, units []int, pn []int, nums []int, alpha float64) ([]UnitShape, error) {
	cols, err := v.Columns(units)
	if err != nil {
		return nil, fmt.Errorf("numunits: ClassifyShapes: %w", err)
	}
	L := len(nums)
	lv := newLevelSums(v, cols, L)
	if err := lv.check(); err != nil {
		return nil, err
	}
	x := make([]float64, L)
	for i, n := range nums {
		x[i] = math.Log2(float64(n))
	}
	out := make([]UnitShape, len(units))
	for k, u := range units {
		p := pn[u]
		if p < 0 || p >= L {
			return nil, fmt.Errorf("numunits: ClassifyShapes: unit %d has PN index %d outside [0,%d)", u, p, L)
		}
		out[k] = lv.shape(k, p, x, alpha)
	}
	return out, nil
}

// levelSums holds, per unit and numerosity index, the count, sum and sum of
// squares of a draw's responses.
type levelSums struct {
	L, K    int
	n       []float64 // per level
	sum, sq []float64 // unit-major: k*L + level
}

func newLevelSums(v *Responses, cols []int, L int) *levelSums {
	K := len(cols)
	s := &levelSums{L: L, K: K, n: make([]float64, L), sum: make([]float64, K*L), sq: make([]float64, K*L)}
	for i, info := range v.Info {
		l := info.NumIdx
		if l < 0 || l >= L {
			continue
		}
		s.n[l]++
		row := v.Row(i)
		for k, c := range cols {
			y := float64(row[c])
			s.sum[k*L+l] += y
			s.sq[k*L+l] += y * y
		}
	}
	return s
}

func (s *levelSums) check() error {
	for l, n := range s.n {
		if n < 2 {
			return fmt.Errorf("numunits: ClassifyShapes: %g images of numerosity index %d, want at least 2", n, l)
		}
	}
	return nil
}

// moments returns the mean and the sample variance of unit k at level l.
func (s *levelSums) moments(k, l int) (float64, float64) {
	n := s.n[l]
	m := s.sum[k*s.L+l] / n
	return m, math.Max(0, (s.sq[k*s.L+l]-n*m*m)/(n-1))
}

// shape applies the test of UnitShape to unit k with T-draw PN p; x are the
// levels' log2 numerosities.
func (s *levelSums) shape(k, p int, x []float64, alpha float64) UnitShape {
	L := s.L
	us := UnitShape{PTuned: math.NaN(), MeanV: make([]float64, L)}
	vars := make([]float64, L)
	for l := 0; l < L; l++ {
		us.MeanV[l], vars[l] = s.moments(k, l)
	}
	us.PNumV = oneWayP(us.MeanV, vars, s.n)
	if p > 0 && p < L-1 {
		m := us.MeanV
		us.Peak = m[p] > m[0] && m[p] > m[L-1]
		p0 := welchGreater(m[p], vars[p], s.n[p], m[0], vars[0], s.n[0])
		p1 := welchGreater(m[p], vars[p], s.n[p], m[L-1], vars[L-1], s.n[L-1])
		us.PTuned = math.Max(p0, p1)
	}
	us.Slope, us.PSlope = s.slope(k, x, vars)
	switch {
	case us.PTuned < alpha:
		us.Shape = Tuned
	case us.PSlope < alpha && us.Slope < 0:
		us.Shape = Decreasing
	case us.PSlope < alpha && us.Slope > 0:
		us.Shape = Increasing
	}
	return us
}

// slope is the least-squares slope of unit k's responses on x (per level) over
// all images, with the two-sided p value of its t statistic.
func (s *levelSums) slope(k int, x, vars []float64) (float64, float64) {
	var n, sx, sy float64
	for l := range x {
		n += s.n[l]
		sx += s.n[l] * x[l]
		sy += s.sum[k*s.L+l]
	}
	mx, my := sx/n, sy/n
	var sxx, sxy, syy float64
	for l := range x {
		d := x[l] - mx
		m := s.sum[k*s.L+l] / s.n[l]
		sxx += s.n[l] * d * d
		sxy += d * s.n[l] * (m - my)
		// Total sum of squares = within-level + between-level.
		syy += (s.n[l]-1)*vars[l] + s.n[l]*(m-my)*(m-my)
	}
	b := sxy / sxx
	sse := math.Max(0, syy-b*sxy)
	if sse == 0 {
		if b == 0 {
			return 0, 1
		}
		return b, 0
	}
	t := b / math.Sqrt(sse/(n-2)/sxx)
	return b, 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: n - 2}.Survival(math.Abs(t))
}

// welchGreater is the one-sided p value of Welch's t-test that the mean m1
// (variance v1 over n1 values) exceeds m2.
func welchGreater(m1, v1, n1, m2, v2, n2 float64) float64 {
	a, b := v1/n1, v2/n2
	if a+b == 0 {
		if m1 > m2 {
			return 0
		}
		return 1
	}
	t := (m1 - m2) / math.Sqrt(a+b)
	df := (a + b) * (a + b) / (a*a/(n1-1) + b*b/(n2-1))
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Survival(t)
}

// oneWayP is the p value of a one-way ANOVA from per-group means, variances and
// counts (NaN for a constant unit).
func oneWayP(m, v, n []float64) float64 {
	var N, grand float64
	for l := range m {
		N += n[l]
		grand += n[l] * m[l]
	}
	grand /= N
	var ssb, ssw float64
	for l := range m {
		ssb += n[l] * (m[l] - grand) * (m[l] - grand)
		ssw += (n[l] - 1) * v[l]
	}
	d1, d2 := float64(len(m)-1), N-float64(len(m))
	if ssw == 0 {
		if ssb == 0 {
			return math.NaN()
		}
		return 0
	}
	return FUpper(ssb/d1/(ssw/d2), d1, d2)
}

// ShapeCounts counts the units of each shape.
type ShapeCounts struct {
	Units                                       int
	Decreasing, Increasing, Tuned, Unclassified int
	// Inner counts the units whose T-draw PN is an inner level (those the
	// tuned test applies to); Peak those of them that pass the untested
	// criterion UnitShape.Peak.
	Inner, Peak int
	// Replicated counts the units whose V-draw one-way ANOVA has p < alpha.
	Replicated int
}

// CountShapes counts shapes (pn: the T-draw PN per listed unit, in the order
// of shapes) with threshold alpha for the replication count.
func CountShapes(shapes []UnitShape, pn []int, levels int, alpha float64) ShapeCounts {
	c := ShapeCounts{Units: len(shapes)}
	for k, s := range shapes {
		switch s.Shape {
		case Decreasing:
			c.Decreasing++
		case Increasing:
			c.Increasing++
		case Tuned:
			c.Tuned++
		default:
			c.Unclassified++
		}
		if pn[k] > 0 && pn[k] < levels-1 {
			c.Inner++
			if s.Peak {
				c.Peak++
			}
		}
		if s.PNumV < alpha {
			c.Replicated++
		}
	}
	return c
}

// Fraction returns count/c.Units (NaN with no units).
func (c ShapeCounts) Fraction(count int) float64 { return float64(count) / float64(c.Units) }

// BinomUpper is the exact upper-tail p value P(X >= k) of X ~ Binomial(n, p):
// for example, whether k tuned units among n tested exceed the rate p (alpha)
// at which the test lets monotonic units through.
func BinomUpper(k, n int, p float64) float64 {
	if n <= 0 {
		return math.NaN()
	}
	if k <= 0 {
		return 1
	}
	return distuv.Binomial{N: float64(n), P: p}.Survival(float64(k) - 0.5)
}
