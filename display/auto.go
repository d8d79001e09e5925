package display

import (
	"fmt"
	"os"
	"strings"
)

// AutoDriver is the driver numsense assumes for a device that answers at addr on
// an I²C bus: OLEDs at 0x3C/0x3D (taken to be an SSD1306: an SH1106 needs its
// driver named), PCF8574 LCD backpacks at 0x20-0x27/0x38-0x3F, HT16K33 LED
// backpacks at 0x70-0x77; "" for anything else.
func AutoDriver(addr uint16) string {
	switch {
	case addr == 0x3C || addr == 0x3D:
		return "ssd1306"
	case addr >= 0x20 && addr <= 0x27, addr >= 0x38 && addr <= 0x3F:
		return "hd44780"
	case addr >= 0x70 && addr <= 0x77:
		return "ht16k33"
	}
	return ""
}

// BusDevice returns the device file of a bus name ("1", "I2C1" or "/dev/i2c-1").
func BusDevice(bus string) string {
	if bus == "" {
		bus = DefaultBus
	}
	if strings.HasPrefix(bus, "/") {
		return bus
	}
	return "/dev/i2c-" + strings.TrimPrefix(strings.ToUpper(bus), "I2C")
}

// OpenConfigured opens the display o names, and never fails: the exhibit runs on
// whatever display there is. Driver "auto" scans o.Bus and opens the first known
// display that answers (OLED, then LCD, then LED digits), else the terminal. A
// named hardware display that is missing is reported once through report, and the
// terminal display takes its place.
func OpenConfigured(o Opts, report func(error)) Display {
	if o.Driver == "auto" {
		o.Driver = "terminal"
		if _, err := os.Stat(BusDevice(o.Bus)); err == nil {
			if d := openAuto(o, report); d != nil {
				return d
			}
		}
	}
	d, _ := OpenOrFallback(o, report)
	return d
}

// openAuto scans the bus of o and opens the best display found, or returns nil.
func openAuto(o Opts, report func(error)) Display {
	buses, err := ListI2C()
	if err != nil {
		report(fmt.Errorf("display auto: %w", err))
		return nil
	}
	dev := BusDevice(o.Bus)
	for _, b := range buses {
		if b.Name != dev {
			continue
		}
		if b.Err != nil {
			report(fmt.Errorf("display auto: %s: %w", dev, b.Err))
			return nil
		}
		for _, want := range []string{"ssd1306", "hd44780", "ht16k33"} {
			for _, a := range b.Addrs {
				if AutoDriver(a) != want {
					continue
				}
				oo := o
				oo.Driver, oo.Addr = want, a
				if want != "ssd1306" {
					oo.Width, oo.Height = 0, 0 // the drivers' own defaults (16x2 LCD, 4 digits)
				}
				d, err := Open(oo)
				if err == nil {
					return d
				}
				report(fmt.Errorf("display auto: %s at %#x on %s: %w", want, a, dev, err))
			}
		}
	}
	return nil
}
