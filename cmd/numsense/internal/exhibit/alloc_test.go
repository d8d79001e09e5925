package exhibit

import (
	"context"
	"io"
	"testing"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/display"
	"github.com/numsense/numsense/model/estimate"
)

// TestLoopAllocatesNothing: the exhibit's per-frame path (hand the frame over, take
// it, estimate, publish to the display, the JSON lines and the metrics, feed the
// watchdog) allocates nothing in steady state, for a camera and for a replayed
// image directory (a new scene per picture).
func TestLoopAllocatesNothing(t *testing.T) {
	cases := []bool{false, true}
	if testing.Short() {
		cases = cases[1:] // under emulation a frame takes seconds: the longer path only
	}
	for _, stills := range cases {
		est := testEstimator(t)
		src := camera.NewSynthetic(&camera.Opts{Width: 320, Height: 240, Synthetic: camera.SyntheticOpts{Seed: 6, Counts: []int{5}, Hand: -1}})
		x := newLoop(Options{Estimator: est, Source: src, Display: display.None{}, JSON: io.Discard})
		x.stills = stills
		if stills {
			x.latest = newLatest(true) // a recording: every frame handed over
		}
		tr, err := est.NewTracker(estimate.TrackerOpts{})
		if err != nil {
			t.Fatal(err)
		}
		x.tr = tr
		ctx := context.Background()
		var shot, f camera.Frame
		if err := src.Next(ctx, &shot); err != nil {
			t.Fatal(err)
		}
		if stills {
			shot.Name = "shots/a \"b\"\x01.png" // named in the JSON line, escaped
		}
		step := func() {
			f.CopyFrom(&shot) // what the source does: fill the buffer handed back
			x.latest.put(ctx, &f, nil)
			if !x.takeFrame() {
				t.Fatal("no frame taken")
			}
			x.reportLost()
			if x.stills {
				x.tr.Reset()
			}
			if !x.estimate() {
				t.Fatal("estimate failed")
			}
			x.publish()
			x.feedWatchdog()
		}
		step()
		step()
		runs := 5
		if testing.Short() {
			runs = 2 // under emulation a frame takes seconds
		}
		if a := testing.AllocsPerRun(runs, step); a != 0 {
			t.Errorf("stills %v: the loop allocates %.1f times per frame", stills, a)
		}
		tr.Close()
		x.closeDisplay()
	}
}
