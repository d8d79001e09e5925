package kernel

// The references of the stages: the contracts of LRN, MaxPool and Im2col written
// as plain loops.

func lrnRef(x, y []int8, c, plane, c0, c1 int, tab []int32, shift uint32, scratch []uint32) {
	checkLRN(x, y, c, plane, c0, c1, tab, shift, scratch)
	u := func(ch, i int) int32 {
		if ch < 0 || ch >= c {
			return 0
		}
		return int32(x[ch*plane+i]) + 128
	}
	for ch := c0; ch < c1; ch++ {
		for i := 0; i < plane; i++ {
			var s uint32
			for d := -2; d <= 2; d++ {
				v := uint32(u(ch+d, i))
				s += v * v
			}
			v := (u(ch, i)*tab[LRNIndex(s)] + int32(1)<<(shift-1)) >> shift
			y[ch*plane+i] = int8(min(v-128, 127))
		}
	}
}

func maxPoolRef(x []int8, size, c0, c1 int, y []int8, pad int) {
	checkMaxPool(x, size, c0, c1, y, pad)
	o := PoolOut(size)
	yp := o + 2*pad
	for ch := c0; ch < c1; ch++ {
		for oy := 0; oy < o; oy++ {
			for ox := 0; ox < o; ox++ {
				m := int8(-128)
				for dy := 0; dy < 3; dy++ {
					for dx := 0; dx < 3; dx++ {
						m = max(m, x[(ch*size+2*oy+dy)*size+2*ox+dx])
					}
				}
				y[(ch*yp+pad+oy)*yp+pad+ox] = m
			}
		}
	}
}

func im2colRef(xp []int8, g Im2colGeom, j0, j1 int, col []int8, kp int) {
	checkIm2col(xp, g, j0, j1, col, kp)
	k, ps := g.K, g.InSize
	for j := j0; j < j1; j++ {
		y, x := j/g.OutSize*g.Stride, j%g.OutSize*g.Stride
		for c := 0; c < g.Channels; c++ {
			for ky := 0; ky < k; ky++ {
				for kx := 0; kx < k; kx++ {
					col[(j-j0)*kp+(c*k+ky)*k+kx] = xp[(c*ps+y+ky)*ps+x+kx]
				}
			}
		}
	}
}
