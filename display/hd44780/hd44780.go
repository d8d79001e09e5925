package hd44780

import (
	"errors"
	"fmt"
	"time"

	"periph.io/x/conn/v3/i2c"
)

// Backpack addresses.
const (
	// Addr is the PCF8574T backpack address (A2..A0 high).
	Addr uint16 = 0x27
	// AltAddr is the PCF8574AT backpack address (A2..A0 high).
	AltAddr uint16 = 0x3F
)

// PCF8574 port bits on the common backpack.
const (
	bitRS        = 0x01
	bitE         = 0x04
	bitBacklight = 0x08
)

// Opts configures a Dev.
type Opts struct {
	// Addr is the backpack's 7-bit address: 0x27 (PCF8574T) or 0x3F
	// (PCF8574AT); any 0x20..0x27 or 0x38..0x3F when the A0..A2 pads are
	// bridged. Zero means 0x27. Change it when the LCD shows only a row of
	// blocks and i2cdetect lists 0x3F.
	Addr uint16
	// Cols and Rows are the module geometry: 16x2 or 20x4 (zero means 16x2).
	// Rows 3 and 4 stay blank or text wraps oddly when these are wrong.
	Cols, Rows int
	// BacklightOff keeps the backlight off. Set it only for a lit room or a
	// module whose backlight jumper is removed; text is nearly invisible
	// without it.
	BacklightOff bool
}

// DefaultOpts is a 16x2 module on a PCF8574T backpack at 0x27.
var DefaultOpts = Opts{Addr: Addr, Cols: 16, Rows: 2}

// Dev is an HD44780 LCD behind a PCF8574. It is not safe for concurrent use.
type Dev struct {
	bus     i2c.Bus
	opts    Opts
	bl      byte
	buf     []byte   // one I²C write
	shadow  [][]byte // what each row shows
	valid   bool
	sleep   func(time.Duration)
	offsets [4]byte
}

// New checks o and initialises the LCD: 4-bit mode, two-line function set,
// display on without cursor, cleared, backlight on.
func New(bus i2c.Bus, o *Opts) (*Dev, error) {
	if bus == nil {
		return nil, errors.New("hd44780: nil I²C bus")
	}
	if o == nil {
		o = &DefaultOpts
	}
	opts := *o
	if opts.Addr == 0 {
		opts.Addr = Addr
	}
	if !(opts.Addr >= 0x20 && opts.Addr <= 0x27) && !(opts.Addr >= 0x38 && opts.Addr <= 0x3F) {
		return nil, fmt.Errorf("hd44780: address %#x is not a PCF8574 (0x20-0x27) or PCF8574A (0x38-0x3F) address", opts.Addr)
	}
	if opts.Cols == 0 && opts.Rows == 0 {
		opts.Cols, opts.Rows = 16, 2
	}
	if opts.Cols < 8 || opts.Cols > 40 || opts.Rows < 1 || opts.Rows > 4 || opts.Cols*opts.Rows > 80 {
		return nil, fmt.Errorf("hd44780: unsupported geometry %dx%d", opts.Cols, opts.Rows)
	}
	d := &Dev{bus: bus, opts: opts, sleep: time.Sleep}
	if !opts.BacklightOff {
		d.bl = bitBacklight
	}
	c := byte(opts.Cols)
	d.offsets = [4]byte{0x00, 0x40, c, 0x40 + c}
	d.buf = make([]byte, 0, 4*(opts.Cols+1))
	d.shadow = make([][]byte, opts.Rows)
	for i := range d.shadow {
		d.shadow[i] = make([]byte, opts.Cols)
	}
	if err := d.Init(); err != nil {
		return nil, err
	}
	return d, nil
}

// Init runs the datasheet initialisation by instruction and clears the
// screen; the next WriteLine rewrites every row. It restores a module that
// was reset by a power glitch (it then sits in 8-bit mode showing blocks).
func (d *Dev) Init() error {
	d.valid = false
	// All outputs low except the backlight, then give the LCD its 40 ms.
	if err := d.tx(append(d.buf[:0], d.bl)); err != nil {
		return err
	}
	d.sleep(40 * time.Millisecond)
	waits := [4]time.Duration{5 * time.Millisecond, 200 * time.Microsecond, 200 * time.Microsecond, 200 * time.Microsecond}
	for i, n := range [4]byte{0x3, 0x3, 0x3, 0x2} {
		if err := d.tx(d.nibble(d.buf[:0], n, 0)); err != nil {
			return err
		}
		d.sleep(waits[i])
	}
	b := d.buf[:0]
	b = d.byte(b, 0x28, 0) // function set: 4-bit, 2 lines, 5x8
	b = d.byte(b, 0x08, 0) // display off
	b = d.byte(b, 0x01, 0) // clear
	if err := d.tx(b); err != nil {
		return err
	}
	d.sleep(2 * time.Millisecond)
	b = d.buf[:0]
	b = d.byte(b, 0x06, 0) // entry mode: increment
	b = d.byte(b, 0x0C, 0) // display on, no cursor, no blink
	if err := d.tx(b); err != nil {
		return err
	}
	for _, r := range d.shadow {
		for i := range r {
			r[i] = ' '
		}
	}
	d.valid = true
	return nil
}

// String implements conn.Resource.
func (d *Dev) String() string {
	return fmt.Sprintf("hd44780{%s, %#x, %dx%d}", d.bus, d.opts.Addr, d.opts.Cols, d.opts.Rows)
}

// Opts returns the effective options.
func (d *Dev) Opts() Opts { return d.opts }

// Cols returns the number of characters per row.
func (d *Dev) Cols() int { return d.opts.Cols }

// Rows returns the number of rows.
func (d *Dev) Rows() int { return d.opts.Rows }

// WriteLine shows s on row (0-based), padded with spaces or cut to the row
// width. Runes 0..7 print the user characters set with SetChar; see ROMCode
// for the rest. A row that already shows s is not sent again.
func (d *Dev) WriteLine(row int, s string) error {
	var line [40]byte
	n := 0
	for _, r := range s {
		if n == d.opts.Cols {
			break
		}
		line[n] = ROMCode(r)
		n++
	}
	return d.writeRow(row, line[:n])
}

// WriteBytes is WriteLine for text already in bytes: bytes below 0x80 go
// through ROMCode, bytes from 0x80 are sent as raw character ROM codes.
func (d *Dev) WriteBytes(row int, b []byte) error {
	var line [40]byte
	n := 0
	for _, c := range b {
		if n == d.opts.Cols {
			break
		}
		if c < 0x80 {
			c = ROMCode(rune(c))
		}
		line[n] = c
		n++
	}
	return d.writeRow(row, line[:n])
}

func (d *Dev) writeRow(row int, text []byte) error {
	if row < 0 || row >= d.opts.Rows {
		return fmt.Errorf("hd44780: row %d out of range 0..%d", row, d.opts.Rows-1)
	}
	var line [40]byte
	n := copy(line[:], text)
	for ; n < d.opts.Cols; n++ {
		line[n] = ' '
	}
	sh := d.shadow[row]
	if d.valid && string(line[:n]) == string(sh) {
		return nil
	}
	b := d.byte(d.buf[:0], 0x80|d.offsets[row], 0)
	for _, c := range line[:n] {
		b = d.byte(b, c, bitRS)
	}
	if err := d.tx(b); err != nil {
		d.valid = false
		return err
	}
	copy(sh, line[:n])
	return nil
}

// SetChar defines user character n (0..7) from eight rows of 5 pixels (bit 4
// is the left column). Rows already on screen showing code n change at once.
func (d *Dev) SetChar(n int, rows [8]byte) error {
	if n < 0 || n > 7 {
		return fmt.Errorf("hd44780: user character %d out of range 0..7", n)
	}
	b := d.byte(d.buf[:0], 0x40|byte(n)<<3, 0)
	for _, r := range rows {
		b = d.byte(b, r&0x1F, bitRS)
	}
	b = d.byte(b, 0x80, 0) // back to DDRAM
	return d.tx(b)
}

// SetBacklight switches the backlight (it is on after New unless
// Opts.BacklightOff).
func (d *Dev) SetBacklight(on bool) error {
	d.bl = 0
	if on {
		d.bl = bitBacklight
	}
	return d.tx(append(d.buf[:0], d.bl))
}

// Clear blanks the screen.
func (d *Dev) Clear() error {
	if err := d.tx(d.byte(d.buf[:0], 0x01, 0)); err != nil {
		d.valid = false
		return err
	}
	d.sleep(2 * time.Millisecond)
	for _, r := range d.shadow {
		for i := range r {
			r[i] = ' '
		}
	}
	return nil
}

// Halt clears the screen and switches the backlight off.
func (d *Dev) Halt() error {
	if err := d.Clear(); err != nil {
		return err
	}
	return d.SetBacklight(false)
}

// nibble appends one 4-bit transfer: E high with the data, then E low.
func (d *Dev) nibble(b []byte, n, rs byte) []byte {
	v := n<<4 | d.bl | rs
	return append(b, v|bitE, v)
}

// byte appends one 8-bit transfer, high nibble first.
func (d *Dev) byte(b []byte, v, rs byte) []byte {
	return d.nibble(d.nibble(b, v>>4, rs), v&0x0F, rs)
}

func (d *Dev) tx(b []byte) error {
	if err := d.bus.Tx(d.opts.Addr, b, nil); err != nil {
		return fmt.Errorf("hd44780 at %#x: %w", d.opts.Addr, err)
	}
	return nil
}

// ROMCode maps a rune to the HD44780 A00 character ROM. Runes 0..7 are the
// user characters. '\' and '~' (shown as ¥ and → by the ROM) become '/' and
// '-'; '°' becomes 0xDF; other runes outside ASCII become '?'.
func ROMCode(r rune) byte {
	switch {
	case r >= 0 && r <= 7:
		return byte(r)
	case r == '\\':
		return '/'
	case r == '~':
		return '-'
	case r == '°':
		return 0xDF
	case r == '·', r == '•':
		return 0xA5 // centred dot
	case r == '→':
		return 0x7E
	case r >= 0x20 && r < 0x7F:
		return byte(r)
	}
	return '?'
}
