package kernel

import (
	"math/bits"
	"unsafe"
)

// The portable versions of the stages: the fallback where there is no SIMD version
// (32-bit arm, other architectures, -tags purego) and what the SIMD versions use
// for tails.

// lrnZero is a row of codes of real 0 (-128): the LRN window's channels outside
// the tensor are read from it.
var lrnZero = func() (z [lrnChunk]int8) {
	for i := range z {
		z[i] = -128
	}
	return
}()

// lrnIndexFast is LRNIndex without a loop: E = max(bitlen(S) - 10, 0) from the
// leading zeros.
func lrnIndexFast(s uint32) uint32 {
	e := max(31-lrnMantBits-int32(bits.LeadingZeros32(s)), 0)
	return uint32(e)<<lrnMantBits + s>>uint32(e)
}

// lrnGo runs LRN on chunks of lrnChunk pixels, one pass per channel: the window
// sum of each pixel gains channel ch+2 just before output ch is computed and loses
// channel ch-2 just after, in the same loop; channels outside 0..c-1 are read from
// lrnZero, so the loop has no branches but the clamp.
func lrnGo(x, y []int8, c, plane, c0, c1 int, tab []int32, shift uint32, scratch []uint32) {
	checkLRN(x, y, c, plane, c0, c1, tab, shift, scratch)
	for i0 := 0; i0 < plane; i0 += lrnChunk {
		n := min(lrnChunk, plane-i0)
		lrnChunkGo(x, y, c, plane, c0, c1, i0, n, tab, shift, scratch[:n])
	}
}

// lrnRows returns the rows of channel ch at pixels [i0, i0+n) of x (lrnZero outside
// the channels).
func lrnRow(x []int8, c, plane, ch, i0, n int) []int8 {
	if ch < 0 || ch >= c {
		return lrnZero[:n]
	}
	return x[ch*plane+i0 : ch*plane+i0+n]
}

// lrnInit sets s[i] to the window sum of output channel c0 without its top channel
// c0+2, at pixels [i0, i0+len(s)).
func lrnInit(x []int8, c, plane, c0, i0 int, s []uint32) {
	n := len(s)
	a0, a1 := lrnRow(x, c, plane, c0-2, i0, n), lrnRow(x, c, plane, c0-1, i0, n)
	a2, a3 := lrnRow(x, c, plane, c0, i0, n), lrnRow(x, c, plane, c0+1, i0, n)
	a0, a1, a2, a3 = a0[:n], a1[:n], a2[:n], a3[:n]
	for i := range s {
		u0, u1 := uint32(int32(a0[i])+128), uint32(int32(a1[i])+128)
		u2, u3 := uint32(int32(a2[i])+128), uint32(int32(a3[i])+128)
		s[i] = u0*u0 + u1*u1 + u2*u2 + u3*u3
	}
}

// lrnChunkGo is LRN for channels [c0, c1) at pixels [i0, i0+n); s is scratch of n.
func lrnChunkGo(x, y []int8, c, plane, c0, c1, i0, n int, tab []int32, shift uint32, s []uint32) {
	lrnInit(x, c, plane, c0, i0, s)
	for ch := c0; ch < c1; ch++ {
		lrnStepGo(lrnRow(x, c, plane, ch+2, i0, n), lrnRow(x, c, plane, ch-2, i0, n),
			x[ch*plane+i0:ch*plane+i0+n], y[ch*plane+i0:ch*plane+i0+n], s, tab, shift)
	}
}

// lrnStepGo computes one output row: s gains add^2, gives the outputs of src into
// dst, then loses sub^2. All slices have len(s) elements; tab has LRNTabLen.
func lrnStepGo(add, sub, src, dst []int8, s []uint32, tab []int32, shift uint32) {
	n := len(s)
	add, sub, src, dst = add[:n], sub[:n], src[:n], dst[:n]
	t := (*[LRNTabLen]int32)(tab)
	sh := shift & 31 // shift <= 24; the mask spares the compiler's large-shift guard
	bias := lrnBias(sh)
	for i, si := range s {
		a := uint32(int32(add[i]) + 128)
		si += a * a
		u := int32(src[i]) + 128
		v := (u*t[lrnIndexFast(si)&(LRNTabLen-1)] + bias) >> sh
		dst[i] = int8(min(v, 127))
		b := uint32(int32(sub[i]) + 128)
		s[i] = si - b*b
	}
}

// maxPoolGo computes, along each output row, the max over the 3 input rows of each
// column once per column (the shared column of neighbouring windows is carried
// over), then the max of 3 columns.
func maxPoolGo(x []int8, size, c0, c1 int, y []int8, pad int) {
	checkMaxPool(x, size, c0, c1, y, pad)
	o := PoolOut(size)
	yp := o + 2*pad
	for ch := c0; ch < c1; ch++ {
		src := x[ch*size*size : (ch+1)*size*size]
		dst := y[ch*yp*yp : (ch+1)*yp*yp]
		for oy := 0; oy < o; oy++ {
			maxPoolRowGo(src[2*oy*size:], size, dst[(pad+oy)*yp+pad:(pad+oy)*yp+pad+o])
		}
	}
}

// maxPoolRowGo writes output row d from the three input rows starting at r (row
// pitch size).
func maxPoolRowGo(r []int8, size int, d []int8) {
	w := 2*len(d) + 1
	r0, r1, r2 := r[:w], r[size:size+w], r[2*size:2*size+w]
	m := max(int32(r0[0]), int32(r1[0]), int32(r2[0]))
	for ox, i := 0, 1; i+1 < len(r0); ox, i = ox+1, i+2 {
		a := max(int32(r0[i]), int32(r1[i]), int32(r2[i]))
		b := max(int32(r0[i+1]), int32(r1[i+1]), int32(r2[i+1]))
		d[ox] = int8(max(m, a, b))
		m = b
	}
}

// im2colGo copies each tap row of a patch (K contiguous bytes of the padded input).
// For K = 3 and 5 the tap rows of every channel but the last are copied as words
// (4 or 8 bytes, taps3 and taps5) whose surplus bytes land where the next tap row
// is written right after (so the words may read a few bytes past the input: the
// Im2colSlack); the last channel of a patch is copied exactly, so the row's pad
// bytes and rows of other workers are never touched. The word copies go through
// pointers after checkIm2col.
func im2colGo(xp []int8, g Im2colGeom, j0, j1 int, col []int8, kp int) {
	checkIm2col(xp, g, j0, j1, col, kp)
	if j0 == j1 {
		return
	}
	k, s, osz, cg, ps := g.K, g.Stride, g.OutSize, g.Channels, g.InSize
	plane := ps * ps
	kd := g.KDim()
	src, dst := asBytes(xp), asBytes(col)
	sp, dp := unsafe.Pointer(unsafe.SliceData(src)), unsafe.Pointer(unsafe.SliceData(dst))
	for j := j0; j < j1; j++ {
		r := (j - j0) * kp
		row := dst[r : r+kd]
		o := j/osz*s*ps + j%osz*s // first tap of pixel j
		i, c := 0, 0
		switch k {
		case 3:
			for ; c < cg-1; c, o, i = c+1, o+plane, i+9 {
				taps3(unsafe.Add(dp, r+i), unsafe.Add(sp, o), ps)
			}
		case 5:
			for ; c < cg-1; c, o, i = c+1, o+plane, i+25 {
				taps5(unsafe.Add(dp, r+i), unsafe.Add(sp, o), ps)
			}
		}
		for ; c < cg; c, o, i = c+1, o+plane, i+k*k {
			for ky := 0; ky < k; ky++ {
				copy(row[i+ky*k:i+ky*k+k], src[o+ky*ps:o+ky*ps+k])
			}
		}
	}
}

// asBytes is x viewed as bytes (same memory; int8 and byte differ only in sign).
func asBytes(x []int8) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(x))), len(x))
}
