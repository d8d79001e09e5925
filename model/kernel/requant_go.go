package kernel

import "math"

// requantGo is the portable Requantize: the reference arithmetic with the per-call
// decisions (left or right shift, rounding threshold, clamp bounds) hoisted out of the
// loop and the rounding done without branches. Bit-exact with RequantizeRef.
func requantGo(acc []int32, qm int32, shift int, zp int32, lo int8, out []int8) {
	out = out[:len(acc)]
	left, right := 0, 0
	if shift > 0 {
		left = shift
	} else {
		right = -shift
	}
	if qm == math.MinInt32 || left > 31 || right > 31 { // SRDHM saturation, huge shifts
		RequantizeRef(acc, qm, shift, zp, lo, out)
		return
	}
	q := int64(qm)
	mask := int32(1)<<uint(right) - 1
	half := mask >> 1
	l := int32(lo)
	for j, a := range acc {
		// SaturatingRoundingDoublingHighMul(a<<left, qm): the reference's nudge
		// (2^30, or 1-2^30 for a negative product) followed by division truncating
		// toward zero equals adding 2^30 and shifting (flooring), as SQRDMULH does.
		x := int32((int64(a<<uint(left))*q + 1<<30) >> 31)
		// RoundingDivideByPOT(x, right): ties away from zero.
		thr := half - x>>31
		v := x>>uint(right) + int32(uint32(thr-x&mask)>>31) + zp
		v = max(v, l)
		v = min(v, 127)
		out[j] = int8(v)
	}
}
