package firmware

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// ---- the unit file ----

// directive is one Key=Value line of a unit file.
type directive struct {
	key, value string
	line       int
}

var keyRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*$`)

// knownSections are the sections a service unit may have.
var knownSections = []string{"Unit", "Service", "Install"}

// checkUnit parses a systemd unit the way systemd reads it and returns its
// directives per section, plus every problem found: unknown sections, lines
// that are neither comment, section nor Key=Value, directives outside a
// section, line continuations, trailing comments (which systemd would take
// as part of the value), and [Service] paragraphs of directives that do
// not start with an explaining comment.
func checkUnit(text string) (map[string][]directive, []string) {
	sections := map[string][]directive{}
	var problems []string
	bad := func(n int, format string, args ...any) {
		problems = append(problems, fmt.Sprintf("line %d: ", n)+fmt.Sprintf(format, args...))
	}
	section := ""
	prev := "blank" // kind of the previous line: blank, comment, section, directive
	for i, raw := range strings.Split(text, "\n") {
		n := i + 1
		line := strings.TrimSpace(raw)
		switch {
		case line == "":
			prev = "blank"
			continue
		case line[0] == '#' || line[0] == ';':
			prev = "comment"
			continue
		case line[0] == '[':
			name, ok := strings.CutSuffix(line[1:], "]")
			if !ok || !slices.Contains(knownSections, name) {
				bad(n, "unknown or malformed section %q", line)
			}
			section = name
			prev = "section"
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		key = strings.TrimSpace(key)
		value = strings.TrimSpace(value)
		switch {
		case !ok || !keyRE.MatchString(key):
			bad(n, "not a Key=Value line: %q", line)
		case section == "":
			bad(n, "%s outside any section", key)
		case strings.HasSuffix(value, `\`):
			bad(n, "%s continues on the next line; keep each value on one line", key)
		case regexp.MustCompile(`\s[#;]`).MatchString(value):
			bad(n, "%s has a trailing comment, which systemd reads as part of the value: %q", key, value)
		}
		if section == "Service" && prev != "comment" && prev != "directive" {
			bad(n, "%s starts a paragraph without a comment explaining it", key)
		}
		sections[section] = append(sections[section], directive{key, value, n})
		prev = "directive"
	}
	return sections, problems
}

// values returns every value of key in a section.
func values(s map[string][]directive, section, key string) []string {
	var v []string
	for _, d := range s[section] {
		if d.key == key {
			v = append(v, d.value)
		}
	}
	return v
}

func TestUnitCheckerFindsProblems(t *testing.T) {
	for _, tc := range []struct{ name, unit, want string }{
		{"trailing comment", "[Service]\n# x\nDeviceAllow=char-i2c rw # display\n", "trailing comment"},
		{"trailing semicolon", "[Service]\n# x\nRestartSec=2 ; pause\n", "trailing comment"},
		{"unknown section", "[Servce]\nType=notify\n", "unknown or malformed section"},
		{"outside section", "Type=notify\n", "outside any section"},
		{"not key value", "[Service]\n# x\nType notify\n", "not a Key=Value"},
		{"continuation", "[Service]\n# x\nExecStart=/usr/bin/numsense \\\n", "continues"},
		{"uncommented paragraph", "[Service]\n# x\nType=notify\n\nRestart=always\n", "without a comment"},
	} {
		if _, problems := checkUnit(tc.unit); !slices.ContainsFunc(problems, func(p string) bool {
			return strings.Contains(p, tc.want)
		}) {
			t.Errorf("%s: problems %q, want one containing %q", tc.name, problems, tc.want)
		}
	}
	if _, problems := checkUnit("[Service]\n# why\nType=notify\nEnvironment=A=b#c\n"); len(problems) != 0 {
		t.Errorf("a clean unit gave problems %q", problems)
	}
}

func TestUnit(t *testing.T) {
	s, problems := checkUnit(Unit)
	for _, p := range problems {
		t.Errorf("numsense.service %s", p)
	}

	want := map[string]map[string]string{
		"Unit": {"StartLimitIntervalSec": "0"},
		"Service": {
			"Type":                    "notify",
			"NotifyAccess":            "main",
			"ExecStart":               BinaryPath + " run --config " + ConfigPath,
			"User":                    "numsense",
			"Group":                   "numsense",
			"SupplementaryGroups":     "video i2c",
			"Restart":                 "always",
			"WatchdogSec":             "30",
			"Environment":             "GOTRACEBACK=all",
			"DevicePolicy":            "closed",
			"ProtectSystem":           "strict",
			"ProtectHome":             "yes",
			"PrivateTmp":              "yes",
			"NoNewPrivileges":         "yes",
			"StateDirectory":          "numsense",
			"ProtectKernelTunables":   "yes",
			"ProtectKernelModules":    "yes",
			"ProtectControlGroups":    "yes",
			"RestrictAddressFamilies": "AF_UNIX AF_INET AF_INET6",
			"RestrictNamespaces":      "yes",
			"LockPersonality":         "yes",
			"MemoryDenyWriteExecute":  "yes",
			"SystemCallArchitectures": "native",
			"CapabilityBoundingSet":   "",
		},
		"Install": {"WantedBy": "multi-user.target"},
	}
	for section, keys := range want {
		for key, value := range keys {
			if got := values(s, section, key); len(got) != 1 || got[0] != value {
				t.Errorf("[%s] %s = %q, want exactly one %q", section, key, got, value)
			}
		}
	}
	if got := values(s, "Service", "RestartSec"); len(got) != 1 {
		t.Errorf("[Service] RestartSec = %q, want one value", got)
	}
	if got := values(s, "Service", "StartLimitIntervalSec"); len(got) != 0 {
		t.Errorf("StartLimitIntervalSec belongs in [Unit], found in [Service]: %q", got)
	}
	for _, dev := range []string{"char-video4linux rw", "char-i2c rw"} {
		if !slices.Contains(values(s, "Service", "DeviceAllow"), dev) {
			t.Errorf("DeviceAllow %q missing", dev)
		}
	}
	// Options that would cut the service off from its devices.
	for _, key := range []string{"PrivateDevices", "PrivateUsers"} {
		for _, v := range values(s, "Service", key) {
			if v != "no" && v != "false" {
				t.Errorf("%s=%s hides the camera or I2C devices", key, v)
			}
		}
	}

	verifyUnit(t)
}

// verifyUnit runs systemd-analyze verify on the unit, with ExecStart pointed
// at a stand-in executable (verify insists that the binary exists). Any
// output counts as a failure: verify reports unknown keys and bad values as
// warnings with exit status 0.
func verifyUnit(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Log("systemd-analyze is not available here: only the INI checks ran, not systemd-analyze verify")
		return
	}
	dir := t.TempDir()
	stand := filepath.Join(dir, "numsense")
	if err := os.WriteFile(stand, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	unit := strings.Replace(Unit, "ExecStart="+BinaryPath+" ", "ExecStart="+stand+" ", 1)
	if unit == Unit {
		t.Fatal("ExecStart does not start with " + BinaryPath)
	}
	path := filepath.Join(dir, "numsense.service")
	if err := os.WriteFile(path, []byte(unit), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(analyze, "verify", "--man=no", path).CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}

// ---- the default configuration ----

// config mirrors the schema the numsense parser checks strictly.
type config struct {
	Camera struct {
		Source       string
		Width        int
		Height       int
		FPS          int `toml:"fps"`
		Format       string
		ROI          string `toml:"roi"`
		Zoom         bool
		Learn        bool
		LearnSeconds float64 `toml:"learn_seconds"`
	}
	Model struct {
		Path    string
		Threads int
	}
	Display struct {
		Driver  string
		Bus     string
		Address int
		Width   int
		Height  int
		PNG     string `toml:"png"`
	}
	Run struct {
		JSON         bool `toml:"json"`
		Listen       string
		StableFrames int `toml:"stable_frames"`
		Hysteresis   float64
		StateDir     string `toml:"state_dir"`
	}
}

// schemaDefaults is every key of the schema with its default, as it must
// be written in numsense.toml.
var schemaDefaults = map[string]string{
	"camera.source": `"auto"`, "camera.width": "640", "camera.height": "480",
	"camera.fps": "10", "camera.format": `"auto"`, "camera.roi": `""`, "camera.zoom": "true",
	"camera.learn": "true", "camera.learn_seconds": "3.0",
	"model.path": `""`, "model.threads": "0",
	"display.driver": `"auto"`, "display.bus": `"1"`, "display.address": "0",
	"display.width": "128", "display.height": "64", "display.png": `""`,
	"run.json": "false", "run.listen": `""`, "run.stable_frames": "3",
	"run.hysteresis": "0.5", "run.state_dir": `""`,
}

func TestDefaultConfig(t *testing.T) {
	var c config
	md, err := toml.Decode(DefaultConfig, &c)
	if err != nil {
		t.Fatalf("numsense.toml: %v", err)
	}
	for _, k := range md.Undecoded() {
		t.Errorf("numsense.toml: key %s is not in the schema", k)
	}
	defined := map[string]bool{}
	for _, k := range md.Keys() {
		if len(k) == 2 {
			defined[k.String()] = true
		}
	}
	for k := range schemaDefaults {
		if !defined[k] {
			t.Errorf("numsense.toml: schema key %s is missing", k)
		}
	}
	if c.Camera.Source != "auto" || c.Camera.Width != 640 || c.Camera.FPS != 10 || !c.Camera.Zoom || c.Display.Bus != "1" ||
		c.Display.Driver != "auto" || c.Run.StableFrames != 3 || c.Run.Hysteresis != 0.5 {
		t.Errorf("numsense.toml decodes to %+v, not the schema defaults", c)
	}

	// Each key line holds its default and the comment just above it states
	// that default.
	section := ""
	var comment []string
	seen := 0
	for i, line := range strings.Split(DefaultConfig, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "#"):
			comment = append(comment, line)
			continue
		case strings.HasPrefix(line, "["):
			section = strings.Trim(line, "[]")
		case line != "":
			key, value, _ := strings.Cut(line, "=")
			key, value = strings.TrimSpace(key), strings.TrimSpace(value)
			name := section + "." + key
			want, ok := schemaDefaults[name]
			switch {
			case !ok:
				t.Errorf("numsense.toml:%d: %s is not in the schema", i+1, name)
			case value != want:
				t.Errorf("numsense.toml:%d: %s = %s, want the default %s", i+1, name, value, want)
			case len(comment) == 0 || !strings.Contains(strings.Join(comment, " "), "Default: "+want+"."):
				t.Errorf("numsense.toml:%d: the comment above %s does not say \"Default: %s.\"", i+1, name, want)
			}
			seen++
		}
		comment = nil
	}
	if seen != len(schemaDefaults) {
		t.Errorf("numsense.toml has %d key lines, the schema %d keys", seen, len(schemaDefaults))
	}
}

func TestBootConfig(t *testing.T) {
	var active []string
	for _, line := range strings.Split(BootConfig, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			active = append(active, line)
		}
	}
	if !slices.Equal(active, []string{"[all]", "dtparam=i2c_arm=on"}) {
		t.Errorf("config.txt sets %q, want only [all] and dtparam=i2c_arm=on (the baudrate stays a comment)", active)
	}
	for _, s := range []string{BootConfigPath, "/boot/config.txt", "#dtparam=i2c_arm_baudrate=400000"} {
		if !strings.Contains(BootConfig, s) {
			t.Errorf("config.txt does not mention %s", s)
		}
	}
}

// ---- the Debian package ----

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

// needTool skips when a program the scripts rely on is not installed (every
// Debian machine has these).
func needTool(t *testing.T, names ...string) {
	t.Helper()
	for _, name := range names {
		if _, err := exec.LookPath(name); err != nil {
			t.Skipf("%s is not installed: %v", name, err)
		}
	}
}

// buildDeb runs build-deb.sh and returns its standard output and error.
func buildDeb(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command("sh", append([]string{"build-deb.sh"}, args...)...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Env = append(os.Environ(), "TMPDIR="+t.TempDir())
	err := cmd.Run()
	return strings.TrimSpace(stdout.String()), stderr.String(), err
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("%s %q: %v\n%s", name, args, err, stderr)
	}
	return string(out)
}

func TestBuildDeb(t *testing.T) {
	needTool(t, "dpkg-deb", "sh", "od", "md5sum")
	for _, tc := range []struct {
		arch, extra, version, wantVersion, wantARMv7 string
	}{
		{"arm64", "build\tGOARM=7\n", "v1.2.0-3-gabc1234-dirty", "1.2.0+3+gabc1234+dirty", "no"},
		{"armhf", "build\tGOARM=7\n", "0.3.1", "0.3.1", "yes"},
		{"armhf", "build\tGOARM=6\n", "271b754-dirty", "0.0.0~271b754+dirty", "no"},
		{"arm64", "", "dev", "0.0.0~dev", "no"},
	} {
		t.Run(tc.arch+"_"+tc.version, func(t *testing.T) {
			dir := t.TempDir()
			binary := writeFile(t, filepath.Join(dir, "numsense"), fakeELF(tc.arch, tc.extra), 0o644)
			out := filepath.Join(dir, "dist")
			got, stderr, err := buildDeb(t, tc.version, tc.arch, binary, out)
			if err != nil {
				t.Fatalf("build-deb.sh: %v\n%s", err, stderr)
			}
			deb := filepath.Join(out, "numsense_"+tc.wantVersion+"_"+tc.arch+".deb")
			if got != deb {
				t.Errorf("build-deb.sh printed %q, want %q", got, deb)
			}
			if entries, _ := os.ReadDir(out); len(entries) != 1 {
				t.Errorf("%s holds %d entries, want just the .deb (no temporary files)", out, len(entries))
			}

			fields := map[string]string{}
			for _, line := range strings.Split(run(t, "dpkg-deb", "-f", deb, "Package", "Version",
				"Architecture", "Depends", "Recommends", "Installed-Size"), "\n") {
				if k, v, ok := strings.Cut(line, ": "); ok {
					fields[k] = v
				}
			}
			for field, want := range map[string]string{
				"Package": "numsense", "Version": tc.wantVersion, "Architecture": tc.arch,
				"Depends": "passwd", "Recommends": "i2c-tools",
			} {
				if fields[field] != want {
					t.Errorf("control field %s = %q, want %q", field, fields[field], want)
				}
			}
			if size := fields["Installed-Size"]; !regexp.MustCompile(`^[1-9][0-9]*$`).MatchString(size) {
				t.Errorf("Installed-Size %q is not a positive number", size)
			}

			// The file list: paths, modes and root ownership.
			files := map[string]string{}
			for _, line := range strings.Split(strings.TrimSpace(run(t, "dpkg-deb", "-c", deb)), "\n") {
				f := strings.Fields(line)
				if len(f) < 6 || f[1] != "root/root" {
					t.Errorf("dpkg-deb -c line %q: not owned by root/root", line)
					continue
				}
				if f[0][0] == '-' {
					files[strings.TrimPrefix(f[5], ".")] = f[0]
				}
			}
			wantFiles := map[string]string{
				BinaryPath:                           "-rwxr-xr-x",
				UnitPath:                             "-rw-r--r--",
				ConfigPath:                           "-rw-r--r--",
				"/usr/share/doc/numsense/README":     "-rw-r--r--",
				"/usr/share/doc/numsense/copyright":  "-rw-r--r--",
				"/usr/share/doc/numsense/config.txt": "-rw-r--r--",
			}
			if fmt.Sprint(files) != fmt.Sprint(wantFiles) {
				t.Errorf("package files %v, want %v", files, wantFiles)
			}

			// The contents are the embedded files and the binary itself.
			root := filepath.Join(dir, "root")
			run(t, "dpkg-deb", "-x", deb, root)
			for path, want := range map[string]string{
				BinaryPath: string(fakeELF(tc.arch, tc.extra)), UnitPath: Unit,
				ConfigPath: DefaultConfig, "/usr/share/doc/numsense/config.txt": BootConfig,
			} {
				if got, err := os.ReadFile(filepath.Join(root, path)); err != nil || string(got) != want {
					t.Errorf("%s in the package differs from the source (err %v)", path, err)
				}
			}

			// The control area: conffiles, md5sums that match, executable
			// maintainer scripts, and the ARMv6 guard filled in.
			ctrl := filepath.Join(dir, "control")
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
				if fi, err := os.Stat(filepath.Join(ctrl, s)); err != nil || fi.Mode().Perm() != 0o755 {
					t.Errorf("maintainer script %s: %v, mode %v", s, err, fi.Mode())
				}
			}
			preinst, _ := os.ReadFile(filepath.Join(ctrl, "preinst"))
			if !bytes.Contains(preinst, []byte("\nneeds_armv7="+tc.wantARMv7+"\n")) {
				t.Errorf("preinst does not set needs_armv7=%s", tc.wantARMv7)
			}
		})
	}
}

func TestBuildDebRejects(t *testing.T) {
	needTool(t, "dpkg-deb", "sh", "od")
	dir := t.TempDir()
	arm64 := writeFile(t, filepath.Join(dir, "arm64"), fakeELF("arm64", ""), 0o644)
	amd64 := writeFile(t, filepath.Join(dir, "amd64"), fakeELF("amd64", ""), 0o644)
	text := writeFile(t, filepath.Join(dir, "text"), []byte("#!/bin/sh\necho hi\n"), 0o755)
	out := filepath.Join(dir, "dist")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"1.0", "arm64", arm64}, "usage"},
		{[]string{"1.0", "i386", arm64, out}, "ARCH 'i386'"},
		{[]string{"1.0", "armhf", arm64, out}, "another architecture"},
		{[]string{"1.0", "arm64", amd64, out}, "another architecture"},
		{[]string{"1.0", "arm64", text, out}, "not an ELF"},
		{[]string{"1.0", "arm64", filepath.Join(dir, "missing"), out}, "no such file"},
		{[]string{"1.0 beta", "arm64", arm64, out}, "VERSION '1.0 beta'"},
		{[]string{"", "arm64", arm64, out}, "VERSION is empty"},
	} {
		_, stderr, err := buildDeb(t, tc.args...)
		if err == nil || !strings.Contains(stderr, tc.want) {
			t.Errorf("build-deb.sh %q: err %v, stderr %q; want a failure naming %q", tc.args, err, stderr, tc.want)
		}
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("failed builds left %d files in %s", len(entries), out)
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

// runScript runs a shell script with env and returns its exit error, its
// standard error and the calls the stand-ins logged.
func runScript(t *testing.T, env []string, log, script string, args ...string) (error, string, []string) {
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
	return err, stderr.String(), calls
}

func hasCall(calls []string, prefix string) bool {
	return slices.ContainsFunc(calls, func(c string) bool { return strings.HasPrefix(c, prefix) })
}

// The stand-ins for the account and service tools. getent finds only the
// names listed in $KNOWN; systemctl says the unit is enabled.
var systemShims = map[string]string{
	"getent":   `case " $KNOWN " in *" $2 "*) echo "$2:x:1:1::/:/bin/false"; exit 0;; esac; exit 2`,
	"groupadd": "", "useradd": "", "usermod": "", "userdel": "", "groupdel": "",
	"systemctl": "exit 0", "rm": "", "uname": `echo "$FAKE_MACHINE"`,
}

func TestMaintainerScripts(t *testing.T) {
	needTool(t, "sh")
	// The scripts start the service only under a running systemd, which this
	// test does not fake: it expects whatever this machine has.
	_, err := os.Stat("/run/systemd/system")
	systemd := err == nil
	t.Logf("systemd running here: %v", systemd)

	env, log := shims(t, systemShims, "KNOWN=root")
	err, stderr, calls := runScript(t, env, log, "debian/postinst", "configure", "")
	if err != nil {
		t.Fatalf("postinst configure: %v\n%s", err, stderr)
	}
	for _, want := range []string{
		"groupadd --system video", "groupadd --system i2c",
		"useradd --system --user-group --no-create-home --home-dir /var/lib/numsense --shell /usr/sbin/nologin --comment numsense exhibit --groups video,i2c numsense",
		"systemctl enable numsense.service",
	} {
		if !slices.Contains(calls, want) {
			t.Errorf("first install: no call %q in %q", want, calls)
		}
	}
	if hasCall(calls, "systemctl restart") != systemd || hasCall(calls, "systemctl daemon-reload") != systemd {
		t.Errorf("first install with systemd running=%v: calls %q", systemd, calls)
	}

	env, log = shims(t, systemShims, "KNOWN=video i2c numsense")
	err, stderr, calls = runScript(t, env, log, "debian/postinst", "configure", "1.0")
	if err != nil {
		t.Fatalf("postinst configure 1.0: %v\n%s", err, stderr)
	}
	if !slices.Contains(calls, "usermod --append --groups video,i2c numsense") ||
		hasCall(calls, "useradd") || hasCall(calls, "groupadd") || hasCall(calls, "systemctl enable") {
		t.Errorf("upgrade: calls %q, want only usermod and no useradd, groupadd or enable", calls)
	}

	for _, action := range []string{"upgrade", "remove"} {
		err, stderr, calls = runScript(t, env, log, "debian/prerm", action, "1.0")
		wantStop := action == "remove" && systemd
		if err != nil || hasCall(calls, "systemctl stop numsense.service") != wantStop {
			t.Errorf("prerm %s: err %v %s, calls %q (want stop: %v)", action, err, stderr, calls, wantStop)
		}
	}

	err, stderr, calls = runScript(t, env, log, "debian/postrm", "purge")
	if err != nil {
		t.Fatalf("postrm purge: %v\n%s", err, stderr)
	}
	for _, want := range []string{
		"userdel numsense", "groupdel numsense", "rm -rf /var/lib/numsense",
		"rm -f /etc/systemd/system/multi-user.target.wants/numsense.service",
	} {
		if !slices.Contains(calls, want) {
			t.Errorf("purge: no call %q in %q", want, calls)
		}
	}
	err, _, calls = runScript(t, env, log, "debian/postrm", "remove")
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
		err, stderr, _ := runScript(t, env, log, preinst, "install")
		if (err != nil) != tc.fail || (tc.fail && !strings.Contains(stderr, "ARMv6")) {
			t.Errorf("preinst needs_armv7=%s on %s: err %v, stderr %q; want failure %v", tc.needs, tc.machine, err, stderr, tc.fail)
		}
	}
}

func TestDeploy(t *testing.T) {
	needTool(t, "sh")
	dist := t.TempDir()
	armhf := writeFile(t, filepath.Join(dist, "numsense_1.0_armhf.deb"), []byte("x"), 0o644)
	arm64 := writeFile(t, filepath.Join(dist, "numsense_1.0_arm64.deb"), []byte("x"), 0o644)
	sshBody := `case "$*" in
*--print-architecture*) echo "$FAKE_ARCH";;
*mktemp*) echo /tmp/numsense-deploy.abc;;
*is-active*) exit "$FAKE_ACTIVE";;
esac
exit 0`
	bodies := map[string]string{"ssh": sshBody, "scp": ""}
	deploy := func(arch, active string, args ...string) (error, string, []string) {
		env, log := shims(t, bodies, "FAKE_ARCH="+arch, "FAKE_ACTIVE="+active, "NUMSENSE_DIST="+dist)
		return runScript(t, env, log, "deploy.sh", args...)
	}

	for _, tc := range []struct{ arch, deb string }{{"arm64", arm64}, {"armhf", armhf}} {
		err, stderr, calls := deploy(tc.arch, "0", "pi.local")
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

	for _, tc := range []struct {
		arch, active string
		args         []string
		want         string
	}{
		{"arm64", "0", []string{"pi.local", armhf}, "not an arm64 package"},
		{"amd64", "0", []string{"pc.local"}, "architecture 'amd64'"},
		{"arm64", "3", []string{"pi.local"}, "not active"},
		{"arm64", "0", []string{"pi.local", filepath.Join(dist, "numsense_9_arm64.deb")}, "no such file"},
		{"arm64", "0", nil, "usage"},
	} {
		err, stderr, _ := deploy(tc.arch, tc.active, tc.args...)
		if err == nil || !strings.Contains(stderr, tc.want) {
			t.Errorf("deploy.sh %q to %s: err %v, stderr %q; want a failure naming %q", tc.args, tc.arch, err, stderr, tc.want)
		}
	}
	if err := os.Remove(arm64); err != nil {
		t.Fatal(err)
	}
	if err, stderr, _ := deploy("arm64", "0", "pi.local"); err == nil || !strings.Contains(stderr, "make deb") {
		t.Errorf("deploy without an arm64 package: err %v, stderr %q; want advice to run make deb", err, stderr)
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
	out, err := exec.Command(sc, "--shell=sh", "build-deb.sh", "deploy.sh",
		"debian/preinst", "debian/postinst", "debian/prerm", "debian/postrm").CombinedOutput()
	if err != nil {
		t.Errorf("shellcheck: %v\n%s", err, out)
	}
}
