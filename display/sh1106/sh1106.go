package sh1106

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"

	"periph.io/x/conn/v3/display"
	"periph.io/x/conn/v3/i2c"
	"periph.io/x/devices/v3/ssd1306/image1bit"
)

// Addr is the usual address (SA0 low); AltAddr has SA0 high.
const (
	Addr    uint16 = 0x3C
	AltAddr uint16 = 0x3D
)

// RAMWidth is the number of columns of the SH1106 display RAM.
const RAMWidth = 132

// Opts configures a Dev.
type Opts struct {
	// Addr is the 7-bit I²C address, 0x3C or 0x3D (zero means 0x3C). Change
	// it when the panel stays dark and i2cdetect lists 0x3D.
	Addr uint16
	// W and H are the glass size (128x64 on 1.3-inch modules; H a multiple
	// of 8 up to 64, W+ColumnOffset at most 132).
	W, H int
	// ColumnOffset is the first RAM column wired to the glass, 2 on 128-wide
	// modules. Change it when the image sits shifted sideways with a stripe
	// of noise on one edge (try 0 for the rare module wired from column 0).
	ColumnOffset int
	// MirrorVertical flips top-to-bottom: set it when text is upside down.
	MirrorVertical bool
	// MirrorHorizontal flips left-to-right: set it when text is mirrored.
	// ColumnOffset stays 2: the glass sits in the middle of the 132 columns.
	MirrorHorizontal bool
	// Contrast is the brightness after Init, 1..255 (zero means 0x80). Lower it
	// when the panel is too bright or to slow burn-in.
	Contrast byte
	// COMPins is the value sent with 0xDA: 0x12 (alternative) suits 64-row
	// glass, 0x02 (sequential) 32-row glass. Zero picks by height. Change it
	// when every other row is missing.
	COMPins byte
}

// DefaultOpts is a 1.3-inch 128x64 module at 0x3C.
var DefaultOpts = Opts{Addr: Addr, W: 128, H: 64, ColumnOffset: 2, Contrast: 0x80}

// Dev is an SH1106 panel on an I²C bus. It is not safe for concurrent use.
type Dev struct {
	bus    i2c.Bus
	opts   Opts
	pages  int
	shadow []byte // what the panel RAM holds, W bytes per page
	valid  bool   // shadow matches the panel
	next   *image1bit.VerticalLSB
	cmd    [4]byte
	data   []byte // 0x40 + one page
}

// New checks o, sends the init sequence and returns the device. Draw a frame
// right away: the panel RAM holds noise after power-up.
func New(bus i2c.Bus, o *Opts) (*Dev, error) {
	if bus == nil {
		return nil, errors.New("sh1106: nil I²C bus")
	}
	if o == nil {
		o = &DefaultOpts
	}
	opts := *o
	if opts.Addr == 0 {
		opts.Addr = Addr
	}
	if opts.Addr != Addr && opts.Addr != AltAddr {
		return nil, fmt.Errorf("sh1106: address %#x is not 0x3C or 0x3D", opts.Addr)
	}
	if opts.W == 0 {
		opts.W = 128
	}
	if opts.H == 0 {
		opts.H = 64
	}
	if opts.W < 8 || opts.H < 8 || opts.H > 64 || opts.H%8 != 0 || opts.ColumnOffset < 0 || opts.W+opts.ColumnOffset > RAMWidth {
		return nil, fmt.Errorf("sh1106: unsupported size %dx%d with column offset %d", opts.W, opts.H, opts.ColumnOffset)
	}
	if opts.Contrast == 0 {
		opts.Contrast = 0x80
	}
	if opts.COMPins == 0 {
		opts.COMPins = 0x12
		if opts.H <= 32 {
			opts.COMPins = 0x02
		}
	}
	d := &Dev{bus: bus, opts: opts, pages: opts.H / 8}
	d.shadow = make([]byte, opts.W*d.pages)
	d.data = make([]byte, 1+opts.W)
	if err := d.Init(); err != nil {
		return nil, err
	}
	return d, nil
}

// Init sends the whole init sequence. The next Draw or Write sends every page.
func (d *Dev) Init() error {
	d.valid = false
	seg, com := byte(0xA1), byte(0xC8)
	if d.opts.MirrorHorizontal {
		seg = 0xA0
	}
	if d.opts.MirrorVertical {
		com = 0xC0
	}
	cmd := []byte{0x00,
		0xAE,       // display off
		0xD5, 0x80, // clock divide 1, oscillator +15%
		0xA8, byte(d.opts.H - 1), // multiplex ratio
		0xD3, 0x00, // display offset 0
		0x40,       // start line 0
		0xAD, 0x8B, // DC-DC converter on
		0x32,     // pump voltage 8.0 V
		seg, com, // segment remap, COM scan direction
		0xDA, d.opts.COMPins, // COM pads configuration
		0x81, d.opts.Contrast, // contrast
		0xD9, 0x22, // pre-charge 2 / discharge 2 DCLKs (reset value)
		0xDB, 0x35, // VCOM deselect level 0.77 (reset value)
		0xA4, // display follows RAM
		0xA6, // not inverted
		0xAF, // display on
	}
	if err := d.bus.Tx(d.opts.Addr, cmd, nil); err != nil {
		return fmt.Errorf("sh1106 at %#x: init: %w", d.opts.Addr, err)
	}
	return nil
}

// String implements conn.Resource.
func (d *Dev) String() string {
	return fmt.Sprintf("sh1106{%s, %#x, %dx%d}", d.bus, d.opts.Addr, d.opts.W, d.opts.H)
}

// Opts returns the effective options.
func (d *Dev) Opts() Opts { return d.opts }

// ColorModel implements display.Drawer.
func (d *Dev) ColorModel() color.Model { return image1bit.BitModel }

// Bounds implements display.Drawer.
func (d *Dev) Bounds() image.Rectangle { return image.Rect(0, 0, d.opts.W, d.opts.H) }

// Draw implements display.Drawer. An *image1bit.VerticalLSB covering exactly
// Bounds() is sent without conversion.
func (d *Dev) Draw(r image.Rectangle, src image.Image, sp image.Point) error {
	if img, ok := src.(*image1bit.VerticalLSB); ok && r == d.Bounds() && img.Rect == r && sp == (image.Point{}) {
		return d.write(img.Pix)
	}
	if d.next == nil {
		d.next = image1bit.NewVerticalLSB(d.Bounds())
		copy(d.next.Pix, d.shadow)
	}
	draw.Src.Draw(d.next, r, src, sp)
	return d.write(d.next.Pix)
}

// Write sends a whole frame in the image1bit.VerticalLSB layout (W*H/8
// bytes). Pages equal to what the panel already shows are skipped.
func (d *Dev) Write(pix []byte) (int, error) {
	if len(pix) != len(d.shadow) {
		return 0, fmt.Errorf("sh1106: frame is %d bytes, want %d", len(pix), len(d.shadow))
	}
	if err := d.write(pix); err != nil {
		return 0, err
	}
	return len(pix), nil
}

func (d *Dev) write(pix []byte) error {
	w := d.opts.W
	col := byte(d.opts.ColumnOffset)
	for p := 0; p < d.pages; p++ {
		row := pix[p*w : (p+1)*w]
		if d.valid && string(row) == string(d.shadow[p*w:(p+1)*w]) {
			continue
		}
		d.cmd = [4]byte{0x00, 0xB0 | byte(p), 0x00 | col&0x0F, 0x10 | col>>4}
		if err := d.bus.Tx(d.opts.Addr, d.cmd[:], nil); err != nil {
			d.valid = false
			return fmt.Errorf("sh1106 at %#x: page %d: %w", d.opts.Addr, p, err)
		}
		d.data[0] = 0x40
		copy(d.data[1:], row)
		if err := d.bus.Tx(d.opts.Addr, d.data, nil); err != nil {
			d.valid = false
			return fmt.Errorf("sh1106 at %#x: page %d: %w", d.opts.Addr, p, err)
		}
		copy(d.shadow[p*w:], row)
	}
	d.valid = true
	return nil
}

// SetContrast sets the brightness (0..255).
func (d *Dev) SetContrast(level byte) error {
	d.cmd = [4]byte{0x00, 0x81, level}
	if err := d.bus.Tx(d.opts.Addr, d.cmd[:3], nil); err != nil {
		return fmt.Errorf("sh1106 at %#x: contrast: %w", d.opts.Addr, err)
	}
	return nil
}

// Halt switches the panel off (0xAE); RAM is kept. Init switches it on again.
func (d *Dev) Halt() error {
	d.cmd = [4]byte{0x00, 0xAE}
	if err := d.bus.Tx(d.opts.Addr, d.cmd[:2], nil); err != nil {
		return fmt.Errorf("sh1106 at %#x: halt: %w", d.opts.Addr, err)
	}
	return nil
}

var _ display.Drawer = (*Dev)(nil)
