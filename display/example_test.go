package display_test

import (
	"log"
	"os"
	"time"

	"github.com/numsense/numsense/display"
)

func Example() {
	// An OLED on /dev/i2c-1; the terminal if it is missing.
	d, _ := display.OpenOrFallback(display.Opts{Driver: "ssd1306", Bus: "1", Out: os.Stdout},
		func(err error) { log.Print(err) })
	a := display.NewAsync(d, func(err error) { log.Print(err) })
	defer a.Close()

	r := display.SyntheticReading(12, display.Estimating)
	r.Time = time.Now()
	a.Show(r) // returns at once
}

func ExampleTerminal() {
	t := display.NewTerminal(os.Stdout, display.TerminalOpts{Plain: true})
	r := display.SyntheticReading(12, display.Estimating)
	r.Time = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	t.Show(r)
	// Output: 2026-11-26T12:00:00Z about 12 (9-15)
}

func ExampleListI2C() {
	buses, err := display.ListI2C()
	if err != nil {
		log.Print(err) // names /dev/i2c-* when I²C is off
		return
	}
	for _, b := range buses {
		for _, a := range b.Addrs {
			log.Printf("%s %#02x %s", b.Name, a, display.Guess(a))
		}
	}
}
