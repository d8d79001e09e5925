package main

import (
	"strings"
	"testing"
)

// TestThreadsAndFramesValidated (issue 13, low): bench --threads 100000 was taken
// as it was (run limits model.threads to 0..256); every --threads is now checked
// with those bounds, and so are --frames and --duration.
func TestThreadsAndFramesValidated(t *testing.T) {
	set := writeSet(t, []int{3})
	for _, args := range [][]string{
		{"bench", set, "--threads", "100000"},
		{"bench", "--source", "synthetic", "--threads", "-1"},
		{"calibrate", "--threads", "100000", "-o", t.TempDir() + "/m.nsm"},
		{"reproduce", "--threads", "100000", "-o", t.TempDir() + "/r"},
		{"run", "--threads", "100000"},
		{"bench", "--source", "synthetic", "--frames", "0"},
		{"run", "--frames", "-1"},
		{"run", "--duration", "-5s"},
		{"run", "--pace", "fast"},
		{"run", "--stills", "fused"},
	} {
		flag := args[len(args)-2]
		if strings.HasPrefix(args[len(args)-2], "-o") || args[len(args)-2] == "-o" {
			flag = args[len(args)-4]
		}
		code, _, se := run(t, args...)
		if code != 1 || !strings.Contains(se, strings.TrimLeft(flag, "-")) {
			t.Errorf("%v: exit %d, %q; want exit 1 naming %s", args, code, se, flag)
		}
	}
}
