package display

import (
	"errors"
	"fmt"
	"image"
	"io"
	"time"

	"github.com/numsense/numsense/display/hd44780"
	"github.com/numsense/numsense/display/ht16k33"
)

// Retry and re-initialisation timing of hardware displays.
const (
	firstBackoff = 250 * time.Millisecond
	maxBackoff   = 30 * time.Second
)

// robust runs a hardware display's draws: it (re)initialises the chip when
// due (periodically, because a brown-out leaves a panel blank while the
// driver believes it is up to date, and after any error), retries a failed
// draw once after a re-init, and then backs off exponentially, skipping
// frames, so an unplugged display costs almost nothing.
type robust struct {
	name        string
	now         func() time.Time
	reinitEvery time.Duration
	init        func() error

	inited   bool
	lastInit time.Time
	failures int
	nextTry  time.Time
	errs     int
}

// run initialises when due and calls draw. It returns nil while backing off.
func (b *robust) run(draw func() error) error {
	now := b.now()
	if b.failures > 0 && now.Before(b.nextTry) {
		return nil
	}
	var err error
	for attempt := 0; attempt < 2; attempt++ {
		err = nil
		if !b.inited || (b.reinitEvery > 0 && now.Sub(b.lastInit) >= b.reinitEvery) {
			b.inited = false
			if err = b.init(); err == nil {
				b.inited, b.lastInit = true, now
			}
		}
		if err == nil {
			if err = draw(); err == nil {
				b.failures = 0
				return nil
			}
			b.inited = false // redraw everything after the re-init
		}
	}
	b.failures++
	b.errs++
	d := firstBackoff << min(b.failures-1, 10)
	if d > maxBackoff {
		d = maxBackoff
	}
	b.nextTry = now.Add(d)
	return fmt.Errorf("display %s: %w (failure %d, next try in %v)", b.name, err, b.failures, d)
}

// panel is what the OLED drivers (ssd1306, sh1106) offer.
type panel interface {
	Init() error
	Write(pix []byte) (int, error)
	SetContrast(level byte) error
	Halt() error
}

// pixelDisplay shows the OLED layout on an SSD1306 or SH1106.
type pixelDisplay struct {
	robust
	p            panel
	bus          io.Closer
	st           *oledState
	img          *image.Gray
	pix          []byte
	contrast     byte
	dimContrast  byte
	curContrast  int // -1 = unknown
	clearOnClose bool
	closed       bool
}

func newPixelDisplay(name string, p panel, bus io.Closer, w, h int, o *Opts) *pixelDisplay {
	d := &pixelDisplay{
		p: p, bus: bus,
		st:           newOLEDState(o.burnIn()),
		img:          image.NewGray(image.Rect(0, 0, w, h)),
		pix:          make([]byte, w*h/8),
		contrast:     o.Contrast,
		dimContrast:  o.DimContrast,
		curContrast:  -1,
		clearOnClose: o.ClearOnClose,
	}
	if d.contrast == 0 {
		d.contrast = 0xCF
	}
	if d.dimContrast == 0 {
		d.dimContrast = 0x10
	}
	d.robust = robust{name: name, now: d.st.now, reinitEvery: o.reinitEvery(), init: d.init}
	// The constructor already initialised the chip.
	d.inited, d.lastInit = true, d.now()
	return d
}

func (d *pixelDisplay) init() error {
	d.curContrast = -1
	return d.p.Init()
}

// Show implements Display.
func (d *pixelDisplay) Show(r Reading) error {
	if d.closed {
		return ErrClosed
	}
	ro, dim := d.st.frame(&r, d.now())
	Render(d.img, &r, ro)
	want := d.contrast
	if dim {
		want = d.dimContrast
	}
	return d.draw(want)
}

func (d *pixelDisplay) draw(contrast byte) error {
	ToVerticalLSB(d.pix, d.img)
	return d.run(func() error {
		if d.curContrast != int(contrast) {
			if err := d.p.SetContrast(contrast); err != nil {
				return err
			}
			d.curContrast = int(contrast)
		}
		_, err := d.p.Write(d.pix)
		return err
	})
}

// Close shows "stopped" at the dim contrast (or switches the panel off with
// ClearOnClose) and closes the bus.
func (d *pixelDisplay) Close() error {
	if d.closed {
		return nil
	}
	d.closed = true
	d.failures = 0 // one last try even while backing off
	var err error
	if d.clearOnClose {
		err = d.run(d.p.Halt)
	} else {
		r := Reading{State: Stopped}
		ro, _ := d.st.frame(&r, d.now())
		ro.Heartbeat = false
		Render(d.img, &r, ro)
		err = d.draw(d.dimContrast)
	}
	return errors.Join(err, closeBus(d.bus))
}

// ToVerticalLSB packs a 1-byte-per-pixel image (lit at >= 0x80) into the
// SSD1306/SH1106 page layout: one byte per 8 vertical pixels, LSB on top,
// W bytes per page. dst must hold W*H/8 bytes; H must be a multiple of 8.
func ToVerticalLSB(dst []byte, src *image.Gray) {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	for page := 0; page < h/8; page++ {
		out := dst[page*w : (page+1)*w]
		for x := range out {
			out[x] = 0
		}
		for bit := 0; bit < 8; bit++ {
			row := src.Pix[(page*8+bit)*src.Stride:]
			m := byte(1) << bit
			for x := 0; x < w; x++ {
				if row[x] >= 0x80 {
					out[x] |= m
				}
			}
		}
	}
}

// lcdDisplay shows the character layout on an HD44780.
type lcdDisplay struct {
	robust
	dev    *hd44780.Dev
	bus    io.Closer
	st     *oledState // for the heartbeat only
	text   lcdText
	bars   bool
	closed bool
	clear  bool
}

func newLCDDisplay(dev *hd44780.Dev, bus io.Closer, o *Opts) (*lcdDisplay, error) {
	bi := o.burnIn()
	bi.ShiftEvery, bi.DimAfter = -1, -1
	d := &lcdDisplay{dev: dev, bus: bus, st: newOLEDState(bi), bars: dev.Rows() >= 4, clear: o.ClearOnClose}
	d.robust = robust{name: dev.String(), now: d.st.now, reinitEvery: o.reinitEvery(), init: d.init}
	if err := d.init(); err != nil { // user characters
		return nil, err
	}
	d.inited, d.lastInit = true, d.now()
	return d, nil
}

func (d *lcdDisplay) init() error {
	if err := d.dev.Init(); err != nil {
		return err
	}
	if d.bars {
		for i, c := range barChars {
			if err := d.dev.SetChar(i, c); err != nil {
				return err
			}
		}
	}
	return nil
}

// Show implements Display.
func (d *lcdDisplay) Show(r Reading) error {
	if d.closed {
		return ErrClosed
	}
	ro, _ := d.st.frame(&r, d.now())
	layoutLCD(&d.text, &r, d.dev.Cols(), d.dev.Rows(), ro.Heartbeat)
	return d.write()
}

func (d *lcdDisplay) write() error {
	return d.run(func() error {
		for i := 0; i < d.text.rows; i++ {
			if err := d.dev.WriteBytes(i, d.text.line[i][:d.text.n[i]]); err != nil {
				return err
			}
		}
		return nil
	})
}

// Close shows "stopped" (backlight on) or, with ClearOnClose, clears the LCD
// and switches the backlight off; then closes the bus.
func (d *lcdDisplay) Close() error {
	if d.closed {
		return nil
	}
	d.closed = true
	d.failures = 0
	var err error
	if d.clear {
		err = d.run(d.dev.Halt)
	} else {
		layoutLCD(&d.text, &Reading{State: Stopped}, d.dev.Cols(), d.dev.Rows(), false)
		err = d.write()
	}
	return errors.Join(err, closeBus(d.bus))
}

// seg7Display shows the number on an HT16K33 7-segment backpack.
type seg7Display struct {
	robust
	dev    *ht16k33.Dev
	bus    io.Closer
	st     *oledState
	closed bool
	clear  bool
}

func newSeg7Display(dev *ht16k33.Dev, bus io.Closer, o *Opts) *seg7Display {
	bi := o.burnIn()
	bi.ShiftEvery, bi.DimAfter = -1, -1
	d := &seg7Display{dev: dev, bus: bus, st: newOLEDState(bi), clear: o.ClearOnClose}
	d.robust = robust{name: dev.String(), now: d.st.now, reinitEvery: o.reinitEvery(), init: dev.Init}
	d.inited, d.lastInit = true, d.now()
	return d
}

// Show implements Display.
func (d *seg7Display) Show(r Reading) error {
	if d.closed {
		return ErrClosed
	}
	ro, _ := d.st.frame(&r, d.now())
	digits, blink := layoutSeg7(&r, ro.Heartbeat, ro.Tick)
	return d.show(digits, blink)
}

func (d *seg7Display) show(digits [4]byte, blink bool) error {
	return d.run(func() error {
		want := ht16k33.BlinkOff
		if blink {
			want = ht16k33.Blink1Hz
		}
		if d.dev.Blinking() != want {
			if err := d.dev.SetBlink(want); err != nil {
				return err
			}
		}
		return d.dev.WriteDigits(digits, false)
	})
}

// Close shows "StOP" (or blanks the display with ClearOnClose) and closes
// the bus.
func (d *seg7Display) Close() error {
	if d.closed {
		return nil
	}
	d.closed = true
	d.failures = 0
	var err error
	if d.clear {
		err = d.run(d.dev.Halt)
	} else {
		digits, _ := layoutSeg7(&Reading{State: Stopped}, false, 0)
		err = d.show(digits, false)
	}
	return errors.Join(err, closeBus(d.bus))
}

func closeBus(c io.Closer) error {
	if c == nil {
		return nil
	}
	return c.Close()
}
