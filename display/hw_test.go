package display

import (
	"bytes"
	"errors"
	"image"
	"strings"
	"sync"
	"testing"
	"time"

	"periph.io/x/conn/v3/physic"
)

// fakeBus records writes and NACKs on a schedule: every Tx whose sequence
// number is in nack fails, and every Tx fails while down is set.
type fakeBus struct {
	mu   sync.Mutex
	ops  [][]byte
	addr []uint16
	n    int
	nack map[int]bool
	down bool
	// answer, if set, lists addresses that ACK reads.
}

func (b *fakeBus) String() string                    { return "fakebus" }
func (b *fakeBus) SetSpeed(f physic.Frequency) error { return nil }
func (b *fakeBus) Tx(addr uint16, w, r []byte) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.n++
	if b.down || b.nack[b.n] {
		return errors.New("i2c: remote I/O error (NACK)")
	}
	b.ops = append(b.ops, append([]byte(nil), w...))
	b.addr = append(b.addr, addr)
	return nil
}

func (b *fakeBus) since(i int) [][]byte { return b.ops[i:] }

// clock is a fake clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time      { return c.t }
func (c *clock) add(d time.Duration) { c.t = c.t.Add(d) }
func isSSDInit(w []byte) bool        { return len(w) > 2 && w[0] == 0x00 && w[1] == 0xAE }
func isData(w []byte) bool           { return len(w) > 0 && w[0] == 0x40 }
func countIf(ops [][]byte, f func([]byte) bool) int {
	n := 0
	for _, o := range ops {
		if f(o) {
			n++
		}
	}
	return n
}

func openFake(t *testing.T, driver string, b *fakeBus, c *clock, mod func(*Opts)) Display {
	t.Helper()
	o := Opts{Driver: driver, I2C: b, BurnIn: BurnIn{Now: c.now}}
	if mod != nil {
		mod(&o)
	}
	d, err := Open(o)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestOLEDRetryReinitAndBackoff(t *testing.T) {
	b := &fakeBus{nack: map[int]bool{}}
	c := &clock{t: sampleTime}
	d := openFake(t, "ssd1306", b, c, nil)
	r := sample(Estimating)
	if err := d.Show(r); err != nil {
		t.Fatal(err)
	}
	// contrast + 8 pages (command + data)
	if got := countIf(b.ops, isData); got != 8 {
		t.Fatalf("first frame sent %d data pages, want 8", got)
	}

	// One NACK: the same Show re-initialises and redraws everything.
	r.Value = 14
	mark := len(b.ops)
	b.nack[b.n+1] = true
	if err := d.Show(r); err != nil {
		t.Fatalf("a single NACK should be retried: %v", err)
	}
	ops := b.since(mark)
	if countIf(ops, isSSDInit) != 1 || countIf(ops, isData) != 8 {
		t.Fatalf("after a NACK: %d inits, %d data pages; want 1 and 8", countIf(ops, isSSDInit), countIf(ops, isData))
	}

	// The display goes away: error, then back-off without bus traffic.
	b.down = true
	r.Value = 15 // a changed frame (an identical one sends nothing)
	if err := d.Show(r); err == nil || !strings.Contains(err.Error(), "next try in 250ms") {
		t.Fatalf("want an error with back-off, got %v", err)
	}
	n := b.n
	c.add(100 * time.Millisecond)
	if err := d.Show(r); err != nil || b.n != n {
		t.Fatalf("during back-off: err %v, %d transfers", err, b.n-n)
	}
	c.add(200 * time.Millisecond)
	r.Value = 16
	if err := d.Show(r); err == nil || !strings.Contains(err.Error(), "next try in 500ms") {
		t.Fatalf("second failure: %v", err)
	}
	// It comes back (brown-out: blank panel): re-init and a full frame.
	b.down = false
	c.add(time.Second)
	mark = len(b.ops)
	if err := d.Show(r); err != nil {
		t.Fatal(err)
	}
	ops = b.since(mark)
	if countIf(ops, isSSDInit) != 1 || countIf(ops, isData) != 8 {
		t.Fatalf("recovery: %d inits, %d pages", countIf(ops, isSSDInit), countIf(ops, isData))
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestOLEDPeriodicReinitAndBurnIn(t *testing.T) {
	b := &fakeBus{}
	c := &clock{t: sampleTime}
	d := openFake(t, "sh1106", b, c, nil)
	r := sample(Estimating)
	r.Time = time.Time{} // heartbeat by the fake clock
	if err := d.Show(r); err != nil {
		t.Fatal(err)
	}
	contrast := func(ops [][]byte) []byte {
		var v []byte
		for _, o := range ops {
			if len(o) == 3 && o[0] == 0 && o[1] == 0x81 {
				v = append(v, o[2])
			}
		}
		return v
	}
	if got := contrast(b.ops); !bytes.Equal(got, []byte{0xCF}) {
		t.Fatalf("contrast commands %x, want cf", got)
	}
	// 4 minutes unchanged: shifted by a pixel (so pages change), not dimmed.
	mark := len(b.ops)
	c.add(4 * time.Minute)
	if err := d.Show(r); err != nil {
		t.Fatal(err)
	}
	if countIf(b.since(mark), isData) == 0 {
		t.Fatal("no redraw after the burn-in shift")
	}
	// 6 more minutes: periodic re-init (5 min) and dimmed (10 min).
	mark = len(b.ops)
	c.add(6 * time.Minute)
	if err := d.Show(r); err != nil {
		t.Fatal(err)
	}
	ops := b.since(mark)
	if countIf(ops, func(w []byte) bool { return len(w) > 2 && w[0] == 0 && w[1] == 0xAE }) != 1 {
		t.Fatal("no periodic re-init after 5 minutes")
	}
	if got := contrast(ops); !bytes.Equal(got, []byte{0x10}) { // the init sequence holds its own
		t.Fatalf("contrast after 10 min unchanged: %x, want 10", got)
	}
	// A new number: full contrast again.
	mark = len(b.ops)
	r.Value = 20
	if err := d.Show(r); err != nil {
		t.Fatal(err)
	}
	if got := contrast(b.since(mark)); !bytes.Equal(got, []byte{0xCF}) {
		t.Fatalf("contrast after a change: %x", got)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestLCDAndSeg7Recover(t *testing.T) {
	for _, drv := range []string{"hd44780", "ht16k33"} {
		b := &fakeBus{nack: map[int]bool{}}
		c := &clock{t: sampleTime}
		d := openFake(t, drv, b, c, func(o *Opts) {
			if drv == "hd44780" {
				o.Width, o.Height = 20, 4
			}
		})
		r := sample(Estimating)
		if err := d.Show(r); err != nil {
			t.Fatalf("%s: %v", drv, err)
		}
		inits := b.n
		b.nack[b.n+1] = true
		r.Value = 3
		if err := d.Show(r); err != nil {
			t.Fatalf("%s: single NACK not retried: %v", drv, err)
		}
		if b.n-inits < 3 {
			t.Fatalf("%s: no re-init after NACK", drv)
		}
		if err := d.Close(); err != nil {
			t.Fatal(err)
		}
		last := b.ops[len(b.ops)-1]
		if drv == "ht16k33" && !bytes.Equal(last, []byte{0, 0x6D, 0, 0x78, 0, 0, 0, 0x3F, 0, 0x73, 0}) {
			t.Fatalf("seg7 Close shows %x, want StOP", last)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := Open(Opts{Driver: "ssd1307"}); err == nil || !strings.Contains(err.Error(), "ssd1306") {
		t.Fatalf("unknown driver: %v", err)
	}
	b := &fakeBus{down: true}
	_, err := Open(Opts{Driver: "ssd1306", I2C: b, Addr: 0x3D})
	if err == nil || !strings.Contains(err.Error(), "0x3d") || !strings.Contains(err.Error(), "fakebus") {
		t.Fatalf("missing display: %v", err)
	}
	var reported []error
	var out bytes.Buffer
	d, err := OpenOrFallback(Opts{Driver: "hd44780", I2C: b, Out: &out}, func(e error) { reported = append(reported, e) })
	if err == nil || len(reported) != 1 {
		t.Fatalf("fallback: err %v, reported %v", err, reported)
	}
	if _, ok := d.(*Terminal); !ok {
		t.Fatalf("fallback is %T, want *Terminal", d)
	}
	d.Show(sample(Estimating))
	if !strings.Contains(out.String(), "about 12 (9-15)") {
		t.Fatalf("fallback output %q", out.String())
	}
	if _, err := Open(Opts{Driver: "png", Path: "/nonexistent-dir/x.png"}); err == nil {
		t.Fatal("png into a missing directory accepted")
	}
}

func TestToVerticalLSB(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 16, 16))
	img.Pix[9*16+3] = 0xFF // x=3, y=9 -> page 1, bit 1
	img.Pix[0] = 0x80
	pix := make([]byte, 32)
	ToVerticalLSB(pix, img)
	for i, v := range pix {
		want := byte(0)
		switch i {
		case 0:
			want = 1
		case 16 + 3:
			want = 2
		}
		if v != want {
			t.Fatalf("byte %d = %#x want %#x", i, v, want)
		}
	}
}
