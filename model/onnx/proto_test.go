package onnx

import (
	"bytes"
	"errors"
	"testing"
)

func TestEncodingBytes(t *testing.T) {
	// Hand-encoded: OperatorSetIdProto{domain: "", version: 13} = field 1 (bytes,
	// key 0x0a) of length 0, field 2 (varint, key 0x10) value 13.
	var p pb
	p.str(fOpsetDomain, "")
	p.varint(fOpsetVersion, 13)
	if want := []byte{0x0a, 0x00, 0x10, 0x0d}; !bytes.Equal(p.b, want) {
		t.Errorf("opset = % x, want % x", p.b, want)
	}
	// A negative int64 is ten bytes of two's complement; 300 is ac 02; the float
	// 1.0 is fixed32 00 00 80 3f; packed ints are one length-delimited field.
	p = pb{}
	p.varint(3, -1)
	p.varint(3, 300)
	p.float(2, 1)
	p.packedInts(8, []int64{1, 300})
	want := []byte{0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x18, 0xac, 0x02,
		0x15, 0x00, 0x00, 0x80, 0x3f, 0x42, 0x03, 0x01, 0xac, 0x02}
	if !bytes.Equal(p.b, want) {
		t.Errorf("encoding = % x\nwant       % x", p.b, want)
	}
	fs, err := parseFields(p.b)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 4 || int64(fs[0].v) != -1 || fs[1].v != 300 {
		t.Errorf("parsed %+v", fs)
	}
	if f, _ := fs[2].floats(nil); len(f) != 1 || f[0] != 1 {
		t.Errorf("float field: %v", f)
	}
	if v, _ := fs[3].ints(nil); len(v) != 2 || v[0] != 1 || v[1] != 300 {
		t.Errorf("packed ints: %v", v)
	}
	// Unpacked repeated ints decode the same way.
	p = pb{}
	p.varint(8, 1)
	p.varint(8, 300)
	fs, _ = parseFields(p.b)
	var v []int64
	for _, f := range fs {
		v, _ = f.ints(v)
	}
	if len(v) != 2 || v[1] != 300 {
		t.Errorf("unpacked ints: %v", v)
	}
}

func TestParseErrors(t *testing.T) {
	for name, b := range map[string][]byte{
		"truncated varint":  {0x18, 0xff},
		"length past end":   {0x0a, 0x05, 0x01},
		"truncated fixed32": {0x15, 0x00, 0x00},
		"field zero":        {0x00, 0x01},
		"wire type 3":       {0x0b},
	} {
		if _, err := parseFields(b); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	q := synthQNet(3)
	var buf bytes.Buffer
	if err := Export(q, &buf, Opts{Input: "relu4", Outputs: []string{"relu5"}}); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	if _, err := Decode(good); err != nil {
		t.Fatalf("good model: %v", err)
	}
	for _, n := range []int{1, 10, len(good) / 2, len(good) - 1} {
		if _, err := Decode(good[:n]); !errors.Is(err, ErrFormat) {
			t.Errorf("truncated to %d bytes: err %v", n, err)
		}
	}
	var p pb
	p.varint(fModelIRVersion, 7)
	if _, err := Decode(p.b); !errors.Is(err, ErrFormat) {
		t.Errorf("model without graph: %v", err)
	}
	// A tensor whose raw data does not match its dims.
	var tp pb
	tp.packedInts(fTensorDims, []int64{4})
	tp.varint(fTensorDataType, Float32)
	tp.str(fTensorName, "t")
	tp.bytes(fTensorRawData, []byte{1, 2, 3})
	if _, err := decodeTensor(tp.b); err == nil {
		t.Error("tensor with 3 bytes for 4 floats: no error")
	}
}
