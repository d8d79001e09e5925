//go:build !purego

package kernel

import "golang.org/x/sys/cpu"

// The AVX-512 stages: LRN needs F and CD (VPLZCNTD, VPGATHERDD), max-pool and
// im2col BW and VBMI (byte masks, VPMAXSB, VPERMB, VPERMI2B). Machines without them
// run the portable stages.

func archStages() []StageImpl {
	x := cpu.X86
	if x.HasAVX512F && x.HasAVX512BW && x.HasAVX512CD && x.HasAVX512VBMI && x.HasAVX512VL {
		return []StageImpl{{"avx512", lrnAVX512, maxPoolAVX512, im2colAVX512}}
	}
	return nil
}

//go:noescape
func lrnChunkAVX512(x, y *int8, plane, c, c0, c1 int, s *uint32, n int, tab *int32, shift int, zero *int8)

//go:noescape
func maxPoolPlaneAVX512(x *int8, size int, y *int8, o, yp, w int, idx *byte)

//go:noescape
func im2col3AVX512(src *int8, plane, cg, pairs int, col *int8, kp int, idx *byte)

//go:noescape
func im2col5AVX512(src *int8, ps, plane, cg int, col *int8, kp int, idx *byte)

//go:noescape
func im2colRowsAVX512(src *int8, ps, plane, cg, k, stride, nx int, col *int8, kp, nu int)

// lrnAVX512 runs lrnChunkAVX512 on chunks of lrnChunk pixels, a chunk whose length
// is not a multiple of 16 as its whole groups of 16 and then its last 16 pixels
// (as lrnNEON); planes of fewer than 16 pixels go to lrnGo.
func lrnAVX512(x, y []int8, c, plane, c0, c1 int, tab []int32, shift uint32, scratch []uint32) {
	checkLRN(x, y, c, plane, c0, c1, tab, shift, scratch)
	if plane < 16 || c0 == c1 {
		lrnGo(x, y, c, plane, c0, c1, tab, shift, scratch)
		return
	}
	for i0 := 0; i0 < plane; i0 += lrnChunk {
		n := min(lrnChunk, plane-i0)
		if nv := n &^ 15; nv > 0 {
			lrnChunkAVX512(&x[i0], &y[i0], plane, c, c0, c1, &scratch[0], nv, &tab[0], int(shift), &lrnZero[0])
		}
		if n%16 != 0 {
			i := i0 + n - 16
			lrnChunkAVX512(&x[i], &y[i], plane, c, c0, c1, &scratch[0], 16, &tab[0], int(shift), &lrnZero[0])
		}
	}
}

// poolIdx holds maxPoolPlaneAVX512's VPERMB indices: 2i, 2i+1, 2i+2.
var poolIdx = func() (t [3][64]byte) {
	for i := 0; i < 64; i++ {
		t[0][i], t[1][i], t[2][i] = byte(2*i)&63, byte(2*i+1)&63, byte(2*i+2)&63
	}
	return
}()

// maxPoolAVX512 runs maxPoolPlaneAVX512 per channel, in blocks of at most 31
// outputs (2*31+1 input columns fit one 64-byte register).
func maxPoolAVX512(x []int8, size, c0, c1 int, y []int8, pad int) {
	checkMaxPool(x, size, c0, c1, y, pad)
	o := PoolOut(size)
	yp := o + 2*pad
	w := min(o, 31)
	for ch := c0; ch < c1; ch++ {
		maxPoolPlaneAVX512(&x[ch*size*size], size, &y[(ch*yp+pad)*yp+pad], o, yp, w, &poolIdx[0][0])
	}
}

// im2colAVX512 runs, per output row of the share, im2col3AVX512 (K = 3, stride 1,
// three input rows within 64 bytes) or im2col5AVX512 (K = 5, stride 1, two input
// rows within 64 bytes) on groups of 8 pixels, the last group of a row moved back
// to end at the row's end (it rewrites a few patches with the same bytes);
// im2colRowsAVX512 takes shorter rows of the share and every other K up to 64.
func im2colAVX512(xp []int8, g Im2colGeom, j0, j1 int, col []int8, kp int) {
	checkIm2col(xp, g, j0, j1, col, kp)
	ps, osz, plane := g.InSize, g.OutSize, g.InSize*g.InSize
	if g.K > 64 {
		im2colGo(xp, g, j0, j1, col, kp)
		return
	}
	var idx [16][64]byte
	perm, pairs := 0, 0
	switch {
	case g.K == 3 && g.Stride == 1 && 2*ps+2+7 <= 63:
		perm = 3
		for i := 0; i < 8; i++ {
			for l := 0; l < 9; l++ {
				idx[i][l] = byte(l/3*ps + l%3 + i)
				idx[8+i][l], idx[8+i][9+l] = idx[i][l], 64+idx[i][l]
			}
		}
		// channel pairs stored with a surplus: those followed by two more channels
		pairs = max(0, (g.Channels-2)/2)
	case g.K == 5 && g.Stride == 1 && ps+4+7 <= 63:
		perm = 5
		for i := 0; i < 8; i++ {
			for l := 0; l < 25; l++ {
				ky, kx := l/5, l%5
				if ky < 4 {
					idx[i][l] = byte(64*(ky/2) + ps*(ky%2) + i + kx)
				} else {
					idx[8+i][l] = byte(i + kx)
				}
			}
		}
	}
	nu := 0 // tap rows that im2colRowsAVX512 may copy as 16 bytes
	if kd := g.KDim(); g.K <= 16 && kd >= 16 {
		nu = (kd-16)/g.K + 1
	}
	for j := j0; j < j1; {
		y, xa := j/osz, j%osz
		n := min(osz-xa, j1-j)
		src := (y*ps + xa) * g.Stride // pixel xa's first tap
		if perm == 0 || n < 8 {
			im2colRowsAVX512(&xp[src], ps, plane, g.Channels, g.K, g.Stride, n, &col[(j-j0)*kp], kp, nu)
		} else {
			for x := 0; ; x += 8 {
				x = min(x, n-8)
				c := &col[(j+x-j0)*kp]
				if perm == 3 {
					im2col3AVX512(&xp[src+x], plane, g.Channels, pairs, c, kp, &idx[0][0])
				} else {
					im2col5AVX512(&xp[src+x], ps, plane, g.Channels, c, kp, &idx[0][0])
				}
				if x == n-8 {
					break
				}
			}
		}
		j += n
	}
}
