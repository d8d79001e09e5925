package sh1106_test

import (
	"image"
	"log"

	"periph.io/x/conn/v3/driver/driverreg"
	"periph.io/x/conn/v3/i2c/i2creg"
	_ "periph.io/x/host/v3/sysfs"

	"github.com/numsense/numsense/display/sh1106"
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
	dev, err := sh1106.New(bus, &sh1106.DefaultOpts)
	if err != nil {
		log.Fatal(err)
	}
	img := image.NewGray(dev.Bounds())
	img.Pix[0] = 0xFF // top-left pixel
	if err := dev.Draw(dev.Bounds(), img, image.Point{}); err != nil {
		log.Fatal(err)
	}
	_ = dev.Halt()
}
