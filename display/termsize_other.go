//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package display

import (
	"io"
	"os"
)

// termSize is unknown here: the full-screen layout is assumed to fit.
func termSize(*os.File) (cols, rows int, ok bool) { return 0, 0, false }

// IsTerminal reports whether w is a terminal; here it cannot tell and says no.
func IsTerminal(io.Writer) bool { return false }
