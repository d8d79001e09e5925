package display

import (
	"bytes"
	"testing"
)

func TestAutoDriver(t *testing.T) {
	for addr, want := range map[uint16]string{0x3C: "ssd1306", 0x3D: "ssd1306", 0x27: "hd44780", 0x3F: "hd44780", 0x70: "ht16k33", 0x50: ""} {
		if got := AutoDriver(addr); got != want {
			t.Errorf("AutoDriver(%#x) = %q, want %q", addr, got, want)
		}
	}
	for bus, want := range map[string]string{"": "/dev/i2c-1", "1": "/dev/i2c-1", "i2c3": "/dev/i2c-3", "/dev/i2c-22": "/dev/i2c-22"} {
		if got := BusDevice(bus); got != want {
			t.Errorf("BusDevice(%q) = %q, want %q", bus, got, want)
		}
	}
}

// With no bus (as on this machine, and a Pi without I2C enabled), auto is the
// terminal; a named display that cannot open is reported and replaced by it.
func TestOpenConfiguredFallsBack(t *testing.T) {
	var out bytes.Buffer
	var reported []error
	d := OpenConfigured(Opts{Driver: "auto", Bus: "/nonexistent/i2c-9", Out: &out}, func(err error) { reported = append(reported, err) })
	if _, ok := d.(*Terminal); !ok || len(reported) != 0 {
		t.Fatalf("auto without a bus: %T, reports %v", d, reported)
	}
	d = OpenConfigured(Opts{Driver: "ssd1306", Bus: "/nonexistent/i2c-9", Out: &out}, func(err error) { reported = append(reported, err) })
	if _, ok := d.(*Terminal); !ok || len(reported) != 1 {
		t.Fatalf("missing ssd1306: %T, reports %v", d, reported)
	}
}
