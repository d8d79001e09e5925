package main

import (
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/numsense/numsense/display"
)

// TestRunPNGDefaultPath: --display png without --png writes numsense-display.png in
// the current directory, as numsense display test does.
func TestRunPNGDefaultPath(t *testing.T) {
	t.Chdir(t.TempDir())
	code, _, se := run(t, "run", "--source", "synthetic", "--display", "png", "--frames", "1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, se)
	}
	f, err := os.Open(defaultPNG)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := png.Decode(f); err != nil {
		t.Fatalf("%s: %v", defaultPNG, err)
	}
}

// TestConfigLang: config lang prints the English strings; a translation of some of
// them is accepted as web.lang, a misspelt key is refused by name.
func TestConfigLang(t *testing.T) {
	code, so, _ := run(t, "config", "lang")
	var en map[string]string
	if code != 0 || json.Unmarshal([]byte(so), &en) != nil || en["i_see_about"] == "" {
		t.Fatalf("config lang: exit %d\n%.200s", code, so)
	}
	dir := t.TempDir()
	de := filepath.Join(dir, "de.json")
	os.WriteFile(de, []byte(`{"lang": "de", "i_see_about": "Ich sehe etwa"}`), 0o644)
	cfg := filepath.Join(dir, "c.toml")
	os.WriteFile(cfg, []byte("[web]\nlang = \""+de+"\"\n"), 0o644)
	if code, so, se := run(t, "config", "check", cfg); code != 0 {
		t.Errorf("a translation: exit %d %s%s", code, so, se)
	}
	os.WriteFile(de, []byte(`{"i_see_abuot": "Ich sehe etwa"}`), 0o644)
	if code, _, se := run(t, "config", "check", cfg); code != 1 || !strings.Contains(se, "i_see_abuot") || !strings.Contains(se, "web.lang") {
		t.Errorf("a misspelt key: exit %d %s", code, se)
	}
}

// TestIsTerminal: /dev/null and files are not terminals (--json to them keeps the
// full-screen display on standard error); a pseudo-terminal is one.
func TestIsTerminal(t *testing.T) {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	f, _ := os.Create(filepath.Join(t.TempDir(), "f"))
	defer f.Close()
	if display.IsTerminal(null) || display.IsTerminal(f) || display.IsTerminal(&strings.Builder{}) {
		t.Error("a non-terminal taken for a terminal")
	}
	if pty, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0); err == nil { // a pseudo-terminal, where there is one
		defer pty.Close()
		if !display.IsTerminal(pty) {
			t.Error("a pseudo-terminal not taken for a terminal")
		}
	}
}
