//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package display

import "golang.org/x/sys/unix"

const ioctlGetTermios = unix.TIOCGETA
