package display

import (
	"errors"
	"os"
	"strings"
	"testing"
)

type countingDisplay struct {
	states map[State]int
	n      int
}

func (c *countingDisplay) Show(r Reading) error {
	c.states[r.State]++
	c.n++
	return nil
}
func (c *countingDisplay) Close() error { return nil }

func TestTestPattern(t *testing.T) {
	c := &countingDisplay{states: map[State]int{}}
	if err := TestPattern(c, 0); err != nil {
		t.Fatal(err)
	}
	if c.n != 35 || c.states[Estimating] != 31 || c.states[CameraLost] != 1 {
		t.Fatalf("shown %d readings %v", c.n, c.states)
	}
	// On a pixel display the alignment frame goes first, with full border.
	b := &fakeBus{}
	c2 := &clock{t: sampleTime}
	d := openFake(t, "ssd1306", b, c2, func(o *Opts) { o.Height = 32 })
	if err := TestPattern(d, 0); err != nil {
		t.Fatal(err)
	}
	first := -1
	for i, op := range b.ops {
		if isData(op) {
			first = i
			break
		}
	}
	if first < 0 || len(b.ops[first]) != 129 || b.ops[first][1] != 0xFF || b.ops[first][2]&1 != 1 {
		t.Fatalf("alignment frame not sent first: %x", b.ops[first])
	}
	// A failing display: every error is joined, the run goes on.
	b.down = true
	if err := TestPattern(d, 0); err == nil {
		t.Fatal("no error from a dead display")
	}
}

type fakeProber struct {
	present, busy map[uint16]bool
	cur           uint16
}

func (p *fakeProber) claim(a uint16) (bool, error) { p.cur = a; return p.busy[a], nil }
func (p *fakeProber) read() error {
	if p.present[p.cur] {
		return nil
	}
	return errors.New("nack")
}

func TestScan(t *testing.T) {
	p := &fakeProber{present: map[uint16]bool{0x3C: true, 0x27: true, 0x03: true, 0x78: true, 0x50: true}, busy: map[uint16]bool{0x50: true}}
	addrs, busy, err := scan(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(addrs) != 2 || addrs[0] != 0x27 || addrs[1] != 0x3C || len(busy) != 1 || busy[0] != 0x50 {
		t.Fatalf("addrs %x busy %x", addrs, busy)
	}
	if !strings.Contains(Guess(0x3D), "ssd1306") || !strings.Contains(Guess(0x3F), "hd44780") || Guess(0x11) != "" {
		t.Fatal("Guess")
	}
}

func TestListI2C(t *testing.T) {
	buses, err := ListI2C()
	if _, statErr := os.Stat("/dev/i2c-1"); statErr != nil {
		nodes, _ := os.ReadDir("/dev")
		has := false
		for _, n := range nodes {
			has = has || strings.HasPrefix(n.Name(), "i2c-")
		}
		if !has {
			if err == nil || !strings.Contains(err.Error(), "/dev/i2c-") {
				t.Fatalf("no bus: want an error naming /dev/i2c-*, got %v", err)
			}
			return
		}
	}
	if err != nil || len(buses) == 0 {
		t.Fatalf("buses %v, err %v", buses, err)
	}
}
