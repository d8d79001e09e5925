package firmware

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestKioskDesktopEntry: the autostart entry runs the installed script.
func TestKioskDesktopEntry(t *testing.T) {
	b, err := os.ReadFile("kiosk/numsense-kiosk.desktop")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if lines[0] != "[Desktop Entry]" {
		t.Fatalf("first line %q", lines[0])
	}
	keys := map[string]string{}
	for _, l := range lines[1:] {
		k, v, ok := strings.Cut(l, "=")
		if !ok {
			t.Errorf("not Key=Value: %q", l)
		}
		keys[k] = v
	}
	for k, want := range map[string]string{"Type": "Application", "Exec": "/usr/libexec/numsense/numsense-kiosk", "Terminal": "false"} {
		if keys[k] != want {
			t.Errorf("%s=%q, want %q", k, keys[k], want)
		}
	}
	if keys["Name"] == "" {
		t.Error("no Name")
	}
}

// TestKioskScript runs numsense-kiosk with stand-ins for chromium and curl: it opens
// the page the "web" display serves, in kiosk mode, with its own profile, after
// the exhibit answers.
func TestKioskScript(t *testing.T) {
	needTool(t, "sh")
	if out, err := exec.Command("sh", "-n", "kiosk/numsense-kiosk").CombinedOutput(); err != nil {
		t.Fatalf("sh -n: %v\n%s", err, out)
	}
	if sc, err := exec.LookPath("shellcheck"); err == nil {
		if out, err := exec.Command(sc, "--shell=sh", "kiosk/numsense-kiosk").CombinedOutput(); err != nil {
			t.Errorf("shellcheck: %v\n%s", err, out)
		}
	}
	bin := t.TempDir()
	log := filepath.Join(bin, "log")
	writeFile(t, filepath.Join(bin, "chromium"), []byte("#!/bin/sh\necho \"chromium $*\" >>"+log+"\n"), 0o755)
	writeFile(t, filepath.Join(bin, "curl"), []byte("#!/bin/sh\necho \"curl $*\" >>"+log+"\n"), 0o755)
	for _, tool := range []string{"sh", "rm", "sleep", "id"} {
		p, err := exec.LookPath(tool)
		if err != nil {
			t.Skipf("%s not found", tool)
		}
		os.Symlink(p, filepath.Join(bin, tool))
	}
	cmd := exec.Command("sh", "kiosk/numsense-kiosk")
	cmd.Env = []string{"PATH=" + bin, "NUMSENSE_KIOSK_ONCE=1", "XDG_RUNTIME_DIR=" + bin}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("numsense-kiosk: %v\n%s", err, out)
	}
	got, _ := os.ReadFile(log)
	calls := strings.Split(strings.TrimSpace(string(got)), "\n")
	if len(calls) != 2 || !strings.HasPrefix(calls[0], "curl ") || !strings.HasPrefix(calls[1], "chromium ") {
		t.Fatalf("calls %q: want curl (wait for the exhibit), then chromium", calls)
	}
	for _, want := range []string{"--kiosk", "--user-data-dir=" + bin + "/numsense-kiosk-", "http://127.0.0.1:8080/?kiosk"} {
		if !strings.Contains(calls[1], want) {
			t.Errorf("chromium %q lacks %q", calls[1], want)
		}
	}
	// The address is where display.driver "web" serves the page by default.
	if !strings.Contains(DefaultConfig, "127.0.0.1:8080") {
		t.Error("numsense.toml does not name 127.0.0.1:8080 for the web display")
	}
}
