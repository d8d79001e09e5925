package ssd1306_test

import (
	"image"
	"log"

	"periph.io/x/conn/v3/driver/driverreg"
	"periph.io/x/conn/v3/i2c/i2creg"
	"periph.io/x/devices/v3/ssd1306/image1bit"
	_ "periph.io/x/host/v3/sysfs"

	"github.com/numsense/numsense/display/ssd1306"
)

func Example() {
	if _, err := driverreg.Init(); err != nil {
		log.Fatal(err)
	}
	// Name the bus: "" would pick the lowest-numbered one.
	bus, err := i2creg.Open("1")
	if err != nil {
		log.Fatal(err)
	}
	defer bus.Close()

	o := ssd1306.DefaultOpts
	o.Addr = ssd1306.AltAddr // an Adafruit 128x64 board
	dev, err := ssd1306.New(bus, &o)
	if err != nil {
		log.Fatal(err)
	}
	img := image1bit.NewVerticalLSB(dev.Bounds())
	for x := 0; x < 128; x++ {
		img.SetBit(x, 32, image1bit.On)
	}
	if err := dev.Draw(dev.Bounds(), img, image.Point{}); err != nil {
		log.Fatal(err)
	}
	_ = dev.Halt()
}
