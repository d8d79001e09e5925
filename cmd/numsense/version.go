package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
)

// version is the release or snapshot version, set by the Makefile from the git tags
// (firmware/version.sh) with -ldflags "-X main.version=...". Empty in a binary built
// without it (go run, a plain go build), which then reports what the Go toolchain
// recorded instead: see versionInfo.
var version string

func init() {
	register(command{name: "version", summary: "print the version (also: numsense --version)", run: cmdVersion})
}

// versionInfo returns the version to print and, when the binary carries no version of
// ours, a note that says where the one printed comes from.
func versionInfo() (v, note string) {
	if version != "" {
		return version, ""
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(devel)", "built without version information"
	}
	// go install github.com/numsense/numsense/cmd/numsense@v1.2.0 records the module
	// version; a build inside a git checkout with -buildvcs records the commit.
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v, "the Go module version; built without the Makefile's version"
	}
	var rev, at string
	modified := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev == "" {
		return "(devel)", "built without version information (go run, or go build outside make: make build stamps the version)"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	note = "commit " + rev
	if at != "" {
		note += " of " + at
	}
	if modified {
		note += ", with uncommitted changes"
	}
	return "(devel)", note + "; built without the Makefile's version"
}

// versionShort is the version alone, for the usage line.
func versionShort() string {
	v, _ := versionInfo()
	return v
}

func cmdVersion(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("version", "version", `
Prints the version of this binary and the Go toolchain and platform it was built for.
A binary built by make (make build, make pi, make deb) carries the version derived from
the git tags: 1.2.0 at a tag, 1.2.0+gitDATE.N.HASH after it, 0.0.0~gitDATE.N.HASH before
the first tag. Built any other way it says what the Go toolchain recorded.
"numsense --version" is the same.`, stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "numsense version: unexpected argument %q\n", fs.Arg(0))
		return errUsage
	}
	v, note := versionInfo()
	fmt.Fprintf(stdout, "numsense %s\n", v)
	if note != "" {
		fmt.Fprintln(stdout, note)
	}
	platform := runtime.GOOS + "/" + runtime.GOARCH
	if bi, ok := debug.ReadBuildInfo(); ok && runtime.GOARCH == "arm" {
		for _, s := range bi.Settings {
			if s.Key == "GOARM" {
				platform += " GOARM=" + s.Value
			}
		}
	}
	fmt.Fprintf(stdout, "%s %s\n", strings.TrimSpace(runtime.Version()), platform)
	return nil
}
