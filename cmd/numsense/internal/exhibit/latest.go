package exhibit

import (
	"context"
	"errors"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/model/backoff"
)

// latest is the newest captured frame, handed from the capture goroutine to the loop
// by swapping buffers (no copies, no allocation). err is the state of the source
// (nil after a good frame); missed keeps the first error since the loop last looked,
// so that a short outage is reported even if the loop was busy during it.
//
// A lossless latest (a recording replayed frame by frame) hands over every frame:
// put waits until the loop has taken the frame before.
type latest struct {
	mu     sync.Mutex
	frame  camera.Frame
	seq    uint64
	err    error
	missed error
	ready  chan struct{}
	free   chan struct{} // lossless: holds a token while the last frame was taken
	beat   atomic.Int64  // when capture last came back from the source (UnixNano)
}

// heartbeat records that the capture goroutine is not stuck in the source.
func (l *latest) heartbeat() { l.beat.Store(time.Now().UnixNano()) }

// lastBeat is the time of the last heartbeat.
func (l *latest) lastBeat() time.Time { return time.Unix(0, l.beat.Load()) }

func newLatest(lossless bool) *latest {
	l := &latest{ready: make(chan struct{}, 1)}
	l.heartbeat()
	if lossless {
		l.free = make(chan struct{}, 1)
		l.free <- struct{}{}
	}
	return l
}

// put hands over a frame (err nil) or the source's error. A lossless put of a
// frame first waits for the loop to take the one before; false if ctx ended that
// wait.
func (l *latest) put(ctx context.Context, f *camera.Frame, err error) bool {
	if err == nil && l.free != nil {
		select {
		case <-l.free:
		case <-ctx.Done():
			return false
		}
	}
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
	return true
}

// take swaps the newest frame into dst if it is newer than seen, and returns its
// sequence number, the source's current error and the first error since the last
// take.
func (l *latest) take(dst *camera.Frame, seen uint64) (seq uint64, err, missed error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.seq != seen {
		l.frame, *dst = *dst, l.frame
		if l.free != nil {
			select {
			case l.free <- struct{}{}: // put took the token before this frame
			default:
			}
		}
	}
	missed, l.missed = l.missed, nil
	return l.seq, l.err, missed
}

// capture reads frames until ctx is done or the source ends. A failing live source
// is retried with backoff (the source reopens the device itself); for a recording
// (final) any error ends the capture, as io.EOF does.
func capture(ctx context.Context, src camera.Source, l *latest, final bool) {
	var f camera.Frame
	b := backoff.New(100*time.Millisecond, 5*time.Second)
	for ctx.Err() == nil {
		l.heartbeat()
		err := src.Next(ctx, &f)
		l.heartbeat()
		if ctx.Err() != nil {
			return
		}
		if !l.put(ctx, &f, err) {
			return
		}
		if err == nil {
			b.Reset()
			continue
		}
		if final || errors.Is(err, io.EOF) || b.Wait(ctx) != nil {
			return
		}
	}
}
