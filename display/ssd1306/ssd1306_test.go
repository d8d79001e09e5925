package ssd1306

import (
	"bytes"
	"errors"
	"image"
	"strings"
	"testing"

	"periph.io/x/conn/v3/i2c/i2ctest"
	"periph.io/x/devices/v3/ssd1306/image1bit"
)

// initCmd is the command stream periph v3.7.4 sends for a panel of h rows
// with the COM pins value com, as read from the SSD1306 datasheet flow.
func initCmd(h int, com byte) []byte {
	return []byte{0x00,
		0xAE, 0xD3, 0x00, 0x40, 0xA1, 0xC8, 0xDA, com, 0x81, 0xFF, 0xA4, 0xA6,
		0xD5, 0xF0, 0x8D, 0x14, 0xD9, 0xF1, 0xDB, 0x40, 0x2E, 0xA8, byte(h - 1),
		0x20, 0x00, 0x21, 0, 127, 0x22, 0, byte(h/8 - 1), 0xAF}
}

// fullFrame is the page-by-page transcript of a whole frame at addr.
func fullFrame(addr uint16, pix []byte, pages int) []i2ctest.IO {
	var ops []i2ctest.IO
	for p := 0; p < pages; p++ {
		ops = append(ops,
			i2ctest.IO{Addr: addr, W: []byte{0x00, 0xB0 | byte(p), 0x00, 0x10}},
			i2ctest.IO{Addr: addr, W: append([]byte{0x40}, pix[p*128:(p+1)*128]...)})
	}
	return ops
}

func testFrame(h int) *image1bit.VerticalLSB {
	img := image1bit.NewVerticalLSB(image.Rect(0, 0, 128, h))
	for x := 0; x < 128; x++ {
		img.SetBit(x, 0, true)
		img.SetBit(x, h-1, true)
		img.SetBit(x, x%h, true)
	}
	return img
}

func TestInitAndFrame64At3D(t *testing.T) {
	img := testFrame(64)
	ops := []i2ctest.IO{{Addr: 0x3D, W: initCmd(64, 0x12)}}
	ops = append(ops, fullFrame(0x3D, img.Pix, 8)...)
	pb := &i2ctest.Playback{Ops: ops, DontPanic: true}
	o := DefaultOpts
	o.Addr = AltAddr
	d, err := New(pb, &o)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Draw(d.Bounds(), img, image.Point{}); err != nil {
		t.Fatal(err)
	}
	if err := pb.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestInit32UsesSequentialCOMPins(t *testing.T) {
	img := testFrame(32)
	ops := []i2ctest.IO{{Addr: 0x3C, W: initCmd(32, 0x02)}}
	ops = append(ops, fullFrame(0x3C, img.Pix, 4)...)
	pb := &i2ctest.Playback{Ops: ops, DontPanic: true}
	d, err := New(pb, &Opts{W: 128, H: 32})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Write(img.Pix); err != nil {
		t.Fatal(err)
	}
	if err := pb.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestContrastAfterInit(t *testing.T) {
	rec := &i2ctest.Record{}
	if _, err := New(rec, &Opts{Contrast: 0x40}); err != nil {
		t.Fatal(err)
	}
	if len(rec.Ops) != 2 || !bytes.Equal(rec.Ops[1].W, []byte{0x00, 0x81, 0x40}) {
		t.Fatalf("want init then contrast 0x40, got %v", rec.Ops)
	}
}

func TestReinitSendsFullFrame(t *testing.T) {
	rec := &i2ctest.Record{}
	d, err := New(rec, nil)
	if err != nil {
		t.Fatal(err)
	}
	img := testFrame(64)
	if _, err := d.Write(img.Pix); err != nil {
		t.Fatal(err)
	}
	n := len(rec.Ops)
	if _, err := d.Write(img.Pix); err != nil {
		t.Fatal(err)
	}
	if len(rec.Ops) != n {
		t.Fatalf("identical frame sent %d ops, want none", len(rec.Ops)-n)
	}
	if err := d.Init(); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Write(img.Pix); err != nil {
		t.Fatal(err)
	}
	// init + 8 pages of (command, data)
	if got := len(rec.Ops) - n; got != 1+16 {
		t.Fatalf("after Init the same frame sent %d ops, want 17 (full redraw)", got)
	}
}

type failBus struct{ i2ctest.Record }

func (f *failBus) Tx(addr uint16, w, r []byte) error { return errors.New("remote I/O error") }

func TestErrorsNameDevice(t *testing.T) {
	_, err := New(&failBus{}, &Opts{Addr: AltAddr})
	if err == nil || !strings.Contains(err.Error(), "0x3d") {
		t.Fatalf("want error naming 0x3d, got %v", err)
	}
	if _, err := New(&i2ctest.Record{}, &Opts{Addr: 0x3E}); err == nil {
		t.Fatal("address 0x3E accepted")
	}
	if _, err := New(&i2ctest.Record{}, &Opts{W: 128, H: 30}); err == nil {
		t.Fatal("height 30 accepted")
	}
}
