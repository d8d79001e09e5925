package ht16k33_test

import (
	"log"

	"periph.io/x/conn/v3/driver/driverreg"
	"periph.io/x/conn/v3/i2c/i2creg"
	_ "periph.io/x/host/v3/sysfs"

	"github.com/numsense/numsense/display/ht16k33"
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
	dev, err := ht16k33.New(bus, &ht16k33.Opts{Addr: 0x70, Brightness: 8})
	if err != nil {
		log.Fatal(err)
	}
	_ = dev.WriteString("12.") // 12 with the decimal point lit
	_ = dev.Halt()
}
