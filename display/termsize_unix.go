//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package display

import (
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// termSize returns the size of the terminal f in characters.
func termSize(f *os.File) (cols, rows int, ok bool) {
	rc, err := f.SyscallConn()
	if err != nil {
		return 0, 0, false
	}
	var ws *unix.Winsize
	rc.Control(func(fd uintptr) { ws, err = unix.IoctlGetWinsize(int(fd), unix.TIOCGWINSZ) })
	if err != nil || ws == nil || ws.Col == 0 || ws.Row == 0 {
		return 0, 0, false
	}
	return int(ws.Col), int(ws.Row), true
}

// IsTerminal reports whether w is a terminal (a TTY, not merely a character
// device such as /dev/null).
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return false
	}
	rc.Control(func(fd uintptr) { _, err = unix.IoctlGetTermios(int(fd), ioctlGetTermios) })
	return err == nil
}
