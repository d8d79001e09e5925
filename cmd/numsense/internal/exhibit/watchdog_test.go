package exhibit

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/display"
)

// notifySocket listens as systemd's notification socket and records when each
// WATCHDOG=1 arrives.
type notifySocket struct {
	mu    sync.Mutex
	feeds []time.Time
}

func listenNotify(t *testing.T, usec string) *notifySocket {
	t.Helper()
	p := filepath.Join(t.TempDir(), "notify.sock")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: p, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	t.Setenv("NOTIFY_SOCKET", p)
	t.Setenv("WATCHDOG_USEC", usec)
	t.Setenv("WATCHDOG_PID", "")
	n := &notifySocket{}
	go func() {
		buf := make([]byte, 512)
		for {
			k, err := conn.Read(buf)
			if err != nil {
				return
			}
			if strings.Contains(string(buf[:k]), "WATCHDOG=1") {
				n.mu.Lock()
				n.feeds = append(n.feeds, time.Now())
				n.mu.Unlock()
			}
		}
	}()
	return n
}

func (n *notifySocket) times() []time.Time {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]time.Time(nil), n.feeds...)
}

// TestWatchdogFedDuringOutage is issue 13 item 5: with the camera lost from the
// start, the loop keeps turning and retrying, so systemd's watchdog is fed at half
// its interval; it used to be fed only after a good frame, and a camera outage
// longer than WatchdogSec got the exhibit killed.
func TestWatchdogFedDuringOutage(t *testing.T) {
	n := listenNotify(t, "2000000") // WatchdogSec=2
	o := &camera.Opts{Width: 160, Height: 120}
	o.Synthetic = camera.SyntheticOpts{Seed: 3, Counts: []int{6}, Hand: -1, FPS: 20,
		Fail: func(seq uint64) error {
			return &camera.Error{Device: "/dev/video7", Op: "read", Err: fmt.Errorf("%w: no such device", camera.ErrCameraLost)}
		}}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	var errb syncBuf
	if err := Run(ctx, Options{Estimator: testEstimator(t), Source: camera.NewSynthetic(o), Display: display.None{}, Log: &errb}); err != nil {
		t.Fatal(err)
	}
	feeds := n.times()
	if len(feeds) < 3 {
		t.Fatalf("%d watchdog feeds in a 5 s camera outage with WatchdogSec=2:\n%s", len(feeds), errb.String())
	}
	last := start
	for _, f := range append(feeds, start.Add(5*time.Second)) {
		if gap := f.Sub(last); gap > 1900*time.Millisecond {
			t.Errorf("the watchdog went unfed for %v (WatchdogSec=2)", gap.Round(time.Millisecond))
		}
		last = f
	}
}

// stuckSource never returns from Next until the run ends: a hung driver call.
type stuckSource struct{}

func (stuckSource) Next(ctx context.Context, dst *camera.Frame) error { <-ctx.Done(); return ctx.Err() }
func (stuckSource) Close() error                                      { return nil }
func (stuckSource) Name() string                                      { return "stuck" }

// TestWatchdogStarvedWhenCaptureHangs: a source call that never returns stops the
// feeding once it has lasted captureStuck, so systemd restarts the service.
func TestWatchdogStarvedWhenCaptureHangs(t *testing.T) {
	n := listenNotify(t, "1000000")
	defer func(d time.Duration) { captureStuck = d }(captureStuck)
	captureStuck = 1500 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	start := time.Now()
	if err := Run(ctx, Options{Estimator: testEstimator(t), Source: stuckSource{}, Display: display.None{}}); err != nil {
		t.Fatal(err)
	}
	feeds := n.times()
	if len(feeds) == 0 {
		t.Error("no feed at all while the capture was still young")
	}
	for _, f := range feeds {
		if f.Sub(start) > captureStuck+time.Second {
			t.Errorf("fed %v after the start, with the capture stuck since the start", f.Sub(start).Round(time.Millisecond))
		}
	}
}
