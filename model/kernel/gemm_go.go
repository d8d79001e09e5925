package kernel

// gemmGo is the portable kernel: a 4x2 register tile (four weight rows against two
// activation rows, eight int32 accumulators) walked along k. Every operand row is
// re-sliced to the same length first, so the compiler drops the bounds checks
// inside the k loop; on arm64 the loop body is six sign-extending byte loads, eight
// multiply-adds and the loop control, about 2.1 instructions per MAC.
// Rows and columns left over by the tile go through the 1x2, 4x1 and 1x1 loops.
func gemmGo(m, n, kp int, a, b []int8, bias []int32, c []int32, ldc int) {
	if m <= 0 || n <= 0 {
		return
	}
	if kp == 0 {
		for i := 0; i < m; i++ {
			for j := 0; j < n; j++ {
				c[i*ldc+j] = bias[i]
			}
		}
		return
	}
	_ = a[m*kp-1]
	_ = b[n*kp-1]
	_ = bias[m-1]
	_ = c[(m-1)*ldc+n-1]
	i := 0
	for ; i+4 <= m; i += 4 {
		a0 := a[i*kp : i*kp+kp]
		a1 := a[(i+1)*kp : (i+1)*kp+kp]
		a2 := a[(i+2)*kp : (i+2)*kp+kp]
		a3 := a[(i+3)*kp : (i+3)*kp+kp]
		c0 := c[i*ldc : i*ldc+n]
		c1 := c[(i+1)*ldc : (i+1)*ldc+n]
		c2 := c[(i+2)*ldc : (i+2)*ldc+n]
		c3 := c[(i+3)*ldc : (i+3)*ldc+n]
		bi0, bi1, bi2, bi3 := bias[i], bias[i+1], bias[i+2], bias[i+3]
		j := 0
		for ; j+2 <= n; j += 2 {
			s00, s01, s10, s11, s20, s21, s30, s31 := tile4x2(a0, a1, a2, a3, b[j*kp:j*kp+kp], b[(j+1)*kp:(j+1)*kp+kp])
			c0[j], c0[j+1] = bi0+s00, bi0+s01
			c1[j], c1[j+1] = bi1+s10, bi1+s11
			c2[j], c2[j+1] = bi2+s20, bi2+s21
			c3[j], c3[j+1] = bi3+s30, bi3+s31
		}
		if j < n {
			s0, s1, s2, s3 := tile4x1(a0, a1, a2, a3, b[j*kp:j*kp+kp])
			c0[j], c1[j], c2[j], c3[j] = bi0+s0, bi1+s1, bi2+s2, bi3+s3
		}
	}
	for ; i < m; i++ {
		ar := a[i*kp : i*kp+kp]
		cr := c[i*ldc : i*ldc+n]
		bi := bias[i]
		for j := 0; j < n; j++ {
			cr[j] = bi + dot1(ar, b[j*kp:j*kp+kp])
		}
	}
}

// tile4x2 returns the eight dot products of a0..a3 with b0, b1 (all of one length).
func tile4x2(a0, a1, a2, a3, b0, b1 []int8) (s00, s01, s10, s11, s20, s21, s30, s31 int32) {
	a1 = a1[:len(a0)]
	a2 = a2[:len(a0)]
	a3 = a3[:len(a0)]
	b0 = b0[:len(a0)]
	b1 = b1[:len(a0)]
	for k := range a0 {
		x0, x1 := int32(b0[k]), int32(b1[k])
		w := int32(a0[k])
		s00 += w * x0
		s01 += w * x1
		w = int32(a1[k])
		s10 += w * x0
		s11 += w * x1
		w = int32(a2[k])
		s20 += w * x0
		s21 += w * x1
		w = int32(a3[k])
		s30 += w * x0
		s31 += w * x1
	}
	return
}

// tile4x1 returns the four dot products of a0..a3 with b0.
func tile4x1(a0, a1, a2, a3, b0 []int8) (s0, s1, s2, s3 int32) {
	a1 = a1[:len(a0)]
	a2 = a2[:len(a0)]
	a3 = a3[:len(a0)]
	b0 = b0[:len(a0)]
	for k := range a0 {
		x := int32(b0[k])
		s0 += int32(a0[k]) * x
		s1 += int32(a1[k]) * x
		s2 += int32(a2[k]) * x
		s3 += int32(a3[k]) * x
	}
	return
}

// dot1 is the plain dot product of two rows of one length.
func dot1(a, b []int8) int32 {
	b = b[:len(a)]
	var s int32
	for k := range a {
		s += int32(a[k]) * int32(b[k])
	}
	return s
}
