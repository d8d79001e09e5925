// Package kernel holds the int8 kernels of the numsense engine, behind one function
// each: the matrix multiply and requantisation, and the stages around them (LRN,
// max-pooling, im2col; stages.go).
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
//
// Implementations (Impls lists those this CPU runs, Use picks one; Gemm starts on
// the last, the fastest):
//
//   - "ref": GemmRef.
//   - "go": portable 4x2 register tile, about 2.1 arm64 instructions per MAC; the
//     only fast path on 32-bit arm (GOARM=6/7) and other architectures.
//   - "smlal" (arm64, every core): 4x4 tile, SMULL+SMLAL2+SADALP, 0.23 instr/MAC.
//   - "smlalp" (arm64, every core; the default without dot products): the same
//     arithmetic with four rows of a interleaved into a panel on the stack, so that
//     one load brings all four, and 32 bytes of k per step: 0.21 instr/MAC.
//   - "sdot" (arm64 with the dot-product extension, cpu.ARM64.HasASIMDDP, e.g.
//     Cortex-A76 in the Pi 5): 4x4 tile of SDOT, 0.10 instr/MAC.
//   - "sdotp" (the same cores; their default): 16 rows of a packed into a panel for
//     SDOT by element, 16x4 tiles whose accumulators need no reduction, 0.071
//     instr/MAC.
//   - "avx2" (amd64): exact int16 route (VPMADDWD; VPMADDUBSW would saturate), four
//     weight rows widened once into a stack buffer, 4x3 tiles.
//   - "vnni" (amd64 with AVX-512 VNNI and BW): 4x4 tile of VPDPBUSD on b+128 with
//     the row-sum correction folded into the bias; for short rows (conv1) a variant
//     that packs b and needs no horizontal reduction.
//   - "amx" (amd64 with AMX-TILE and AMX-INT8 besides the above, on Linux once the
//     process has been granted the tile data, which this package asks for at
//     initialisation): TDPBSSD on the signed operands as they are, 32 columns of b
//     packed per block, 2x2 accumulator tiles of 16x16; shapes it does not take
//     (m < 32, kp < 64 or > 4096) go to vnni.
//
// Requantize uses NEON on arm64 and AVX-512 or AVX2 on amd64 where present, else a
// branch-free Go loop; all are bit-exact with RequantizeRef.
//
// LRN, MaxPool and Im2col switch together (StageImpls lists them, UseStages picks
// one; the default is the last): "ref" (plain loops, the contract), "go" (the
// portable fallback: 32-bit arm, other architectures, -tags purego), "neon" (every
// arm64 core: window sums and table indices in SIMD with a scalar table lookup,
// LD2+SMAX pooling, TBL im2col) and "avx512" (amd64 with AVX-512 F, BW, CD, VBMI and
// VL: VPGATHERDD lookup, VPERMB pooling and im2col, masked stores); all bit-exact
// with the references.
//
// Tiles that would run past m or n are shifted back to end at the edge; they
// recompute a few outputs with identical values, always inside the caller's own
// part of c. The build tag purego leaves only "ref" and "go".
// docs/performance.md has the measurements.
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

// mustHold panics, as the index expressions in it do, unless a, b, bias and c are long
// enough for an m x n GEMM with rows of kp bytes (m, n, kp > 0): the assembly kernels
// are handed pointers to the first elements only.
func mustHold(m, n, kp int, a, b []int8, bias, c []int32, ldc int) {
	_ = a[m*kp-1]
	_ = b[n*kp-1]
	_ = bias[m-1]
	_ = c[(m-1)*ldc+n-1]
}

var (
	gemmImpl    = GemmRef
	requantImpl = RequantizeRef
)
