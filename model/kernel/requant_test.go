package kernel

import (
	"math"
	"testing"

	"github.com/numsense/numsense/model/rng"
)

// requantImpls lists the Requantize implementations to check against the reference.
func requantImpls() map[string]func([]int32, int32, int, int32, int8, []int8) {
	l := map[string]func([]int32, int32, int, int32, int8, []int8){"go": requantGo, "dispatch": Requantize}
	for name, f := range archRequantAll() {
		l[name] = f
	}
	return l
}

func TestRequantizeBitExact(t *testing.T) {
	r := rng.New(7)
	n := 1000
	if testing.Short() {
		n = 200
	}
	acc := make([]int32, 67) // 4 x 16 + a tail of 3
	want := make([]int8, len(acc))
	got := make([]int8, len(acc))
	special := []int32{0, 1, -1, math.MaxInt32, math.MinInt32, math.MinInt32 + 1, 1 << 30, -1 << 30, 12345, -12345}
	for trial := 0; trial < n; trial++ {
		var qm int32
		var shift int
		switch trial % 4 {
		case 0: // as QuantizeMultiplier makes them
			qm, shift = QuantizeMultiplier(math.Exp(-12 * r.Float64()))
		case 1: // multipliers above 1: left shifts
			qm, shift = QuantizeMultiplier(1 + 7*r.Float64())
		case 2: // any qm, shifts over the whole range
			qm, shift = int32(r.Uint64()), r.IntRange(-31, 31)
		default:
			qm, shift = []int32{math.MaxInt32, math.MinInt32, 0, 1 << 30}[r.IntN(4)], r.IntRange(-31, 8)
		}
		zp := int32(r.IntRange(-128, 127))
		lo := int8(-128)
		if r.IntN(2) == 0 {
			lo = int8(max(-128, zp))
		}
		for j := range acc {
			switch {
			case j < len(special) && trial%3 == 0:
				acc[j] = special[j]
			case j%2 == 0:
				acc[j] = int32(r.Uint64())
			default:
				acc[j] = int32(r.IntRange(-1<<22, 1<<22))
			}
		}
		RequantizeRef(acc, qm, shift, zp, lo, want)
		for name, f := range requantImpls() {
			for _, l := range []int{len(acc), 16, 19, 5, 0} {
				for j := range got {
					got[j] = 99
				}
				f(acc[:l], qm, shift, zp, lo, got[:l])
				for j := 0; j < l; j++ {
					if got[j] != want[j] {
						t.Fatalf("%s: acc=%d qm=%d shift=%d zp=%d lo=%d: got %d, want %d", name, acc[j], qm, shift, zp, lo, got[j], want[j])
					}
				}
				for j := l; j < len(got); j++ {
					if got[j] != 99 {
						t.Fatalf("%s wrote out[%d] beyond len %d", name, j, l)
					}
				}
			}
		}
	}
}

// RequantName names what Requantize runs: the SIMD version where this CPU has one.
func TestRequantName(t *testing.T) {
	want := "go"
	for name := range archRequant() {
		want = name
	}
	if got := RequantName(); got != want {
		t.Fatalf("RequantName() = %q, want %q", got, want)
	}
}
