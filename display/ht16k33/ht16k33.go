package ht16k33

import (
	"errors"
	"fmt"

	"periph.io/x/conn/v3/i2c"
)

// Addr is the address with no jumpers bridged; jumpers give 0x70..0x77.
const Addr uint16 = 0x70

// Blink is a blink rate of the whole display.
type Blink byte

// Blink rates (display setup bits B).
const (
	BlinkOff    Blink = 0
	Blink2Hz    Blink = 1
	Blink1Hz    Blink = 2
	BlinkHalfHz Blink = 3
)

// Segment bits of one digit.
const (
	SegA  byte = 1 << iota // top
	SegB                   // top right
	SegC                   // bottom right
	SegD                   // bottom
	SegE                   // bottom left
	SegF                   // top left
	SegG                   // middle
	SegDP                  // decimal point
)

// colonBit is the colon in RAM row 2 of the Adafruit backpack.
const colonBit = 0x02

// Opts configures a Dev.
type Opts struct {
	// Addr is the 7-bit address, 0x70..0x77 (zero means 0x70). Change it to
	// match the A0..A2 jumpers when the display stays dark.
	Addr uint16
	// Brightness is the duty in sixteenths, 1..16 (zero means 16). Lower it
	// when the digits glare in a dark room.
	Brightness int
}

// DefaultOpts is a backpack at 0x70 at full brightness.
var DefaultOpts = Opts{Addr: Addr, Brightness: 16}

// Dev is a 4-digit 7-segment HT16K33 backpack. It is not safe for concurrent
// use.
type Dev struct {
	bus    i2c.Bus
	opts   Opts
	blink  Blink
	ram    [11]byte // address byte + rows 0..4 (two bytes each)
	shadow [11]byte
	valid  bool
	cmd    [1]byte
}

// New checks o and initialises the chip: oscillator on, display on, no
// blinking, the chosen brightness, all digits blank.
func New(bus i2c.Bus, o *Opts) (*Dev, error) {
	if bus == nil {
		return nil, errors.New("ht16k33: nil I²C bus")
	}
	if o == nil {
		o = &DefaultOpts
	}
	opts := *o
	if opts.Addr == 0 {
		opts.Addr = Addr
	}
	if opts.Addr < 0x70 || opts.Addr > 0x77 {
		return nil, fmt.Errorf("ht16k33: address %#x is outside 0x70-0x77", opts.Addr)
	}
	if opts.Brightness == 0 {
		opts.Brightness = 16
	}
	if opts.Brightness < 1 || opts.Brightness > 16 {
		return nil, fmt.Errorf("ht16k33: brightness %d is outside 1-16", opts.Brightness)
	}
	d := &Dev{bus: bus, opts: opts}
	if err := d.Init(); err != nil {
		return nil, err
	}
	return d, nil
}

// Init (re)sends the setup commands and blanks the digits; the next write
// sends the whole display RAM.
func (d *Dev) Init() error {
	d.valid = false
	d.blink = BlinkOff
	for _, c := range [3]byte{0x21, 0x81, 0xE0 | byte(d.opts.Brightness-1)} {
		if err := d.command(c); err != nil {
			return err
		}
	}
	return d.WriteDigits([4]byte{}, false)
}

// String implements conn.Resource.
func (d *Dev) String() string {
	return fmt.Sprintf("ht16k33{%s, %#x}", d.bus, d.opts.Addr)
}

// Opts returns the effective options.
func (d *Dev) Opts() Opts { return d.opts }

// WriteDigits shows four raw segment patterns (left to right) and the colon.
// Nothing is sent when the display already shows them.
func (d *Dev) WriteDigits(digits [4]byte, colon bool) error {
	d.ram = [11]byte{0x00, digits[0], 0, digits[1], 0, 0, 0, digits[2], 0, digits[3], 0}
	if colon {
		d.ram[5] = colonBit
	}
	if d.valid && d.ram == d.shadow {
		return nil
	}
	if err := d.bus.Tx(d.opts.Addr, d.ram[:], nil); err != nil {
		d.valid = false
		return fmt.Errorf("ht16k33 at %#x: %w", d.opts.Addr, err)
	}
	d.shadow, d.valid = d.ram, true
	return nil
}

// WriteString shows s right-aligned: up to four characters from Segments, a
// '.' lighting the decimal point of the character before it. Longer strings
// are an error.
func (d *Dev) WriteString(s string) error {
	digits, err := Encode(s)
	if err != nil {
		return err
	}
	return d.WriteDigits(digits, false)
}

// Encode turns s into four right-aligned digit patterns (see WriteString).
func Encode(s string) ([4]byte, error) {
	var out [8]byte
	n := 0
	for _, r := range s {
		if r == '.' && n > 0 && out[n-1]&SegDP == 0 {
			out[n-1] |= SegDP
			continue
		}
		if n == 4 {
			return [4]byte{}, fmt.Errorf("ht16k33: %q does not fit in 4 digits", s)
		}
		out[n] = Segments(r)
		n++
	}
	var d [4]byte
	copy(d[4-n:], out[:n])
	return d, nil
}

// SetBlink makes the whole display blink (BlinkOff to stop).
func (d *Dev) SetBlink(b Blink) error {
	if b > BlinkHalfHz {
		return fmt.Errorf("ht16k33: invalid blink rate %d", b)
	}
	if err := d.command(0x81 | byte(b)<<1); err != nil {
		return err
	}
	d.blink = b
	return nil
}

// Blinking returns the current blink rate.
func (d *Dev) Blinking() Blink { return d.blink }

// SetBrightness sets the duty to b/16, b in 1..16.
func (d *Dev) SetBrightness(b int) error {
	if b < 1 || b > 16 {
		return fmt.Errorf("ht16k33: brightness %d is outside 1-16", b)
	}
	return d.command(0xE0 | byte(b-1))
}

// Halt blanks the digits and switches the display off (0x80); Init switches
// it on again.
func (d *Dev) Halt() error {
	if err := d.WriteDigits([4]byte{}, false); err != nil {
		return err
	}
	return d.command(0x80)
}

func (d *Dev) command(c byte) error {
	d.cmd[0] = c
	if err := d.bus.Tx(d.opts.Addr, d.cmd[:], nil); err != nil {
		return fmt.Errorf("ht16k33 at %#x: command %#x: %w", d.opts.Addr, c, err)
	}
	return nil
}

// digits are the patterns of 0..9.
var digitSegs = [10]byte{0x3F, 0x06, 0x5B, 0x4F, 0x66, 0x6D, 0x7D, 0x07, 0x7F, 0x6F}

// Segments returns the 7-segment pattern of r: digits, a space, '-', '_',
// and the letters that read unambiguously on seven segments (A b C c d E F G
// H h I J L n o O P r S t U u y). Other runes show as blank.
func Segments(r rune) byte {
	if r >= '0' && r <= '9' {
		return digitSegs[r-'0']
	}
	switch r {
	case '-':
		return SegG
	case '_':
		return SegD
	case '=':
		return SegG | SegD
	case '°':
		return SegA | SegB | SegF | SegG
	case 'A', 'a':
		return 0x77
	case 'b', 'B':
		return 0x7C
	case 'C':
		return 0x39
	case 'c':
		return 0x58
	case 'd', 'D':
		return 0x5E
	case 'E', 'e':
		return 0x79
	case 'F', 'f':
		return 0x71
	case 'G', 'g':
		return 0x3D
	case 'H':
		return 0x76
	case 'h':
		return 0x74
	case 'I':
		return 0x06
	case 'i':
		return 0x04
	case 'J', 'j':
		return 0x1E
	case 'L', 'l':
		return 0x38
	case 'n', 'N':
		return 0x54
	case 'o':
		return 0x5C
	case 'O':
		return 0x3F
	case 'P', 'p':
		return 0x73
	case 'r', 'R':
		return 0x50
	case 'S', 's':
		return 0x6D
	case 't', 'T':
		return 0x78
	case 'U':
		return 0x3E
	case 'u':
		return 0x1C
	case 'y', 'Y':
		return 0x6E
	}
	return 0
}
