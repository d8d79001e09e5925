package display

import (
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"
)

// slowDisplay records what it shows and blocks each Show until released.
type slowDisplay struct {
	mu      sync.Mutex
	gate    chan struct{}
	started chan struct{}
	values  []float64
	sils    []byte
	closed  bool
	fail    bool
}

func newSlow() *slowDisplay {
	return &slowDisplay{gate: make(chan struct{}), started: make(chan struct{}, 100)}
}

func (s *slowDisplay) Show(r Reading) error {
	s.started <- struct{}{}
	<-s.gate
	s.mu.Lock()
	defer s.mu.Unlock()
	s.values = append(s.values, r.Value)
	if r.Silhouette != nil {
		s.sils = append(s.sils, r.Silhouette.Pix[0])
	}
	if s.fail {
		return errors.New("bus gone")
	}
	return nil
}

func (s *slowDisplay) Close() error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	return nil
}

func TestAsyncNeverBlocksAndLatestWins(t *testing.T) {
	before := runtime.NumGoroutine()
	s := newSlow()
	a := NewAsync(s, nil)
	r := sample(Estimating)
	r.Value = 1
	start := time.Now()
	if err := a.Show(r); err != nil {
		t.Fatal(err)
	}
	<-s.started // the display is now stuck in Show(1)
	sil := discs(3, 9)
	for i := 2; i <= 50; i++ {
		r.Value = float64(i)
		sil.Pix[0] = byte(i)
		r.Silhouette = sil
		if err := a.Show(r); err != nil { // must not wait for the stuck display
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("Show blocked for %v", d)
	}
	sil.Pix[0] = 99 // the caller reuses its buffer: the wrapper must have copied
	close(s.gate)   // release the display
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.values) != 2 || s.values[0] != 1 || s.values[1] != 50 {
		t.Fatalf("shown %v, want [1 50] (latest wins)", s.values)
	}
	if len(s.sils) != 2 || s.sils[1] != 50 {
		t.Fatalf("silhouette marks %v: reading not copied", s.sils)
	}
	if !s.closed {
		t.Fatal("inner display not closed")
	}
	st := a.Stats()
	if st.Shown != 2 || st.Dropped != 48 || st.Errors != 0 {
		t.Fatalf("stats %+v", st)
	}
	if err := a.Show(r); !errors.Is(err, ErrClosed) {
		t.Fatalf("Show after Close: %v", err)
	}
	// No goroutine left behind.
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Fatalf("%d goroutines after Close, %d before", n, before)
	}
}

func TestAsyncReportsErrors(t *testing.T) {
	s := newSlow()
	s.fail = true
	close(s.gate)
	var mu sync.Mutex
	var got []error
	a := NewAsync(s, func(err error) { mu.Lock(); got = append(got, err); mu.Unlock() })
	r := sample(Estimating)
	if err := a.Show(r); err != nil {
		t.Fatal(err)
	}
	<-s.started
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	st := a.Stats()
	if len(got) != 1 || st.Errors != 1 || st.LastErr == nil || st.LastErr.Error() != "bus gone" {
		t.Fatalf("errors %v, stats %+v", got, st)
	}
}

func TestAsyncShowDoesNotAllocate(t *testing.T) {
	s := newSlow()
	a := NewAsync(s, nil)
	r := sample(Estimating)
	// Keep the display stuck so only Show runs; warm the buffers.
	a.Show(r)
	<-s.started
	a.Show(r)
	allocs := testing.AllocsPerRun(100, func() { a.Show(r) })
	close(s.gate)
	a.Close()
	if allocs != 0 {
		t.Fatalf("Show allocates %.1f times per call", allocs)
	}
}

func BenchmarkAsyncShow(b *testing.B) {
	a := NewAsync(None{}, nil)
	defer a.Close()
	r := sample(Estimating)
	b.ReportAllocs()
	for b.Loop() {
		a.Show(r)
	}
}
