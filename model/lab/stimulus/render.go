package stimulus

import (
	"image"
	"math"
)

// On is the value of a white (item) pixel; the background is 0.
const On = 255

// render clears dst and draws items, returning the number of white pixels.
// Item pixels are clipped to the canvas (the placement rules keep them inside).
func render(dst *image.Gray, items []Item) int {
	base := dst.PixOffset(dst.Rect.Min.X, dst.Rect.Min.Y)
	stride := dst.Stride
	for y := 0; y < Size; y++ {
		row := dst.Pix[base+y*stride : base+y*stride+Size]
		clear(row)
	}
	on := 0
	for i := range items {
		it := &items[i]
		switch it.Shape {
		case Square:
			f := int(math.Floor(it.R))
			for dy := -f; dy <= f; dy++ {
				on += span(dst.Pix, base, stride, it.X-f, it.X+f, it.Y+dy)
			}
		case Ellipse:
			on += renderEllipse(dst.Pix, base, stride, it)
		case Triangle:
			on += renderTriangle(dst.Pix, base, stride, it)
		default:
			on += renderDisc(dst.Pix, base, stride, it)
		}
	}
	return on
}

// span sets pixels x0..x1 of row y (1-based) and returns how many were black.
func span(pix []uint8, base, stride, x0, x1, y int) int {
	if y < 1 || y > Size {
		return 0
	}
	x0 = max(x0, 1)
	x1 = min(x1, Size)
	if x0 > x1 {
		return 0
	}
	row := pix[base+(y-1)*stride+x0-1 : base+(y-1)*stride+x1]
	n := 0
	for i, v := range row {
		if v == 0 {
			n++
		}
		row[i] = On
	}
	return n
}

// inDisc is the disc membership test: sqrt(dx²+dy²) <= r.
func inDisc(dx, dy int, r float64) bool {
	return math.Sqrt(float64(dx*dx+dy*dy)) <= r
}

func renderDisc(pix []uint8, base, stride int, it *Item) int {
	r := it.R
	f := int(math.Floor(r))
	r2 := float64(r * r)
	on := 0
	for dy := -f; dy <= f; dy++ {
		// Estimate the half width, then settle it with the exact test.
		v := r2 - float64(dy*dy)
		w := 0
		if v > 0 {
			w = int(math.Sqrt(v))
		}
		for w > 0 && !inDisc(w, dy, r) {
			w--
		}
		for inDisc(w+1, dy, r) {
			w++
		}
		if !inDisc(w, dy, r) { // only possible for w = 0
			continue
		}
		on += span(pix, base, stride, it.X-w, it.X+w, it.Y+dy)
	}
	return on
}

// inEllipse is dx²/r² + dy²/(r/2)² < 1.
func inEllipse(dx, dy int, r2, h2 float64) bool {
	return float64(dx*dx)/r2+float64(dy*dy)/h2 < 1
}

func renderEllipse(pix []uint8, base, stride int, it *Item) int {
	r := it.R
	f := int(math.Floor(r))
	r2 := float64(r * r)
	h := 0.5 * r
	h2 := float64(h * h)
	on := 0
	for dy := -f; dy <= f; dy++ {
		if !inEllipse(0, dy, r2, h2) {
			continue
		}
		w := 0
		for w < f && inEllipse(w+1, dy, r2, h2) {
			w++
		}
		on += span(pix, base, stride, it.X-w, it.X+w, it.Y+dy)
	}
	return on
}

// triangleVertices returns the vertices of a triangle item in counter-clockwise order.
func triangleVertices(it *Item) [3][2]float64 {
	var v [3][2]float64
	for k := range v {
		c, s := cosSinDeg(it.Angle + 120*k)
		v[k] = [2]float64{float64(it.X) + float64(it.R*c), float64(it.Y) + float64(it.R*s)}
	}
	return v
}

func renderTriangle(pix []uint8, base, stride int, it *Item) int {
	v := triangleVertices(it)
	f := int(math.Floor(it.R))
	on := 0
	for dy := -f; dy <= f; dy++ {
		y := it.Y + dy
		if y < 1 || y > Size {
			continue
		}
		for dx := -f; dx <= f; dx++ {
			x := it.X + dx
			if x < 1 || x > Size {
				continue
			}
			if inConvex(v[:], float64(x), float64(y)) {
				p := &pix[base+(y-1)*stride+x-1]
				if *p == 0 {
					on++
				}
				*p = On
			}
		}
	}
	return on
}
