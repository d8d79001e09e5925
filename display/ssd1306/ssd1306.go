package ssd1306

import (
	"errors"
	"fmt"
	"image"
	"image/color"

	"periph.io/x/conn/v3/display"
	"periph.io/x/conn/v3/i2c"
	"periph.io/x/conn/v3/physic"
	pssd "periph.io/x/devices/v3/ssd1306"
	"periph.io/x/devices/v3/ssd1306/image1bit"
)

// Addresses the SSD1306 can answer at.
const (
	// Addr is the usual address (SA0 low), printed "0x78" on many boards.
	Addr uint16 = 0x3C
	// AltAddr is the address with SA0 high (many Adafruit 128x64 boards).
	AltAddr uint16 = 0x3D
)

// periphAddr is the address periph's ssd1306.NewI2C always uses.
const periphAddr uint16 = 0x3C

// Opts configures a Dev.
type Opts struct {
	// Addr is the 7-bit I²C address, 0x3C or 0x3D. Change it when the panel
	// stays dark and `numsense devices` (or i2cdetect) lists 0x3D instead of
	// 0x3C. Zero means 0x3C.
	Addr uint16
	// W and H are the panel size in pixels: 128x64 or 128x32 (W a multiple of
	// 8 up to 128, H 8..64 a multiple of 8). A 128x32 module driven as 128x64
	// shows every other row stretched over the glass.
	W, H int
	// COMPins is the value sent with command 0xDA: 0x02 sequential, 0x12
	// alternative, +0x20 to swap the left/right COM halves. Zero picks 0x02
	// for panels of 32 rows or fewer and 0x12 otherwise. Change it when every
	// other row is missing, the image is doubled, or the top and bottom halves
	// are swapped.
	COMPins byte
	// MirrorVertical flips the image top-to-bottom; set it when text appears
	// upside down (the module is mounted rotated).
	MirrorVertical bool
	// MirrorHorizontal flips the image left-to-right; set it when text appears
	// mirrored.
	MirrorHorizontal bool
	// Contrast is the brightness after Init, 1..255 (0 means 0xFF). Lower it
	// when the panel is too bright in a dark room or to slow burn-in.
	Contrast byte
}

// DefaultOpts is a 128x64 module at 0x3C at full contrast.
var DefaultOpts = Opts{Addr: Addr, W: 128, H: 64, Contrast: 0xFF}

// Dev is an SSD1306 panel on an I²C bus. It is not safe for concurrent use;
// give it one owner goroutine.
type Dev struct {
	bus  i2c.Bus
	opts Opts
	dev  *pssd.Dev
}

// New checks o, sends the init sequence and returns the device. The panel RAM
// is not cleared: draw a frame right away.
func New(bus i2c.Bus, o *Opts) (*Dev, error) {
	if bus == nil {
		return nil, errors.New("ssd1306: nil I²C bus")
	}
	if o == nil {
		o = &DefaultOpts
	}
	opts := *o
	if opts.Addr == 0 {
		opts.Addr = Addr
	}
	if opts.Addr != Addr && opts.Addr != AltAddr {
		return nil, fmt.Errorf("ssd1306: address %#x is not 0x3C or 0x3D", opts.Addr)
	}
	if opts.W == 0 {
		opts.W = 128
	}
	if opts.H == 0 {
		opts.H = 64
	}
	if opts.W < 8 || opts.W > 128 || opts.W%8 != 0 || opts.H < 8 || opts.H > 64 || opts.H%8 != 0 {
		return nil, fmt.Errorf("ssd1306: unsupported size %dx%d (want W<=128, H<=64, multiples of 8)", opts.W, opts.H)
	}
	if opts.COMPins == 0 {
		opts.COMPins = 0x12
		if opts.H <= 32 {
			opts.COMPins = 0x02
		}
	}
	if opts.COMPins&^0x30 != 0x02 {
		return nil, fmt.Errorf("ssd1306: COM pins value %#x is not one of 0x02, 0x12, 0x22, 0x32", opts.COMPins)
	}
	if opts.Contrast == 0 {
		opts.Contrast = 0xFF
	}
	d := &Dev{bus: bus, opts: opts}
	if err := d.Init(); err != nil {
		return nil, err
	}
	return d, nil
}

// Init (re)sends the whole init sequence and the contrast. The next Draw or
// Write sends the full frame, so a panel that lost power is fully restored.
func (d *Dev) Init() error {
	var b i2c.Bus = d.bus
	if d.opts.Addr != periphAddr {
		b = &remapBus{Bus: d.bus, to: d.opts.Addr}
	}
	po := pssd.Opts{
		W:                d.opts.W,
		H:                d.opts.H,
		Sequential:       d.opts.COMPins&0x10 == 0,
		SwapTopBottom:    d.opts.COMPins&0x20 != 0,
		MirrorVertical:   d.opts.MirrorVertical,
		MirrorHorizontal: d.opts.MirrorHorizontal,
	}
	dev, err := pssd.NewI2C(b, &po)
	if err != nil {
		d.dev = nil
		return fmt.Errorf("ssd1306 at %#x: init: %w", d.opts.Addr, err)
	}
	d.dev = dev
	if d.opts.Contrast != 0xFF {
		if err := d.SetContrast(d.opts.Contrast); err != nil {
			return err
		}
	}
	return nil
}

func (d *Dev) ready() error {
	if d.dev == nil {
		return fmt.Errorf("ssd1306 at %#x: not initialised (last Init failed)", d.opts.Addr)
	}
	return nil
}

// String implements conn.Resource.
func (d *Dev) String() string {
	return fmt.Sprintf("ssd1306{%s, %#x, %dx%d}", d.bus, d.opts.Addr, d.opts.W, d.opts.H)
}

// Opts returns the effective options (defaults filled in).
func (d *Dev) Opts() Opts { return d.opts }

// ColorModel implements display.Drawer: one bit per pixel.
func (d *Dev) ColorModel() color.Model { return image1bit.BitModel }

// Bounds implements display.Drawer.
func (d *Dev) Bounds() image.Rectangle { return image.Rect(0, 0, d.opts.W, d.opts.H) }

// Draw implements display.Drawer. An *image1bit.VerticalLSB of exactly
// Bounds() is sent without conversion; only the changed rectangle goes on the
// bus.
func (d *Dev) Draw(r image.Rectangle, src image.Image, sp image.Point) error {
	if err := d.ready(); err != nil {
		return err
	}
	if err := d.dev.Draw(r, src, sp); err != nil {
		return fmt.Errorf("ssd1306 at %#x: %w", d.opts.Addr, err)
	}
	return nil
}

// Write sends a whole frame in the native layout (image1bit.VerticalLSB.Pix,
// W*H/8 bytes). Only the changed rectangle goes on the bus.
func (d *Dev) Write(pix []byte) (int, error) {
	if err := d.ready(); err != nil {
		return 0, err
	}
	n, err := d.dev.Write(pix)
	if err != nil {
		return n, fmt.Errorf("ssd1306 at %#x: %w", d.opts.Addr, err)
	}
	return n, nil
}

// SetContrast sets the brightness (0..255).
func (d *Dev) SetContrast(level byte) error {
	if err := d.ready(); err != nil {
		return err
	}
	if err := d.dev.SetContrast(level); err != nil {
		return fmt.Errorf("ssd1306 at %#x: contrast: %w", d.opts.Addr, err)
	}
	return nil
}

// Halt switches the panel off (0xAE). RAM is kept; the next Draw or command
// switches it back on.
func (d *Dev) Halt() error {
	if err := d.ready(); err != nil {
		return err
	}
	return d.dev.Halt()
}

// remapBus rewrites periph's fixed address to the configured one.
type remapBus struct {
	i2c.Bus
	to uint16
}

func (b *remapBus) Tx(addr uint16, w, r []byte) error {
	if addr == periphAddr {
		addr = b.to
	}
	return b.Bus.Tx(addr, w, r)
}

func (b *remapBus) SetSpeed(f physic.Frequency) error { return b.Bus.SetSpeed(f) }

var _ display.Drawer = (*Dev)(nil)
