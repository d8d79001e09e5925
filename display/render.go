package display

import (
	"image"
	"math"
)

// RenderOpts are the per-frame facts of a pixel layout that are not part of
// the reading.
type RenderOpts struct {
	// Shift moves the whole image by up to one pixel right/down (burn-in
	// care); the layout keeps a one-pixel margin for it.
	Shift image.Point
	// Heartbeat lights the heartbeat pixel in the bottom-right corner.
	Heartbeat bool
	// Tick animates the starting and camera-lost screens.
	Tick int
}

// Render draws the OLED layout of r into dst: white (0xFF) ink on black.
// dst is 128x64 or 128x32 (other sizes get the layout of the nearest height,
// clipped). It does not allocate.
func Render(dst *image.Gray, r *Reading, o RenderOpts) {
	fillRect(dst, dst.Rect, 0)
	c := canvas{dst: dst, off: dst.Rect.Min.Add(image.Point{o.Shift.X & 1, o.Shift.Y & 1})}
	c.w, c.h = dst.Rect.Dx()-1, dst.Rect.Dy()-1
	if c.h >= 48 {
		c.render64(r, o)
	} else {
		c.render32(r, o)
	}
	if o.Heartbeat {
		c.set(c.w-1, c.h-1)
	}
}

// canvas is dst seen through the burn-in shift, with a design area of
// (w x h) = one pixel less than dst in each direction.
type canvas struct {
	dst  *image.Gray
	off  image.Point
	w, h int
}

func (c *canvas) set(x, y int) { setPix(c.dst, c.off.X+x, c.off.Y+y, 0xFF) }

func (c *canvas) fill(x0, y0, x1, y1 int) {
	fillRect(c.dst, image.Rect(x0, y0, x1, y1).Add(c.off), 0xFF)
}

func (c *canvas) text(f *bitFont, x, baseline int, s string) int {
	return f.draw(c.dst, c.off.X+x, c.off.Y+baseline, s, 0xFF) - c.off.X
}

func (c *canvas) textCentered(f *bitFont, cx, baseline int, s string) {
	c.text(f, cx-f.width(s)/2, baseline, s)
}

// itoa formats v without allocating for 0..999.
func (c *canvas) itoa(v int) string { return itoa(v) }

// interval draws "lo–hi" at (x, baseline).
func (c *canvas) interval(f *bitFont, x, baseline, lo, hi int) int {
	x = c.text(f, x, baseline, itoa(lo))
	x = c.text(f, x, baseline, "–")
	if f.glyph('–') == nil {
		x = c.text(f, x, baseline, "-")
	}
	return c.text(f, x, baseline, itoa(hi))
}

// render64 is the 128x64 layout:
//
//	≈ 12        ▂▅█▇▃ ▪   large numeral, bar chart of the number units,
//	            1    30   state icon top right,
//	9–15               ·  interval bottom left, heartbeat bottom right.
func (c *canvas) render64(r *Reading, o RenderOpts) {
	f := fonts()
	switch r.State {
	case Starting:
		c.icon(c.w-8, 0, iconHourglass)
		c.textCentered(f.label, c.w/2, 24, "numsense")
		c.textCentered(f.small, c.w/2, 42, "starting")
		c.dots(c.w/2-10, 50, o.Tick)
		return
	case Empty:
		c.icon(c.w-8, 0, iconEmpty)
		c.emptyTable(c.w/2, 22)
		c.textCentered(f.small, c.w/2, 48, "empty table")
		c.textCentered(f.small, c.w/2, 61, "add some objects")
		return
	case CameraLost:
		c.icon(c.w-8, 0, iconAlert)
		c.camera(c.w/2-14, 6, o.Tick)
		c.textCentered(f.small, c.w/2, 46, "camera lost")
		c.textCentered(f.small, c.w/2, 59, "reconnecting")
		return
	case Stopped:
		if r.Value <= 0 {
			c.icon(c.w-8, 0, iconStop)
			c.textCentered(f.label, c.w/2, 30, "stopped")
			c.textCentered(f.small, c.w/2, 48, "numsense")
			return
		}
		// The last estimate, marked stopped: drawn below.
	}
	// Estimating, Unstable or Stopped with a last estimate: the number.
	n := r.Rounded()
	s := c.itoa(n)
	big, about := f.big64, f.approx
	if about.width("≈")+big.width(s) > 78 {
		big, about = f.mid64, f.label
	}
	base := 2 + big.inkHeight()
	x := c.text(about, 0, base-(big.inkHeight()-about.inkHeight())/2, "≈") + 1
	switch r.State {
	case Unstable:
		big.drawOutline(c.dst, c.off.X+x, c.off.Y+base, s)
		c.icon(c.w-8, 0, iconWave)
	case Stopped:
		c.text(big, x, base, s)
		c.icon(c.w-8, 0, iconStop)
	default:
		c.text(big, x, base, s)
		c.icon(c.w-8, 0, iconEye)
	}
	lo, hi := r.Lo, r.Hi
	if lo > 0 || hi > 0 {
		c.interval(f.label, 0, c.h-1, lo, hi)
	}
	switch r.State {
	case Unstable:
		c.text(f.small, 42, c.h-1, "settling")
	case Stopped:
		c.text(f.small, 42, c.h-1, "stopped")
	}
	// Right: the number units' activity, or what the network sees.
	if len(r.Activity) > 0 {
		c.bars(r, 79, 11, 48, 33, true)
	} else if r.Silhouette != nil && r.State != Unstable {
		c.thumb(r.Silhouette, 86, 12, 36)
	}
}

// render32 is the 128x32 layout: numeral left, interval and bars right.
func (c *canvas) render32(r *Reading, o RenderOpts) {
	f := fonts()
	switch r.State {
	case Starting:
		c.text(f.label, 2, 14, "numsense")
		c.text(f.small, 2, 28, "starting")
		c.dots(62, 27, o.Tick)
		c.icon(c.w-8, 0, iconHourglass)
		return
	case Empty:
		c.emptyTable(17, 20)
		c.text(f.small, 36, 14, "empty table")
		c.text(f.small, 36, 28, "add objects")
		return
	case CameraLost:
		c.camera(0, 4, o.Tick)
		c.text(f.small, 36, 14, "camera lost")
		c.text(f.small, 36, 28, "reconnecting")
		return
	case Stopped:
		if r.Value <= 0 {
			c.icon(0, 12, iconStop)
			c.text(f.label, 14, 22, "stopped")
			return
		}
	}
	n := r.Rounded()
	s := c.itoa(n)
	big := f.big32
	base := 1 + big.inkHeight()
	x := c.text(f.label, 0, base-(big.inkHeight()-f.label.inkHeight())/2, "≈") + 1
	if r.State == Unstable {
		big.drawOutline(c.dst, c.off.X+x, c.off.Y+base, s)
	} else {
		c.text(big, x, base, s)
	}
	if r.Lo > 0 || r.Hi > 0 {
		c.interval(f.small, 74, 10, r.Lo, r.Hi)
	}
	switch r.State {
	case Unstable:
		c.icon(c.w-8, 0, iconWave)
	case Stopped:
		c.icon(c.w-8, 0, iconStop)
		c.text(f.small, 74, 28, "stopped")
		return
	default:
		c.icon(c.w-8, 0, iconEye)
	}
	if len(r.Activity) > 0 {
		c.bars(r, 74, 14, 48, 15, false)
	}
}

// bars draws the activity of the number units as a bar chart in the box
// (x, y, w, h), with a marker under the numerosity nearest the estimate and,
// when labels is set, the first and last numerosity under the axis.
func (c *canvas) bars(r *Reading, x, y, w, h int, labels bool) {
	n := len(r.Activity)
	step := w / n
	if step < 1 {
		step = 1
	}
	bw := step - 1
	if bw < 1 {
		bw = 1
	}
	best, bestD := -1, math.Inf(1)
	for i := 0; i < n; i++ {
		a := r.Activity[i]
		if math.IsNaN(a) || a < 0 {
			a = 0
		}
		if a > 1 {
			a = 1
		}
		bh := int(math.Round(a * float64(h-1)))
		bx := x + i*step
		c.fill(bx, y+h-1-bh, bx+bw, y+h-1)
		if i < len(r.Numerosities) && r.Numerosities[i] > 0 && r.Value > 0 {
			d := math.Abs(math.Log(float64(r.Numerosities[i]) / r.Value))
			if d < bestD {
				best, bestD = i, d
			}
		}
	}
	c.fill(x, y+h-1, x+n*step-1, y+h) // axis
	if best >= 0 {
		mx := x + best*step + bw/2
		c.fill(mx, y+h+1, mx+1, y+h+2)
		c.fill(mx-1, y+h+2, mx+2, y+h+3)
	}
	if labels && len(r.Numerosities) == n {
		f := fonts().tiny
		c.text(f, x, y+h+9, c.itoa(r.Numerosities[0]))
		last := c.itoa(r.Numerosities[n-1])
		c.text(f, x+n*step-1-f.width(last)+1, y+h+9, last)
	}
}

// thumb draws the silhouette scaled into a size x size box: a pixel is lit
// when any source pixel it covers is lit (thin strokes survive).
func (c *canvas) thumb(s *image.Gray, x, y, size int) {
	sw, sh := s.Rect.Dx(), s.Rect.Dy()
	if sw == 0 || sh == 0 {
		return
	}
	for ty := 0; ty < size; ty++ {
		y0, y1 := ty*sh/size, (ty+1)*sh/size
		for tx := 0; tx < size; tx++ {
			x0, x1 := tx*sw/size, (tx+1)*sw/size
		scan:
			for yy := y0; yy < y1 || yy == y0; yy++ {
				row := s.Pix[yy*s.Stride:]
				for xx := x0; xx < x1 || xx == x0; xx++ {
					if row[xx] >= 0x80 {
						c.set(x+tx, y+ty)
						break scan
					}
				}
			}
		}
	}
	// frame
	c.fill(x-2, y-2, x+size+2, y-1)
	c.fill(x-2, y+size+1, x+size+2, y+size+2)
	c.fill(x-2, y-2, x-1, y+size+2)
	c.fill(x+size+1, y-2, x+size+2, y+size+2)
}

// dots draws three dots, one of them bigger, moving with tick.
func (c *canvas) dots(x, y, tick int) {
	for i := 0; i < 3; i++ {
		if i == tick%3 {
			c.fill(x+i*7, y-3, x+i*7+3, y)
		} else {
			c.fill(x+i*7+1, y-2, x+i*7+2, y-1)
		}
	}
}

// emptyTable draws a table top with nothing on it, centred at cx.
func (c *canvas) emptyTable(cx, y int) {
	c.fill(cx-17, y, cx+17, y+2)    // top
	c.fill(cx-14, y+2, cx-12, y+10) // legs
	c.fill(cx+12, y+2, cx+14, y+10)
	// dashed outline where objects would be
	for x := cx - 10; x <= cx+10; x += 3 {
		c.set(x, y-12)
		c.set(x, y-3)
	}
	for yy := y - 12; yy <= y-3; yy += 3 {
		c.set(cx-10, yy)
		c.set(cx+10, yy)
	}
}

// camera draws a 28x24 camera with a cross through it; the cross blinks with
// tick so a frozen screen is told apart from a lost camera.
func (c *canvas) camera(x, y, tick int) {
	c.fill(x, y+5, x+28, y+6) // body outline
	c.fill(x, y+22, x+28, y+23)
	c.fill(x, y+5, x+1, y+23)
	c.fill(x+27, y+5, x+28, y+23)
	c.fill(x+9, y+1, x+19, y+2) // viewfinder hump
	c.fill(x+9, y+1, x+10, y+5)
	c.fill(x+18, y+1, x+19, y+5)
	for a := 0; a < 32; a++ { // lens ring r=6
		s, co := math.Sincos(float64(a) * math.Pi / 16)
		c.set(x+14+int(math.Round(6*co)), y+14+int(math.Round(6*s)))
	}
	if tick%2 == 0 {
		for i := 0; i <= 25; i++ {
			c.set(x+i, y+i)
			c.set(x+i+1, y+i)
			c.set(x+25-i, y+i)
			c.set(x+26-i, y+i)
		}
	}
}

// icon8 is an 8x8 icon, one byte per row, bit 7 = left.
type icon8 [8]byte

var (
	iconEye       = icon8{0x00, 0x3C, 0x42, 0x99, 0x99, 0x42, 0x3C, 0x00}
	iconWave      = icon8{0x00, 0x00, 0x62, 0x94, 0x08, 0x62, 0x94, 0x08}
	iconHourglass = icon8{0xFF, 0x42, 0x24, 0x18, 0x18, 0x2C, 0x5E, 0xFF}
	iconEmpty     = icon8{0xFF, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0xFF}
	iconAlert     = icon8{0x18, 0x18, 0x3C, 0x24, 0x66, 0x42, 0xDB, 0xFF}
	iconStop      = icon8{0x00, 0x7E, 0x7E, 0x7E, 0x7E, 0x7E, 0x7E, 0x00}
)

func (c *canvas) icon(x, y int, ic icon8) {
	for yy, row := range ic {
		for xx := 0; xx < 8; xx++ {
			if row&(0x80>>xx) != 0 {
				c.set(x+xx, y+yy)
			}
		}
	}
}
