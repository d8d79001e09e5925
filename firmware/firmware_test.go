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
	Web struct {
		Lang       string
		Preview    bool
		PreviewFPS int `toml:"preview_fps"`
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
	"web.lang": `""`, "web.preview": "true", "web.preview_fps": "4",
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
