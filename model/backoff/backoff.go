// Package backoff spaces out retries of something that keeps failing (a camera that
// was unplugged, a display that stopped answering): the first retry comes after Min,
// each next one after twice the delay before it, never more than Max, and back to
// Min after a success (Reset). The exhibit runs unattended for months, so retries
// never stop; they only slow down.
package backoff

import (
	"context"
	"time"
)

// Backoff is the delay state of one retried operation. The zero value is not
// usable: make one with New. It is not safe for concurrent use.
type Backoff struct {
	min, max, cur time.Duration
}

// New returns a Backoff from lo to hi (a lo <= 0 is taken as 1 ms, a hi below lo
// as lo).
func New(lo, hi time.Duration) *Backoff {
	if lo <= 0 {
		lo = time.Millisecond
	}
	hi = max(lo, hi)
	return &Backoff{min: lo, max: hi, cur: lo}
}

// Next returns the delay before the next retry and doubles the one after it.
func (b *Backoff) Next() time.Duration {
	d := b.cur
	b.cur = min(2*b.cur, b.max)
	return d
}

// Peek returns the delay Next would return, without changing it.
func (b *Backoff) Peek() time.Duration { return b.cur }

// Reset goes back to the shortest delay, after a success.
func (b *Backoff) Reset() { b.cur = b.min }

// Wait sleeps for Next() or until ctx is done, and returns ctx.Err() in that case.
func (b *Backoff) Wait(ctx context.Context) error {
	t := time.NewTimer(b.Next())
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
