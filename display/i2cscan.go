package display

import "fmt"

// BusInfo describes one I²C bus found by ListI2C.
type BusInfo struct {
	// Name is the device node, e.g. "/dev/i2c-1"; Number its bus number
	// (what Opts.Bus takes).
	Name   string
	Number int
	// Addrs answered a one-byte read.
	Addrs []uint16
	// Busy are claimed by a kernel driver; they were not probed (i2cdetect
	// shows them as UU).
	Busy []uint16
	// Err is why the bus could not be scanned (often: permission denied,
	// the user is not in group i2c).
	Err error
}

// Probed address range: 0x00-0x07 and 0x78-0x7F are reserved by the I²C
// specification (general call, CBUS, high-speed and 10-bit prefixes).
const (
	scanFirst = 0x08
	scanLast  = 0x77
)

// prober is one open bus: claim selects an address (failing with busy when a
// kernel driver owns it) and read reads one byte from it.
type prober interface {
	claim(addr uint16) (busy bool, err error)
	read() error
}

// scan probes scanFirst..scanLast on p.
func scan(p prober) (addrs, busy []uint16, err error) {
	for a := uint16(scanFirst); a <= scanLast; a++ {
		b, err := p.claim(a)
		if err != nil {
			return addrs, busy, fmt.Errorf("address %#02x: %w", a, err)
		}
		if b {
			busy = append(busy, a)
			continue
		}
		if p.read() == nil {
			addrs = append(addrs, a)
		}
	}
	return addrs, busy, nil
}

// Guess names the display (or common chip) usually found at addr, or "".
func Guess(addr uint16) string {
	switch {
	case addr == 0x3C || addr == 0x3D:
		return "SSD1306/SH1106 OLED (driver ssd1306 or sh1106)"
	case addr >= 0x20 && addr <= 0x27, addr >= 0x38 && addr <= 0x3F:
		return "PCF8574 LCD backpack (driver hd44780)"
	case addr >= 0x70 && addr <= 0x77:
		return "HT16K33 LED backpack (driver ht16k33)"
	case addr >= 0x50 && addr <= 0x57:
		return "EEPROM (HAT ID or RTC module)"
	case addr == 0x68:
		return "RTC (DS1307/DS3231) or IMU"
	}
	return ""
}
