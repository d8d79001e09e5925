package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/numsense/numsense/cmd/numsense/internal/config"
	"github.com/numsense/numsense/display"
)

// autoDriver picks a driver for an address that answered on the bus: OLEDs at
// 0x3C/0x3D, PCF8574 LCD backpacks at 0x20-0x27/0x38-0x3F, HT16K33 at 0x70-0x77
// (an OLED is taken to be an SSD1306: an SH1106 needs display.driver = "sh1106").
func autoDriver(addr uint16) string {
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

// displayOpts maps the configuration to display options.
func displayOpts(c config.Display, out io.Writer) display.Opts {
	return display.Opts{Driver: c.Driver, Bus: c.Bus, Addr: uint16(c.Address), Width: c.Width, Height: c.Height,
		Path: c.PNG, Out: out, Color: true}
}

// i2cDevice returns the device file of a bus name ("1" or "/dev/i2c-1").
func i2cDevice(bus string) string {
	if strings.HasPrefix(bus, "/") {
		return bus
	}
	return "/dev/i2c-" + strings.TrimPrefix(strings.ToUpper(bus), "I2C")
}

// openDisplay opens the configured display. "auto" scans the configured I2C bus
// and opens the first known display that answers (OLED, then LCD, then LED digits),
// else the terminal. A configured hardware display that is missing is reported once
// through report, and the terminal display takes its place, so the exhibit runs on.
func openDisplay(c config.Display, out io.Writer, report func(error)) display.Display {
	if c.Driver == "auto" {
		c.Driver = "terminal"
		if _, err := os.Stat(i2cDevice(c.Bus)); err == nil {
			if d := openAuto(c, out, report); d != nil {
				return d
			}
		}
	}
	d, _ := display.OpenOrFallback(displayOpts(c, out), report)
	return d
}

// openAuto scans the bus of c and opens the best display found, or returns nil.
func openAuto(c config.Display, out io.Writer, report func(error)) display.Display {
	buses, err := display.ListI2C()
	if err != nil {
		report(fmt.Errorf("display auto: %w", err))
		return nil
	}
	dev := i2cDevice(c.Bus)
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
				if autoDriver(a) != want {
					continue
				}
				o := displayOpts(c, out)
				o.Driver, o.Addr = want, a
				if want != "ssd1306" {
					o.Width, o.Height = 0, 0 // the drivers' own defaults (16x2 LCD, 4 digits)
				}
				d, err := display.Open(o)
				if err == nil {
					return d
				}
				report(fmt.Errorf("display auto: %s at %#x on %s: %w", want, a, dev, err))
			}
		}
	}
	return nil
}
