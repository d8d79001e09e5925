//go:build !purego

package kernel

// The NEON stages (every arm64 core: ARMv8.0 Advanced SIMD only).

func archStages() []StageImpl {
	return []StageImpl{{"neon", lrnNEON, maxPoolNEON, im2colNEON}}
}

//go:noescape
func lrnChunkNEON(x, y *int8, plane, c, c0, c1 int, s, tmp *uint32, n int, tab *int32, negShift int, zero *int8)

// lrnNEON runs lrnChunkNEON on chunks of lrnChunk pixels. A chunk whose length is
// not a multiple of 16 is run as its whole groups of 16 and then as one more chunk
// of the last 16 pixels, which recomputes a few outputs (to the same values, from
// its own window sums); planes of fewer than 16 pixels go to lrnGo.
func lrnNEON(x, y []int8, c, plane, c0, c1 int, tab []int32, shift uint32, scratch []uint32) {
	checkLRN(x, y, c, plane, c0, c1, tab, shift, scratch)
	if plane < 16 || c0 == c1 {
		lrnGo(x, y, c, plane, c0, c1, tab, shift, scratch)
		return
	}
	s, tmp := &scratch[0], &scratch[lrnChunk]
	run := func(i0, n int) {
		lrnChunkNEON(&x[i0], &y[i0], plane, c, c0, c1, s, tmp, n, &tab[0], -int(shift), &lrnZero[0])
	}
	for i0 := 0; i0 < plane; i0 += lrnChunk {
		n := min(lrnChunk, plane-i0)
		if nv := n &^ 15; nv > 0 {
			run(i0, nv)
		}
		if n%16 != 0 {
			run(i0+n-16, 16)
		}
	}
}

//go:noescape
func maxPoolPlaneNEON(x *int8, size int, y *int8, o, yp, mode int, idx *byte)

// maxPoolNEON runs maxPoolPlaneNEON per channel: blocks of 16 outputs, or for
// 8 < o < 16 one block of 16 per row where the input holds the 33 columns it
// reads from the plane's last row (the next plane, or slack), else blocks of 8;
// planes with fewer than 8 outputs per row go to maxPoolGo.
func maxPoolNEON(x []int8, size, c0, c1 int, y []int8, pad int) {
	checkMaxPool(x, size, c0, c1, y, pad)
	o := PoolOut(size)
	if o < 8 {
		maxPoolGo(x, size, c0, c1, y, pad)
		return
	}
	var idx [16]byte
	for i := range idx {
		idx[i] = byte(o - 8 + i)
	}
	yp := o + 2*pad
	for ch := c0; ch < c1; ch++ {
		mode := 16
		if o < 16 {
			mode = 8
			if len(x)-ch*size*size >= 2*o*size+33 {
				mode = 1
			}
		}
		maxPoolPlaneNEON(&x[ch*size*size], size, &y[(ch*yp+pad)*yp+pad], o, yp, mode, &idx[0])
	}
}

//go:noescape
func im2col3NEON(src *int8, plane, cg int, col *int8, kp int, idx *byte)

//go:noescape
func im2col3x13NEON(src *int8, plane, cg int, col *int8, kp int, idx *byte)

//go:noescape
func im2col5NEON(src *int8, ps, plane, cg int, col *int8, kp int, idx *byte)

//go:noescape
func im2colRowsNEON(src *int8, ps, plane, cg, k, stride, nx int, col *int8, kp int)

// im2col5Idx holds the TBL indices of im2col5NEON: for pixel i of 9, taps 0-15
// from the windows V0-V3, taps 16-24 from V3-V4 (lanes 9-15 out of range: 0), and
// for the last channel taps 9-24 from V1-V4. Window w of a tap (ky, kx) is row ky
// at the group's first pixel, so tap (ky, kx) of pixel i is byte i+kx of window ky.
var im2col5Idx = func() (t [27][16]byte) {
	for i := 0; i < 9; i++ {
		for l := 0; l < 16; l++ {
			ky, kx := l/5, l%5
			t[i][l] = byte(16*ky + i + kx)
			t[9+i][l] = 0xff
			if l < 9 {
				ky, kx = (16+l)/5, (16+l)%5
				t[9+i][l] = byte(16*(ky-3) + i + kx)
			}
			ky, kx = (9+l)/5, (9+l)%5
			t[18+i][l] = byte(16*(ky-1) + i + kx)
		}
	}
	return
}()

// im2colNEON runs, per output row of the share, im2col3NEON on groups of 8 pixels
// (K = 3, stride 1, InSize <= 19: the three input rows of a channel fit one 48-byte
// load; im2col3x13NEON on a whole row of 13 pixels with InSize <= 16) or
// im2col5NEON on groups of 9 (K = 5, stride 1), the last group of a row
// moved back to end at the row's end (it rewrites a few patches with the same
// bytes); rows of the share with fewer pixels than a group go to im2colGo. K from 8
// to 16 (conv1) runs im2colRowsNEON; other geometries im2colGo.
func im2colNEON(xp []int8, g Im2colGeom, j0, j1 int, col []int8, kp int) {
	checkIm2col(xp, g, j0, j1, col, kp)
	ps, osz, plane := g.InSize, g.OutSize, g.InSize*g.InSize
	var idx3 [13][16]byte
	w := 0
	switch {
	case g.K == 3 && g.Stride == 1 && ps <= 19:
		w = 8
		for i := range idx3 {
			for l := range idx3[i] {
				idx3[i][l] = 0xff
				if l < 9 {
					idx3[i][l] = byte(l/3*ps + l%3 + i)
				}
			}
		}
	case g.K == 5 && g.Stride == 1:
		w = 9
	case g.K >= 8 && g.K <= 16:
	default:
		im2colGo(xp, g, j0, j1, col, kp)
		return
	}
	for j := j0; j < j1; {
		y, xa := j/osz, j%osz
		n := min(osz-xa, j1-j)
		src := (y*ps + xa) * g.Stride // pixel xa's first tap
		if w == 0 {
			im2colRowsNEON(&xp[src], ps, plane, g.Channels, g.K, g.Stride, n, &col[(j-j0)*kp], kp)
		} else if n < w {
			im2colGo(xp, g, j, j+n, col[(j-j0)*kp:], kp)
		} else if w == 8 && n == 13 && ps <= 16 {
			im2col3x13NEON(&xp[src], plane, g.Channels, &col[(j-j0)*kp], kp, &idx3[0][0])
		} else {
			for x := 0; ; x += w {
				x = min(x, n-w)
				c := &col[(j+x-j0)*kp]
				if w == 8 {
					im2col3NEON(&xp[src+x], plane, g.Channels, c, kp, &idx3[0][0])
				} else {
					im2col5NEON(&xp[src+x], ps, plane, g.Channels, c, kp, &im2col5Idx[0][0])
				}
				if x == n-w {
					break
				}
			}
		}
		j += n
	}
}
