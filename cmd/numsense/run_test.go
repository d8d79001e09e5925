package main

import (
	"bytes"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// syncBuf is a bytes.Buffer safe for the command and the test to share.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRunBadConfigNamesKey(t *testing.T) {
	p := t.TempDir() + "/bad.toml"
	os.WriteFile(p, []byte("[camera]\nfps = 0\n"), 0o644)
	var out, errb bytes.Buffer
	code := runMain([]string{"run", "--config", p}, &out, &errb)
	if code != 1 || !strings.Contains(errb.String(), "camera.fps") || !strings.Contains(errb.String(), "bad.toml") {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	errb.Reset()
	code = runMain([]string{"run", "--display", "oled"}, &out, &errb)
	if code != 1 || !strings.Contains(errb.String(), "display.driver") {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
}

// TestSIGTERMStopsCleanly runs numsense run, sends the process SIGTERM once it
// estimates, and wants exit status 0 within 2 s with the display showing "stopped".
// (The signal goes to this test process, which numsense's handler owns while run is
// active: this works the same under emulation, where a child process could not be
// started without binfmt.)
func TestSIGTERMStopsCleanly(t *testing.T) {
	var stdout, stderr syncBuf
	code := make(chan int, 1)
	go func() {
		code <- runMain([]string{"run", "--source", "synthetic:5", "--display", "terminal", "--json", "--threads", "1"}, &stdout, &stderr)
	}()
	deadline := time.Now().Add(5 * time.Minute)
	for !strings.Contains(stdout.String(), `"state":"estimating"`) {
		select {
		case c := <-code:
			t.Fatalf("run ended with %d before estimating: %s", c, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("no estimate within 5 minutes")
		}
		time.Sleep(10 * time.Millisecond)
	}
	start := time.Now()
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	limit := 2 * time.Second
	if testing.Short() {
		limit = 20 * time.Second // under emulation a frame takes seconds
	}
	select {
	case c := <-code:
		if c != 0 {
			t.Fatalf("exit status %d after SIGTERM: %s", c, stderr.String())
		}
	case <-time.After(limit):
		t.Fatalf("still running %v after SIGTERM", limit)
	}
	t.Logf("stopped %v after SIGTERM", time.Since(start).Round(time.Millisecond))
	if !strings.Contains(stderr.String(), "stopped") {
		t.Errorf("the display did not show stopped: %s", stderr.String())
	}
}
