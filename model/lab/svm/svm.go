// Package svm trains binary linear support vector machines (hinge loss, L2
// penalty) by dual coordinate descent.
//
// The objective is that of MATLAB's fitclinear with Learner "svm" and the ridge
// penalty used by Kim et al. 2021:
//
//	min over w, b:  (1/n) * sum_i max(0, 1 - y_i (w·x_i + b)) + (lambda/2) |w|^2
//
// with lambda = 1/n by default. Dividing by lambda gives the classic form
// 1/2 |w|^2 + C sum_i hinge_i with C = 1/(lambda n) (C = 1 for lambda = 1/n),
// which is solved in its dual, 0 <= alpha_i <= C, one coordinate at a time in
// a seeded random order (Hsieh, Chang, Lin, Keerthi & Sundararajan, ICML 2008).
// fitclinear leaves the bias unpenalised; here the bias is a weight on an
// extra constant feature of value BiasScale (default 1) and the features are
// centred internally (an exact change of variables for an unpenalised bias)
// because raw ReLU responses are all positive and badly conditioned; with
// centred features the optimal bias is of the order of the margin, so its
// small penalty hardly matters. Coordinates stuck at a bound are shrunk away
// as in liblinear. Unlike fitclinear's SGD the
// result is deterministic for a given seed.
//
// Data are supplied through the Data interface so that callers can train on
// views (for example pairs of stored image responses, or sparse binary pixel
// images) without building a dense design matrix.
package svm

import (
	"errors"
	"fmt"
	"math"

	"github.com/numsense/numsense/model/rng"
)

// Data is a set of feature vectors (rows) of a common dimension.
type Data interface {
	// Len is the number of rows.
	Len() int
	// Dim is the number of features per row.
	Dim() int
	// Dot returns the inner product of row i with w (len Dim).
	Dot(i int, w []float64) float64
	// AddTo adds s times row i to w.
	AddTo(i int, s float64, w []float64)
	// SqNorm returns the squared Euclidean norm of row i.
	SqNorm(i int) float64
}

// Dense is a row-major matrix of float32 features.
type Dense struct {
	Rows, Cols int
	X          []float32 // len Rows*Cols
}

// Len implements Data.
func (d *Dense) Len() int { return d.Rows }

// Dim implements Data.
func (d *Dense) Dim() int { return d.Cols }

func (d *Dense) row(i int) []float32 { return d.X[i*d.Cols : (i+1)*d.Cols] }

// Dot implements Data.
func (d *Dense) Dot(i int, w []float64) float64 { return Dot32(d.row(i), w) }

// AddTo implements Data.
func (d *Dense) AddTo(i int, s float64, w []float64) { Axpy32(s, d.row(i), w) }

// SqNorm implements Data.
func (d *Dense) SqNorm(i int) float64 {
	t := 0.0
	for _, v := range d.row(i) {
		t += float64(v) * float64(v)
	}
	return t
}

// Dot32 returns sum x[k]*w[k] in float64.
func Dot32(x []float32, w []float64) float64 {
	w = w[:len(x)]
	var s0, s1, s2, s3 float64
	k := 0
	for ; k+4 <= len(x); k += 4 {
		s0 += float64(x[k]) * w[k]
		s1 += float64(x[k+1]) * w[k+1]
		s2 += float64(x[k+2]) * w[k+2]
		s3 += float64(x[k+3]) * w[k+3]
	}
	for ; k < len(x); k++ {
		s0 += float64(x[k]) * w[k]
	}
	return (s0 + s1) + (s2 + s3)
}

// Axpy32 adds s*x to w.
func Axpy32(s float64, x []float32, w []float64) {
	w = w[:len(x)]
	for k, v := range x {
		w[k] += s * float64(v)
	}
}

// Opts configures Train. The zero value gives the defaults.
type Opts struct {
	// Lambda is the ridge penalty; 0 means 1/n.
	Lambda float64
	// MaxEpochs bounds the passes over the (active) data; 0 means 1000.
	MaxEpochs int
	// Tol stops training when the spread of the projected gradients over
	// one epoch of all rows falls below it; 0 means 0.1 (liblinear's default).
	Tol float64
	// BiasScale is the value of the constant feature carrying the bias;
	// 0 means 1. The features are centred internally, so the optimal bias
	// is of the order of the margin (1) and its penalty is small.
	BiasScale float64
	// Seed seeds the random order of the coordinates.
	Seed uint64
}

// Model is a trained linear classifier: the label is +1 when
// W·x + Bias > 0, else -1.
type Model struct {
	W     []float64
	Bias  float64
	Epoch int  // epochs run
	Conv  bool // true if the tolerance was reached before MaxEpochs
}

// Decision returns W·x_i + Bias for row i of d.
func (m *Model) Decision(d Data, i int) float64 { return d.Dot(i, m.W) + m.Bias }

// Predict returns the predicted label of row i (true for +1).
func (m *Model) Predict(d Data, i int) bool { return m.Decision(d, i) > 0 }

// Accuracy returns the fraction of rows of d whose prediction equals y.
func (m *Model) Accuracy(d Data, y []bool) float64 {
	ok := 0
	for i := 0; i < d.Len(); i++ {
		if m.Predict(d, i) == y[i] {
			ok++
		}
	}
	return float64(ok) / float64(d.Len())
}

// ErrOneClass is returned when the training labels are all equal.
var ErrOneClass = errors.New("svm: training labels are all of one class")

// Train fits a linear SVM to rows of d with labels y (true = +1): the
// problem's constants, the centred coordinates, dual coordinate descent epochs
// until the projected gradients settle, and the weights back in raw
// coordinates.
func Train(d Data, y []bool, o Opts) (*Model, error) {
	if err := checkLabels(d, y); err != nil {
		return nil, err
	}
	s := newSolver(d, y, o)
	m := &Model{}
	for ep := 0; ep < s.epochs; ep++ {
		m.Epoch = ep + 1
		if s.epoch() {
			m.Conv = true
			break
		}
	}
	m.W, m.Bias = s.weights()
	return m, nil
}

// checkLabels rejects a mismatch of rows and labels, and labels of one class.
func checkLabels(d Data, y []bool) error {
	n := d.Len()
	if n != len(y) || n == 0 {
		return fmt.Errorf("svm: %d rows and %d labels", n, len(y))
	}
	pos := 0
	for _, v := range y {
		if v {
			pos++
		}
	}
	if pos == 0 || pos == n {
		return ErrOneClass
	}
	return nil
}

// solver is the state of dual coordinate descent. It works in centred
// coordinates x_i - mu (an exact reparametrisation when the bias is
// unpenalised; it removes the ill-conditioning of raw, all-positive features).
// w is kept as v - s*mu so that an update costs one AddTo of the raw row:
// w·(x_j - mu) = v·x_j - s*mu·x_j - mu·w.
type solver struct {
	d      Data
	y      []bool
	C, tol float64
	B      float64 // value of the bias feature
	epochs int

	mu, mux, q []float64 // mean row, mu·x_i, |x_i - mu|^2 + B^2
	mumu       float64   // mu·mu
	v          []float64
	s, muw     float64 // w = v - s*mu; muw = mu·w
	wb         float64 // weight of the bias feature
	alpha      []float64
	r          *rng.Rand
	order      []int
	active     int
	// Shrinking (as in liblinear): coordinates at a bound whose gradient points
	// out of the box by more than last epoch's extreme projected gradients are
	// dropped until the active set converges, then all are checked again.
	pgMaxOld, pgMinOld float64
}

// newSolver sets the constants (lambda 1/n, 1000 epochs, tolerance 0.1, bias
// feature 1 unless o says otherwise) and the centred coordinates.
func newSolver(d Data, y []bool, o Opts) *solver {
	n, dim := d.Len(), d.Dim()
	lambda := o.Lambda
	if lambda <= 0 {
		lambda = 1 / float64(n)
	}
	s := &solver{d: d, y: y, C: 1 / (lambda * float64(n)), epochs: o.MaxEpochs, tol: o.Tol, B: o.BiasScale,
		mu: make([]float64, dim), mux: make([]float64, n), q: make([]float64, n), v: make([]float64, dim),
		alpha: make([]float64, n), r: rng.New(o.Seed), active: n, pgMaxOld: math.Inf(1), pgMinOld: math.Inf(-1)}
	if s.epochs <= 0 {
		s.epochs = 1000
	}
	if s.tol <= 0 {
		s.tol = 0.1
	}
	if s.B <= 0 {
		s.B = 1
	}
	for i := 0; i < n; i++ {
		d.AddTo(i, 1/float64(n), s.mu)
	}
	for _, v := range s.mu {
		s.mumu += v * v
	}
	for i := range s.q {
		s.mux[i] = d.Dot(i, s.mu)
		s.q[i] = math.Max(0, d.SqNorm(i)-2*s.mux[i]+s.mumu) + s.B*s.B
	}
	s.order = s.r.Perm(n)
	return s
}

// epoch runs one pass over the active coordinates in random order and reports
// whether the whole problem has converged.
func (s *solver) epoch() bool {
	n := len(s.y)
	s.r.Shuffle(s.active, func(a, b int) { s.order[a], s.order[b] = s.order[b], s.order[a] })
	pgMax, pgMin := math.Inf(-1), math.Inf(1)
	for k := 0; k < s.active; k++ {
		i := s.order[k]
		g := s.gradient(i)
		pg, shrink := s.project(i, g)
		if shrink {
			s.active--
			s.order[k], s.order[s.active] = s.order[s.active], s.order[k]
			k--
			continue
		}
		pgMax, pgMin = math.Max(pgMax, pg), math.Min(pgMin, pg)
		if math.Abs(pg) >= 1e-12 && s.q[i] != 0 {
			s.update(i, g)
		}
	}
	if pgMax-pgMin < s.tol || s.active == 0 {
		if s.active == n {
			return true
		}
		s.active = n
		s.pgMaxOld, s.pgMinOld = math.Inf(1), math.Inf(-1)
		return false
	}
	s.pgMaxOld, s.pgMinOld = pgMax, pgMin
	if s.pgMaxOld <= 0 {
		s.pgMaxOld = math.Inf(1)
	}
	if s.pgMinOld >= 0 {
		s.pgMinOld = math.Inf(-1)
	}
	return false
}

func (s *solver) label(i int) float64 {
	if s.y[i] {
		return 1
	}
	return -1
}

// gradient is the dual gradient of coordinate i.
func (s *solver) gradient(i int) float64 {
	wx := s.d.Dot(i, s.v) - s.s*s.mux[i] - s.muw // w·(x_i - mu)
	return s.label(i)*(wx+s.wb*s.B) - 1
}

// project returns coordinate i's projected gradient from its gradient g, or
// shrink when the coordinate sits at a bound and should leave the active set.
func (s *solver) project(i int, g float64) (pg float64, shrink bool) {
	switch {
	case s.alpha[i] == 0:
		if g > s.pgMaxOld {
			return 0, true
		}
		return math.Min(g, 0), false
	case s.alpha[i] == s.C:
		if g < s.pgMinOld {
			return 0, true
		}
		return math.Max(g, 0), false
	}
	return g, false
}

// update minimises the dual along coordinate i, whose gradient is g (clipped
// to [0, C]).
func (s *solver) update(i int, g float64) {
	yi := s.label(i)
	old := s.alpha[i]
	s.alpha[i] = math.Min(math.Max(old-g/s.q[i], 0), s.C)
	if delta := (s.alpha[i] - old) * yi; delta != 0 {
		// w += delta*(x_i - mu)
		s.d.AddTo(i, delta, s.v)
		s.s += delta
		s.muw += delta * (s.mux[i] - s.mumu)
		s.wb += delta * s.B
	}
}

// weights returns w and the bias in raw coordinates:
// w·(x - mu) + wb*B = w·x + (wb*B - mu·w).
func (s *solver) weights() ([]float64, float64) {
	w := s.v
	muw := 0.0
	for k := range w {
		w[k] -= s.s * s.mu[k]
		muw += s.mu[k] * w[k]
	}
	return w, s.wb*s.B - muw
}

// Objective returns the primal objective (1/n) sum hinge + (lambda/2)|w|^2 of m
// on d, y (lambda 0 meaning 1/n); the bias is not penalised.
func Objective(m *Model, d Data, y []bool, lambda float64) float64 {
	n := d.Len()
	if lambda <= 0 {
		lambda = 1 / float64(n)
	}
	h := 0.0
	for i := 0; i < n; i++ {
		yi := -1.0
		if y[i] {
			yi = 1
		}
		h += math.Max(0, 1-yi*m.Decision(d, i))
	}
	ww := 0.0
	for _, v := range m.W {
		ww += v * v
	}
	return h/float64(n) + lambda/2*ww
}
