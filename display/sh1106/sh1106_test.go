package sh1106

import (
	"errors"
	"image"
	"image/color"
	"testing"

	"periph.io/x/conn/v3/i2c/i2ctest"
	"periph.io/x/devices/v3/ssd1306/image1bit"
)

var init64 = []byte{0x00, 0xAE, 0xD5, 0x80, 0xA8, 0x3F, 0xD3, 0x00, 0x40, 0xAD, 0x8B, 0x32,
	0xA1, 0xC8, 0xDA, 0x12, 0x81, 0x80, 0xD9, 0x22, 0xDB, 0x35, 0xA4, 0xA6, 0xAF}

func frame() *image1bit.VerticalLSB {
	img := image1bit.NewVerticalLSB(image.Rect(0, 0, 128, 64))
	for x := 0; x < 128; x++ {
		img.SetBit(x, x/2, true)
	}
	img.SetBit(0, 0, true)
	return img
}

func TestInitAndFrame(t *testing.T) {
	img := frame()
	ops := []i2ctest.IO{{Addr: 0x3C, W: init64}}
	for p := 0; p < 8; p++ {
		// Column 2 = low nibble 0x02, high nibble 0x10.
		ops = append(ops, i2ctest.IO{Addr: 0x3C, W: []byte{0x00, 0xB0 | byte(p), 0x02, 0x10}},
			i2ctest.IO{Addr: 0x3C, W: append([]byte{0x40}, img.Pix[p*128:(p+1)*128]...)})
	}
	// Second frame: one pixel on page 5 changes; only page 5 is sent.
	img2 := frame()
	img2.SetBit(100, 44, true)
	ops = append(ops, i2ctest.IO{Addr: 0x3C, W: []byte{0x00, 0xB5, 0x02, 0x10}},
		i2ctest.IO{Addr: 0x3C, W: append([]byte{0x40}, img2.Pix[5*128:6*128]...)})
	pb := &i2ctest.Playback{Ops: ops, DontPanic: true}
	d, err := New(pb, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Draw(d.Bounds(), img, image.Point{}); err != nil {
		t.Fatal(err)
	}
	if err := d.Draw(d.Bounds(), img, image.Point{}); err != nil {
		t.Fatal(err) // identical: nothing sent
	}
	if _, err := d.Write(img2.Pix); err != nil {
		t.Fatal(err)
	}
	if err := pb.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestGenericImageAndOffset(t *testing.T) {
	rec := &i2ctest.Record{}
	d, err := New(rec, &Opts{Addr: AltAddr, ColumnOffset: 0, Contrast: 0x10})
	if err != nil {
		t.Fatal(err)
	}
	if rec.Ops[0].Addr != 0x3D || rec.Ops[0].W[17] != 0x10 {
		t.Fatalf("init = %#v", rec.Ops[0])
	}
	g := image.NewGray(image.Rect(0, 0, 128, 64))
	g.SetGray(3, 9, color.Gray{Y: 255})
	if err := d.Draw(d.Bounds(), g, image.Point{}); err != nil {
		t.Fatal(err)
	}
	// 1 init + 8 pages * 2
	if len(rec.Ops) != 17 {
		t.Fatalf("%d ops", len(rec.Ops))
	}
	page1 := rec.Ops[3]
	if page1.W[0] != 0x00 || page1.W[1] != 0xB1 || page1.W[2] != 0x00 || page1.W[3] != 0x10 {
		t.Fatalf("page 1 address = %#v", page1.W)
	}
	if got := rec.Ops[4].W[1+3]; got != 0x02 { // row 9 = bit 1 of page 1
		t.Fatalf("pixel byte = %#x, want 0x02", got)
	}
}

type flaky struct {
	i2ctest.Record
	fail bool
}

func (f *flaky) Tx(a uint16, w, r []byte) error {
	if f.fail {
		return errors.New("nack")
	}
	return f.Record.Tx(a, w, r)
}

func TestErrorForcesFullRedraw(t *testing.T) {
	b := &flaky{}
	d, err := New(b, nil)
	if err != nil {
		t.Fatal(err)
	}
	img := frame()
	if err := d.Draw(d.Bounds(), img, image.Point{}); err != nil {
		t.Fatal(err)
	}
	b.fail = true
	img.SetBit(5, 5, true)
	if err := d.Draw(d.Bounds(), img, image.Point{}); err == nil {
		t.Fatal("no error from failing bus")
	}
	b.fail = false
	n := len(b.Ops)
	if err := d.Draw(d.Bounds(), img, image.Point{}); err != nil {
		t.Fatal(err)
	}
	if got := len(b.Ops) - n; got != 16 {
		t.Fatalf("after an error %d ops sent, want 16 (all pages)", got)
	}
	if _, err := New(b, &Opts{W: 132, ColumnOffset: 2}); err == nil {
		t.Fatal("132+2 columns accepted")
	}
}
