package hd44780

import (
	"testing"
	"time"

	"periph.io/x/conn/v3/i2c/i2ctest"
)

// Init transcript for backlight on (P3 = 0x08), E = 0x04, RS = 0x01.
var initOps = []i2ctest.IO{
	{Addr: 0x27, W: []byte{0x08}},
	{Addr: 0x27, W: []byte{0x3C, 0x38}},
	{Addr: 0x27, W: []byte{0x3C, 0x38}},
	{Addr: 0x27, W: []byte{0x3C, 0x38}},
	{Addr: 0x27, W: []byte{0x2C, 0x28}},
	// 0x28 function set, 0x08 display off, 0x01 clear
	{Addr: 0x27, W: []byte{0x2C, 0x28, 0x8C, 0x88, 0x0C, 0x08, 0x8C, 0x88, 0x0C, 0x08, 0x1C, 0x18}},
	// 0x06 entry mode, 0x0C display on
	{Addr: 0x27, W: []byte{0x0C, 0x08, 0x6C, 0x68, 0x0C, 0x08, 0xCC, 0xC8}},
}

// chars is the data transcript of s: two nibbles, each E high then low, RS set.
func chars(s string) []byte {
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		b = append(b, c&0xF0|0x0D, c&0xF0|0x09, c<<4|0x0D, c<<4|0x09)
	}
	return b
}

func noSleep(d *Dev) { d.sleep = func(time.Duration) {} }

func TestInitAndFrame16x2(t *testing.T) {
	ops := append([]i2ctest.IO{}, initOps...)
	ops = append(ops,
		i2ctest.IO{Addr: 0x27, W: append([]byte{0x8C, 0x88, 0x0C, 0x08}, chars("about 12 (9-15) ")...)},
		i2ctest.IO{Addr: 0x27, W: append([]byte{0xCC, 0xC8, 0x0C, 0x08}, chars("counting        ")...)},
	)
	pb := &i2ctest.Playback{Ops: ops, DontPanic: true}
	d, err := New(pb, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WriteLine(0, "about 12 (9-15)"); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteLine(1, "counting"); err != nil {
		t.Fatal(err)
	}
	// Unchanged rows are not resent.
	if err := d.WriteLine(0, "about 12 (9-15)"); err != nil {
		t.Fatal(err)
	}
	if err := pb.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestRowOffsets20x4AndAltAddr(t *testing.T) {
	rec := &i2ctest.Record{}
	d, err := New(rec, &Opts{Addr: AltAddr, Cols: 20, Rows: 4})
	if err != nil {
		t.Fatal(err)
	}
	noSleep(d)
	want := []byte{0x00, 0x40, 0x14, 0x54}
	for row := 0; row < 4; row++ {
		if err := d.WriteLine(row, "x"); err != nil {
			t.Fatal(err)
		}
		op := rec.Ops[len(rec.Ops)-1]
		cmd := 0x80 | want[row]
		if op.Addr != 0x3F || op.W[0] != cmd&0xF0|0x0C || op.W[2] != cmd<<4|0x0C || len(op.W) != 4+4*20 {
			t.Fatalf("row %d: %#v", row, op)
		}
	}
	if err := d.WriteLine(4, "x"); err == nil {
		t.Fatal("row 4 accepted on a 4-row LCD")
	}
}

func TestSetCharAndROM(t *testing.T) {
	rec := &i2ctest.Record{}
	d, err := New(rec, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := len(rec.Ops)
	if err := d.SetChar(1, [8]byte{0x1F, 0, 0, 0, 0, 0, 0, 0x1F}); err != nil {
		t.Fatal(err)
	}
	op := rec.Ops[n]
	// 0x48 = set CGRAM address 8 (character 1), then row 0 = 0x1F with RS.
	if op.W[0] != 0x4C || op.W[2] != 0x8C || op.W[4] != 0x1D || op.W[6] != 0xFD || len(op.W) != 4+32+4 {
		t.Fatalf("SetChar transcript %#v", op.W)
	}
	if ROMCode('~') == '~' || ROMCode('\\') == '\\' || ROMCode(3) != 3 || ROMCode('é') != '?' {
		t.Fatal("ROM mapping")
	}
}

func TestErrorNamesAddress(t *testing.T) {
	rec := &i2ctest.Playback{DontPanic: true}
	_, err := New(rec, &Opts{Addr: 0x3F})
	if err == nil || !contains(err.Error(), "0x3f") {
		t.Fatalf("got %v", err)
	}
	if _, err := New(&i2ctest.Record{}, &Opts{Addr: 0x50}); err == nil {
		t.Fatal("0x50 accepted")
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
