// Package display shows numsense readings ("about 12") on small I²C
// displays, in a terminal or in a PNG file.
//
// # Model
//
// A Reading (point estimate, 68% interval, number-unit activity, state,
// silhouette) goes to a Display. Hardware displays block on a slow bus, so the
// per-frame loop wraps them with NewAsync: one owner goroutine per display,
// fed by a size-one latest-wins slot; Show never blocks and does not
// allocate in steady state.
//
//	d, err := display.OpenOrFallback(display.Opts{Driver: "ssd1306", Bus: "1"}, logErr)
//	a := display.NewAsync(d, logErr)
//	defer a.Close() // shows "stopped"
//	for frame := range frames { a.Show(reading(frame)) }
//
// # Drivers
//
// Open selects by name: "ssd1306" and "sh1106" (128x64 or 128x32 OLED at
// 0x3C/0x3D), "hd44780" (16x2 or 20x4 LCD on a PCF8574 backpack at
// 0x27/0x3F), "ht16k33" (4-digit 7-segment LED backpack at 0x70-0x77),
// "terminal" (the default), "png", "web" and "none" ("web" shows nothing
// itself and needs no I²C: the screen is the web page of display/web, which
// the exhibit serves). The chip drivers live in the
// sub-packages of the same names and know nothing about readings.
//
// The bus is named (Opts.Bus, default "1" = /dev/i2c-1): periph's
// i2creg.Open("") would pick the lowest-numbered bus, which on a Pi is not
// the header bus. Only periph's sysfs I²C driver is loaded, so no SoC memory
// is mapped and no root is needed (the user must be in group i2c).
//
// # Layouts
//
//   - OLED 128x64: a large numeral after an "≈" sign, the interval below it,
//     a bar chart of the number units' activity across preferred
//     numerosities (1..30) with a marker under the estimate, a state icon and
//     a heartbeat pixel. Unstable estimates are drawn hollow; starting, empty
//     table, camera lost and stopped have their own screens. 128x32: the same
//     in one band.
//   - LCD: "about 12 (9-15)" and the state on line 2; on 20x4 also the
//     activity as bars made of eight user characters, with axis labels.
//   - 7-segment: the number, the decimal point of the last digit as the
//     heartbeat, blinking while unstable; "nonE", " Err", "StOP" and a walking
//     dash for the other states.
//   - Terminal: an 80x24 screen redrawn in place (silhouette in quadrant
//     blocks, half-block numeral, eighth-block bars), or one plain line per
//     change when the output is not a terminal (journald).
//
// The heartbeat follows Reading.Time in half-second steps, so it stops when
// the pipeline stops even if the display goroutine runs on.
//
// # Robustness
//
// An I²C error makes the display re-initialise and redraw everything at
// once; if that fails too, it backs off (250 ms doubling to 30 s) and skips
// frames in between. Every 5 minutes the init sequence and a full frame are
// re-sent anyway: a brown-out resets a panel to blank while periph's
// shadow buffer believes it is current, and it would otherwise only redraw
// what changes. On the OLED the image moves around a 2x2 pixel square
// every 3 minutes and the contrast drops after 10 minutes without a new
// number (burn-in care; the clock is injectable). Close shows "stopped"
// (dimmed on OLEDs) or, with Opts.ClearOnClose, blanks the display.
//
// A missing display is an error from Open; OpenOrFallback reports it once
// and returns the terminal display so the exhibit keeps running.
//
// # Tests
//
// Chip packages are tested on exact I²C byte transcripts (periph's
// i2ctest.Playback); layouts against golden files in testdata (go test
// -update rewrites them: look at the PNGs before committing); a fake bus
// that NACKs on a schedule drives the retry and re-init paths. Tests that
// touch real hardware run only with NUMSENSE_HW_I2C=1 (bus from
// NUMSENSE_HW_I2C_BUS, default "1").
package display
