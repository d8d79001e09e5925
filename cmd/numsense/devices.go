package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/cmd/numsense/internal/config"
	"github.com/numsense/numsense/display"
)

func init() {
	register(command{name: "devices", summary: "list I2C buses with the addresses that answer, and video devices", run: cmdDevices})
	register(command{name: "display", summary: "display tools: numsense display test --driver ssd1306 --bus 1", run: cmdDisplay})
}

func cmdDevices(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("devices", "devices", `
Lists the I2C buses (/dev/i2c-*) with the addresses that answer a one-byte read, as
i2cdetect -r does (addresses claimed by a kernel driver are shown as UU and not
probed), with a guess of what each address is; then the video devices (/dev/video*)
with their /dev/v4l/by-id names, card names and formats.`, stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	buses, err := display.ListI2C()
	fmt.Fprintln(stdout, "I2C buses:")
	if err != nil {
		fmt.Fprintf(stdout, "  %v\n", err)
	}
	for _, b := range buses {
		if b.Err != nil {
			fmt.Fprintf(stdout, "  %s (bus %d): %v\n", b.Name, b.Number, b.Err)
			continue
		}
		if len(b.Addrs) == 0 && len(b.Busy) == 0 {
			fmt.Fprintf(stdout, "  %s (bus %d): nothing answers\n", b.Name, b.Number)
			continue
		}
		fmt.Fprintf(stdout, "  %s (bus %d):\n", b.Name, b.Number)
		for _, a := range b.Addrs {
			fmt.Fprintf(stdout, "    %#02x  %s\n", a, display.Guess(a))
		}
		for _, a := range b.Busy {
			fmt.Fprintf(stdout, "    %#02x  UU (claimed by a kernel driver)\n", a)
		}
	}
	vids, err := camera.ListVideoDevices()
	fmt.Fprintln(stdout, "Video devices:")
	if err != nil {
		fmt.Fprintf(stdout, "  %v\n", err)
	}
	if len(vids) == 0 {
		fmt.Fprintln(stdout, "  none (/dev/video* does not exist); numsense run uses the synthetic scene")
	}
	for _, v := range vids {
		fmt.Fprintf(stdout, "  %s", v.Path)
		if v.Name != "" {
			fmt.Fprintf(stdout, " %q", v.Name)
		}
		fmt.Fprintln(stdout)
		for _, id := range v.ByID {
			fmt.Fprintf(stdout, "    by-id: %s\n", id)
		}
		for _, f := range v.Formats {
			fmt.Fprintf(stdout, "    %s\n", f)
		}
		if v.Err != "" {
			fmt.Fprintf(stdout, "    %s\n", v.Err)
		}
	}
	return nil
}

func cmdDisplay(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "test" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
			fmt.Fprintln(stdout, "Usage: numsense display test [--driver ssd1306] [--bus 1] [--addr 0x3d] [--width 128 --height 64] [--hold 1s]")
			return nil
		}
		fmt.Fprintln(stderr, "Usage: numsense display test [flags] (numsense display test --help)")
		return errUsage
	}
	fs := newFlags("display test", "display test [--driver ssd1306] [--bus 1] [--addr 0x3d] [--hold 1s]", `
Shows a test pattern on a display: on pixel displays an alignment frame first, then
every state (starting, estimating, unstable, empty table, camera lost) and the numbers
1 to 30, then "stopped". Use it to check the wiring, the address and the layout.`, stderr)
	d := config.Default().Display
	drv := fs.String("driver", "ssd1306", "driver: "+strings.Join(display.Drivers, ", "))
	bus := fs.String("bus", d.Bus, "I2C bus name or number")
	addr := fs.String("addr", "", "I2C address, e.g. 0x3d (default: the driver's usual one)")
	w := fs.Int("width", 0, "pixels (OLED, png) or characters (LCD); 0: the driver's default")
	h := fs.Int("height", 0, "pixels (OLED, png) or lines (LCD); 0: the driver's default")
	png := fs.String("png", "numsense-display.png", "with --driver png: the output file")
	hold := fs.Duration("hold", time.Second, "how long each screen stays")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	o := display.Opts{Driver: *drv, Bus: *bus, Width: *w, Height: *h, Path: *png, Out: stdout, Color: true}
	if *addr != "" {
		var a uint16
		if _, err := fmt.Sscanf(*addr, "%v", &a); err != nil || a > 0x77 {
			return fmt.Errorf("--addr: %q is not an I2C address (0x03..0x77)", *addr)
		}
		o.Addr = a
	}
	dev, err := display.Open(o)
	if err != nil {
		return err
	}
	if err := display.TestPattern(dev, *hold); err != nil {
		dev.Close()
		return err
	}
	return dev.Close()
}
