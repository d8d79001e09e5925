//go:build !purego

package kernel

import "golang.org/x/sys/cpu"

//go:noescape
func sdot4xN(a, b *int8, kp, n int, c *int32, ldc int, bias *int32)

//go:noescape
func smlal4xN(a, b *int8, kp, n int, c *int32, ldc int, bias *int32)

//go:noescape
func smlalPanelGemm(a, b *int8, kp, n int, c *int32, ldc int, bias *int32, m int)

//go:noescape
func sdotPanelGemm(a, b *int8, kp, n int, c *int32, ldc int, bias *int32, m int)

func archImpls() []Impl {
	l := []Impl{
		{"smlal", gemmSMLAL},   // ARMv8.0 NEON: every arm64 core
		{"smlalp", gemmSMLALP}, // the same, packed panels
	}
	if cpu.ARM64.HasASIMDDP {
		l = append(l, Impl{"sdot", gemmSDOT})   // Cortex-A76 (Pi 5) and later
		l = append(l, Impl{"sdotp", gemmSDOTP}) // the same cores, packed panels
	}
	return l
}

func gemmSDOT(m, n, kp int, a, b []int8, bias []int32, c []int32, ldc int) {
	rows4(sdot4xN, m, n, kp, a, b, bias, c, ldc)
}

// panelMaxK is the longest row the panel kernels pack: their panels (sdotp: 16 rows,
// 64 KiB; smlalp: 4 rows, 16 KiB) live in the assembly's own stack frame.
const panelMaxK = 4096

// gemmSDOTP packs 16 rows of a at a time into a panel for SDOT by element and walks
// all of b against it in 16x4 tiles (gemm_sdotp_arm64.s).
func gemmSDOTP(m, n, kp int, a, b []int8, bias []int32, c []int32, ldc int) {
	panel(sdotPanelGemm, 16, gemmSDOT, m, n, kp, a, b, bias, c, ldc)
}

// gemmSMLALP interleaves 4 rows of a at a time into a panel and walks all of b
// against it in 4x4 tiles (gemm_smlalp_arm64.s).
func gemmSMLALP(m, n, kp int, a, b []int8, bias []int32, c []int32, ldc int) {
	panel(smlalPanelGemm, 4, gemmSMLAL, m, n, kp, a, b, bias, c, ldc)
}

// panel runs the panel kernel kern, whose row blocks are rows high, on the whole GEMM;
// fewer rows than that, fewer than 4 columns, or rows longer than panelMaxK take
// fallback (the 4x4 kernel of the same instructions, which hands m < 4 or n < 4 to
// gemmGo).
func panel(kern func(a, b *int8, kp, n int, c *int32, ldc int, bias *int32, m int), rows int,
	fallback func(m, n, kp int, a, b []int8, bias []int32, c []int32, ldc int),
	m, n, kp int, a, b []int8, bias []int32, c []int32, ldc int) {
	if m < rows || n < 4 || kp == 0 || kp > panelMaxK {
		fallback(m, n, kp, a, b, bias, c, ldc)
		return
	}
	mustHold(m, n, kp, a, b, bias, c, ldc)
	kern(&a[0], &b[0], kp, n, &c[0], ldc, &bias[0], m)
}

func gemmSMLAL(m, n, kp int, a, b []int8, bias []int32, c []int32, ldc int) {
	rows4(smlal4xN, m, n, kp, a, b, bias, c, ldc)
}

// rows4 hands kern four rows of a at a time; kern walks all of b in 4x4 tiles. A row
// block or tile that would run past m or n is moved back to end at m or n (it
// recomputes a few entries of c with identical values), so only m < 4 or n < 4 fall
// back to gemmGo.
func rows4(kern func(a, b *int8, kp, n int, c *int32, ldc int, bias *int32), m, n, kp int, a, b []int8, bias []int32, c []int32, ldc int) {
	if m < 4 || n < 4 || kp == 0 {
		gemmGo(m, n, kp, a, b, bias, c, ldc)
		return
	}
	mustHold(m, n, kp, a, b, bias, c, ldc)
	for i0 := 0; i0 < m; i0 += 4 {
		i := min(i0, m-4)
		kern(&a[i*kp], &b[0], kp, n, &c[i*ldc], ldc, &bias[i])
	}
}

//go:noescape
func requantSatNEON(acc *int32, n int, qm int32, negRight int, zp int32, out *int8)

//go:noescape
func requantNEON(acc *int32, n int, qm int32, left, negRight int, zp int32, lo int32, out *int8)

func archRequant() map[string]func([]int32, int32, int, int32, int8, []int8) {
	return map[string]func([]int32, int32, int, int32, int8, []int8){"neon": requantArm64}
}

// archRequantAll lists every SIMD Requantize this CPU runs (the tests check each).
func archRequantAll() map[string]func([]int32, int32, int, int32, int8, []int8) {
	return archRequant()
}

// requantArm64 is Requantize with NEON for whole groups of 16 values, the last
// n%16 values by one more group that ends at n (recomputing a few values, to the
// same results: each output depends on its accumulator alone); fewer than 16 values
// go to requantGo. Shifts beyond 31 go to the reference (SSHL and SRSHL would differ).
func requantArm64(acc []int32, qm int32, shift int, zp int32, lo int8, out []int8) {
	out = out[:len(acc)]
	if shift > 31 || shift < -31 {
		RequantizeRef(acc, qm, shift, zp, lo, out)
		return
	}
	left, right := 0, 0
	if shift > 0 {
		left = shift
	} else {
		right = -shift
	}
	n := len(acc) &^ 15
	if n == 0 {
		requantGo(acc, qm, shift, zp, lo, out)
		return
	}
	if left == 0 && lo == -128 { // every conv of the engine (requant_arm64.s)
		requantSatNEON(&acc[0], n, qm, -right, zp, &out[0])
		if t := len(acc) - 16; t > n-16 {
			requantSatNEON(&acc[t], 16, qm, -right, zp, &out[t])
		}
		return
	}
	requantNEON(&acc[0], n, qm, left, -right, zp, int32(lo), &out[0])
	if t := len(acc) - 16; t > n-16 {
		requantNEON(&acc[t], 16, qm, left, -right, zp, int32(lo), &out[t])
	}
}
