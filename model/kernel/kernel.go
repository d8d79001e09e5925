// Package kernel holds the int8 matrix-multiply and requantisation kernels of the
// numsense engine, behind one function each.
//
// The pure-Go functions in ref.go are the reference: plain, obviously correct loops.
// Faster versions (blocked Go, arm64 NEON, amd64 SIMD) sit behind Gemm and Requantize
// and are tested bit-exact against the reference.
//
// Layout contract (both operands K-contiguous, so a SIMD kernel loads 16 bytes of
// one row of each operand at a time):
//
//	c[i*ldc+j] = bias[i] + sum over k < kp of int32(a[i*kp+k]) * int32(b[j*kp+k])
//
// for 0 <= i < m, 0 <= j < n. a holds m rows of weights in [-127, 127] (never -128,
// so that two products fit one int16 lane); b holds n rows of activations (one row per
// output pixel: its im2col patch); kp is a multiple of KAlign, the rows padded with
// zeros in a (padding bytes of b may hold anything).
package kernel

// KAlign is the multiple every shared dimension kp is padded to.
const KAlign = 16

// PadK rounds k up to a multiple of KAlign.
func PadK(k int) int { return (k + KAlign - 1) / KAlign * KAlign }

// Gemm computes c = bias + a·bᵀ as described in the package comment.
// It is safe to call concurrently on disjoint parts of c.
func Gemm(m, n, kp int, a, b []int8, bias []int32, c []int32, ldc int) {
	gemmImpl(m, n, kp, a, b, bias, c, ldc)
}

// Requantize maps int32 accumulators of one output channel to int8:
//
//	out[j] = clamp(MultiplyByQuantizedMultiplier(acc[j], qm, shift) + zp, lo, 127)
//
// with the TFLite/gemmlowp fixed-point rounding (see ref.go). lo is the lower clamp:
// -128 for no activation, max(-128, zp) for a fused ReLU.
func Requantize(acc []int32, qm int32, shift int, zp int32, lo int8, out []int8) {
	requantImpl(acc, qm, shift, zp, lo, out)
}

var (
	gemmImpl    = GemmRef
	requantImpl = RequantizeRef
)
