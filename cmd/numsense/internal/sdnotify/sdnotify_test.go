package sdnotify

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// listen opens a unixgram socket named name, points NOTIFY_SOCKET at it and
// returns it; reads time out so a missing message fails instead of hanging.
func listen(t testing.TB, name string) *net.UnixConn {
	t.Helper()
	c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: name, Net: "unixgram"})
	if err != nil {
		t.Fatalf("listen on %s: %v", name, err)
	}
	t.Cleanup(func() { c.Close() })
	if tt, ok := t.(*testing.T); ok {
		tt.Setenv("NOTIFY_SOCKET", name)
	} else {
		t.(*testing.B).Setenv("NOTIFY_SOCKET", name)
	}
	return c
}

func receive(t *testing.T, c *net.UnixConn) string {
	t.Helper()
	if err := c.SetReadDeadline(time.Now().Add(5 * time.Second)); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4096)
	n, err := c.Read(buf)
	if err != nil {
		t.Fatalf("no datagram received: %v", err)
	}
	return string(buf[:n])
}

// checkAll sends every kind of message through the socket behind c.
func checkAll(t *testing.T, c *net.UnixConn) {
	t.Helper()
	for _, tc := range []struct {
		call func() (bool, error)
		want string
	}{
		{Ready, "READY=1"},
		{Watchdog, "WATCHDOG=1"},
		{func() (bool, error) { return Status("about 12\nobjects") }, "STATUS=about 12 objects"},
		{func() (bool, error) { return Notify("STATUS=x\nERRNO=5") }, "STATUS=x\nERRNO=5"},
		{Stopping, "STOPPING=1"},
	} {
		sent, err := tc.call()
		if err != nil || !sent {
			t.Fatalf("sending %q: sent=%v err=%v", tc.want, sent, err)
		}
		if got := receive(t, c); got != tc.want {
			t.Errorf("received %q, want %q", got, tc.want)
		}
	}
}

func TestPathSocket(t *testing.T) {
	c := listen(t, filepath.Join(t.TempDir(), "notify"))
	checkAll(t, c)
}

func TestAbstractSocket(t *testing.T) {
	name := fmt.Sprintf("@numsense-sdnotify-test-%d-%d", os.Getpid(), time.Now().UnixNano())
	c := listen(t, name)
	checkAll(t, c)
}

func TestUnsetIsNoOp(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", "")
	t.Setenv("WATCHDOG_USEC", "30000000")
	for name, f := range map[string]func() (bool, error){
		"Ready": Ready, "Stopping": Stopping, "Watchdog": Watchdog,
		"Status": func() (bool, error) { return Status("x") },
	} {
		if sent, err := f(); sent || err != nil {
			t.Errorf("%s without NOTIFY_SOCKET = (%v, %v), want (false, nil)", name, sent, err)
		}
	}
	if d, err := WatchdogInterval(); d != 0 || err != nil {
		t.Errorf("WatchdogInterval without NOTIFY_SOCKET = (%v, %v), want (0, nil)", d, err)
	}
}

func TestErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nobody-listens")
	t.Setenv("NOTIFY_SOCKET", missing)
	if sent, err := Ready(); sent || err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("Ready to a missing socket = (%v, %v), want an error naming %s", sent, err, missing)
	}
	t.Setenv("NOTIFY_SOCKET", "relative/path")
	if sent, err := Ready(); sent || err == nil || !strings.Contains(err.Error(), "relative/path") {
		t.Errorf("Ready to a relative name = (%v, %v), want an error naming it", sent, err)
	}
}

func TestWatchdogInterval(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", "@unused")
	me := strconv.Itoa(os.Getpid())
	for _, tc := range []struct {
		usec, pid string
		want      time.Duration
		wantErr   string
	}{
		{"", "", 0, ""},
		{"30000000", "", 30 * time.Second, ""},
		{"30000000", me, 30 * time.Second, ""},
		{"1500", me, 1500 * time.Microsecond, ""},
		{"30000000", strconv.Itoa(os.Getpid() + 1), 0, ""},
		{"thirty", "", 0, "WATCHDOG_USEC"},
		{"0", "", 0, "WATCHDOG_USEC"},
		{"-5", "", 0, "WATCHDOG_USEC"},
		{"99999999999999999999", "", 0, "WATCHDOG_USEC"},
		{"30000000", "me", 0, "WATCHDOG_PID"},
	} {
		t.Setenv("WATCHDOG_USEC", tc.usec)
		t.Setenv("WATCHDOG_PID", tc.pid)
		got, err := WatchdogInterval()
		switch {
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("USEC=%q PID=%q: err = %v, want one naming %s", tc.usec, tc.pid, err, tc.wantErr)
		case tc.wantErr == "" && err != nil:
			t.Errorf("USEC=%q PID=%q: unexpected error %v", tc.usec, tc.pid, err)
		case got != tc.want:
			t.Errorf("USEC=%q PID=%q: interval %v, want %v", tc.usec, tc.pid, got, tc.want)
		}
	}
}

// BenchmarkWatchdog measures one keep-alive through a real socket: the cost
// the main loop pays each time it pings.
func BenchmarkWatchdog(b *testing.B) {
	c := listen(b, filepath.Join(b.TempDir(), "notify"))
	go func() {
		buf := make([]byte, 64)
		for {
			if _, err := c.Read(buf); err != nil {
				return
			}
		}
	}()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Watchdog(); err != nil {
			b.Fatal(err)
		}
	}
}
