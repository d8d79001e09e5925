package model

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteNPY(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.npy")
	data := []float32{1, -2.5, 3, 4, 5, 6}
	if err := WriteNPY(p, []int{2, 3}, data); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\x93NUMPY\x01\x00")) {
		t.Fatal("magic")
	}
	hl := int(binary.LittleEndian.Uint16(b[8:10]))
	if (10+hl)%64 != 0 {
		t.Errorf("data offset %d not 64-aligned", 10+hl)
	}
	h := string(b[10 : 10+hl])
	if !strings.Contains(h, "'descr': '<f4'") || !strings.Contains(h, "'shape': (2, 3)") || !strings.HasSuffix(h, "\n") {
		t.Errorf("header %q", h)
	}
	body := b[10+hl:]
	if len(body) != 24 || math.Float32frombits(binary.LittleEndian.Uint32(body[4:])) != -2.5 {
		t.Errorf("body %v", body)
	}
	p8 := filepath.Join(dir, "b.npy")
	if err := WriteNPY(p8, []int{3}, []int8{-128, 0, 127}); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(p8)
	if !strings.Contains(string(b), "'descr': '|i1'") || !strings.Contains(string(b), "'shape': (3,)") || !bytes.HasSuffix(b, []byte{0x80, 0, 0x7f}) {
		t.Errorf("int8 file %q", b)
	}
	pu := filepath.Join(dir, "c.npy")
	if err := WriteNPY(pu, []int{1, 2}, []uint8{1, 2}); err != nil {
		t.Fatal(err)
	}
	if b, _ = os.ReadFile(pu); !strings.Contains(string(b), "'|u1'") {
		t.Errorf("uint8 file %q", b)
	}
	if err := WriteNPY(filepath.Join(dir, "bad.npy"), []int{4}, data); err == nil || !strings.Contains(err.Error(), "bad.npy") {
		t.Errorf("shape mismatch: %v", err)
	}
}
