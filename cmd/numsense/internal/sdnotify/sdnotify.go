// Package sdnotify tells systemd about the state of a Type=notify service.
//
// The protocol (sd_notify(3)) is one datagram of newline-separated
// VARIABLE=value assignments sent to the AF_UNIX SOCK_DGRAM socket named by
// the NOTIFY_SOCKET environment variable. A name starting with '@' is a Linux
// abstract socket. Outside systemd the variable is unset and every call is a
// no-op that reports (false, nil), so the same binary runs unchanged from a
// shell.
//
// The service watchdog (WatchdogSec= in the unit) is announced through
// WATCHDOG_USEC, and WATCHDOG_PID when set names the process it is meant
// for. Send Watchdog only after real progress of the main loop, at least
// every WatchdogInterval()/2; a silent process is killed with SIGABRT.
//
// Each call opens, writes and closes its own socket, which keeps it correct
// across a systemd re-exec and costs a few microseconds: rate-limit the
// calls rather than sending one per frame.
package sdnotify

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

// Ready reports that start-up is complete (READY=1).
func Ready() (bool, error) { return Notify("READY=1") }

// Stopping reports that the service is shutting down (STOPPING=1).
func Stopping() (bool, error) { return Notify("STOPPING=1") }

// Watchdog keeps the service watchdog from firing (WATCHDOG=1).
func Watchdog() (bool, error) { return Notify("WATCHDOG=1") }

// Status sets the one-line status shown by systemctl status (STATUS=...).
// Newlines in s would start new assignments and are replaced by spaces.
func Status(s string) (bool, error) {
	return Notify("STATUS=" + strings.ReplaceAll(s, "\n", " "))
}

// Notify sends state, one or more newline-separated assignments, to systemd.
// It reports whether a message was sent: (false, nil) when NOTIFY_SOCKET is
// unset, and an error naming the socket when it cannot be reached.
func Notify(state string) (bool, error) {
	name := os.Getenv("NOTIFY_SOCKET")
	if name == "" {
		return false, nil
	}
	if name[0] != '/' && name[0] != '@' {
		return false, fmt.Errorf("sdnotify: NOTIFY_SOCKET %q is neither a path nor an abstract socket name", name)
	}
	conn, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: name, Net: "unixgram"})
	if err != nil {
		return false, fmt.Errorf("sdnotify: %w", err)
	}
	_, err = conn.Write([]byte(state))
	if cerr := conn.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return false, fmt.Errorf("sdnotify: send to %s: %w", name, err)
	}
	return true, nil
}

// WatchdogInterval returns the service watchdog period (WatchdogSec=), or 0
// when there is no watchdog for this process: NOTIFY_SOCKET or WATCHDOG_USEC
// unset, or WATCHDOG_PID naming another process. Malformed values are an
// error naming the variable.
func WatchdogInterval() (time.Duration, error) {
	if os.Getenv("NOTIFY_SOCKET") == "" {
		return 0, nil
	}
	usec := os.Getenv("WATCHDOG_USEC")
	if usec == "" {
		return 0, nil
	}
	if pid := os.Getenv("WATCHDOG_PID"); pid != "" {
		p, err := strconv.Atoi(pid)
		if err != nil || p <= 0 {
			return 0, fmt.Errorf("sdnotify: WATCHDOG_PID %q is not a process id", pid)
		}
		if p != os.Getpid() {
			return 0, nil
		}
	}
	n, err := strconv.ParseUint(usec, 10, 63)
	if err != nil || n == 0 {
		return 0, fmt.Errorf("sdnotify: WATCHDOG_USEC %q is not a positive number of microseconds", usec)
	}
	if n > uint64(1<<63-1)/uint64(time.Microsecond) {
		return 0, errors.New("sdnotify: WATCHDOG_USEC " + usec + " is too large")
	}
	return time.Duration(n) * time.Microsecond, nil
}
