package exhibit

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/display"
)

// serveTest runs the exhibit with the HTTP API on a loopback port until the test ends.
func serveTest(t *testing.T) string {
	t.Helper()
	addrc := make(chan string, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	est := testEstimator(t) // closed after the cleanup below has stopped the run
	go func() {
		o := &camera.Opts{Width: 160, Height: 120}
		o.Synthetic = camera.SyntheticOpts{Seed: 2, Counts: []int{4}, Hand: -1, FPS: 5}
		done <- Run(ctx, Options{Estimator: est, Source: camera.NewSynthetic(o), Display: display.None{},
			Listen: "127.0.0.1:0", Ready: func(a string) { addrc <- a }})
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	select {
	case a := <-addrc:
		return a
	case err := <-done:
		t.Fatalf("run ended early: %v", err)
	}
	return ""
}

// get sends one keep-alive request on c and returns the status code (0 if the
// connection was closed without an answer).
func get(c net.Conn, r *bufio.Reader, path string) int {
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, "GET "+path+" HTTP/1.1\r\nHost: numsense\r\n\r\n"); err != nil {
		return 0
	}
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// TestHTTPConnectionCap is issue 13 item 9: idle keep-alive connections were never
// closed and not counted (5,000 held 72 MB). At most maxConns are open at once; the
// ones over the cap get 503 at once, and a slot is free again when a connection
// closes.
func TestHTTPConnectionCap(t *testing.T) {
	addr := serveTest(t)
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	ok, refused := 0, 0
	for i := 0; i < 64+8; i++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		switch code := get(c, bufio.NewReader(c), "/api/estimate"); code {
		case 200:
			ok++
		case 503, 0:
			refused++
		default:
			t.Fatalf("status %d", code)
		}
	}
	if ok != 64 || refused != 8 {
		t.Fatalf("%d connections served, %d refused; want 64 and 8", ok, refused)
	}
	// Closing one admitted connection frees its slot.
	conns[0].Close()
	time.Sleep(100 * time.Millisecond)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	conns = append(conns, c)
	if code := get(c, bufio.NewReader(c), "/metrics"); code != 200 {
		t.Errorf("after a slot was freed: status %d", code)
	}
}

// TestHTTPIdleTimeout: an idle keep-alive connection is closed by the server after
// httpIdleTimeout.
func TestHTTPIdleTimeout(t *testing.T) {
	defer func(d time.Duration) { httpIdleTimeout = d }(httpIdleTimeout)
	httpIdleTimeout = 300 * time.Millisecond
	addr := serveTest(t)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	if code := get(c, r, "/healthz"); code != 200 {
		t.Fatalf("status %d", code)
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, err = r.ReadByte()
	if !errors.Is(err, io.EOF) {
		if errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatal("an idle keep-alive connection was still open after 5 s")
		}
		if !strings.Contains(err.Error(), "reset") {
			t.Fatalf("idle connection: %v", err)
		}
	}
}
