package numunits

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/mathext"
)

// ANOVA accumulates the responses of many units, one image at a time, for a
// balanced two-way analysis of variance: factor A is the numerosity (Levels
// levels), factor B the stimulus set (Sets levels), with the same number of
// images n >= 2 in every (numerosity, set) cell.
//
// Only per-cell running means and sums of squared deviations (Welford's update,
// in float64) are kept, so memory is 2*Levels*Sets*Units float64 values
// (33 MB for 16x3 cells and the 43,264 relu5 units) whatever n is. An ANOVA is not
// safe for concurrent use.
type ANOVA struct {
	levels, sets, units int
	count               []int     // per cell; cell = numIdx*sets + set
	mean                []float64 // cell*units + unit
	m2                  []float64 // cell*units + unit: sum of squared deviations from the cell mean
	lut                 [256]float64
	lutScale            float32
	lutZP               int32
	lutValid            bool
}

// NewANOVA returns an empty accumulator for levels numerosities, sets stimulus
// sets and units units.
func NewANOVA(levels, sets, units int) (*ANOVA, error) {
	if levels < 2 || sets < 1 || units < 1 {
		return nil, fmt.Errorf("numunits: NewANOVA(%d levels, %d sets, %d units): need levels >= 2, sets >= 1, units >= 1", levels, sets, units)
	}
	cells := levels * sets
	return &ANOVA{
		levels: levels, sets: sets, units: units,
		count: make([]int, cells),
		mean:  make([]float64, cells*units),
		m2:    make([]float64, cells*units),
	}, nil
}

// Units returns the number of units per image.
func (s *ANOVA) Units() int { return s.units }

// Reset empties the accumulator, keeping its memory.
func (s *ANOVA) Reset() {
	clear(s.count)
	clear(s.mean)
	clear(s.m2)
}

func (s *ANOVA) cell(set, numIdx, n int) (int, error) {
	if set < 0 || set >= s.sets {
		return 0, fmt.Errorf("numunits: ANOVA.Add: set %d out of range [0,%d)", set, s.sets)
	}
	if numIdx < 0 || numIdx >= s.levels {
		return 0, fmt.Errorf("numunits: ANOVA.Add: numerosity index %d out of range [0,%d)", numIdx, s.levels)
	}
	if n != s.units {
		return 0, fmt.Errorf("numunits: ANOVA.Add: %d responses, want %d units", n, s.units)
	}
	return numIdx*s.sets + set, nil
}

// Add accumulates the responses of all units to one image of stimulus set set
// (0-based) and numerosity index numIdx (0-based). It does not allocate.
func (s *ANOVA) Add(set, numIdx int, resp []float32) error {
	c, err := s.cell(set, numIdx, len(resp))
	if err != nil {
		return err
	}
	s.count[c]++
	inv := 1 / float64(s.count[c])
	mean := s.mean[c*s.units : (c+1)*s.units]
	m2 := s.m2[c*s.units : (c+1)*s.units]
	for u, r := range resp {
		x := float64(r)
		d := x - mean[u]
		mu := mean[u] + d*inv
		mean[u] = mu
		m2[u] += d * (x - mu)
	}
	return nil
}

// AddInt8 is Add for int8-quantised responses: unit u's response is
// scale*(q[u]-zp), evaluated in float64 through a 256-entry table (rebuilt only
// when scale or zp change), so no float conversion buffer is needed. It does not
// allocate.
func (s *ANOVA) AddInt8(set, numIdx int, q []int8, scale float32, zp int32) error {
	c, err := s.cell(set, numIdx, len(q))
	if err != nil {
		return err
	}
	if !s.lutValid || s.lutScale != scale || s.lutZP != zp {
		for i := range s.lut {
			s.lut[i] = float64(scale) * float64(int32(int8(uint8(i)))-zp)
		}
		s.lutScale, s.lutZP, s.lutValid = scale, zp, true
	}
	s.count[c]++
	inv := 1 / float64(s.count[c])
	mean := s.mean[c*s.units : (c+1)*s.units]
	m2 := s.m2[c*s.units : (c+1)*s.units]
	for u, v := range q {
		x := s.lut[uint8(v)]
		d := x - mean[u]
		mu := mean[u] + d*inv
		mean[u] = mu
		m2[u] += d * (x - mu)
	}
	return nil
}

// Result is the two-way ANOVA table of every unit plus the per-numerosity
// summaries a decoder needs. Per-unit slices have length Units; matrices are
// unit-major (index u*Levels + i).
type Result struct {
	Levels, Sets, Units int
	N                   int // images per cell

	DfA, DfB, DfAB, DfE int // degrees of freedom: a-1, b-1, (a-1)(b-1), ab(n-1)

	SSA, SSB, SSAB, SSE []float64 // sums of squares
	// FA, FB, FAB are the F statistics: +Inf when SSE is 0 but the term's SS
	// is not, NaN (as MATLAB's 0/0) when both are 0, giving p = 0 and NaN.
	FA, FB, FAB []float64
	// PA, PB, PAB are the upper-tail p values of FA, FB, FAB under
	// F(df, DfE). Constant units have NaN in every p value.
	PA, PB, PAB []float64

	// Constant reports units whose responses are identical for every image.
	Constant []bool

	// Mean is the mean response per numerosity over all sets and images
	// (the marginal mean ybar_i.), unit-major.
	Mean []float64
	// SD is the sample standard deviation of the Sets*N responses at each
	// numerosity (sets pooled, denominator Sets*N-1), unit-major.
	SD []float64
}

// ErrUnbalanced is returned by Result when the cells hold different numbers of
// images or fewer than two each.
var ErrUnbalanced = errors.New("numunits: ANOVA design is not balanced with n >= 2 per cell")

// Result computes the ANOVA table of every unit. The accumulator is not
// modified; more images may be added and Result called again. Work is split
// over GOMAXPROCS goroutines.
func (s *ANOVA) Result() (*Result, error) {
	n := s.count[0]
	for c, k := range s.count {
		if k != n || n < 2 {
			return nil, fmt.Errorf("%w: cell (numerosity %d, set %d) has %d images, cell (0,0) has %d",
				ErrUnbalanced, c/s.sets, c%s.sets, k, n)
		}
	}
	a, b, U := s.levels, s.sets, s.units
	r := &Result{
		Levels: a, Sets: b, Units: U, N: n,
		DfA: a - 1, DfB: b - 1, DfAB: (a - 1) * (b - 1), DfE: a * b * (n - 1),
	}
	f := make([]float64, 9*U+2*U*a)
	take := func(k int) []float64 { v := f[:k:k]; f = f[k:]; return v }
	r.SSA, r.SSB, r.SSAB, r.SSE = take(U), take(U), take(U), take(U)
	r.FA, r.FB, r.FAB = take(U), take(U), take(U)
	r.PA, r.PB = take(U), take(U)
	r.PAB = make([]float64, U)
	r.Mean, r.SD = take(U*a), take(U*a)
	r.Constant = make([]bool, U)

	workers := runtime.GOMAXPROCS(0)
	const block = 512
	blocks := (U + block - 1) / block
	var wg sync.WaitGroup
	next := make(chan int, blocks)
	for i := 0; i < blocks; i++ {
		next <- i
	}
	close(next)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cm := make([]float64, a*b)
			colm := make([]float64, b)
			for blk := range next {
				lo := blk * block
				hi := min(lo+block, U)
				for u := lo; u < hi; u++ {
					s.unit(r, u, cm, colm)
				}
			}
		}()
	}
	wg.Wait()
	return r, nil
}

// unit fills row u of r. cm and colm are scratch of length a*b and b.
func (s *ANOVA) unit(r *Result, u int, cm, colm []float64) {
	a, b, U, n := s.levels, s.sets, s.units, r.N
	fn := float64(n)
	sse := 0.0
	constant := true
	first := s.mean[u]
	for c := 0; c < a*b; c++ {
		m := s.mean[c*U+u]
		cm[c] = m
		e := s.m2[c*U+u]
		sse += e
		if e != 0 || m != first {
			constant = false
		}
	}
	// Grand mean and column (set) means from the cell means.
	clear(colm)
	grand := 0.0
	for i := 0; i < a; i++ {
		for j := 0; j < b; j++ {
			colm[j] += cm[i*b+j]
		}
	}
	for j := range colm {
		colm[j] /= float64(a)
		grand += colm[j]
	}
	grand /= float64(b)
	ssa, ssab := 0.0, 0.0
	for i := 0; i < a; i++ {
		rm := 0.0
		for j := 0; j < b; j++ {
			rm += cm[i*b+j]
		}
		rm /= float64(b)
		r.Mean[u*a+i] = rm
		da := rm - grand
		ssa += da * da
		// Pooled-over-sets SD at this numerosity: within-cell plus between-cell parts.
		within := 0.0
		for j := 0; j < b; j++ {
			c := i*b + j
			d := cm[c] - rm
			within += s.m2[c*U+u] + fn*d*d
			e := cm[c] - rm - colm[j] + grand
			ssab += e * e
		}
		r.SD[u*a+i] = math.Sqrt(within / float64(b*n-1))
	}
	ssb := 0.0
	for j := 0; j < b; j++ {
		d := colm[j] - grand
		ssb += d * d
	}
	ssa *= float64(b) * fn
	ssb *= float64(a) * fn
	ssab *= fn
	r.SSA[u], r.SSB[u], r.SSAB[u], r.SSE[u] = ssa, ssb, ssab, sse
	if constant {
		r.Constant[u] = true
		nan := math.NaN()
		r.FA[u], r.FB[u], r.FAB[u] = nan, nan, nan
		r.PA[u], r.PB[u], r.PAB[u] = nan, nan, nan
		return
	}
	mse := sse / float64(r.DfE)
	r.FA[u] = fstat(ssa, r.DfA, mse)
	r.FB[u] = fstat(ssb, r.DfB, mse)
	r.FAB[u] = fstat(ssab, r.DfAB, mse)
	r.PA[u] = FUpper(r.FA[u], float64(r.DfA), float64(r.DfE))
	r.PB[u] = FUpper(r.FB[u], float64(r.DfB), float64(r.DfE))
	r.PAB[u] = FUpper(r.FAB[u], float64(r.DfAB), float64(r.DfE))
}

func fstat(ss float64, df int, mse float64) float64 {
	if df == 0 {
		return math.NaN()
	}
	ms := ss / float64(df)
	if mse == 0 {
		if ms == 0 {
			return math.NaN()
		}
		return math.Inf(1)
	}
	return ms / mse
}

// FUpper returns P(X > f) for X ~ F(d1, d2), computed directly as the
// regularized incomplete beta I_{d2/(d2+d1 f)}(d2/2, d1/2) so that small p
// values keep their relative precision. FUpper(+Inf) = 0, FUpper(f <= 0) = 1,
// FUpper(NaN) = NaN.
func FUpper(f, d1, d2 float64) float64 {
	switch {
	case math.IsNaN(f):
		return math.NaN()
	case math.IsInf(f, 1):
		return 0
	case f <= 0:
		return 1
	}
	return mathext.RegIncBeta(d2/2, d1/2, d2/(d2+d1*f))
}

// FCritical returns the F value whose upper tail under F(d1, d2) is alpha,
// found by bisection on FUpper (to about 1e-12 relative).
func FCritical(alpha, d1, d2 float64) float64 {
	lo, hi := 0.0, 1.0
	for FUpper(hi, d1, d2) > alpha {
		hi *= 2
		if hi > 1e300 {
			return math.Inf(1)
		}
	}
	for i := 0; i < 200 && hi-lo > 1e-13*hi; i++ {
		mid := (lo + hi) / 2
		if FUpper(mid, d1, d2) > alpha {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}
