package rng

import (
	"math"
	"testing"
)

func TestLogMatchesMath(t *testing.T) {
	r := New(1)
	for i := 0; i < 100000; i++ {
		x := math.Exp(r.Float64()*80 - 40)
		got, want := Log(x), math.Log(x)
		if math.Abs(got-want) > 4e-16*math.Max(1, math.Abs(want)) {
			t.Fatalf("Log(%g) = %.17g, math.Log = %.17g", x, got, want)
		}
	}
	if !math.IsInf(Log(0), -1) || !math.IsNaN(Log(-1)) || !math.IsInf(Log(math.Inf(1)), 1) {
		t.Fatal("Log special cases wrong")
	}
}

func TestNormalMoments(t *testing.T) {
	r := New(42)
	const n = 200000
	var s, s2, s4 float64
	for i := 0; i < n; i++ {
		x := r.Normal()
		s += x
		s2 += x * x
		s4 += x * x * x * x
	}
	mean, v, kurt := s/n, s2/n, s4/n
	if math.Abs(mean) > 0.01 || math.Abs(v-1) > 0.015 || math.Abs(kurt-3) > 0.08 {
		t.Fatalf("moments off: mean %g var %g fourth %g", mean, v, kurt)
	}
}

func TestIntNUniform(t *testing.T) {
	r := New(7)
	var c [6]int
	for i := 0; i < 60000; i++ {
		c[r.IntN(6)]++
	}
	for k, v := range c {
		if v < 9500 || v > 10500 {
			t.Fatalf("IntN(6) bucket %d has %d of 60000", k, v)
		}
	}
	for i := 0; i < 1000; i++ {
		if v := r.IntRange(1, 3); v < 1 || v > 3 {
			t.Fatalf("IntRange(1,3) = %d", v)
		}
	}
}

// TestGolden pins the stream so that any change to the generator, or a platform
// that computes it differently (FMA fusion, a different log), fails here. The same
// values must come out under amd64, arm64 and 32-bit arm (make test-arm).
func TestGolden(t *testing.T) {
	r := New(2021)
	var h uint64 = 14695981039346656037
	mix := func(v uint64) { h = (h ^ v) * 1099511628211 }
	for i := 0; i < 1000; i++ {
		mix(r.Uint64())
		mix(math.Float64bits(r.Normal()))
		mix(math.Float64bits(Log(r.Float64() + 1e-3)))
	}
	const want = 0xcc7bb7e0b58cb4bf
	if h != want {
		t.Fatalf("stream hash %#x, want %#x", h, uint64(want))
	}
}

func TestDerive(t *testing.T) {
	seen := map[uint64]bool{}
	for base := uint64(0); base < 4; base++ {
		for stream := uint64(0); stream < 64; stream++ {
			d := Derive(base, stream)
			if seen[d] {
				t.Fatalf("Derive(%d, %d) repeats an earlier seed", base, stream)
			}
			seen[d] = true
		}
	}
	// Pinned: derived seeds name stimulus draws in reports and model files.
	if d := Derive(1, 1); d != 0xbeeb8da1658eec67 {
		t.Errorf("Derive(1, 1) = %#x", d)
	}
}
