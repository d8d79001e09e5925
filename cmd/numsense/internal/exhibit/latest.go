package exhibit

import (
	"context"
	"errors"
	"io"
	"sync"
	"time"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/model/backoff"
)

// latest is the newest captured frame, handed from the capture goroutine to the loop
// by swapping buffers (no copies, no allocation). err is the state of the source
// (nil after a good frame); missed keeps the first error since the loop last looked,
// so that a short outage is reported even if the loop was busy during it.
type latest struct {
	mu     sync.Mutex
	frame  camera.Frame
	seq    uint64
	err    error
	missed error
	ready  chan struct{}
}

func newLatest() *latest { return &latest{ready: make(chan struct{}, 1)} }

func (l *latest) put(f *camera.Frame, err error) {
	l.mu.Lock()
	if err == nil {
		l.frame, *f = *f, l.frame
		l.seq++
	}
	l.err = err
	if err != nil && l.missed == nil {
		l.missed = err
	}
	l.mu.Unlock()
	select {
	case l.ready <- struct{}{}:
	default:
	}
}

// take swaps the newest frame into dst if it is newer than seen, and returns its
// sequence number, the source's current error and the first error since the last
// take.
func (l *latest) take(dst *camera.Frame, seen uint64) (seq uint64, err, missed error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.seq != seen {
		l.frame, *dst = *dst, l.frame
	}
	missed, l.missed = l.missed, nil
	return l.seq, l.err, missed
}

// capture reads frames until ctx is done or the source ends. A failing live source
// is retried with backoff (the source reopens the device itself).
func capture(ctx context.Context, src camera.Source, l *latest) {
	var f camera.Frame
	b := backoff.New(100*time.Millisecond, 5*time.Second)
	for ctx.Err() == nil {
		err := src.Next(ctx, &f)
		if ctx.Err() != nil {
			return
		}
		l.put(&f, err)
		if err == nil {
			b.Reset()
			continue
		}
		if errors.Is(err, io.EOF) || b.Wait(ctx) != nil {
			return
		}
	}
}
