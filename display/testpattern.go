package display

import (
	"errors"
	"image"
	"math"
	"time"
)

// TestPatternNumerosities are the preferred numerosities used by the test
// pattern (those of Kim et al. 2021).
var TestPatternNumerosities = []int{1, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30}

// imageShower is implemented by the pixel displays: show a raw frame.
type imageShower interface {
	ShowImage(img *image.Gray) error
}

// TestPattern runs `numsense display test`: on a pixel display an alignment
// frame first (a border that must touch all four edges, a 1-pixel grid and
// the corners marked; a cut-off edge means wrong size, COM pins or column
// offset), then every state, then a count from 1 to 30 with synthetic
// number-unit activity. Each step is held for hold. It returns the first
// error but runs every step.
func TestPattern(d Display, hold time.Duration) error {
	var errs []error
	step := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
		if hold > 0 {
			time.Sleep(hold)
		}
	}
	if s, ok := d.(imageShower); ok {
		step(s.ShowImage(AlignmentImage(s.(interface{ Bounds() image.Rectangle }).Bounds())))
	}
	now := time.Now()
	for _, st := range []State{Starting, Empty, CameraLost, Unstable, Estimating} {
		r := SyntheticReading(7, st)
		r.Time = now
		step(d.Show(r))
		now = now.Add(beatPeriod)
	}
	for n := 1; n <= 30; n++ {
		r := SyntheticReading(float64(n), Estimating)
		r.Time = now
		now = now.Add(beatPeriod)
		if hold > 0 {
			step(d.Show(r))
		} else if err := d.Show(r); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// SyntheticReading is a plausible reading of n items in state st: number
// units with Gaussian tuning on a log scale (as in the paper's tuning
// curves) and an interval of about ±25%.
func SyntheticReading(n float64, st State) Reading {
	r := Reading{Value: n, State: st, Numerosities: TestPatternNumerosities}
	if st != Estimating && st != Unstable {
		return r
	}
	r.Lo, r.Hi = int(math.Floor(n*0.78)), int(math.Ceil(n*1.25))
	if r.Lo < 1 {
		r.Lo = 1
	}
	r.Activity = make([]float64, len(r.Numerosities))
	for i, p := range r.Numerosities {
		d := math.Log2(float64(p)) - math.Log2(n)
		r.Activity[i] = 0.12 + 0.85*math.Exp(-d*d/(2*0.4*0.4))
	}
	return r
}

// AlignmentImage is the alignment frame of TestPattern for a panel of size b.
func AlignmentImage(b image.Rectangle) *image.Gray {
	img := image.NewGray(b)
	w, h := b.Dx(), b.Dy()
	for x := 0; x < w; x++ {
		for y := 0; y < h; y++ {
			edge := x == 0 || y == 0 || x == w-1 || y == h-1
			grid := x%8 == 0 && y%8 == 0
			corner := (x < 6 || x >= w-6) && (y < 6 || y >= h-6)
			if edge || grid || corner {
				img.Pix[y*img.Stride+x] = 0xFF
			}
		}
	}
	f := fonts().small
	f.draw(img, w/2-f.width("numsense")/2, h/2+4, "numsense", 0xFF)
	return img
}

// ShowImage sends a raw frame (lit where >= 0x80), bypassing the layout.
func (d *pixelDisplay) ShowImage(img *image.Gray) error {
	if d.closed {
		return ErrClosed
	}
	if img.Rect.Size() != d.img.Rect.Size() {
		return errors.New("display: image size does not match the panel")
	}
	copy(d.img.Pix, img.Pix)
	return d.draw(d.contrast)
}

// Bounds is the panel size.
func (d *pixelDisplay) Bounds() image.Rectangle { return d.img.Rect }
