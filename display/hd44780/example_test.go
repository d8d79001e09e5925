package hd44780_test

import (
	"log"

	"periph.io/x/conn/v3/driver/driverreg"
	"periph.io/x/conn/v3/i2c/i2creg"
	_ "periph.io/x/host/v3/sysfs"

	"github.com/numsense/numsense/display/hd44780"
)

func Example() {
	if _, err := driverreg.Init(); err != nil {
		log.Fatal(err)
	}
	bus, err := i2creg.Open("1")
	if err != nil {
		log.Fatal(err)
	}
	defer bus.Close()
	lcd, err := hd44780.New(bus, &hd44780.Opts{Addr: hd44780.Addr, Cols: 20, Rows: 4})
	if err != nil {
		log.Fatal(err)
	}
	_ = lcd.WriteLine(0, "about 12 (9-15)")
	_ = lcd.WriteLine(3, "row four")
}
