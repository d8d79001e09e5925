package estimate

import (
	"io"
	"math"
	"time"

	"github.com/numsense/numsense/camera"
)

// TrackerOpts configure a Tracker. Zero values mean the defaults.
type TrackerOpts struct {
	// StableFrames is how many successive stable frames are averaged (default 3).
	StableFrames int
	// Hysteresis: the shown value changes only when the estimate moves away from it by
	// more than Hysteresis interval half-widths on the log axis (default 0.5;
	// negative: no hysteresis).
	Hysteresis float64
}

// Tracker follows one stream of frames. It owns one pipeline for its lifetime; it is
// not safe for concurrent use. Close returns the pipeline to the Estimator.
type Tracker struct {
	e      *Estimator
	p      *pipeline
	o      TrackerOpts
	ring   [][]float32 // the last StableFrames response vectors
	n, at  int         // how many are in ring, next slot
	fused  []float32
	shown  int // held value; 0 = nothing shown yet
	lastOK Result
	has    bool
}

// NewTracker starts a tracker; it blocks while all pipelines are busy.
func (e *Estimator) NewTracker(o TrackerOpts) (*Tracker, error) {
	if o.StableFrames <= 0 {
		o.StableFrames = 3
	}
	if o.Hysteresis == 0 {
		o.Hysteresis = 0.5
	}
	p, err := e.get()
	if err != nil {
		return nil, err
	}
	p.fe.Reset()
	t := &Tracker{e: e, p: p, o: o, fused: make([]float32, e.units)}
	t.ring = make([][]float32, o.StableFrames)
	for i := range t.ring {
		t.ring[i] = make([]float32, e.units)
	}
	return t, nil
}

// Background reports the tracker's learned empty table (frontend.Opts.Learn, set
// through Options.FrontEnd): how many times one was learned or loaded (0: never),
// whether the last frame used it, and the light level relative to it.
func (t *Tracker) Background() (version uint64, inUse bool, light float64) {
	return t.p.fe.Learned()
}

// SaveBackground writes the learned empty table, to be loaded after a restart.
func (t *Tracker) SaveBackground(w io.Writer) error { return t.p.fe.SaveBackground(w) }

// LoadBackground reads an empty table saved by SaveBackground.
func (t *Tracker) LoadBackground(r io.Reader) error { return t.p.fe.LoadBackground(r) }

// Close gives the tracker's pipeline back to the Estimator.
func (t *Tracker) Close() {
	if t.p != nil {
		t.e.put(t.p)
		t.p = nil
	}
}

// Reset starts a new scene: the next frame is not fused with those before it, no
// value is held, and the front end forgets the previous frame (so the next one
// reports no motion). A sequence of unrelated pictures is estimated one by one so.
func (t *Tracker) Reset() {
	t.n, t.at, t.has, t.shown = 0, 0, false, 0
	t.p.fe.Reset()
}

// Update processes the next frame of the stream and returns the estimate to show.
// While the scene is stable the responses of up to StableFrames frames are averaged;
// a change (Unstable) or an empty table starts the average afresh. Unstable results
// keep the last stable value and interval. It allocates nothing.
func (t *Tracker) Update(f *camera.Frame) (Result, error) {
	var res Result
	if err := t.e.run(t.p, f, &res); err != nil {
		return res, err
	}
	switch res.State {
	case Empty:
		t.n, t.at, t.has, t.shown = 0, 0, false, 0
		res.Value, res.Lo, res.Hi, res.Shown = 0, 0, 0, 0
		return res, nil
	case Unstable:
		t.n, t.at = 0, 0
		if t.has {
			res.Value, res.Lo, res.Hi, res.Shown = t.lastOK.Value, t.lastOK.Lo, t.lastOK.Hi, t.shown
			res.Activity, res.Falling, res.Rising = t.lastOK.Activity, t.lastOK.Falling, t.lastOK.Rising
			res.ClassActivity = t.lastOK.ClassActivity
		}
		res.Fused = 0
		return res, nil
	}
	// Stable: add this frame's responses and decode the average.
	copy(t.ring[t.at], t.p.r)
	t.at = (t.at + 1) % len(t.ring)
	if t.n < len(t.ring) {
		t.n++
	}
	inv := 1 / float32(t.n)
	for k := range t.fused {
		s := float32(0)
		for i := 0; i < t.n; i++ {
			s += t.ring[i][k]
		}
		t.fused[k] = s * inv
	}
	start := time.Now()
	t.e.decode(t.p, t.p.dec, t.fused, &res)
	res.Took += time.Since(start)
	res.Fused = t.n
	res.Shown = t.hold(res)
	t.lastOK, t.has = res, true
	return res, nil
}

// hold applies the hysteresis: the shown value moves to the new rounded estimate only
// if the estimate is far enough from it on the log axis.
func (t *Tracker) hold(r Result) int {
	v := int(math.Round(r.Value))
	if t.shown == 0 || t.o.Hysteresis < 0 {
		t.shown = v
		return v
	}
	half := (math.Log(r.Hi) - math.Log(r.Lo)) / 2
	if d := math.Abs(math.Log(r.Value) - math.Log(float64(t.shown))); d > t.o.Hysteresis*half {
		t.shown = v
	}
	return t.shown
}
