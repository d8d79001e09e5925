//go:build !amd64 && !arm64

package kernel

import (
	"encoding/binary"
	"unsafe"
)

// taps3 copies the 3x3 taps at s (row pitch ps) to d[0:9] with three 4-byte words;
// d[9:12] receives surplus bytes and s[2*ps+3] is read. The caller has checked the
// bounds. Architectures that may trap on unaligned words (32-bit ARM among them)
// assemble each word from bytes.
func taps3(d, s unsafe.Pointer, ps int) {
	le := binary.LittleEndian
	w, x := (*[12]byte)(d), unsafe.Slice((*byte)(s), 2*ps+4)
	le.PutUint32(w[0:4], le.Uint32(x[0:4]))
	le.PutUint32(w[3:7], le.Uint32(x[ps:ps+4]))
	le.PutUint32(w[6:10], le.Uint32(x[2*ps:2*ps+4]))
}

// taps5 copies the 5x5 taps at s (row pitch ps) to d[0:25] with five 8-byte words;
// d[25:28] receives surplus bytes and s[4*ps+7] is read. The caller has checked the
// bounds.
func taps5(d, s unsafe.Pointer, ps int) {
	le := binary.LittleEndian
	w, x := (*[28]byte)(d), unsafe.Slice((*byte)(s), 4*ps+8)
	le.PutUint64(w[0:8], le.Uint64(x[0:8]))
	le.PutUint64(w[5:13], le.Uint64(x[ps:ps+8]))
	le.PutUint64(w[10:18], le.Uint64(x[2*ps:2*ps+8]))
	le.PutUint64(w[15:23], le.Uint64(x[3*ps:3*ps+8]))
	le.PutUint64(w[20:28], le.Uint64(x[4*ps:4*ps+8]))
}

// rows8to16 copies rows of w bytes (8 <= w <= 16) as two overlapping 8-byte words
// each, from s (rows sp bytes apart) to d (dp apart), assembled from bytes. The
// caller has checked the bounds.
func rows8to16(d, s unsafe.Pointer, w, rows, dp, sp int) {
	le := binary.LittleEndian
	for ; rows > 0; rows-- {
		x, y := unsafe.Slice((*byte)(d), w), unsafe.Slice((*byte)(s), w)
		le.PutUint64(x, le.Uint64(y))
		le.PutUint64(x[w-8:], le.Uint64(y[w-8:]))
		d, s = unsafe.Add(d, dp), unsafe.Add(s, sp)
	}
}
