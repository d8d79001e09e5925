package kernel

import (
	"math"
	"testing"
)

func TestQuantizeMultiplierRoundTrip(t *testing.T) {
	for _, m := range []float64{0.5, 0.75, 1e-3, 0.999999, 1.5, 3e-7} {
		qm, sh := QuantizeMultiplier(m)
		got := float64(qm) * math.Pow(2, float64(sh-31))
		if math.Abs(got-m) > m*1e-9 {
			t.Errorf("QuantizeMultiplier(%g) = %d, %d -> %g", m, qm, sh, got)
		}
	}
	if qm, sh := QuantizeMultiplier(1e-12); qm != 0 || sh != 0 {
		t.Errorf("tiny multiplier not flushed: %d %d", qm, sh)
	}
}

func TestMultiplyByQuantizedMultiplierRounds(t *testing.T) {
	pot := map[[2]int32]int32{{3, 1}: 2, {-3, 1}: -2, {-5, 2}: -1, {-6, 2}: -2, {6, 2}: 2, {5, 2}: 1, {-7, 2}: -2}
	for in, want := range pot {
		if got := RoundingDivideByPOT(in[0], int(in[1])); got != want {
			t.Errorf("RoundingDivideByPOT(%d, %d) = %d, want %d (ties away from zero)", in[0], in[1], got, want)
		}
	}
	for _, m := range []float64{0.3, 0.0123, 0.77, 1.9} {
		qm, sh := QuantizeMultiplier(m)
		for acc := int32(-100000); acc <= 100000; acc += 37 {
			exact := float64(acc) * m
			got := MultiplyByQuantizedMultiplier(acc, qm, sh)
			if math.Abs(float64(got)-exact) > 1 { // two roundings (SRDHM, then the shift): within one step
				t.Fatalf("%d * %g = %d, exact %g", acc, m, got, exact)
			}
		}
	}
	if got := SaturatingRoundingDoublingHighMul(math.MinInt32, math.MinInt32); got != math.MaxInt32 {
		t.Errorf("SRDHM saturation: %d", got)
	}
}

func TestGemmRefSmall(t *testing.T) {
	a := make([]int8, 2*16)
	b := make([]int8, 3*16)
	for k := 0; k < 16; k++ {
		a[k], a[16+k] = int8(k), -127
		b[k], b[16+k], b[32+k] = 1, int8(-k), -128
	}
	c := make([]int32, 2*4)
	GemmRef(2, 3, 16, a, b, []int32{10, -1}, c, 4)
	want := []int32{10 + 120, 10 - 1240, 10 - 128*120, 0, -1 - 127*16, -1 + 127*120, -1 + 127*128*16, 0}
	for i := range want {
		if c[i] != want[i] {
			t.Fatalf("c = %v, want %v", c, want)
		}
	}
}
