package main

import (
	"os/exec"
	"runtime"
	"strings"
	"testing"
)

func TestVersion(t *testing.T) {
	// As make stamps it.
	old := version
	defer func() { version = old }()
	version = "1.2.0+git20251203.3.b0d34b2abcde"
	for _, args := range [][]string{{"version"}, {"--version"}, {"-version"}} {
		code, so, se := run(t, args...)
		want := "numsense 1.2.0+git20251203.3.b0d34b2abcde\n" + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH
		if code != 0 || !strings.HasPrefix(so, want) || se != "" {
			t.Errorf("numsense %s: exit %d, %q %q; want %q", args[0], code, so, se, want)
		}
	}
	if _, so, _ := run(t, "help"); !strings.HasPrefix(so, "numsense 1.2.0+git20251203.3.b0d34b2abcde: ") {
		t.Errorf("the usage does not start with the version: %q", so)
	}
	if code, _, se := run(t, "version", "extra"); code != 2 || !strings.Contains(se, "extra") {
		t.Errorf("numsense version extra: exit %d, %q", code, se)
	}

	// Unstamped, as in go test (and go run): no version of ours, and a note why.
	version = ""
	code, so, _ := run(t, "--version")
	lines := strings.Split(strings.TrimSpace(so), "\n")
	if code != 0 || len(lines) != 3 || lines[0] != "numsense (devel)" || !strings.Contains(lines[1], "built without") {
		t.Errorf("unstamped --version: exit %d\n%s\nwant numsense (devel), a note and the toolchain", code, so)
	}
}

// Without -ldflags, go run prints the honest "(devel)" and says why.
func TestVersionGoRun(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: go run compiles the whole binary")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH: go run not tried")
	}
	out, err := exec.Command(goCmd, "run", ".", "--version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "numsense (devel)\n") || !strings.Contains(string(out), "built without") {
		t.Errorf("go run . --version: %v\n%s", err, out)
	}
}
