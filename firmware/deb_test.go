package firmware

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The tests in this file build packages with build-deb.sh from stand-in inputs (a
// fake ELF binary, a small man page and copyright file), so they take seconds, not
// the minutes of cross-compiling; make deb-check packages the real binaries.

// ---- inputs ----

// fakeELF returns the first 64 bytes of an ELF executable for a Debian
// architecture, followed by extra (e.g. a GOARM=7 build-info string).
func fakeELF(arch, extra string) []byte {
	b := make([]byte, 64)
	copy(b, "\x7fELF")
	b[5], b[6] = 1, 1 // little-endian, ELF version 1
	switch arch {
	case "arm64":
		b[4], b[18] = 2, 183
	case "armhf":
		b[4], b[18] = 1, 40
	case "amd64":
		b[4], b[18] = 2, 62
	}
	return append(b, extra...)
}

const (
	testManPage   = ".TH NUMSENSE 1 \"\" \"numsense test\"\n.SH NAME\nnumsense \\- a test page\n"
	testCopyright = "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n" +
		"Upstream-Name: numsense\n\nFiles: *\nCopyright: the numsense authors\nLicense: test-only\n A licence text for the tests.\n"
	// testEpoch is SOURCE_DATE_EPOCH for the builds: 2025-12-03 08:14:00 UTC.
	testEpoch = 1764749640
)

func writeFile(t *testing.T, path string, data []byte, mode os.FileMode) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, mode); err != nil {
		t.Fatal(err)
	}
	return path
}

// needTool skips when a program the scripts rely on is not installed.
func needTool(t *testing.T, names ...string) {
	t.Helper()
	for _, name := range names {
		if _, err := exec.LookPath(name); err != nil {
			t.Skipf("%s is not installed (make deb-tools installs debhelper, dpkg-dev and lintian): %v", name, err)
		}
	}
}

// debTools are the programs build-deb.sh runs.
var debTools = []string{"sh", "od", "md5sum", "dpkg-deb", "dpkg-architecture", "dh_installdocs",
	"dh_installchangelogs", "dh_installman", "dh_installsystemd", "dh_lintian", "dh_compress",
	"dh_fixperms", "dh_installdeb", "dh_gencontrol", "dh_md5sums", "dh_builddeb"}

// firmwareCopy copies what build-deb.sh reads into a new directory, so that a test
// can change it (a changelog entry, the files' times) without touching the checkout.
func firmwareCopy(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"build-deb.sh", "numsense.service", "numsense.toml", "config.txt",
		"debian/control", "debian/changelog", "debian/README", "debian/lintian-overrides",
		"debian/preinst", "debian/postinst", "debian/prerm", "debian/postrm",
		"kiosk/numsense-kiosk", "kiosk/numsense-kiosk.desktop"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, f), b, 0o644)
	}
	return dir
}

// inputs writes a stand-in binary, man page and copyright file into dir.
func inputs(t *testing.T, dir, arch, extra string) (binary, man, copyright string) {
	t.Helper()
	return writeFile(t, filepath.Join(dir, "numsense"), fakeELF(arch, extra), 0o755),
		writeFile(t, filepath.Join(dir, "numsense.1"), []byte(testManPage), 0o644),
		writeFile(t, filepath.Join(dir, "copyright"), []byte(testCopyright), 0o644)
}

// buildDeb runs fw/build-deb.sh with args under umask and returns its standard
// output and error. env adds to (or, for SOURCE_DATE_EPOCH, replaces) the
// environment; SOURCE_DATE_EPOCH is testEpoch unless env sets it.
func buildDeb(t *testing.T, fw, umask string, env []string, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command("sh", append([]string{"-c", `umask "$0"; exec sh "$@"`, umask, filepath.Join(fw, "build-deb.sh")}, args...)...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Env = append(slices.DeleteFunc(os.Environ(), func(e string) bool {
		return strings.HasPrefix(e, "SOURCE_DATE_EPOCH=") || strings.HasPrefix(e, "NUMSENSE_")
	}), "TMPDIR="+t.TempDir(), "SOURCE_DATE_EPOCH="+strconv.Itoa(testEpoch))
	cmd.Env = append(cmd.Env, env...)
	err := cmd.Run()
	return strings.TrimSpace(stdout.String()), stderr.String(), err
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		var stderr []byte
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			stderr = ee.Stderr
		}
		t.Fatalf("%s %q: %v\n%s", name, args, err, stderr)
	}
	return string(out)
}

// entry is one file of a package's data archive.
type entry struct {
	mode       fs.FileMode
	uid, gid   int
	user, grp  string
	mtime      int64
	data       []byte
	typeflag   byte
	linkTarget string
}

// debFiles reads the data archive of a package, by path without the leading "./".
func debFiles(t *testing.T, deb string) map[string]entry {
	t.Helper()
	out, err := exec.Command("dpkg-deb", "--fsys-tarfile", deb).Output()
	if err != nil {
		t.Fatalf("dpkg-deb --fsys-tarfile %s: %v", deb, err)
	}
	files := map[string]entry{}
	tr := tar.NewReader(bytes.NewReader(out))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(tr)
		files[strings.TrimPrefix(h.Name, "./")] = entry{fs.FileMode(h.Mode).Perm(), h.Uid, h.Gid,
			h.Uname, h.Gname, h.ModTime.Unix(), data, h.Typeflag, h.Linkname}
	}
	return files
}

func gunzip(t *testing.T, name string, b []byte) string {
	t.Helper()
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return string(out)
}

// ---- building ----

func TestBuildDeb(t *testing.T) {
	needTool(t, debTools...)
	for _, tc := range []struct {
		arch, extra, version, wantARMv7 string
	}{
		{"arm64", "build\tGOARM64=v8.0\n", "0.0.0~git20251203.412.b0d34b2abcde", "no"},
		{"armhf", "build\tGOARM=7\n", "1.2.0+git20251203.3.b0d34b2abcde.dirty", "yes"},
		{"armhf", "build\tGOARM=6\n", "1.2.0+git20251203.3.b0d34b2abcde", "no"},
	} {
		t.Run(tc.arch+"_"+tc.version, func(t *testing.T) {
			fw := firmwareCopy(t)
			dir := t.TempDir()
			binary, man, copyright := inputs(t, dir, tc.arch, tc.extra)
			out := filepath.Join(dir, "dist")
			got, stderr, err := buildDeb(t, fw, "022", []string{"NUMSENSE_MAINTAINER=Pat Tester <pat@example.org>"},
				tc.version, tc.arch, binary, man, copyright, out)
			if err != nil {
				t.Fatalf("build-deb.sh: %v\n%s", err, stderr)
			}
			debVersion := tc.version + "-1"
			deb := filepath.Join(out, "numsense_"+debVersion+"_"+tc.arch+".deb")
			if got != deb {
				t.Errorf("build-deb.sh printed %q, want %q", got, deb)
			}
			if entries, _ := os.ReadDir(out); len(entries) != 1 {
				t.Errorf("%s holds %d entries, want just the .deb (no temporary files)", out, len(entries))
			}
			if fi, err := os.Stat(deb); err != nil || fi.Mode().Perm() != 0o644 {
				t.Errorf("the package file: %v, mode %v; want 0644 under umask 022", err, fi.Mode())
			}

			fields := map[string]string{}
			for _, line := range strings.Split(run(t, "dpkg-deb", "-f", deb, "Package", "Version",
				"Architecture", "Depends", "Recommends", "Maintainer", "Installed-Size"), "\n") {
				if k, v, ok := strings.Cut(line, ": "); ok {
					fields[k] = v
				}
			}
			for field, want := range map[string]string{
				"Package": "numsense", "Version": debVersion, "Architecture": tc.arch,
				"Depends": "passwd", "Recommends": "i2c-tools", "Maintainer": "Pat Tester <pat@example.org>",
			} {
				if fields[field] != want {
					t.Errorf("control field %s = %q, want %q", field, fields[field], want)
				}
			}
			if size := fields["Installed-Size"]; !regexp.MustCompile(`^[1-9][0-9]*$`).MatchString(size) {
				t.Errorf("Installed-Size %q is not a positive number", size)
			}

			// Every file: its mode, root ownership and the time SOURCE_DATE_EPOCH.
			files := debFiles(t, deb)
			wantFiles := map[string]fs.FileMode{
				BinaryPath[1:]: 0o755, UnitPath[1:]: 0o644, ConfigPath[1:]: 0o644,
				"usr/share/man/man1/numsense.1.gz":                0o644,
				"usr/share/doc/numsense/README":                   0o644,
				"usr/share/doc/numsense/copyright":                0o644,
				"usr/share/doc/numsense/config.txt":               0o644,
				"usr/share/doc/numsense/changelog.Debian.gz":      0o644,
				"usr/share/lintian/overrides/numsense":            0o644,
				"usr/libexec/numsense/numsense-kiosk":             0o755,
				"usr/share/numsense/kiosk/numsense-kiosk.desktop": 0o644,
			}
			regular := map[string]fs.FileMode{}
			for name, e := range files {
				if e.uid != 0 || e.gid != 0 || e.user != "root" || e.grp != "root" {
					t.Errorf("%s: owner %s(%d)/%s(%d), want root/root", name, e.user, e.uid, e.grp, e.gid)
				}
				if e.mtime != testEpoch {
					t.Errorf("%s: time %s, want SOURCE_DATE_EPOCH %s", name, time.Unix(e.mtime, 0).UTC(), time.Unix(testEpoch, 0).UTC())
				}
				switch e.typeflag {
				case tar.TypeReg:
					regular[name] = e.mode
				case tar.TypeDir:
					if e.mode != 0o755 {
						t.Errorf("directory %s: mode %v, want 0755", name, e.mode)
					}
				default:
					t.Errorf("%s: unexpected entry type %q", name, e.typeflag)
				}
			}
			if fmt.Sprint(regular) != fmt.Sprint(wantFiles) {
				t.Errorf("package files %v, want %v", regular, wantFiles)
			}

			// The contents are the embedded files, the inputs and the binary.
			for path, want := range map[string]string{
				BinaryPath[1:]: string(fakeELF(tc.arch, tc.extra)), UnitPath[1:]: Unit,
				ConfigPath[1:]: DefaultConfig, "usr/share/doc/numsense/config.txt": BootConfig,
				"usr/share/doc/numsense/copyright": testCopyright,
			} {
				if got := string(files[path].data); got != want {
					t.Errorf("%s in the package differs from its source", path)
				}
			}
			if got := gunzip(t, "numsense.1.gz", files["usr/share/man/man1/numsense.1.gz"].data); got != testManPage {
				t.Errorf("the man page in the package is %q, want %q", got, testManPage)
			}
			changelog := gunzip(t, "changelog.Debian.gz", files["usr/share/doc/numsense/changelog.Debian.gz"].data)
			wantHead := "numsense (" + debVersion + ") UNRELEASED; urgency=medium\n"
			wantTrailer := " -- Pat Tester <pat@example.org>  Wed, 03 Dec 2025 08:14:00 +0000\n"
			if !strings.HasPrefix(changelog, wantHead) || !strings.HasSuffix(changelog, wantTrailer) || strings.Contains(changelog, "#") {
				t.Errorf("changelog:\n%s\nwant a snapshot entry %q ... %q and no comment lines", changelog, wantHead, wantTrailer)
			}
			overrides := string(files["usr/share/lintian/overrides/numsense"].data)
			for _, tag := range []string{"statically-linked-binary", "initial-upload-closes-no-bugs"} {
				if !strings.Contains(overrides, "numsense: "+tag) {
					t.Errorf("lintian overrides lack %s:\n%s", tag, overrides)
				}
			}

			// The control area: conffiles, md5sums that match, executable
			// maintainer scripts with debhelper's service lines, the ARMv6 guard.
			root, ctrl := filepath.Join(dir, "root"), filepath.Join(dir, "control")
			run(t, "dpkg-deb", "-x", deb, root)
			run(t, "dpkg-deb", "-e", deb, ctrl)
			if b, _ := os.ReadFile(filepath.Join(ctrl, "conffiles")); string(b) != ConfigPath+"\n" {
				t.Errorf("conffiles = %q, want %q", b, ConfigPath+"\n")
			}
			md5 := exec.Command("md5sum", "--check", "--quiet", filepath.Join(ctrl, "md5sums"))
			md5.Dir = root
			if out, err := md5.CombinedOutput(); err != nil {
				t.Errorf("md5sums do not match the files: %v\n%s", err, out)
			}
			if b, _ := os.ReadFile(filepath.Join(ctrl, "md5sums")); !bytes.Contains(b, []byte("usr/bin/numsense")) || bytes.Contains(b, []byte("etc/")) {
				t.Errorf("md5sums should list the binary and not the conffile:\n%s", b)
			}
			for _, s := range []string{"preinst", "postinst", "prerm", "postrm"} {
				b, err := os.ReadFile(filepath.Join(ctrl, s))
				fi, _ := os.Stat(filepath.Join(ctrl, s))
				if err != nil || fi.Mode().Perm() != 0o755 || bytes.Contains(b, []byte("#DEBHELPER#")) {
					t.Errorf("maintainer script %s: %v, mode %v, or its #DEBHELPER# marker left in", s, err, fi.Mode())
				}
			}
			postinst, _ := os.ReadFile(filepath.Join(ctrl, "postinst"))
			for _, want := range []string{"deb-systemd-helper enable 'numsense.service'", "deb-systemd-invoke $_dh_action 'numsense.service'"} {
				if !bytes.Contains(postinst, []byte(want)) {
					t.Errorf("postinst lacks debhelper's %q", want)
				}
			}
			preinst, _ := os.ReadFile(filepath.Join(ctrl, "preinst"))
			if !bytes.Contains(preinst, []byte("\nneeds_armv7="+tc.wantARMv7+"\n")) {
				t.Errorf("preinst does not set needs_armv7=%s", tc.wantARMv7)
			}
		})
	}
}

// A release version takes its entry from firmware/debian/changelog and fails
// without one; a snapshot after it goes on top of it.
func TestBuildDebChangelog(t *testing.T) {
	needTool(t, debTools...)
	fw := firmwareCopy(t)
	release := "numsense (0.3.1-1) unstable; urgency=medium\n\n  * The first release.\n\n" +
		" -- numsense developers <numsense@example.invalid>  Mon, 01 Dec 2025 10:00:00 +0000\n"
	old, _ := os.ReadFile(filepath.Join(fw, "debian/changelog"))
	writeFile(t, filepath.Join(fw, "debian/changelog"), append(old, "\n"+release...), 0o644)
	dir := t.TempDir()
	binary, man, copyright := inputs(t, dir, "arm64", "")
	out := filepath.Join(dir, "dist")

	changelog := func(version string) (string, string) {
		t.Helper()
		deb, stderr, err := buildDeb(t, fw, "022", nil, version, "arm64", binary, man, copyright, out)
		if err != nil {
			t.Fatalf("build-deb.sh %s: %v\n%s", version, err, stderr)
		}
		files := debFiles(t, deb)
		return gunzip(t, "changelog", files["usr/share/doc/numsense/changelog.Debian.gz"].data),
			string(files["usr/share/lintian/overrides/numsense"].data)
	}
	if got, overrides := changelog("0.3.1"); got != release || !strings.Contains(overrides, "initial-upload-closes-no-bugs") {
		t.Errorf("release 0.3.1: changelog\n%s\nwant exactly its entry\n%s(and the single-entry override)", got, release)
	}
	got, overrides := changelog("0.3.1+git20251203.2.0123456789ab")
	if !strings.HasPrefix(got, "numsense (0.3.1+git20251203.2.0123456789ab-1) UNRELEASED") ||
		!strings.HasSuffix(got, "\n\n"+release) || strings.Contains(overrides, "initial-upload-closes-no-bugs") {
		t.Errorf("snapshot after 0.3.1: changelog\n%s\nwant a snapshot entry on top of the release, and no single-entry override", got)
	}
	if _, stderr, err := buildDeb(t, fw, "022", nil, "0.3.2", "arm64", binary, man, copyright, out); err == nil ||
		!strings.Contains(stderr, "firmware/debian/changelog has no entry for the release 0.3.2-1") {
		t.Errorf("release 0.3.2 without a changelog entry: err %v, stderr %q; want a failure naming the changelog", err, stderr)
	}
}

func TestBuildDebRejects(t *testing.T) {
	needTool(t, debTools...)
	fw := firmwareCopy(t)
	dir := t.TempDir()
	arm64, man, copyright := inputs(t, dir, "arm64", "")
	amd64 := writeFile(t, filepath.Join(dir, "amd64"), fakeELF("amd64", ""), 0o644)
	text := writeFile(t, filepath.Join(dir, "text"), []byte("#!/bin/sh\necho hi\n"), 0o755)
	notMan := writeFile(t, filepath.Join(dir, "notman"), []byte("NUMSENSE(1)\n"), 0o644)
	notDEP5 := writeFile(t, filepath.Join(dir, "notdep5"), []byte("numsense is free software\n"), 0o644)
	out := filepath.Join(dir, "dist")
	v := "0.0.0~git20251203.1.0123456789ab"
	for _, tc := range []struct {
		env  []string
		args []string
		want string
	}{
		{nil, []string{v, "arm64", arm64, man, copyright}, "usage"},
		{nil, []string{v, "i386", arm64, man, copyright, out}, "ARCH 'i386'"},
		{nil, []string{v, "armhf", arm64, man, copyright, out}, "another architecture"},
		{nil, []string{v, "arm64", amd64, man, copyright, out}, "another architecture"},
		{nil, []string{v, "arm64", text, man, copyright, out}, "not an ELF"},
		{nil, []string{v, "arm64", filepath.Join(dir, "missing"), man, copyright, out}, "no such file"},
		{nil, []string{v, "arm64", arm64, notMan, copyright, out}, "not a manual page"},
		{nil, []string{v, "arm64", arm64, man, notDEP5, out}, "not a machine-readable copyright file"},
		{nil, []string{v, "arm64", arm64, filepath.Join(dir, "missing.1"), copyright, out}, "MANPAGE"},
		{nil, []string{"1.0 beta", "arm64", arm64, man, copyright, out}, "VERSION '1.0 beta'"},
		{nil, []string{"v1.0", "arm64", arm64, man, copyright, out}, "VERSION 'v1.0'"},
		{nil, []string{"1.0-rc1", "arm64", arm64, man, copyright, out}, "VERSION '1.0-rc1'"},
		{nil, []string{"", "arm64", arm64, man, copyright, out}, "VERSION is empty"},
		{[]string{"SOURCE_DATE_EPOCH="}, []string{v, "arm64", arm64, man, copyright, out}, "SOURCE_DATE_EPOCH"},
		{[]string{"SOURCE_DATE_EPOCH=yesterday"}, []string{v, "arm64", arm64, man, copyright, out}, "SOURCE_DATE_EPOCH"},
		{[]string{"NUMSENSE_DEB_REVISION=1 2"}, []string{v, "arm64", arm64, man, copyright, out}, "NUMSENSE_DEB_REVISION"},
	} {
		_, stderr, err := buildDeb(t, fw, "022", tc.env, tc.args...)
		if err == nil || !strings.Contains(stderr, tc.want) {
			t.Errorf("build-deb.sh %q %q: err %v, stderr %q; want a failure naming %q", tc.env, tc.args, err, stderr, tc.want)
		}
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("failed builds left %d files in %s", len(entries), out)
	}
}

// Two builds from the same inputs give the same bytes, whatever the times of the
// source files, the umask and the temporary directory; another SOURCE_DATE_EPOCH
// gives other bytes.
func TestBuildDebReproducible(t *testing.T) {
	needTool(t, debTools...)
	var last string
	build := func(umask string, touch time.Time, env ...string) []byte {
		t.Helper()
		fw := firmwareCopy(t)
		dir := t.TempDir()
		binary, man, copyright := inputs(t, dir, "armhf", "build\tGOARM=6\n")
		for _, root := range []string{fw, dir} {
			filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
				if err == nil {
					err = os.Chtimes(path, touch, touch)
				}
				return err
			})
		}
		deb, stderr, err := buildDeb(t, fw, umask, env, "1.2.0+git20251203.3.b0d34b2abcde", "armhf", binary, man, copyright, filepath.Join(dir, "dist"))
		if err != nil {
			t.Fatalf("build-deb.sh: %v\n%s", err, stderr)
		}
		last = deb
		b, err := os.ReadFile(deb)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a := build("022", time.Now())
	b := build("077", time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC))
	if !bytes.Equal(a, b) {
		t.Errorf("two builds from the same inputs differ (%d and %d bytes)", len(a), len(b))
	}
	// A SOURCE_DATE_EPOCH after the files' times (dpkg-deb only lowers later times
	// to it) still becomes every file's time.
	future := time.Now().AddDate(10, 0, 0).Unix()
	c := build("022", time.Now(), "SOURCE_DATE_EPOCH="+strconv.FormatInt(future, 10))
	if bytes.Equal(a, c) {
		t.Error("builds with different SOURCE_DATE_EPOCH are identical: the time is not in the package")
	}
	for name, e := range debFiles(t, last) {
		if e.mtime != future {
			t.Errorf("%s: time %d, want SOURCE_DATE_EPOCH %d", name, e.mtime, future)
		}
	}
}

// ---- the version ----

func TestVersionScript(t *testing.T) {
	needTool(t, "sh", "git")
	repo := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", repo}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.org",
			"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.org",
			"GIT_AUTHOR_DATE=2025-12-03T08:14:00Z", "GIT_COMMITTER_DATE=2025-12-03T23:30:00-02:00",
			"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %q: %v\n%s", args, err, out)
		}
	}
	version := func() string {
		t.Helper()
		out, err := exec.Command("sh", "version.sh", repo).Output()
		if err != nil {
			t.Fatalf("version.sh: %v", err)
		}
		return strings.TrimSpace(string(out))
	}
	head := func() string {
		t.Helper()
		out, err := exec.Command("git", "-C", repo, "rev-parse", "--short=12", "HEAD").Output()
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(string(out))
	}
	// The committer date 2025-12-03 23:30 at -02:00 is 2025-12-04 in UTC.
	git("init", "-q")
	git("commit", "-q", "--allow-empty", "-m", "one")
	git("commit", "-q", "--allow-empty", "-m", "two")
	var got []string
	check := func(want string) {
		t.Helper()
		v := version()
		if v != want {
			t.Errorf("version.sh = %q, want %q", v, want)
		}
		got = append(got, v)
	}
	check("0.0.0~git20251204.2." + head())
	git("tag", "other-1.0") // not a v<digit> tag: ignored
	check("0.0.0~git20251204.2." + head())
	git("tag", "v1.0.0-rc1")
	check("1.0.0~rc1")
	git("commit", "-q", "--allow-empty", "-m", "three")
	check("1.0.0~rc1+git20251204.1." + head())
	git("tag", "-a", "-m", "release", "v1.0.0")
	check("1.0.0")
	writeFile(t, filepath.Join(repo, "f"), []byte("x"), 0o644)
	git("add", "f")
	check("1.0.0+dirty")
	git("commit", "-q", "-m", "four")
	check("1.0.0+git20251204.1." + head())
	writeFile(t, filepath.Join(repo, "f"), []byte("y"), 0o644)
	check("1.0.0+git20251204.1." + head() + ".dirty")

	// Each is a valid Debian version, and the clean ones sort in commit order.
	if _, err := exec.LookPath("dpkg"); err == nil {
		clean := []string{got[0], got[2], got[3], got[4], got[6]}
		for i := range clean {
			if out, err := exec.Command("dpkg", "--validate-version", clean[i]+"-1").CombinedOutput(); err != nil {
				t.Errorf("%s-1 is not a valid Debian version: %s", clean[i], out)
			}
			if i > 0 && exec.Command("dpkg", "--compare-versions", clean[i-1], "lt", clean[i]).Run() != nil {
				t.Errorf("%s does not sort before %s", clean[i-1], clean[i])
			}
		}
	}

	if out, err := exec.Command("sh", "version.sh", t.TempDir()).Output(); err != nil || strings.TrimSpace(string(out)) != "0.0.0~unknown" {
		t.Errorf("version.sh outside git: %q, %v; want 0.0.0~unknown", out, err)
	}
}

// ---- maintainer scripts and deploy.sh, against logging stand-ins ----

// shim is a stand-in program: it logs its name and arguments to $SHIM_LOG
// and then runs its body.
const shimHeader = "#!/bin/sh\necho \"${0##*/} $*\" >>\"$SHIM_LOG\"\n"

// shims writes stand-in programs into a new directory and returns an
// environment whose PATH finds them first, and the log file.
func shims(t *testing.T, bodies map[string]string, env ...string) ([]string, string) {
	t.Helper()
	dir := t.TempDir()
	for name, body := range bodies {
		writeFile(t, filepath.Join(dir, "bin", name), []byte(shimHeader+body+"\n"), 0o755)
	}
	log := filepath.Join(dir, "log")
	writeFile(t, log, nil, 0o644)
	return append([]string{
		"PATH=" + filepath.Join(dir, "bin") + ":/usr/sbin:/usr/bin:/sbin:/bin",
		"SHIM_LOG=" + log,
	}, env...), log
}

// runScript runs a shell script with env and returns its standard error, the
// calls the stand-ins logged and its exit error.
func runScript(t *testing.T, env []string, log, script string, args ...string) (string, []string, error) {
	t.Helper()
	if err := os.WriteFile(log, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd := exec.Command("sh", append([]string{script}, args...)...)
	cmd.Env, cmd.Stderr = env, &stderr
	err := cmd.Run()
	b, _ := os.ReadFile(log)
	var calls []string
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if l != "" {
			calls = append(calls, l)
		}
	}
	return stderr.String(), calls, err
}

func hasCall(calls []string, prefix string) bool {
	return slices.ContainsFunc(calls, func(c string) bool { return strings.HasPrefix(c, prefix) })
}

// The stand-ins for the account and service tools. getent finds only the names
// listed in $KNOWN; deb-systemd-helper was-enabled answers $WAS_ENABLED.
var systemShims = map[string]string{
	"getent":   `case " $KNOWN " in *" $2 "*) echo "$2:x:1:1::/:/bin/false"; exit 0;; esac; exit 2`,
	"groupadd": "", "useradd": "", "usermod": "", "userdel": "", "groupdel": "",
	"systemctl": "exit 0", "deb-systemd-invoke": "exit 0", "rm": "", "uname": `echo "$FAKE_MACHINE"`,
	"deb-systemd-helper": `case "$*" in *was-enabled*) exit "${WAS_ENABLED:-0}";; esac; exit 0`,
}

// The scripts of a package built from the sources, with debhelper's lines in.
func TestMaintainerScripts(t *testing.T) {
	needTool(t, debTools...)
	dir := t.TempDir()
	binary, man, copyright := inputs(t, dir, "arm64", "")
	deb, stderr, err := buildDeb(t, ".", "022", nil, "0.0.0~git20251203.1.0123456789ab", "arm64", binary, man, copyright, filepath.Join(dir, "dist"))
	if err != nil {
		t.Fatalf("build-deb.sh: %v\n%s", err, stderr)
	}
	ctrl := filepath.Join(dir, "control")
	run(t, "dpkg-deb", "-e", deb, ctrl)
	script := func(name string) string { return filepath.Join(ctrl, name) }

	// debhelper's lines start or stop the service only under a running systemd,
	// which this test does not fake: it expects whatever this machine has.
	_, err = os.Stat("/run/systemd/system")
	systemd := err == nil
	t.Logf("systemd running here: %v", systemd)

	env, log := shims(t, systemShims, "KNOWN=root")
	stderr, calls, err := runScript(t, env, log, script("postinst"), "configure", "")
	if err != nil {
		t.Fatalf("postinst configure: %v\n%s", err, stderr)
	}
	for _, want := range []string{
		"groupadd --system video", "groupadd --system i2c",
		"useradd --system --user-group --no-create-home --home-dir /var/lib/numsense --shell /usr/sbin/nologin --comment numsense exhibit --groups video,i2c numsense",
		"deb-systemd-helper enable numsense.service",
	} {
		if !slices.Contains(calls, want) {
			t.Errorf("first install: no call %q in %q", want, calls)
		}
	}
	if i, j := slices.Index(calls, "deb-systemd-helper enable numsense.service"), slices.IndexFunc(calls, func(c string) bool {
		return strings.HasPrefix(c, "useradd")
	}); i < j {
		t.Errorf("first install: the service is enabled before its user exists: %q", calls)
	}
	if hasCall(calls, "deb-systemd-invoke start numsense.service") != systemd {
		t.Errorf("first install with systemd running=%v: calls %q", systemd, calls)
	}

	// An upgrade after the administrator disabled the service keeps it disabled.
	env, log = shims(t, systemShims, "KNOWN=video i2c numsense", "WAS_ENABLED=1")
	stderr, calls, err = runScript(t, env, log, script("postinst"), "configure", "1.0")
	if err != nil {
		t.Fatalf("postinst configure 1.0: %v\n%s", err, stderr)
	}
	if !slices.Contains(calls, "usermod --append --groups video,i2c numsense") || !slices.Contains(calls, "deb-systemd-helper update-state numsense.service") ||
		hasCall(calls, "useradd") || hasCall(calls, "groupadd") || hasCall(calls, "deb-systemd-helper enable") {
		t.Errorf("upgrade of a disabled service: calls %q, want usermod and update-state, no useradd, groupadd or enable", calls)
	}
	if hasCall(calls, "deb-systemd-invoke restart numsense.service") != systemd {
		t.Errorf("upgrade with systemd running=%v: calls %q (deb-systemd-invoke skips disabled units itself)", systemd, calls)
	}

	for _, action := range []string{"upgrade", "remove"} {
		stderr, calls, err = runScript(t, env, log, script("prerm"), action, "1.0")
		wantStop := action == "remove" && systemd
		if err != nil || hasCall(calls, "deb-systemd-invoke stop numsense.service") != wantStop {
			t.Errorf("prerm %s: err %v %s, calls %q (want stop: %v)", action, err, stderr, calls, wantStop)
		}
	}

	stderr, calls, err = runScript(t, env, log, script("postrm"), "purge")
	if err != nil {
		t.Fatalf("postrm purge: %v\n%s", err, stderr)
	}
	want := []string{"userdel numsense", "groupdel numsense", "rm -rf /var/lib/numsense"}
	if _, err := os.Stat("/usr/bin/deb-systemd-helper"); err == nil {
		want = append(want, "deb-systemd-helper purge numsense.service") // debhelper's line checks that path
	}
	for _, w := range want {
		if !slices.Contains(calls, w) {
			t.Errorf("purge: no call %q in %q", w, calls)
		}
	}
	_, calls, err = runScript(t, env, log, script("postrm"), "remove")
	if err != nil || hasCall(calls, "userdel") || hasCall(calls, "rm") {
		t.Errorf("postrm remove must keep the user and state: err %v, calls %q", err, calls)
	}

	// preinst, with the guard filled in as build-deb.sh does.
	for _, tc := range []struct {
		needs, machine string
		fail           bool
	}{
		{"yes", "armv6l", true}, {"yes", "armv7l", false}, {"yes", "aarch64", false}, {"no", "armv6l", false},
	} {
		src, err := os.ReadFile("debian/preinst")
		if err != nil {
			t.Fatal(err)
		}
		preinst := writeFile(t, filepath.Join(t.TempDir(), "preinst"),
			bytes.ReplaceAll(src, []byte("@NEEDS_ARMV7@"), []byte(tc.needs)), 0o755)
		env, log := shims(t, systemShims, "FAKE_MACHINE="+tc.machine)
		stderr, _, err := runScript(t, env, log, preinst, "install")
		if (err != nil) != tc.fail || (tc.fail && !strings.Contains(stderr, "ARMv6")) {
			t.Errorf("preinst needs_armv7=%s on %s: err %v, stderr %q; want failure %v", tc.needs, tc.machine, err, stderr, tc.fail)
		}
	}
}

// The service is handled by debhelper's lines only: our own parts of the
// maintainer scripts never run systemctl (lintian's maintainer-script-calls-systemctl).
func TestNoBareSystemctl(t *testing.T) {
	for _, s := range []string{"preinst", "postinst", "prerm", "postrm"} {
		b, err := os.ReadFile("debian/" + s)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte("\n#DEBHELPER#\n")) {
			t.Errorf("debian/%s has no #DEBHELPER# line", s)
		}
		for i, l := range strings.Split(string(b), "\n") {
			if l = strings.TrimSpace(l); !strings.HasPrefix(l, "#") && strings.Contains(l, "systemctl") {
				t.Errorf("debian/%s:%d calls systemctl: %s", s, i+1, l)
			}
		}
	}
}

func TestDeploy(t *testing.T) {
	needTool(t, "sh")
	dist := t.TempDir()
	armhf := writeFile(t, filepath.Join(dist, "numsense_1.0_armhf.deb"), []byte("x"), 0o644)
	arm64 := writeFile(t, filepath.Join(dist, "numsense_1.0_arm64.deb"), []byte("x"), 0o644)
	sshBody := `case "$*" in
*--print-architecture*) [ "$FAKE_ARCH" = unreachable ] && exit 255; echo "$FAKE_ARCH";;
*mktemp*) echo /tmp/numsense-deploy.abc;;
*is-active*) exit "$FAKE_ACTIVE";;
esac
exit 0`
	bodies := map[string]string{"ssh": sshBody, "scp": ""}
	deploy := func(arch, active string, args ...string) (string, []string, error) {
		env, log := shims(t, bodies, "FAKE_ARCH="+arch, "FAKE_ACTIVE="+active, "NUMSENSE_DIST="+dist)
		return runScript(t, env, log, "deploy.sh", args...)
	}

	for _, tc := range []struct{ arch, deb string }{{"arm64", arm64}, {"armhf", armhf}} {
		stderr, calls, err := deploy(tc.arch, "0", "pi.local")
		if err != nil {
			t.Fatalf("deploy to an %s Pi: %v\n%s", tc.arch, err, stderr)
		}
		name := filepath.Base(tc.deb)
		for _, want := range []string{
			"scp -q " + tc.deb + " pi.local:/tmp/numsense-deploy.abc/" + name,
			"ssh pi.local sudo dpkg -i '/tmp/numsense-deploy.abc/" + name + "'",
			"ssh pi.local systemctl --no-pager --full status numsense.service",
		} {
			if !hasCall(calls, want) {
				t.Errorf("deploy to %s: no call %q in %q", tc.arch, want, calls)
			}
		}
	}

	// --arch asks and prints, and copies nothing.
	env, log := shims(t, bodies, "FAKE_ARCH=armhf", "NUMSENSE_DIST="+dist)
	var stdout bytes.Buffer
	cmd := exec.Command("sh", "deploy.sh", "--arch", "pi.local")
	cmd.Env, cmd.Stdout = env, &stdout
	if err := cmd.Run(); err != nil || stdout.String() != "armhf\n" {
		t.Errorf("deploy.sh --arch: %v, printed %q; want armhf", err, stdout.String())
	}
	if b, _ := os.ReadFile(log); bytes.Contains(b, []byte("scp")) || bytes.Contains(b, []byte("dpkg -i")) {
		t.Errorf("deploy.sh --arch copied or installed something:\n%s", b)
	}

	for _, tc := range []struct {
		arch, active string
		args         []string
		want         string
	}{
		{"arm64", "0", []string{"pi.local", armhf}, "not an arm64 package"},
		{"amd64", "0", []string{"pc.local"}, "architecture 'amd64'"},
		{"amd64", "0", []string{"--arch", "pc.local"}, "architecture 'amd64'"},
		{"unreachable", "0", []string{"--arch", "nowhere.local"}, "cannot run dpkg on nowhere.local"},
		{"arm64", "0", []string{"--arch", ""}, "HOST is empty"},
		{"arm64", "0", []string{"--arch"}, "usage"},
		{"arm64", "3", []string{"pi.local"}, "not active"},
		{"arm64", "0", []string{"pi.local", filepath.Join(dist, "numsense_9_arm64.deb")}, "no such file"},
		{"arm64", "0", nil, "usage"},
	} {
		stderr, _, err := deploy(tc.arch, tc.active, tc.args...)
		if err == nil || !strings.Contains(stderr, tc.want) {
			t.Errorf("deploy.sh %q to %s: err %v, stderr %q; want a failure naming %q", tc.args, tc.arch, err, stderr, tc.want)
		}
	}
	if err := os.Remove(arm64); err != nil {
		t.Fatal(err)
	}
	if stderr, _, err := deploy("arm64", "0", "pi.local"); err == nil || !strings.Contains(stderr, "make deb") {
		t.Errorf("deploy without an arm64 package: err %v, stderr %q; want advice to run make deb", err, stderr)
	}
}

// make deploy checks HOST (set, reachable, a Pi) before it builds anything: the go
// command is a stand-in that records being called.
func TestMakeDeployChecksHost(t *testing.T) {
	needTool(t, "make", "sh")
	bodies := map[string]string{
		"go":  "exit 1",
		"ssh": `case "$*" in *--print-architecture*) [ "$FAKE_ARCH" = unreachable ] && exit 255; echo "$FAKE_ARCH";; esac; exit 0`,
	}
	for _, tc := range []struct {
		host, arch, want string
		status           int
	}{
		{"", "arm64", "usage: make deploy HOST=pi.local", 2},
		{"nowhere.local", "unreachable", "cannot run dpkg on nowhere.local", 2},
		{"pc.local", "amd64", "architecture 'amd64'", 2},
	} {
		env, log := shims(t, bodies, "FAKE_ARCH="+tc.arch)
		cmd := exec.Command("make", "--no-print-directory", "-C", "..", "deploy", "HOST="+tc.host, "GO="+filepath.Join(filepath.Dir(log), "bin", "go"),
			"VERSION=0.0.0~test", "SOURCE_DATE_EPOCH=1")
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != tc.status || !strings.Contains(string(out), tc.want) {
			t.Errorf("make deploy HOST=%q: %v\n%s\nwant exit status %d naming %q", tc.host, err, out, tc.status, tc.want)
		}
		if b, _ := os.ReadFile(log); bytes.Contains(b, []byte("go ")) {
			t.Errorf("make deploy HOST=%q ran the go command before checking the host:\n%s", tc.host, b)
		}
	}
}

// TestShellcheck lints the scripts when shellcheck is installed (apt-get
// install shellcheck); without it only the behaviour tests above ran.
func TestShellcheck(t *testing.T) {
	sc, err := exec.LookPath("shellcheck")
	if err != nil {
		t.Log("shellcheck is not installed: the scripts were not linted")
		return
	}
	out, err := exec.Command(sc, "--shell=sh", "build-deb.sh", "deploy.sh", "version.sh",
		"debian/preinst", "debian/postinst", "debian/prerm", "debian/postrm").CombinedOutput()
	if err != nil {
		t.Errorf("shellcheck: %v\n%s", err, out)
	}
}
