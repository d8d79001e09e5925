package main

import (
	"io"

	"github.com/numsense/numsense/cmd/numsense/internal/config"
	"github.com/numsense/numsense/display"
)

// displayOpts maps the configuration to display options.
func displayOpts(c config.Display, out io.Writer) display.Opts {
	return display.Opts{Driver: c.Driver, Bus: c.Bus, Addr: uint16(c.Address), Width: c.Width, Height: c.Height,
		Path: c.PNG, Out: out, Color: true}
}

// openDisplay opens the configured display (display.OpenConfigured: "auto" scans the
// I2C bus; a missing display is reported and the terminal takes its place). plain
// makes a terminal display write plain lines even on a TTY.
func openDisplay(c config.Display, out io.Writer, plain bool, report func(error)) display.Display {
	o := displayOpts(c, out)
	o.Plain = plain
	return display.OpenConfigured(o, report)
}
