package display

import (
	"bytes"
	"fmt"
	"image"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// stoppedLast is the last estimate of a finite run, marked stopped.
func stoppedLast() Reading {
	r := sample(Estimating)
	r.State = Stopped
	return r
}

// TestRenderStoppedKeepsEstimate: "stopped" after an estimate shows its number and
// interval with the stop mark (golden), not the bare "stopped" screen.
func TestRenderStoppedKeepsEstimate(t *testing.T) {
	for _, h := range []int{64, 32} {
		est, last, bare := image.NewGray(image.Rect(0, 0, 128, h)), image.NewGray(image.Rect(0, 0, 128, h)), image.NewGray(image.Rect(0, 0, 128, h))
		r, l, b := sample(Estimating), stoppedLast(), sample(Stopped)
		Render(est, &r, RenderOpts{})
		Render(last, &l, RenderOpts{})
		Render(bare, &b, RenderOpts{})
		goldenImage(t, fmt.Sprintf("oled128x%d_stopped_last.png", h), last)
		if bytes.Equal(last.Pix, bare.Pix) {
			t.Errorf("%d rows: the last estimate is lost on stop", h)
		}
		for y := 0; y < h/2; y++ { // the numeral, top left, is the estimate's
			for x := 0; x < 70; x++ {
				if est.GrayAt(x, y) != last.GrayAt(x, y) {
					t.Fatalf("%d rows: numeral pixel %d,%d differs from the estimate's", h, x, y)
				}
			}
		}
	}
}

// TestPNGCloseKeepsEstimate: a finite run with --display png ends on its last
// estimate marked stopped.
func TestPNGCloseKeepsEstimate(t *testing.T) {
	c := &clock{t: sampleTime}
	p, err := NewPNG(PNGOpts{Path: filepath.Join(t.TempDir(), "o.png"), Care: BurnIn{Now: c.now}})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Show(sample(Estimating)); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	want := image.NewGray(image.Rect(0, 0, 128, 64))
	l := stoppedLast()
	ro, _ := newOLEDState(BurnIn{Now: c.now}).frame(&l, c.now())
	Render(want, &l, ro)
	if !bytes.Equal(p.Image().Pix, want.Pix) {
		t.Error("Close did not show the last estimate marked stopped")
	}
}

func TestTerminalTrueCountAndStop(t *testing.T) {
	var b bytes.Buffer
	term := NewTerminal(&b, TerminalOpts{Now: func() time.Time { return sampleTime }})
	r := sample(Estimating)
	r.TrueCount, r.TrueKnown = 12, true
	term.Show(r)
	term.Close()
	out := b.String()
	for _, want := range []string{"about 12 (9-15), true count 12\n", "stopped: about 12 (9-15), true count 12\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("plain lines lack %q:\n%s", want, out)
		}
	}
	full := NewTerminal(&b, TerminalOpts{Now: func() time.Time { return sampleTime }})
	full.plain = false
	full.Show(r)
	if txt := full.Text(); !strings.Contains(txt, "true count 12") {
		t.Errorf("full screen lacks the true count:\n%s", txt)
	}
	full.Close()
	if txt := full.Text(); !strings.Contains(txt, "stopped; I saw about") || !strings.Contains(txt, "between 9 and 15") {
		t.Errorf("full screen after Close lost the estimate:\n%s", txt)
	}
}

// TestTerminalTooSmall: below 80x24 the terminal says so and writes plain lines;
// when the window is large enough again, the full screen comes back.
func TestTerminalTooSmall(t *testing.T) {
	var b bytes.Buffer
	cols, rows := 60, 20
	term := NewTerminal(&b, TerminalOpts{Now: func() time.Time { return sampleTime }})
	term.plain = false
	term.size = func() (int, int, bool) { return cols, rows, true }
	term.Show(sample(Estimating))
	out := b.String()
	if !strings.Contains(out, "this terminal is 60x20; the full-screen display needs 80x24") || !strings.Contains(out, "about 12 (9-15)\n") {
		t.Fatalf("small terminal: %q", out)
	}
	if strings.Contains(out, "I see about") {
		t.Fatal("the full-screen layout was drawn into a small terminal")
	}
	cols, rows = 100, 30
	term.sizeAt = time.Time{}
	b.Reset()
	term.Show(sample(Unstable))
	if out := b.String(); !strings.HasPrefix(out, "\x1b[?25l\x1b[2J\x1b[H") || !strings.Contains(term.Text(), "settling") {
		t.Fatalf("large again: %q", out[:min(len(out), 40)])
	}
}
