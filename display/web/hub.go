package web

import (
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// hub keeps the latest event of each kind and wakes the streams. Each stream is
// served by its own handler goroutine, which copies the events it has not sent yet
// out of the slots and writes them: at most one pending event per kind, so a slow
// client skips updates (latest wins) and holds no more than nKinds events.
type hub struct {
	mu      sync.Mutex
	slots   [nKinds]slot
	clients map[*client]struct{}
	n       atomic.Int32
	closed  bool
	done    chan struct{}
	streams sync.WaitGroup // open stream handlers
	dropped atomic.Uint64  // updates skipped by slow clients, all clients together
}

// slot is one kind's latest event, as SSE text, and how many were set.
type slot struct {
	buf []byte
	seq uint64
}

// client is one open stream.
type client struct {
	wake chan struct{}
	seen [nKinds]uint64
}

var errFull = errors.New("too many open streams")

func newHub() *hub { return &hub{clients: map[*client]struct{}{}, done: make(chan struct{})} }

// set replaces kind's event with data (one line: JSON or a data URL) and wakes every
// client. It does not allocate once the slot is large enough.
func (h *hub) set(kind int, data []byte) {
	h.mu.Lock()
	s := &h.slots[kind]
	b := append(s.buf[:0], "event: "...)
	b = append(b, eventNames[kind]...)
	b = append(b, "\ndata: "...)
	b = append(b, data...)
	s.buf = append(b, "\n\n"...)
	s.seq++
	for c := range h.clients {
		select {
		case c.wake <- struct{}{}:
		default:
		}
	}
	h.mu.Unlock()
}

// add registers a new stream, unless max are open or the hub is closed.
func (h *hub) add(max int) (*client, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, errors.New("the exhibit is stopping")
	}
	if len(h.clients) >= max {
		return nil, errFull
	}
	c := &client{wake: make(chan struct{}, 1)}
	h.clients[c] = struct{}{}
	h.streams.Add(1)
	h.n.Store(int32(len(h.clients)))
	return c, nil
}

func (h *hub) remove(c *client) {
	h.mu.Lock()
	delete(h.clients, c)
	h.n.Store(int32(len(h.clients)))
	h.mu.Unlock()
	h.streams.Done()
}

// count is the number of open streams.
func (h *hub) count() int { return int(h.n.Load()) }

// take appends to dst every event c has not seen, in kind order (info first).
func (h *hub) take(c *client, dst []byte) []byte {
	h.mu.Lock()
	for k := range h.slots {
		s := &h.slots[k]
		if s.seq == c.seen[k] {
			continue
		}
		if c.seen[k] != 0 && s.seq > c.seen[k]+1 {
			h.dropped.Add(s.seq - c.seen[k] - 1)
		}
		dst = append(dst, s.buf...)
		c.seen[k] = s.seq
	}
	h.mu.Unlock()
	return dst
}

// close ends every stream after its last events, waiting up to wait for the
// streams to write them.
func (h *hub) close(wait time.Duration) {
	h.mu.Lock()
	if !h.closed {
		h.closed = true
		close(h.done)
	}
	h.mu.Unlock()
	ended := make(chan struct{})
	go func() { h.streams.Wait(); close(ended) }()
	select {
	case <-ended:
	case <-time.After(wait):
	}
}

// stream serves /api/stream: the latest events at once, then every new one.
func (s *Server) stream(w http.ResponseWriter, r *http.Request) {
	c, err := s.hub.add(s.o.MaxClients)
	if err != nil {
		w.Header().Set("Retry-After", "5")
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	defer s.hub.remove(c)
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	buf := append(make([]byte, 0, 64<<10), "retry: 2000\n\n"...)
	keep := time.NewTicker(s.o.KeepAlive)
	defer keep.Stop()
	for {
		buf = s.hub.take(c, buf)
		if len(buf) > 0 {
			rc.SetWriteDeadline(time.Now().Add(s.o.WriteTimeout)) // not every writer supports it: then no deadline
			if _, err := w.Write(buf); err != nil {
				return
			}
			if err := rc.Flush(); err != nil {
				return
			}
			buf = buf[:0]
		}
		select {
		case <-c.wake:
		case <-keep.C:
			buf = append(buf, ": keep-alive\n\n"...)
		case <-r.Context().Done():
			return
		case <-s.hub.done:
			if buf = s.hub.take(c, buf); len(buf) > 0 {
				rc.SetWriteDeadline(time.Now().Add(time.Second))
				w.Write(buf)
				rc.Flush()
			}
			return
		}
	}
}
