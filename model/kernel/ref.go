package kernel

import "math"

// GemmRef is the reference for Gemm: three plain loops.
func GemmRef(m, n, kp int, a, b []int8, bias []int32, c []int32, ldc int) {
	for i := 0; i < m; i++ {
		ar := a[i*kp : i*kp+kp]
		for j := 0; j < n; j++ {
			br := b[j*kp : j*kp+kp]
			s := bias[i]
			for k := range ar {
				s += int32(ar[k]) * int32(br[k])
			}
			c[i*ldc+j] = s
		}
	}
}

// SaturatingRoundingDoublingHighMul is gemmlowp's fixed-point multiply (NEON SQRDMULH):
// the high 32 bits of 2ab, rounded to nearest, saturated for MinInt32·MinInt32.
func SaturatingRoundingDoublingHighMul(a, b int32) int32 {
	if a == math.MinInt32 && b == math.MinInt32 {
		return math.MaxInt32
	}
	p := int64(a) * int64(b)
	nudge := int64(1 << 30)
	if p < 0 {
		nudge = 1 - (1 << 30)
	}
	return int32((p + nudge) / (1 << 31)) // Go's / truncates toward zero, as gemmlowp requires
}

// RoundingDivideByPOT divides x by 2^e rounding to nearest, ties away from zero.
func RoundingDivideByPOT(x int32, e int) int32 {
	mask := int32(1)<<e - 1
	rem := x & mask
	thr := mask >> 1
	if x < 0 {
		thr++
	}
	r := x >> e
	if rem > thr {
		r++
	}
	return r
}

// MultiplyByQuantizedMultiplier applies the fixed-point multiplier (qm, shift) that
// QuantizeMultiplier made from a real multiplier M: it returns round(acc·M).
func MultiplyByQuantizedMultiplier(acc, qm int32, shift int) int32 {
	left, right := 0, 0
	if shift > 0 {
		left = shift
	} else {
		right = -shift
	}
	return RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(acc*(1<<left), qm), right)
}

// QuantizeMultiplier turns a real multiplier M >= 0 into (qm, shift) with
// M ≈ qm·2^(shift-31), qm in [2^30, 2^31): frexp, round half away from zero,
// renormalise at 2^31, flush below 2^-31 to zero.
func QuantizeMultiplier(m float64) (qm int32, shift int) {
	if m == 0 {
		return 0, 0
	}
	q, s := math.Frexp(m)
	r := int64(math.Round(q * (1 << 31)))
	if r == 1<<31 {
		r = 1 << 30
		s++
	}
	if s < -31 {
		return 0, 0
	}
	return int32(r), s
}

// RequantizeRef is the reference for Requantize.
func RequantizeRef(acc []int32, qm int32, shift int, zp int32, lo int8, out []int8) {
	for j, a := range acc {
		v := MultiplyByQuantizedMultiplier(a, qm, shift) + zp
		if v < int32(lo) {
			v = int32(lo)
		}
		if v > 127 {
			v = 127
		}
		out[j] = int8(v)
	}
}
