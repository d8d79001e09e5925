package display

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/numsense/numsense/model/atomicfile"
)

// PNGOpts configures a PNG display.
type PNGOpts struct {
	// Path is the file written on every Show (atomically: a temporary file
	// in the same directory, then rename).
	Path string
	// W and H are the emulated OLED size (zero means 128x64).
	W, H int
	// Scale is the size of one OLED pixel in the PNG (zero means 4).
	Scale int
	// MinInterval limits how often the file is rewritten (zero means every
	// Show). Frames in between are dropped; state changes are always written.
	MinInterval time.Duration
	// Burn-in care and clock, as for the OLED (zero values: defaults).
	Care BurnIn
}

// PNG is a virtual OLED: it writes exactly the pixels the OLED would show,
// scaled up, to a PNG file. Useful for museums' web pages, bench runs and
// screenshots.
type PNG struct {
	o       PNGOpts
	oled    *oledState
	img     *image.Gray
	out     *image.Paletted
	enc     png.Encoder
	pool    encPool
	lastW   time.Time
	lastSt  State
	last    held // the last reading, shown marked "stopped" by Close
	hasLast bool
	written bool
	closed  bool
}

// OLED colours: lit pixels in the light blue-white of common SSD1306 glass,
// and a dimmer shade when the burn-in care lowers the contrast.
var pngPalette = color.Palette{
	color.RGBA{0x08, 0x0A, 0x10, 0xFF},
	color.RGBA{0xC8, 0xE6, 0xFF, 0xFF},
	color.RGBA{0x5A, 0x6E, 0x82, 0xFF},
}

// PNGKind is the PNG display's file for model/atomicfile: an existing file is
// replaced only if it is empty or a PNG picture.
var PNGKind = atomicfile.Kind{Name: "a PNG picture", Ours: func(head []byte) bool {
	return len(head) >= 8 && string(head[:8]) == "\x89PNG\r\n\x1a\n"
}}

// NewPNG returns a PNG display writing to o.Path. The directory must exist; a
// path that is not a regular file (a device, a link, a directory) or a file that
// is not a PNG picture is refused (PNGKind).
func NewPNG(o PNGOpts) (*PNG, error) {
	if o.Path == "" {
		return nil, errors.New("display: png: no output path")
	}
	if err := PNGKind.Check(o.Path); err != nil {
		return nil, fmt.Errorf("display: png: %w", err)
	}
	dir := filepath.Dir(o.Path)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("display: png: directory of %s does not exist", o.Path)
	}
	if o.W == 0 {
		o.W = 128
	}
	if o.H == 0 {
		o.H = 64
	}
	if o.Scale == 0 {
		o.Scale = 4
	}
	if o.W < 32 || o.H < 16 || o.W > 1024 || o.H > 1024 || o.Scale < 1 || o.Scale > 32 {
		return nil, fmt.Errorf("display: png: unsupported size %dx%d scale %d", o.W, o.H, o.Scale)
	}
	p := &PNG{o: o}
	p.oled = newOLEDState(o.Care)
	p.img = image.NewGray(image.Rect(0, 0, o.W, o.H))
	p.out = image.NewPaletted(image.Rect(0, 0, o.W*o.Scale, o.H*o.Scale), pngPalette)
	p.enc = png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: &p.pool}
	return p, nil
}

// Image returns the last rendered OLED frame (one byte per pixel, 0 or 0xFF).
func (p *PNG) Image() *image.Gray { return p.img }

// Show renders r and writes the PNG.
func (p *PNG) Show(r Reading) error {
	if p.closed {
		return ErrClosed
	}
	now := p.oled.now()
	ro, dim := p.oled.frame(&r, now)
	Render(p.img, &r, ro)
	if r.State == Estimating || r.State == Unstable {
		p.last.set(&r)
		p.hasLast = true
	} else if r.State != Stopped {
		p.hasLast = false // empty table, camera lost: no estimate to keep
	}
	if p.o.MinInterval > 0 && p.written && r.State == p.lastSt && now.Sub(p.lastW) < p.o.MinInterval {
		return nil
	}
	ink := uint8(1)
	if dim {
		ink = 2
	}
	ScaleInto(p.out, p.img, p.o.Scale, ink)
	if err := p.write(); err != nil {
		return err
	}
	p.lastW, p.lastSt, p.written = now, r.State, true
	return nil
}

// Close writes the "stopped" screen: the last estimate marked stopped, if the last
// reading was one (a finite run ends on its result), else "stopped" alone.
func (p *PNG) Close() error {
	if p.closed {
		return nil
	}
	r := Reading{State: Stopped}
	if p.hasLast {
		r = p.last.r
		r.State = Stopped
	}
	err := p.Show(r)
	p.closed = true
	return err
}

func (p *PNG) write() error {
	err := PNGKind.Write(p.o.Path, func(w io.Writer) error { return p.enc.Encode(w, p.out) })
	if err != nil {
		return fmt.Errorf("display: png: %w", err)
	}
	return nil
}

// ScaleInto paints src (lit where >= 0x80) into dst, a palette image scale
// times larger, using palette index ink for lit pixels and 0 for dark ones.
func ScaleInto(dst *image.Paletted, src *image.Gray, scale int, ink uint8) {
	b := src.Rect
	for y := 0; y < b.Dy(); y++ {
		srow := src.Pix[y*src.Stride:]
		for sy := 0; sy < scale; sy++ {
			drow := dst.Pix[(y*scale+sy)*dst.Stride:]
			for x := 0; x < b.Dx(); x++ {
				v := uint8(0)
				if srow[x] >= 0x80 {
					v = ink
				}
				d := drow[x*scale : x*scale+scale]
				for i := range d {
					d[i] = v
				}
			}
		}
	}
}

// encPool keeps the PNG encoder's buffers between frames.
type encPool struct{ b *png.EncoderBuffer }

func (p *encPool) Get() *png.EncoderBuffer  { return p.b }
func (p *encPool) Put(b *png.EncoderBuffer) { p.b = b }
