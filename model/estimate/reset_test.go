package estimate

import (
	"testing"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/model/internal/dots"
)

// TestTrackerResetSeparatesScenes: after Reset, a picture is estimated as on its
// own (as Frame does it), however many pictures came before; without Reset a
// second, unrelated picture is fused with or held at the first one's value. Seq and
// Name of the frame come through to the result. Reset allocates nothing.
func TestTrackerResetSeparatesScenes(t *testing.T) {
	e, err := New(testModel(t), Options{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	frames := make([]camera.Frame, 2)
	for i, n := range []int{3, 18} {
		frames[i].SetImage(photo(dots.Random(uint64(40+n), n)))
		frames[i].Seq, frames[i].Name, frames[i].Count = uint64(i+1), []string{"a.png", "b.png"}[i], n
	}
	alone := make([]Result, 2)
	for i := range frames {
		if alone[i], err = e.Frame(&frames[i]); err != nil {
			t.Fatal(err)
		}
	}
	tr, err := e.NewTracker(TrackerOpts{})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	rounds, runs := 2, 2
	if testing.Short() {
		rounds, runs = 1, 1 // under emulation a frame takes seconds
	}
	for round := 0; round < rounds; round++ {
		for i := range frames {
			tr.Reset()
			r, err := tr.Update(&frames[i])
			if err != nil {
				t.Fatal(err)
			}
			if r.Value != alone[i].Value || r.Shown != alone[i].Shown || r.State != alone[i].State || r.Fused != 1 {
				t.Errorf("round %d, picture %d after Reset: %+v; on its own: %+v", round, i, r, alone[i])
			}
			if r.Seq != uint64(i+1) || r.Name != frames[i].Name || r.Count != frames[i].Count {
				t.Errorf("picture %d: seq %d name %q count %d", i, r.Seq, r.Name, r.Count)
			}
		}
	}
	if a := testing.AllocsPerRun(runs, func() { tr.Reset(); tr.Update(&frames[0]) }); a != 0 {
		t.Errorf("Reset and Update allocate %.0f times per picture", a)
	}
}

// TestTrackerClosedAfterEstimator: closing a tracker after its estimator does not
// panic (it sent on the estimator's closed wait channel).
func TestTrackerClosedAfterEstimator(t *testing.T) {
	e, err := New(testModel(t), Options{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	tr, err := e.NewTracker(TrackerOpts{})
	if err != nil {
		t.Fatal(err)
	}
	e.Close()
	tr.Close()
	if _, err := e.NewTracker(TrackerOpts{}); err == nil {
		t.Error("NewTracker after Close succeeded")
	}
}
