package model

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unsafe"

	"github.com/numsense/numsense/model/atomicfile"
)

// NPYElem is the element types WriteNPY accepts.
type NPYElem interface{ ~float32 | ~int8 | ~uint8 }

// NPYKind is the .npy file for model/atomicfile: an existing target is replaced
// only if it is empty or a NumPy array file.
var NPYKind = atomicfile.Kind{Name: "a NumPy .npy file", Ours: func(head []byte) bool {
	return len(head) >= 6 && string(head[:6]) == "\x93NUMPY"
}}

// WriteNPY writes data as a NumPy .npy file (format version 1.0, C order,
// little-endian '<f4', '|i1' or '|u1') of the given shape, atomically (temporary
// file, fsync, rename). The product of shape must equal len(data). For an Engine's
// relu5 use shape []int{256, 13, 13}: NumPy index [c, y, x] is unit c*169 + y*13 + x.
func WriteNPY[T NPYElem](path string, shape []int, data []T) error {
	n := 1
	for _, s := range shape {
		if s < 0 {
			return fmt.Errorf("model: npy %s: negative dimension in shape %v", path, shape)
		}
		n *= s
	}
	if n != len(data) {
		return fmt.Errorf("model: npy %s: shape %v holds %d values, data has %d", path, shape, n, len(data))
	}
	var z T
	descr, size := "|u1", 1
	switch {
	case unsafe.Sizeof(z) == 4: // the only 4-byte element type is float32
		descr, size = "<f4", 4
	case isSigned(z):
		descr = "|i1"
	}
	dims := make([]string, len(shape))
	for i, s := range shape {
		dims[i] = strconv.Itoa(s)
	}
	tuple := strings.Join(dims, ", ")
	if len(shape) == 1 {
		tuple += ","
	}
	header := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%s), }", descr, tuple)
	// magic(6) + version(2) + header length(2) + header + '\n', padded to 64 bytes.
	total := 10 + len(header) + 1
	pad := (64 - total%64) % 64
	header += strings.Repeat(" ", pad) + "\n"
	if len(header) > math.MaxUint16 {
		return fmt.Errorf("model: npy %s: shape %v too long", path, shape)
	}
	buf := make([]byte, 0, 10+len(header)+size*len(data))
	buf = append(buf, "\x93NUMPY\x01\x00"...)
	buf = binary.LittleEndian.AppendUint16(buf, uint16(len(header)))
	buf = append(buf, header...)
	for _, v := range data {
		if size == 4 {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(float32(v)))
		} else {
			buf = append(buf, byte(v))
		}
	}
	if err := NPYKind.WriteFile(path, buf); err != nil {
		return fmt.Errorf("model: npy: %w", err)
	}
	return nil
}

// isSigned reports whether T is a signed type (0 - 1 < 0).
func isSigned[T NPYElem](z T) bool {
	z--
	return z < 0
}
