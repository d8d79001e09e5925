package display

import (
	"image"
	"io"
	"os"
	"strconv"
	"testing"
	"time"

	"periph.io/x/conn/v3/physic"
)

// countBus discards writes and counts bytes.
type countBus struct{ bytes, tx int }

func (b *countBus) String() string                    { return "count" }
func (b *countBus) SetSpeed(f physic.Frequency) error { return nil }
func (b *countBus) Tx(addr uint16, w, r []byte) error {
	b.bytes += len(w) + len(r) + 1
	b.tx++
	return nil
}

func BenchmarkRender128x64(b *testing.B) {
	img := image.NewGray(image.Rect(0, 0, 128, 64))
	r := sample(Estimating)
	b.ReportAllocs()
	for b.Loop() {
		Render(img, &r, RenderOpts{Heartbeat: true})
	}
}

// benchShow shows readings whose number changes every frame (the worst
// case: the numeral area is resent) and reports I²C bytes per frame.
func benchShow(b *testing.B, driver string, w, h int) {
	bus := &countBus{}
	c := &clock{t: sampleTime}
	d, err := Open(Opts{Driver: driver, I2C: bus, Width: w, Height: h, BurnIn: BurnIn{Now: c.now}})
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	rs := []Reading{sample(Estimating), sample(Unstable)}
	rs[0].Value = 12
	d.Show(rs[0])
	d.Show(rs[1])
	bus.bytes = 0
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		c.add(100 * time.Millisecond)
		if err := d.Show(rs[i&1]); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(bus.bytes)/float64(b.N), "i2cbytes/op")
	// At 100 kHz one byte is 9 clocks: 90 µs.
	b.ReportMetric(float64(bus.bytes)*90e-3/float64(b.N), "ms@100kHz/op")
}

func BenchmarkShowSSD1306(b *testing.B) { benchShow(b, "ssd1306", 128, 64) }
func BenchmarkShowSH1106(b *testing.B)  { benchShow(b, "sh1106", 128, 64) }
func BenchmarkShowHD44780(b *testing.B) { benchShow(b, "hd44780", 20, 4) }
func BenchmarkShowHT16K33(b *testing.B) { benchShow(b, "ht16k33", 0, 0) }

func BenchmarkTerminalShow(b *testing.B) {
	t := NewTerminal(io.Discard, TerminalOpts{})
	t.plain = false
	r := sample(Estimating)
	b.ReportAllocs()
	for b.Loop() {
		t.Show(r)
	}
}

func TestSteadyStateAllocations(t *testing.T) {
	for _, drv := range []string{"sh1106", "hd44780", "ht16k33"} {
		bus := &countBus{}
		c := &clock{t: sampleTime}
		d, err := Open(Opts{Driver: drv, I2C: bus, BurnIn: BurnIn{Now: c.now}})
		if err != nil {
			t.Fatal(err)
		}
		rs := []Reading{sample(Estimating), sample(Unstable)}
		i := 0
		show := func() { d.Show(rs[i&1]); i++; c.add(time.Second) }
		show()
		show()
		if n := testing.AllocsPerRun(20, show); n != 0 {
			t.Errorf("%s: Show allocates %.1f times per frame", drv, n)
		}
	}
	term := NewTerminal(io.Discard, TerminalOpts{})
	term.plain = false
	r := sample(Estimating)
	term.Show(r)
	if n := testing.AllocsPerRun(10, func() { term.Show(r) }); n != 0 {
		t.Errorf("terminal: Show allocates %.1f times per frame", n)
	}
}

// TestHardware runs the test pattern on a real display. Opt-in:
//
//	NUMSENSE_HW_I2C=1 NUMSENSE_HW_I2C_DRIVER=ssd1306 NUMSENSE_HW_I2C_ADDR=0x3d go test -run Hardware ./display
func TestHardware(t *testing.T) {
	if os.Getenv("NUMSENSE_HW_I2C") != "1" {
		t.Skip("set NUMSENSE_HW_I2C=1 to drive a real display")
	}
	buses, err := ListI2C()
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range buses {
		t.Logf("%s: answering %x, busy %x, err %v", b.Name, b.Addrs, b.Busy, b.Err)
	}
	o := Opts{Driver: os.Getenv("NUMSENSE_HW_I2C_DRIVER"), Bus: os.Getenv("NUMSENSE_HW_I2C_BUS")}
	if o.Driver == "" {
		o.Driver = "ssd1306"
	}
	if a := os.Getenv("NUMSENSE_HW_I2C_ADDR"); a != "" {
		v, err := strconv.ParseUint(a, 0, 16)
		if err != nil {
			t.Fatalf("NUMSENSE_HW_I2C_ADDR=%q: %v", a, err)
		}
		o.Addr = uint16(v)
	}
	d, err := Open(o)
	if err != nil {
		t.Fatal(err)
	}
	if err := TestPattern(d, 300*time.Millisecond); err != nil {
		t.Error(err)
	}
	if err := d.Close(); err != nil {
		t.Error(err)
	}
}
