package display

import (
	"sync"
	"sync/atomic"
)

// Async puts a Display behind its own goroutine so the per-frame loop never
// waits for a slow bus (a full SSD1306 frame is ~0.1 s at 100 kHz, an LCD
// re-init 50 ms, an unplugged display a timeout).
//
// Show copies the reading into a single slot and returns at once: if the
// owner goroutine is still busy with an earlier frame, the newer reading
// replaces the waiting one (latest wins) and the older is counted as
// dropped. After the first few frames Show does not allocate.
//
// Errors of the wrapped display are counted and passed to the OnError
// callback (from the owner goroutine); Show itself only fails after Close.
type Async struct {
	d       Display
	onError func(error)

	mu      sync.Mutex
	pending held // latest reading not yet shown
	has     bool
	closed  bool

	work held // owned by the goroutine
	wake chan struct{}
	done chan struct{}

	shown, dropped, errs atomic.Uint64
	lastErr              atomic.Pointer[error]
	closeErr             error
}

// NewAsync starts the owner goroutine of d. onError may be nil.
func NewAsync(d Display, onError func(error)) *Async {
	a := &Async{d: d, onError: onError, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go a.loop()
	return a
}

// Show queues r (copied) and returns immediately.
func (a *Async) Show(r Reading) error {
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return ErrClosed
	}
	if a.has {
		a.dropped.Add(1)
	}
	a.pending.set(&r)
	a.has = true
	a.mu.Unlock()
	select {
	case a.wake <- struct{}{}:
	default:
	}
	return nil
}

func (a *Async) loop() {
	defer close(a.done)
	for range a.wake {
		a.mu.Lock()
		if !a.has {
			closed := a.closed
			a.mu.Unlock()
			if closed {
				return
			}
			continue
		}
		a.work, a.pending = a.pending, a.work // swap buffers, no copy
		a.has = false
		a.mu.Unlock()
		if err := a.d.Show(a.work.r); err != nil {
			a.report(err)
		} else {
			a.shown.Add(1)
		}
		a.mu.Lock()
		closed := a.closed && !a.has
		a.mu.Unlock()
		if closed {
			return
		}
	}
}

func (a *Async) report(err error) {
	a.errs.Add(1)
	a.lastErr.Store(&err)
	if a.onError != nil {
		a.onError(err)
	}
}

// Close shows the reading still waiting (if any), stops the goroutine and
// closes the wrapped display, which shows "stopped". It waits for the
// display, so it may take as long as one frame.
func (a *Async) Close() error {
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		<-a.done
		return a.closeErr
	}
	a.closed = true
	a.mu.Unlock()
	select {
	case a.wake <- struct{}{}:
	default:
	}
	<-a.done
	err := a.d.Close()
	if err != nil {
		a.report(err)
	}
	a.closeErr = err
	return err
}

// Stats are the counters of an Async display.
type Stats struct {
	Shown   uint64 // readings the display accepted
	Dropped uint64 // readings replaced by a newer one before being shown
	Errors  uint64 // failed Show or Close calls of the display
	LastErr error  // the most recent of those errors, or nil
}

// Stats returns the counters (safe from any goroutine).
func (a *Async) Stats() Stats {
	s := Stats{Shown: a.shown.Load(), Dropped: a.dropped.Load(), Errors: a.errs.Load()}
	if p := a.lastErr.Load(); p != nil {
		s.LastErr = *p
	}
	return s
}

var _ Display = (*Async)(nil)
