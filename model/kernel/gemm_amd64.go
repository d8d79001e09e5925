//go:build !purego

package kernel

import (
	"math"

	"golang.org/x/sys/cpu"
)

//go:noescape
func vnni4xN(a, b *int8, kp, n int, c *int32, ldc int, bias *int32, tail uint64)

//go:noescape
func vnniPack32(b *int8, kp int, p *uint8)

//go:noescape
func vnniP8x32(a *int8, kp int, p *uint8, c *int32, ldc int, fb *int32)

//go:noescape
func avx2x2xN(a, b *int8, kp, n int, c *int32, ldc int, bias *int32)

//go:noescape
func avx2w4x3(a *int8, kp int, b *int8, n int, c *int32, ldc int, bias *int32, aw *int16)

func archImpls() []Impl {
	var l []Impl
	if cpu.X86.HasAVX2 {
		l = append(l, Impl{"avx2", gemmAVX2})
	}
	if cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VNNI {
		l = append(l, Impl{"vnni", gemmVNNI})
		// Only where the vnni kernel runs too (it takes the shapes amx does not).
		if cpu.X86.HasAMXTile && cpu.X86.HasAMXInt8 && amxPermitted() {
			l = append(l, Impl{"amx", gemmAMX})
		}
	}
	return l
}

//go:noescape
func amxGemm(a, b *int8, kp, n int, c *int32, ldc int, bias *int32, m int)

// amxMaxK is the longest row gemmAMX takes (its panel: 32 columns x 4096 bytes, 128
// KiB of the assembly's own stack frame).
const amxMaxK = 4096

// gemmAMX runs the AMX-INT8 kernel (gemm_amx_amd64.s): 32 columns of b packed at a
// time, 32 rows of a against them in four accumulator tiles. Fewer than 32 rows, rows
// shorter than 64 bytes (one tile row) or longer than amxMaxK take gemmVNNI.
func gemmAMX(m, n, kp int, a, b []int8, bias []int32, c []int32, ldc int) {
	if m < 32 || n < 1 || kp < 64 || kp > amxMaxK {
		gemmVNNI(m, n, kp, a, b, bias, c, ldc)
		return
	}
	mustHold(m, n, kp, a, b, bias, c, ldc)
	amxGemm(&a[0], &b[0], kp, n, &c[0], ldc, &bias[0], m)
}

// gemmVNNI runs the AVX-512 VNNI kernel: four rows of a at a time against all of b
// in 4x4 tiles. Tiles that would run past m or n are moved back to end at m or n
// (they recompute a few entries of c with identical values), so only m < 4 or n < 4
// fall back to gemmGo.
func gemmVNNI(m, n, kp int, a, b []int8, bias []int32, c []int32, ldc int) {
	if m < 4 || n < 4 || kp == 0 {
		gemmGo(m, n, kp, a, b, bias, c, ldc)
		return
	}
	mustHold(m, n, kp, a, b, bias, c, ldc)
	if kp%64 == 0 && kp <= packMaxK && m >= 8 && m <= packMaxM && n >= 32 {
		gemmVNNIPacked(m, n, kp, a, b, bias, c, ldc)
		return
	}
	var tail uint64
	if r := kp % 64; r != 0 {
		tail = 1<<uint(r) - 1
	}
	// Column blocks of about vnniBlockBytes of b stay in L2 while every row block
	// passes over them (each block repeats the row sums, so only a b of more than
	// two blocks is split); the last block takes the rest if that would leave < 4.
	nb := n
	if n*kp > 2*vnniBlockBytes {
		nb = max(16, vnniBlockBytes/kp)
	}
	for j0 := 0; j0 < n; {
		w := min(nb, n-j0)
		if n-j0-w < 4 {
			w = n - j0
		}
		for i0 := 0; i0 < m; i0 += 4 {
			i := min(i0, m-4)
			vnni4xN(&a[i*kp], &b[j0*kp], kp, w, &c[i*ldc+j0], ldc, &bias[i], tail)
		}
		j0 += w
	}
}

// vnniBlockBytes is the size of the slice of b that gemmVNNI keeps hot.
const vnniBlockBytes = 256 << 10

// gemmAVX2 runs the AVX2 kernel: four rows of a at a time, widened to int16 once
// into a buffer on the stack, against all of b in 4x3 tiles, clamped at the edges
// like gemmVNNI. Rows longer than avx2MaxK (none in AlexNet) take the 2x4 kernel that
// widens both operands in the loop; m < 2 or n < 4 fall back to gemmGo.
func gemmAVX2(m, n, kp int, a, b []int8, bias []int32, c []int32, ldc int) {
	if m < 2 || n < 4 || kp == 0 {
		gemmGo(m, n, kp, a, b, bias, c, ldc)
		return
	}
	mustHold(m, n, kp, a, b, bias, c, ldc)
	if m < 4 || kp > avx2MaxK {
		for i0 := 0; i0 < m; i0 += 2 {
			i := min(i0, m-2)
			avx2x2xN(&a[i*kp], &b[0], kp, n, &c[i*ldc], ldc, &bias[i])
		}
		return
	}
	var aw [4 * avx2MaxK]int16
	for i0 := 0; i0 < m; i0 += 4 {
		i := min(i0, m-4)
		avx2w4x3(&a[i*kp], kp, &b[0], n, &c[i*ldc], ldc, &bias[i], &aw[0])
	}
}

// avx2MaxK is the longest row gemmAVX2 widens (conv3's 2304: an 18 KiB buffer).
const avx2MaxK = 2304

//go:noescape
func requantAVX512(acc *int32, n int, qm int32, left, right int, zp, lo int32, out *int8)

//go:noescape
func requantAVX2(acc *int32, n int, qm int32, left, right int, zp, lo int32, out *int8)

// archRequant is the fastest SIMD Requantize of archRequantAll.
func archRequant() map[string]func([]int32, int32, int, int32, int8, []int8) {
	all := archRequantAll()
	for _, name := range []string{"avx512", "avx2"} {
		if f, ok := all[name]; ok {
			return map[string]func([]int32, int32, int, int32, int8, []int8){name: f}
		}
	}
	return nil
}

// archRequantAll lists every SIMD Requantize this CPU runs (the tests check each).
func archRequantAll() map[string]func([]int32, int32, int, int32, int8, []int8) {
	l := map[string]func([]int32, int32, int, int32, int8, []int8){}
	if cpu.X86.HasAVX2 {
		l["avx2"] = func(acc []int32, qm int32, shift int, zp int32, lo int8, out []int8) {
			requantAMD64(requantAVX2, acc, qm, shift, zp, lo, out)
		}
	}
	if cpu.X86.HasAVX512F {
		l["avx512"] = func(acc []int32, qm int32, shift int, zp int32, lo int8, out []int8) {
			requantAMD64(requantAVX512, acc, qm, shift, zp, lo, out)
		}
	}
	return l
}

// requantAMD64 is Requantize with the SIMD kernel f (AVX-512 or AVX2) for whole
// groups of 16 values, the last n%16 values by one more group that ends at n (the
// same results for the values it recomputes), and requantGo for fewer than 16
// values, qm = MinInt32 or shifts beyond 31.
func requantAMD64(f func(acc *int32, n int, qm int32, left, right int, zp, lo int32, out *int8),
	acc []int32, qm int32, shift int, zp int32, lo int8, out []int8) {
	out = out[:len(acc)]
	n := len(acc) &^ 15
	if n == 0 || qm == math.MinInt32 || shift > 31 || shift < -31 {
		requantGo(acc, qm, shift, zp, lo, out)
		return
	}
	left, right := 0, 0
	if shift > 0 {
		left = shift
	} else {
		right = -shift
	}
	f(&acc[0], n, qm, left, right, zp, int32(lo), &out[0])
	if t := len(acc) - 16; t > n-16 {
		f(&acc[t], 16, qm, left, right, zp, int32(lo), &out[t])
	}
}

// Limits of the packed VNNI path (stack buffers).
const (
	packMaxK = 256
	packMaxM = 512
)

// gemmVNNIPacked is the VNNI path for short rows (conv1: kp = 128), where reducing
// the 16 partial sums of each output would cost as much as the multiplies. It packs
// 32 columns of b at a time (4 bytes of k per column, side by side, +128) so that one
// VPDPBUSD of a broadcast weight quadruple gives 16 outputs of one row directly, and
// sweeps 8-row blocks of a over them. Edge blocks are moved back as elsewhere.
func gemmVNNIPacked(m, n, kp int, a, b []int8, bias []int32, c []int32, ldc int) {
	var fb [packMaxM]int32
	for i := 0; i < m; i++ {
		var s int32
		for _, v := range a[i*kp : (i+1)*kp] {
			s += int32(v)
		}
		fb[i] = bias[i] - 128*s // b enters as b+128
	}
	var buf [32 * packMaxK]uint8
	for j0 := 0; j0 < n; j0 += 32 {
		j := min(j0, n-32)
		vnniPack32(&b[j*kp], kp, &buf[0])
		for i0 := 0; i0 < m; i0 += 8 {
			i := min(i0, m-8)
			vnniP8x32(&a[i*kp], kp, &buf[0], &c[i*ldc+j], ldc, &fb[i])
		}
	}
}
