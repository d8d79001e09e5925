package display

import (
	"errors"
	"image"
	"math"
	"time"
)

// State is what the exhibit is doing; each state has its own look.
type State int

// States of a Reading.
const (
	// Starting: the model is loading or the camera is warming up.
	Starting State = iota
	// Estimating: a settled estimate is shown.
	Estimating
	// Unstable: an estimate exists but is still changing (objects moving).
	Unstable
	// Empty: nothing on the table.
	Empty
	// CameraLost: no frames; the camera is being reopened.
	CameraLost
	// Stopped: the program is shutting down (shown by Close).
	Stopped
)

var stateNames = [...]string{"starting", "estimating", "unstable", "empty", "camera lost", "stopped"}

// String returns the state in words ("camera lost").
func (s State) String() string {
	if s >= 0 && int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "unknown"
}

// Reading is one thing to show. Displays copy what they keep: the caller may
// reuse Activity, Numerosities and Silhouette after Show returns.
type Reading struct {
	// Value is the point estimate (e.g. 12.3); it is shown rounded.
	Value float64
	// Lo and Hi bound the 68% interval.
	Lo, Hi int
	// Activity is the mean activity of the number units grouped by preferred
	// numerosity, 0..1, one value per entry of Numerosities. May be nil.
	Activity []float64
	// Numerosities are the preferred-numerosity labels of Activity
	// (1, 2, 4, ..., 30).
	Numerosities []int
	// State selects the look.
	State State
	// Silhouette is what the network sees (227x227 binary image). May be nil.
	Silhouette *image.Gray
	// Time is when the frame was taken. The heartbeat follows it, so a stuck
	// pipeline shows a frozen heartbeat. Zero means "now" by the display clock.
	Time time.Time
	// TrueCount is the number of objects in view when the source knows it (the
	// synthetic camera, labelled recordings) and TrueKnown is set; the terminal
	// shows it beside the estimate.
	TrueCount int
	TrueKnown bool
}

// Rounded returns Value rounded to the nearest integer, clamped to 0..9999.
func (r *Reading) Rounded() int {
	v := r.Value
	if math.IsNaN(v) || v < 0 {
		return 0
	}
	if v > 9999 {
		return 9999
	}
	return int(math.Round(v))
}

// Display shows readings. Implementations are not safe for concurrent use and
// Show may block on a slow bus: put them behind NewAsync in a per-frame loop.
type Display interface {
	// Show displays r.
	Show(r Reading) error
	// Close shows "stopped" (or clears the display) and releases it.
	Close() error
}

// ErrClosed is returned by Show after Close.
var ErrClosed = errors.New("display: closed")

// held is a Reading with its own buffers, reused from copy to copy.
type held struct {
	r    Reading
	act  []float64
	nums []int
	sil  *image.Gray // a pointer, so that swapping two helds swaps images
}

// set copies src into h without allocating once the buffers are big enough.
func (h *held) set(src *Reading) {
	h.r = *src
	h.act = append(h.act[:0], src.Activity...)
	h.nums = append(h.nums[:0], src.Numerosities...)
	h.r.Activity, h.r.Numerosities = nil, nil
	if src.Activity != nil {
		h.r.Activity = h.act
	}
	if src.Numerosities != nil {
		h.r.Numerosities = h.nums
	}
	h.r.Silhouette = nil
	if s := src.Silhouette; s != nil {
		if h.sil == nil {
			h.sil = new(image.Gray)
		}
		h.sil.Pix = append(h.sil.Pix[:0], s.Pix...)
		h.sil.Stride, h.sil.Rect = s.Stride, s.Rect
		h.r.Silhouette = h.sil
	}
}
