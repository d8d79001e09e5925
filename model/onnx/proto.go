package onnx

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// Protobuf wire types (the four that ONNX uses).
const (
	wireVarint  = 0
	wireFixed64 = 1
	wireBytes   = 2
	wireFixed32 = 5
)

// pb is an append-only protobuf message encoder. Nested messages are encoded into
// their own pb and appended with msg, which writes the length prefix.
type pb struct{ b []byte }

func (p *pb) tag(field, wire int) { p.b = binary.AppendUvarint(p.b, uint64(field)<<3|uint64(wire)) }

// varint writes an int64/int32/enum field (negative values as ten-byte two's
// complement, as protobuf does for int32 and int64).
func (p *pb) varint(field int, v int64) {
	p.tag(field, wireVarint)
	p.b = binary.AppendUvarint(p.b, uint64(v))
}

func (p *pb) bytes(field int, b []byte) {
	p.tag(field, wireBytes)
	p.b = binary.AppendUvarint(p.b, uint64(len(b)))
	p.b = append(p.b, b...)
}

func (p *pb) str(field int, s string) {
	p.tag(field, wireBytes)
	p.b = binary.AppendUvarint(p.b, uint64(len(s)))
	p.b = append(p.b, s...)
}

func (p *pb) float(field int, f float32) {
	p.tag(field, wireFixed32)
	p.b = binary.LittleEndian.AppendUint32(p.b, math.Float32bits(f))
}

func (p *pb) msg(field int, m *pb) { p.bytes(field, m.b) }

// packedInts writes a repeated int64 field in packed form.
func (p *pb) packedInts(field int, v []int64) {
	var q []byte
	for _, x := range v {
		q = binary.AppendUvarint(q, uint64(x))
	}
	p.bytes(field, q)
}

// pfield is one decoded protobuf field: v holds varint and fixed values, b the
// payload of a length-delimited field (a sub-slice of the input, not a copy).
type pfield struct {
	num  int
	wire int
	v    uint64
	b    []byte
}

var errTruncated = errors.New("truncated protobuf field")

// parseFields splits one protobuf message into its fields (in order).
func parseFields(b []byte) ([]pfield, error) {
	var fs []pfield
	for len(b) > 0 {
		key, n := binary.Uvarint(b)
		if n <= 0 {
			return nil, fmt.Errorf("bad field key: %w", errTruncated)
		}
		b = b[n:]
		f := pfield{num: int(key >> 3), wire: int(key & 7)}
		if f.num == 0 {
			return nil, errors.New("field number 0")
		}
		switch f.wire {
		case wireVarint:
			v, n := binary.Uvarint(b)
			if n <= 0 {
				return nil, fmt.Errorf("field %d: %w", f.num, errTruncated)
			}
			f.v, b = v, b[n:]
		case wireFixed64:
			if len(b) < 8 {
				return nil, fmt.Errorf("field %d: %w", f.num, errTruncated)
			}
			f.v, b = binary.LittleEndian.Uint64(b), b[8:]
		case wireFixed32:
			if len(b) < 4 {
				return nil, fmt.Errorf("field %d: %w", f.num, errTruncated)
			}
			f.v, b = uint64(binary.LittleEndian.Uint32(b)), b[4:]
		case wireBytes:
			l, n := binary.Uvarint(b)
			if n <= 0 || l > uint64(len(b)-n) {
				return nil, fmt.Errorf("field %d: %w", f.num, errTruncated)
			}
			f.b, b = b[n:n+int(l)], b[n+int(l):]
		default:
			return nil, fmt.Errorf("field %d: unsupported wire type %d", f.num, f.wire)
		}
		fs = append(fs, f)
	}
	return fs, nil
}

// ints appends the int64 values of a repeated int64 field occurrence, packed or not.
func (f pfield) ints(dst []int64) ([]int64, error) {
	switch f.wire {
	case wireVarint:
		return append(dst, int64(f.v)), nil
	case wireBytes:
		b := f.b
		for len(b) > 0 {
			v, n := binary.Uvarint(b)
			if n <= 0 {
				return nil, fmt.Errorf("packed field %d: %w", f.num, errTruncated)
			}
			dst, b = append(dst, int64(v)), b[n:]
		}
		return dst, nil
	}
	return nil, fmt.Errorf("field %d: wire type %d for an integer list", f.num, f.wire)
}

// floats appends the float values of a repeated float field occurrence, packed or not.
func (f pfield) floats(dst []float32) ([]float32, error) {
	switch f.wire {
	case wireFixed32:
		return append(dst, math.Float32frombits(uint32(f.v))), nil
	case wireBytes:
		if len(f.b)%4 != 0 {
			return nil, fmt.Errorf("packed float field %d: %d bytes", f.num, len(f.b))
		}
		for i := 0; i < len(f.b); i += 4 {
			dst = append(dst, math.Float32frombits(binary.LittleEndian.Uint32(f.b[i:])))
		}
		return dst, nil
	}
	return nil, fmt.Errorf("field %d: wire type %d for a float list", f.num, f.wire)
}

func (f pfield) want(wire int, what string) error {
	if f.wire != wire {
		return fmt.Errorf("%s (field %d): wire type %d, want %d", what, f.num, f.wire, wire)
	}
	return nil
}
