package display

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/numsense/numsense/display/ht16k33"
)

// lcdPicture renders an lcdText as the glass would show it: bar characters
// as block elements, the heartbeat as '·', in a frame.
func lcdPicture(t *lcdText) string {
	var b strings.Builder
	b.WriteString("+" + strings.Repeat("-", t.cols) + "+\n")
	for row := 0; row < t.rows; row++ {
		b.WriteByte('|')
		for _, c := range t.line[row][:t.cols] {
			switch {
			case c < 8:
				b.WriteRune([]rune("▁▂▃▄▅▆▇█")[c])
			case c == lcdBeat:
				b.WriteRune('·')
			default:
				b.WriteByte(c)
			}
		}
		b.WriteString("|\n")
	}
	b.WriteString("+" + strings.Repeat("-", t.cols) + "+\n")
	return b.String()
}

// seg7Picture draws four 7-segment digits as ASCII art (3 rows).
func seg7Picture(d [4]byte, blink bool) string {
	var rows [3]strings.Builder
	for _, s := range d {
		on := func(bit byte, c string) string {
			if s&bit != 0 {
				return c
			}
			return " "
		}
		rows[0].WriteString(" " + on(ht16k33.SegA, "_") + "  ")
		rows[1].WriteString(on(ht16k33.SegF, "|") + on(ht16k33.SegG, "_") + on(ht16k33.SegB, "|") + " ")
		rows[2].WriteString(on(ht16k33.SegE, "|") + on(ht16k33.SegD, "_") + on(ht16k33.SegC, "|") + on(ht16k33.SegDP, "."))
	}
	out := rows[0].String() + "\n" + rows[1].String() + "\n" + rows[2].String() + "\n"
	if blink {
		out += "(blinking)\n"
	}
	return out
}

func TestTextLayoutsGolden(t *testing.T) {
	var all strings.Builder
	for _, geo := range [][2]int{{16, 2}, {20, 4}} {
		for _, st := range allStates {
			r := sample(st)
			var txt lcdText
			layoutLCD(&txt, &r, geo[0], geo[1], true)
			fmt.Fprintf(&all, "%dx%d %s\n%s\n", geo[0], geo[1], st, lcdPicture(&txt))
			if st == Estimating && !strings.HasPrefix(string(txt.line[0][:]), "about 12") {
				t.Errorf("%dx%d row 0 = %q", geo[0], geo[1], txt.line[0][:geo[0]])
			}
		}
	}
	golden(t, "lcd_layouts.txt", []byte(all.String()))

	all.Reset()
	for _, st := range allStates {
		r := sample(st)
		d, blink := layoutSeg7(&r, true, 1)
		fmt.Fprintf(&all, "%s\n%s\n", st, seg7Picture(d, blink))
	}
	golden(t, "seg7_layouts.txt", []byte(all.String()))
}

func TestLCDLongNumbersFit(t *testing.T) {
	r := Reading{State: Estimating, Value: 123, Lo: 99, Hi: 150}
	var txt lcdText
	layoutLCD(&txt, &r, 16, 2, false)
	if got := string(txt.line[0][:16]); got != "123 (99-150)    " {
		t.Fatalf("row 0 = %q", got)
	}
	d, _ := layoutSeg7(&Reading{State: Estimating, Value: 12345}, false, 0)
	if d != [4]byte{0x6F, 0x6F, 0x6F, 0x6F} {
		t.Fatalf("clamped to 9999? got %x", d)
	}
}

func TestPNGDisplay(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "oled.png")
	c := &clock{t: sampleTime}
	d, err := Open(Opts{Driver: "png", Path: path, Scale: 2, BurnIn: BurnIn{Now: c.now}})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Show(sample(Estimating)); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Size() < 100 {
		t.Fatalf("png not written: %v", err)
	}
	// The file holds exactly the OLED pixels, scaled by 2.
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	got, err := png.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	oled := d.(*PNG).Image()
	if got.Bounds().Dx() != 256 || got.Bounds().Dy() != 128 {
		t.Fatalf("png size %v", got.Bounds())
	}
	lit := 0
	for y := 0; y < 64; y++ {
		for x := 0; x < 128; x++ {
			r, _, _, _ := got.At(2*x+1, 2*y+1).RGBA()
			on := oled.GrayAt(x, y).Y != 0
			if (r > 0x8000) != on {
				t.Fatalf("pixel %d,%d differs", x, y)
			}
			if on {
				lit++
			}
		}
	}
	if lit < 100 {
		t.Fatalf("only %d lit pixels", lit)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Fatalf("temporary files left: %v", ents)
	}
	if err := d.Show(sample(Estimating)); err != ErrClosed {
		t.Fatalf("Show after Close: %v", err)
	}
}

// seg7Image draws four digits as lit segments (red LEDs) for the golden PNG.
func seg7Image(d [4]byte) *image.Gray {
	const dw, dh, th = 22, 40, 4 // digit width, height, segment thickness
	img := image.NewGray(image.Rect(0, 0, 4*(dw+12)+8, dh+12))
	for i, s := range d {
		x0 := 6 + i*(dw+12)
		if i >= 2 {
			x0 += 6 // the colon gap of the backpack
		}
		y0 := 6
		segs := [8]image.Rectangle{
			image.Rect(x0+th, y0, x0+dw-th, y0+th),                  // a
			image.Rect(x0+dw-th, y0+th, x0+dw, y0+dh/2),             // b
			image.Rect(x0+dw-th, y0+dh/2, x0+dw, y0+dh-th),          // c
			image.Rect(x0+th, y0+dh-th, x0+dw-th, y0+dh),            // d
			image.Rect(x0, y0+dh/2, x0+th, y0+dh-th),                // e
			image.Rect(x0, y0+th, x0+th, y0+dh/2),                   // f
			image.Rect(x0+th, y0+dh/2-th/2, x0+dw-th, y0+dh/2+th/2), // g
			image.Rect(x0+dw+2, y0+dh-th, x0+dw+2+th, y0+dh),        // dp
		}
		for b, r := range segs {
			if s&(1<<b) != 0 {
				fillRect(img, r, 0xFF)
			}
		}
	}
	return img
}

func TestSeg7GoldenPNG(t *testing.T) {
	for _, st := range allStates {
		r := sample(st)
		d, _ := layoutSeg7(&r, true, 1)
		goldenImage(t, "seg7_"+strings.ReplaceAll(st.String(), " ", "_")+".png", seg7Image(d))
	}
}
