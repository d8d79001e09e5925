package display

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"periph.io/x/conn/v3/driver/driverreg"
	"periph.io/x/conn/v3/i2c"
	"periph.io/x/conn/v3/i2c/i2creg"
	_ "periph.io/x/host/v3/gpioioctl" // sysfs-gpio lists ioctl-gpio as a prerequisite: without it driverreg.Init loads nothing
	_ "periph.io/x/host/v3/sysfs"     // registers /dev/i2c-* without memory-mapping the SoC

	"github.com/numsense/numsense/display/hd44780"
	"github.com/numsense/numsense/display/ht16k33"
	"github.com/numsense/numsense/display/sh1106"
	"github.com/numsense/numsense/display/ssd1306"
)

// Drivers lists the names Open accepts.
var Drivers = []string{"ssd1306", "sh1106", "hd44780", "ht16k33", "terminal", "png", "web", "none"}

// DefaultBus is the I²C bus on the Raspberry Pi header (pins 3 and 5).
const DefaultBus = "1"

// Opts selects and configures a display. The zero value is the terminal.
type Opts struct {
	// Driver is one of Drivers; "" means "terminal".
	Driver string
	// Bus is the I²C bus name or number ("1" = /dev/i2c-1; "" means "1").
	// Never the lowest-numbered bus implicitly: on a Pi that can be the
	// camera's or the HDMI's bus.
	Bus string
	// I2C, when set, is used instead of opening Bus (tests, other hosts).
	// Open does not close it.
	I2C i2c.Bus
	// Addr is the I²C address; zero means the driver's usual one (0x3C
	// OLED, 0x27 LCD backpack, 0x70 LED backpack).
	Addr uint16
	// Width and Height: pixels for the OLEDs and png (128x64 or 128x32),
	// characters for the LCD (16x2 or 20x4). Zero means the first of each.
	Width, Height int
	// Rotate180 turns the image for a module mounted upside down (OLEDs).
	Rotate180 bool
	// Contrast is the OLED contrast while the reading changes (zero means
	// 0xCF) and DimContrast the contrast after BurnIn.DimAfter without change
	// (zero means 0x10).
	Contrast, DimContrast byte
	// Brightness is the LED backpack duty in sixteenths (zero means 16).
	Brightness int
	// BurnIn is the OLED burn-in care; its clock is used by every display.
	BurnIn BurnIn
	// ReinitEvery re-sends the init sequence and a full frame this often
	// (zero means 5 minutes; negative disables), restoring a display that
	// was reset by a power glitch. Errors always cause a re-init.
	ReinitEvery time.Duration
	// ClearOnClose blanks the display on Close instead of showing "stopped".
	ClearOnClose bool
	// Path is the png driver's output file; Scale its pixel size (zero: 4).
	Path  string
	Scale int
	// Out is where the terminal driver writes (nil means os.Stdout).
	Out io.Writer
	// Color lets the terminal driver use ANSI colour (TTY only).
	Color bool
	// Plain makes the terminal driver write one line per change even on a TTY.
	Plain bool
}

func (o *Opts) burnIn() BurnIn { return o.BurnIn.withDefaults() }

func (o *Opts) reinitEvery() time.Duration {
	if o.ReinitEvery == 0 {
		return 5 * time.Minute
	}
	if o.ReinitEvery < 0 {
		return 0
	}
	return o.ReinitEvery
}

// Open opens the display o describes. A hardware display is initialised and
// shows nothing until the first Show. Errors name the bus and address.
func Open(o Opts) (Display, error) {
	drv := strings.ToLower(strings.TrimSpace(o.Driver))
	switch drv {
	case "", "terminal":
		out := o.Out
		if out == nil {
			out = os.Stdout
		}
		return NewTerminal(out, TerminalOpts{Color: o.Color, Plain: o.Plain, Now: o.BurnIn.Now}), nil
	case "png":
		return NewPNG(PNGOpts{Path: o.Path, W: o.Width, H: o.Height, Scale: o.Scale, Care: o.BurnIn})
	case "none", "web":
		return None{}, nil // "web": the screen is the web page (display/web), served by the caller
	case "ssd1306", "sh1106", "hd44780", "ht16k33":
	default:
		return nil, fmt.Errorf("display: unknown driver %q (want one of %s)", o.Driver, strings.Join(Drivers, ", "))
	}
	bus, closer, busName, err := openBus(&o)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (Display, error) {
		closeBus(closer)
		return nil, fmt.Errorf("display: no %s on %s: %w", drv, busName, err)
	}
	switch drv {
	case "ssd1306":
		so := ssd1306.Opts{Addr: o.Addr, W: o.Width, H: o.Height, MirrorVertical: o.Rotate180, MirrorHorizontal: o.Rotate180}
		dev, err := ssd1306.New(bus, &so)
		if err != nil {
			return fail(err)
		}
		eo := dev.Opts()
		return newPixelDisplay(dev.String(), dev, closer, eo.W, eo.H, &o), nil
	case "sh1106":
		so := sh1106.DefaultOpts
		so.Addr, so.W, so.H = o.Addr, o.Width, o.Height
		so.MirrorVertical, so.MirrorHorizontal = o.Rotate180, o.Rotate180
		dev, err := sh1106.New(bus, &so)
		if err != nil {
			return fail(err)
		}
		eo := dev.Opts()
		return newPixelDisplay(dev.String(), dev, closer, eo.W, eo.H, &o), nil
	case "hd44780":
		dev, err := hd44780.New(bus, &hd44780.Opts{Addr: o.Addr, Cols: o.Width, Rows: o.Height})
		if err != nil {
			return fail(err)
		}
		d, err := newLCDDisplay(dev, closer, &o)
		if err != nil {
			return fail(err)
		}
		return d, nil
	default: // ht16k33
		dev, err := ht16k33.New(bus, &ht16k33.Opts{Addr: o.Addr, Brightness: o.Brightness})
		if err != nil {
			return fail(err)
		}
		return newSeg7Display(dev, closer, &o), nil
	}
}

// OpenOrFallback opens o; when that fails (no display attached, no I²C,
// wrong address) it reports the error once through report (if not nil) and
// returns the terminal display writing to o.Out instead, so the exhibit
// runs on. The returned error is the original one, for logging.
func OpenOrFallback(o Opts, report func(error)) (Display, error) {
	d, err := Open(o)
	if err == nil {
		return d, nil
	}
	if report != nil {
		report(fmt.Errorf("%w; showing readings on the terminal instead", err))
	}
	out := o.Out
	if out == nil {
		out = os.Stdout
	}
	return NewTerminal(out, TerminalOpts{Color: o.Color, Plain: o.Plain, Now: o.BurnIn.Now}), err
}

var (
	hostOnce sync.Once
	hostErr  error
)

// openBus returns the bus to use, what to close afterwards and a name for
// messages.
func openBus(o *Opts) (i2c.Bus, io.Closer, string, error) {
	if o.I2C != nil {
		return o.I2C, nil, o.I2C.String(), nil
	}
	name := strings.TrimSpace(o.Bus)
	if name == "" {
		name = DefaultBus
	}
	busName := name
	if isDigits(name) {
		busName = "/dev/i2c-" + name
	}
	// An error from driverreg.Init is not fatal: it also reports drivers that were
	// never meant to load here (sysfs-gpio wants ioctl-gpio, which is not linked in),
	// while the I²C driver registered fine. Only a bus that does not open is an error.
	hostOnce.Do(func() { _, hostErr = driverreg.Init() })
	b, err := i2creg.Open(name)
	if err != nil {
		if hostErr != nil {
			err = fmt.Errorf("%w; periph: %v", err, hostErr)
		}
		return nil, nil, busName, fmt.Errorf("display: cannot open I²C bus %s: %w (enable I²C with dtparam=i2c_arm=on, check `ls /dev/i2c-*` and that the user is in group i2c)", busName, err)
	}
	return b, b, busName, nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// None discards readings (driver "none": headless runs with JSON or HTTP
// output only; driver "web": the web page is the screen).
type None struct{}

// Show implements Display.
func (None) Show(Reading) error { return nil }

// Close implements Display.
func (None) Close() error { return nil }
