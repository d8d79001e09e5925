package accuracy

import (
	"math"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

func TestOf(t *testing.T) {
	s := []Sample{
		{True: 10, Estimate: 12, Lo: 9, Hi: 14},   // rel 0.2, inside
		{True: 4, Estimate: 4, Lo: 3, Hi: 5},      // rel 0, inside
		{True: 20, Estimate: 10, Lo: 8, Hi: 12.5}, // rel 0.5, outside
		{True: 0, Estimate: 3, Lo: 2, Hi: 4},      // no truth: ignored
		{True: 2, Estimate: 0, Lo: 0, Hi: 0},      // empty verdict: rel 1, ln(0.5/2)
	}
	f := Of(s)
	if f.Labelled != 4 {
		t.Fatalf("labelled %d, want 4", f.Labelled)
	}
	if !near(f.MedianRelErr, 0.35) || !near(f.MeanRelErr, 1.7/4) || !near(f.Coverage, 0.5) {
		t.Fatalf("figures %+v", f)
	}
	logs := []float64{math.Log(1.2), 0, math.Log(0.5), math.Log(0.25)}
	m := (logs[0] + logs[1] + logs[2] + logs[3]) / 4
	ss := 0.0
	for _, v := range logs {
		ss += (v - m) * (v - m)
	}
	if !near(f.LogBias, m) || !near(f.WeberFraction, math.Sqrt(ss/3)) {
		t.Fatalf("log bias %v, Weber %v; want %v, %v", f.LogBias, f.WeberFraction, m, math.Sqrt(ss/3))
	}
	if e := Of(nil); e.Labelled != 0 || !math.IsNaN(e.MedianRelErr) || !math.IsNaN(e.Coverage) || !math.IsNaN(e.WeberFraction) {
		t.Fatalf("empty set: %+v", e)
	}
}

func TestMedianQuantile(t *testing.T) {
	x := []float64{5, 1, 3, 2}
	if Median(x) != 2.5 || Median(x[:3]) != 3 || x[0] != 5 {
		t.Fatalf("median %v %v (input %v)", Median(x), Median(x[:3]), x)
	}
	if Quantile(x, 0.5) != 2 || Quantile(x, 0.95) != 5 || Quantile(x, 0.25) != 1 {
		t.Fatal("quantile")
	}
	if !math.IsNaN(Median(nil)) || !math.IsNaN(Quantile(nil, 0.5)) || !math.IsNaN(SD([]float64{1})) {
		t.Fatal("empty inputs must give NaN")
	}
	if !Inside(3, 3.0000000001, 4) || Inside(5, 3, 4.9) {
		t.Fatal("Inside")
	}
}

func TestPearson(t *testing.T) {
	a := []float32{1, 2, 3, 4}
	if r := Pearson(a, []float32{2, 4, 6, 8}); math.Abs(r-1) > 1e-12 {
		t.Errorf("Pearson of a line: %g, want 1", r)
	}
	if r := Pearson(a, []float32{4, 3, 2, 1}); math.Abs(r+1) > 1e-12 {
		t.Errorf("Pearson of a falling line: %g, want -1", r)
	}
	if r := Pearson(a, []float32{1, -1, -1, 1}); math.Abs(r) > 1e-12 {
		t.Errorf("Pearson of orthogonal data: %g, want 0", r)
	}
	if r := Pearson(a, []float32{5, 5, 5, 5}); !math.IsNaN(r) {
		t.Errorf("Pearson with a constant: %g, want NaN", r)
	}
}
