//go:build amd64 || arm64

package kernel

import "unsafe"

// taps3 copies the 3x3 taps at s (row pitch ps) to d[0:9] with three 4-byte words;
// d[9:12] receives surplus bytes and s[2*ps+3] is read. The caller has checked the
// bounds. amd64 and arm64 load and store unaligned words directly; a word copied
// to memory as it was loaded keeps its byte order on any endianness.
func taps3(d, s unsafe.Pointer, ps int) {
	*(*uint32)(d) = *(*uint32)(s)
	*(*uint32)(unsafe.Add(d, 3)) = *(*uint32)(unsafe.Add(s, ps))
	*(*uint32)(unsafe.Add(d, 6)) = *(*uint32)(unsafe.Add(s, 2*ps))
}

// taps5 copies the 5x5 taps at s (row pitch ps) to d[0:25] with five 8-byte words;
// d[25:28] receives surplus bytes and s[4*ps+7] is read. The caller has checked the
// bounds.
func taps5(d, s unsafe.Pointer, ps int) {
	*(*uint64)(d) = *(*uint64)(s)
	*(*uint64)(unsafe.Add(d, 5)) = *(*uint64)(unsafe.Add(s, ps))
	*(*uint64)(unsafe.Add(d, 10)) = *(*uint64)(unsafe.Add(s, 2*ps))
	*(*uint64)(unsafe.Add(d, 15)) = *(*uint64)(unsafe.Add(s, 3*ps))
	*(*uint64)(unsafe.Add(d, 20)) = *(*uint64)(unsafe.Add(s, 4*ps))
}

// rows8to16 copies rows of w bytes (8 <= w <= 16) as two overlapping 8-byte words
// each, from s (rows sp bytes apart) to d (dp apart). The caller has checked the
// bounds.
func rows8to16(d, s unsafe.Pointer, w, rows, dp, sp int) {
	for ; rows > 0; rows-- {
		*(*uint64)(d) = *(*uint64)(s)
		*(*uint64)(unsafe.Add(d, w-8)) = *(*uint64)(unsafe.Add(s, w-8))
		d, s = unsafe.Add(d, dp), unsafe.Add(s, sp)
	}
}
