package ht16k33

import (
	"testing"

	"periph.io/x/conn/v3/i2c/i2ctest"
)

func TestInitAndFrame(t *testing.T) {
	pb := &i2ctest.Playback{DontPanic: true, Ops: []i2ctest.IO{
		{Addr: 0x71, W: []byte{0x21}},
		{Addr: 0x71, W: []byte{0x81}},
		{Addr: 0x71, W: []byte{0xE7}}, // brightness 8/16
		{Addr: 0x71, W: []byte{0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
		// "  12." : blank, blank, 1, 2 with decimal point.
		{Addr: 0x71, W: []byte{0x00, 0, 0, 0, 0, 0, 0, 0x06, 0, 0x5B | 0x80, 0}},
		// "1:23" colon
		{Addr: 0x71, W: []byte{0x00, 0, 0, 0x06, 0, 0x02, 0, 0x5B, 0, 0x4F, 0}},
		{Addr: 0x71, W: []byte{0x85}}, // blink 1 Hz
	}}
	d, err := New(pb, &Opts{Addr: 0x71, Brightness: 8})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WriteString("12."); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteString("12."); err != nil { // unchanged: nothing sent
		t.Fatal(err)
	}
	if err := d.WriteDigits([4]byte{0, Segments('1'), Segments('2'), Segments('3')}, true); err != nil {
		t.Fatal(err)
	}
	if err := d.SetBlink(Blink1Hz); err != nil {
		t.Fatal(err)
	}
	if err := pb.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestEncode(t *testing.T) {
	for _, c := range []struct {
		s    string
		want [4]byte
	}{
		{"8", [4]byte{0, 0, 0, 0x7F}},
		{"1234", [4]byte{0x06, 0x5B, 0x4F, 0x66}},
		{"9.9", [4]byte{0, 0, 0x6F | 0x80, 0x6F}},
		{"StOP", [4]byte{0x6D, 0x78, 0x3F, 0x73}},
		{"--", [4]byte{0, 0, 0x40, 0x40}},
	} {
		got, err := Encode(c.s)
		if err != nil || got != c.want {
			t.Errorf("Encode(%q) = %#v, %v; want %#v", c.s, got, err, c.want)
		}
	}
	if _, err := Encode("12345"); err == nil {
		t.Error("5 digits accepted")
	}
	for i, want := range []byte{0x3F, 0x06, 0x5B, 0x4F, 0x66, 0x6D, 0x7D, 0x07, 0x7F, 0x6F} {
		if got := Segments(rune('0' + i)); got != want {
			t.Errorf("digit %d = %#x want %#x", i, got, want)
		}
	}
}

func TestBadOpts(t *testing.T) {
	if _, err := New(&i2ctest.Record{}, &Opts{Addr: 0x3C}); err == nil {
		t.Error("0x3C accepted")
	}
	if _, err := New(&i2ctest.Record{}, &Opts{Brightness: 17}); err == nil {
		t.Error("brightness 17 accepted")
	}
	if _, err := New(&i2ctest.Playback{DontPanic: true}, nil); err == nil {
		t.Error("no error from a silent bus")
	}
}
