//go:build !purego

package kernel

import "golang.org/x/sys/cpu"

//go:noescape
func vnni4x4(a, b *int8, kp int, c *int32, ldc int, bias *int32, tail uint64)

func archImpls() []Impl {
	var l []Impl
	if cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VNNI {
		l = append(l, Impl{"vnni", gemmVNNI})
	}
	return l
}

// gemmVNNI runs the AVX-512 VNNI 4x4 kernel over the matrix. Tiles that would run
// past m or n are moved back to end at m or n (they recompute a few entries of c with
// identical values), so only m < 4 or n < 4 fall back to gemmGo.
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
	var fb [4]int32
	for i0 := 0; i0 < m; i0 += 4 {
		i := i0
		if i > m-4 {
			i = m - 4
		}
		// b enters as b+128: remove 128*sum(a row) from the bias.
		for r := 0; r < 4; r++ {
			var s int32
			for _, v := range a[(i+r)*kp : (i+r+1)*kp] {
				s += int32(v)
			}
			fb[r] = bias[i+r] - 128*s
		}
		for j0 := 0; j0 < n; j0 += 4 {
			j := j0
			if j > n-4 {
				j = n - 4
			}
			vnni4x4(&a[i*kp], &b[j*kp], kp, &c[i*ldc+j], ldc, &fb[0], tail)
		}
	}
}
