package display

import (
	"image"
	"time"
)

// BurnIn is the OLED burn-in care: OLED pixels that stay lit for weeks
// fade, leaving a ghost of a static layout.
type BurnIn struct {
	// ShiftEvery moves the image by one pixel around a 2x2 square at this
	// interval (zero means 3 minutes, negative disables).
	ShiftEvery time.Duration
	// DimAfter lowers the contrast after the shown number and state have
	// not changed for this long (zero means 10 minutes, negative disables).
	DimAfter time.Duration
	// Now is the clock (nil means time.Now); tests inject a fake one.
	Now func() time.Time
}

func (b BurnIn) withDefaults() BurnIn {
	if b.ShiftEvery == 0 {
		b.ShiftEvery = 3 * time.Minute
	}
	if b.DimAfter == 0 {
		b.DimAfter = 10 * time.Minute
	}
	if b.Now == nil {
		b.Now = time.Now
	}
	return b
}

// shiftPath is the order of the burn-in offsets.
var shiftPath = [4]image.Point{{0, 0}, {1, 0}, {1, 1}, {0, 1}}

// beatPeriod is half the heartbeat cycle.
const beatPeriod = 500 * time.Millisecond

type shownKey struct {
	n, lo, hi int
	st        State
}

// oledState tracks burn-in shift and dimming for one panel.
type oledState struct {
	c          BurnIn
	start      time.Time
	lastChange time.Time
	last       shownKey
	started    bool
}

func newOLEDState(c BurnIn) *oledState {
	return &oledState{c: c.withDefaults()}
}

func (s *oledState) now() time.Time { return s.c.Now() }

// frame returns the render options for r at now and whether the panel should
// be dimmed.
func (s *oledState) frame(r *Reading, now time.Time) (RenderOpts, bool) {
	k := shownKey{r.Rounded(), r.Lo, r.Hi, r.State}
	if !s.started || k != s.last {
		if !s.started {
			s.start = now
		}
		s.started, s.last, s.lastChange = true, k, now
	}
	var o RenderOpts
	if s.c.ShiftEvery > 0 {
		o.Shift = shiftPath[int(now.Sub(s.start)/s.c.ShiftEvery)%len(shiftPath)]
	}
	t := r.Time
	if t.IsZero() {
		t = now
	}
	half := t.UnixNano() / int64(beatPeriod)
	o.Heartbeat = half%2 == 0
	o.Tick = int(half % 6)
	dim := s.c.DimAfter > 0 && now.Sub(s.lastChange) >= s.c.DimAfter
	return o, dim
}
