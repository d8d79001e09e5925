package svm

import (
	"math"
	"testing"

	"github.com/numsense/numsense/model/rng"
)

// gaussData draws n points in dim dimensions: label +1 with probability 1/2,
// mean +-sep/2 along a fixed random direction plus N(0, 1) noise, features
// offset by shift (tests the bias). flip labels are flipped with probability
// noise.
func gaussData(seed uint64, n, dim int, sep, shift, noise float64) (*Dense, []bool, []bool) {
	r := rng.New(seed)
	dir := make([]float64, dim)
	nn := 0.0
	for k := range dir {
		dir[k] = rng.New(99 + uint64(k)).Normal()
		nn += dir[k] * dir[k]
	}
	d := &Dense{Rows: n, Cols: dim, X: make([]float32, n*dim)}
	y := make([]bool, n)
	clean := make([]bool, n)
	for i := 0; i < n; i++ {
		y[i] = r.Float64() < 0.5
		clean[i] = y[i]
		s := -sep / 2
		if y[i] {
			s = sep / 2
		}
		for k := 0; k < dim; k++ {
			d.X[i*dim+k] = float32(shift + s*dir[k]/math.Sqrt(nn) + r.Normal())
		}
		if r.Float64() < noise {
			y[i] = !y[i]
		}
	}
	return d, y, clean
}

func TestSeparable(t *testing.T) {
	// Separation 12 sd: the classes do not overlap in practice.
	tr, ytr, _ := gaussData(1, 400, 20, 12, 50, 0)
	te, yte, _ := gaussData(2, 400, 20, 12, 50, 0)
	m, err := Train(tr, ytr, Opts{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if a := m.Accuracy(tr, ytr); a != 1 {
		t.Errorf("training accuracy %.4f on separable data, want 1", a)
	}
	if a := m.Accuracy(te, yte); a < 0.995 {
		t.Errorf("test accuracy %.4f, want >= 0.995", a)
	}
	if !m.Conv {
		t.Errorf("not converged after %d epochs", m.Epoch)
	}
}

func TestNoisy(t *testing.T) {
	// Separation 3 sd: Bayes accuracy Phi(1.5) = 0.933 on clean labels;
	// 15% of the training labels are flipped.
	n := 2000
	if testing.Short() {
		n = 600
	}
	tr, ytr, _ := gaussData(4, n, 50, 3, -20, 0.15)
	te, _, clean := gaussData(5, 2000, 50, 3, -20, 0)
	m, err := Train(tr, ytr, Opts{Seed: 6})
	if err != nil {
		t.Fatal(err)
	}
	a := m.Accuracy(te, clean)
	if a < 0.88 || a > 0.96 {
		t.Errorf("test accuracy %.4f, want in [0.88, 0.96] (Bayes 0.933)", a)
	}
	// The dual solution must be (near) optimal: perturbing w in random
	// directions must not lower the primal objective noticeably.
	obj := Objective(m, tr, ytr, 0)
	r := rng.New(7)
	for k := 0; k < 20; k++ {
		p := &Model{W: append([]float64(nil), m.W...), Bias: m.Bias + 0.05*r.Normal()}
		for j := range p.W {
			p.W[j] += 0.01 * r.Normal()
		}
		if o := Objective(p, tr, ytr, 0); o < obj-1e-3*obj {
			t.Fatalf("perturbed objective %.6f < trained %.6f", o, obj)
		}
	}
}

func TestDeterministicAndErrors(t *testing.T) {
	tr, ytr, _ := gaussData(8, 200, 10, 2, 0, 0)
	a, _ := Train(tr, ytr, Opts{Seed: 1})
	b, _ := Train(tr, ytr, Opts{Seed: 1})
	for j := range a.W {
		if a.W[j] != b.W[j] {
			t.Fatal("same seed, different weights")
		}
	}
	same := make([]bool, 200)
	if _, err := Train(tr, same, Opts{}); err != ErrOneClass {
		t.Errorf("one class: err %v, want ErrOneClass", err)
	}
	if _, err := Train(tr, ytr[:10], Opts{}); err == nil {
		t.Error("label count mismatch accepted")
	}
}

func TestSparseBinaryMatchesDense(t *testing.T) {
	r := rng.New(11)
	rows, cols := 300, 64
	d := &Dense{Rows: rows, Cols: cols, X: make([]float32, rows*cols)}
	s := NewSparseBinary(cols)
	y := make([]bool, rows)
	for i := 0; i < rows; i++ {
		row := make([]uint8, cols)
		cnt := 0
		for k := range row {
			if r.Float64() < 0.2 {
				row[k] = 1
				d.X[i*cols+k] = 1
				cnt++
			}
		}
		y[i] = cnt > 13
		s.AppendDense(row)
	}
	a, err := Train(d, y, Opts{Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Train(s, y, Opts{Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	for j := range a.W {
		if math.Abs(a.W[j]-b.W[j]) > 1e-9 {
			t.Fatalf("w[%d]: dense %g sparse %g", j, a.W[j], b.W[j])
		}
	}
	if acc := b.Accuracy(s, y); acc < 0.9 {
		t.Errorf("count-threshold task accuracy %.3f, want >= 0.9", acc)
	}
}

// BenchmarkTrainTaskSize trains at the comparison task's size: 1,600 pairs
// of 2x256 raw unit responses.
func BenchmarkTrainTaskSize(b *testing.B) {
	n := 1600
	if testing.Short() {
		n = 400
	}
	tr, ytr, _ := gaussData(12, n, 512, 2, 5, 0.1)
	b.ReportAllocs()
	b.ResetTimer()
	var m *Model
	for i := 0; i < b.N; i++ {
		m, _ = Train(tr, ytr, Opts{Seed: uint64(i)})
	}
	b.ReportMetric(float64(m.Epoch), "epochs")
}
