//go:build !purego

package kernel

import (
	"math"

	"golang.org/x/sys/cpu"
)

//go:noescape
func vnni4xN(a, b *int8, kp, n int, c *int32, ldc int, bias *int32, tail uint64)

//go:noescape
func avx2x2xN(a, b *int8, kp, n int, c *int32, ldc int, bias *int32)

func archImpls() []Impl {
	var l []Impl
	if cpu.X86.HasAVX2 {
		l = append(l, Impl{"avx2", gemmAVX2})
	}
	if cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VNNI {
		l = append(l, Impl{"vnni", gemmVNNI})
	}
	return l
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
	_ = a[m*kp-1]
	_ = b[n*kp-1]
	_ = bias[m-1]
	_ = c[(m-1)*ldc+n-1]
	var tail uint64
	if r := kp % 64; r != 0 {
		tail = 1<<uint(r) - 1
	}
	for i0 := 0; i0 < m; i0 += 4 {
		i := min(i0, m-4)
		vnni4xN(&a[i*kp], &b[0], kp, n, &c[i*ldc], ldc, &bias[i], tail)
	}
}

// gemmAVX2 runs the AVX2 kernel: two rows of a at a time against all of b in 2x4
// tiles, clamped at the edges like gemmVNNI; m < 2 or n < 4 fall back to gemmGo.
func gemmAVX2(m, n, kp int, a, b []int8, bias []int32, c []int32, ldc int) {
	if m < 2 || n < 4 || kp == 0 {
		gemmGo(m, n, kp, a, b, bias, c, ldc)
		return
	}
	_ = a[m*kp-1]
	_ = b[n*kp-1]
	_ = bias[m-1]
	_ = c[(m-1)*ldc+n-1]
	for i0 := 0; i0 < m; i0 += 2 {
		i := min(i0, m-2)
		avx2x2xN(&a[i*kp], &b[0], kp, n, &c[i*ldc], ldc, &bias[i])
	}
}

//go:noescape
func requantAVX512(acc *int32, n int, qm int32, left, right int, zp, lo int32, out *int8)

func archRequant() map[string]func([]int32, int32, int, int32, int8, []int8) {
	if cpu.X86.HasAVX512F {
		return map[string]func([]int32, int32, int, int32, int8, []int8){"avx512": requantAMD64}
	}
	return nil
}

// requantAMD64 is Requantize with AVX-512 for whole groups of 16 values and
// requantGo for the rest (and for qm = MinInt32 or shifts beyond 31).
func requantAMD64(acc []int32, qm int32, shift int, zp int32, lo int8, out []int8) {
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
	requantAVX512(&acc[0], n, qm, left, right, zp, int32(lo), &out[0])
	requantGo(acc[n:], qm, shift, zp, lo, out[n:])
}
