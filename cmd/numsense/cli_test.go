package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/cmd/numsense/internal/config"
	"github.com/numsense/numsense/firmware"
)

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var so, se bytes.Buffer
	code := runMain(args, &so, &se)
	return code, so.String(), se.String()
}

func TestEveryCommandHasHelp(t *testing.T) {
	for _, c := range commands {
		code, so, se := run(t, c.name, "--help")
		if code != 0 || !strings.Contains(so+se, "numsense "+c.name) && !strings.Contains(so+se, "Usage") {
			t.Errorf("%s --help: exit %d\n%s%s", c.name, code, so, se)
		}
	}
	if code, _, se := run(t, "frobnicate"); code != 2 || !strings.Contains(se, "unknown command") {
		t.Errorf("unknown command: exit %d %s", code, se)
	}
}

func TestConfigDefaultParses(t *testing.T) {
	code, so, _ := run(t, "config", "default")
	if code != 0 || so != firmware.DefaultConfig {
		t.Fatalf("config default: exit %d", code)
	}
	if _, err := config.Parse("default", so); err != nil {
		t.Fatalf("the shipped default configuration does not parse: %v", err)
	}
	p := filepath.Join(t.TempDir(), "c.toml")
	os.WriteFile(p, []byte("[display]\ndriver = \"vfd\"\n"), 0o644)
	if code, _, se := run(t, "config", "check", p); code != 1 || !strings.Contains(se, "display.driver") {
		t.Errorf("config check: exit %d, %s", code, se)
	}
}

func TestStimuliAndInfer(t *testing.T) {
	dir := t.TempDir()
	if code, _, se := run(t, "stimuli", "--set", "control2", "--n", "6", "--count", "1", "-o", dir); code != 0 {
		t.Fatalf("stimuli: %s", se)
	}
	img := filepath.Join(dir, "control2_n6_000.png")
	npy := filepath.Join(dir, "r5.npy")
	code, so, se := run(t, "infer", "--raw", "--npy", npy, img)
	if code != 0 || !strings.Contains(so, "relu5:") || !strings.Contains(so, "estimate: about") {
		t.Fatalf("infer: exit %d\n%s%s", code, so, se)
	}
	if st, err := os.Stat(npy); err != nil || st.Size() != 128+43264*4 {
		t.Errorf("npy: %v", err)
	}
	// Without --raw the stimulus goes through the front end first, which reports
	// what it made of the picture: the six dots' bounding box, most of the view
	// already, is brought to 90 % of it along each axis (less than 2.5x).
	sil := filepath.Join(dir, "sil.png")
	code, so, se = run(t, "infer", "--silhouette", sil, img)
	m := regexp.MustCompile(`front end: scene stable, foreground [0-9.]+%, zoom ([0-9.]+)x`).FindStringSubmatch(so)
	if code != 0 || m == nil || !strings.Contains(so, "estimate: about") {
		t.Errorf("infer through the front end: exit %d\n%s%s", code, so, se)
	} else if z, _ := strconv.ParseFloat(m[1], 64); z < 0.9 || z > 2.5 {
		t.Errorf("a dot stimulus zoomed %.2fx, want 0.9-2.5x", z)
	}
	// --silhouette wrote what the network saw: 227x227, black and white, with dots.
	if g, err := camera.ReadImage(sil); err != nil {
		t.Errorf("--silhouette: %v", err)
	} else if b := g.Bounds(); b.Dx() != 227 || b.Dy() != 227 {
		t.Errorf("--silhouette: %v", b)
	} else {
		on := 0
		for y := 0; y < 227; y++ {
			for x := 0; x < 227; x++ {
				switch v, _, _, _ := g.At(x, y).RGBA(); v {
				case 0xffff:
					on++
				case 0:
				default:
					t.Fatalf("--silhouette: grey pixel %#x at (%d,%d)", v, x, y)
				}
			}
		}
		if on < 500 {
			t.Errorf("--silhouette: %d foreground pixels", on)
		}
	}
	if code, _, se := run(t, "infer", filepath.Join(dir, "missing.png")); code != 1 || !strings.Contains(se, "missing.png") {
		t.Errorf("infer on a missing file: exit %d %s", code, se)
	}
}

func TestDisplayTestPNGAndDevices(t *testing.T) {
	p := filepath.Join(t.TempDir(), "d.png")
	if code, _, se := run(t, "display", "test", "--driver", "png", "--png", p, "--hold", "1ms"); code != 0 {
		t.Fatalf("display test: %s", se)
	}
	if st, err := os.Stat(p); err != nil || st.Size() == 0 {
		t.Errorf("no PNG written: %v", err)
	}
	if code, _, se := run(t, "display", "test", "--driver", "ssd1306", "--bus", "/dev/i2c-nonexistent-77"); code != 1 || !strings.Contains(se, "i2c") {
		t.Errorf("missing bus: exit %d, %s", code, se)
	}
	code, so, _ := run(t, "devices")
	if code != 0 || !strings.Contains(so, "I2C buses:") || !strings.Contains(so, "Video devices:") {
		t.Errorf("devices: exit %d\n%s", code, so)
	}
}

func TestRecordSynthetic(t *testing.T) {
	dir := t.TempDir()
	if code, _, se := run(t, "record", "--source", "synthetic:3", "-o", dir, "--every", "0", "--max", "2", "--width", "160", "--height", "120"); code != 0 {
		t.Fatalf("record: %s", se)
	}
	pngs, _ := filepath.Glob(filepath.Join(dir, "*.png"))
	if len(pngs) != 2 {
		t.Errorf("%d PNGs recorded, want 2", len(pngs))
	}
	if _, err := os.Stat(filepath.Join(dir, "counts.csv")); err != nil {
		t.Errorf("synthetic truth not recorded: %v", err)
	}
}

// config's subcommands answer --help instead of reading a file named --help or
// printing the configuration.
func TestConfigSubcommandHelp(t *testing.T) {
	for _, args := range [][]string{{"config", "check", "--help"}, {"config", "default", "--help"}} {
		var so, se bytes.Buffer
		if code := runMain(args, &so, &se); code != 0 || !strings.Contains(so.String(), "Usage: numsense config "+args[1]) || strings.Contains(so.String(), "[camera]") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, so.String(), se.String())
		}
	}
}
