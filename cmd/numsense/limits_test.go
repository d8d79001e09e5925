package main

import (
	"bytes"
	"image"
	"image/png"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/defaultmodel"
	"github.com/numsense/numsense/model/estimate"
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

// TestCorruptSectionsFail (issue 13, low): infer and model info exited 0 on a model
// file whose decoder or unit map section was corrupt (as if uncalibrated); now the
// section is named and the exit status is 1. An uncalibrated model still works.
func TestCorruptSectionsFail(t *testing.T) {
	f, err := defaultmodel.Load()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	img := filepath.Join(dir, "in.png")
	g := image.NewGray(image.Rect(0, 0, model.InputSize, model.InputSize))
	for i := 0; i < 400; i++ {
		g.Pix[(60+i/20)*g.Stride+80+i%20] = 255
	}
	var b bytes.Buffer
	png.Encode(&b, g)
	os.WriteFile(img, b.Bytes(), 0o644)
	sections := []string{estimate.SectionDecoder, estimate.SectionUnits, estimate.SectionReadout, estimate.SectionClasses}
	if testing.Short() {
		sections = sections[:2] // under emulation each command loads the model for seconds
	}
	for _, sec := range sections {
		if _, ok := f.Sections[sec]; !ok && sec != estimate.SectionClasses {
			t.Fatalf("the embedded model has no section %q", sec) // (classes are optional)
		}
		bad := *f
		bad.Sections = maps.Clone(f.Sections)
		bad.Sections[sec] = []byte("\x01\x02corrupt")
		p := filepath.Join(dir, "bad.nsm")
		os.Remove(p)
		if err := model.Save(p, &bad); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"model", "info", p}, {"infer", "--raw", "--model", p, img}} {
			code, _, se := run(t, args...)
			if code != 1 || !strings.Contains(se, sec) || !strings.Contains(se, "bad.nsm") {
				t.Errorf("%v with a corrupt section %q: exit %d, %q", args[:2], sec, code, se)
			}
		}
	}
	raw := filepath.Join(dir, "raw.nsm")
	if err := model.Save(raw, &model.File{Q: f.Q, Seed: f.Seed, Sections: map[string][]byte{}}); err != nil {
		t.Fatal(err)
	}
	if code, so, se := run(t, "infer", "--raw", "--model", raw, img); code != 0 || strings.Contains(so, "estimate:") {
		t.Errorf("an uncalibrated model: exit %d\n%s%s", code, so, se)
	}
	if code, so, _ := run(t, "model", "info", raw); code != 0 || !strings.Contains(so, "no number-unit map") {
		t.Errorf("model info of an uncalibrated model: exit %d\n%s", code, so)
	}
}

// TestErrorsQuoteInputShort (issue 13, low): error messages repeated user input
// whole, 200 KB of escaped binary for a binary counts.csv or a long source name.
func TestErrorsQuoteInputShort(t *testing.T) {
	dir := t.TempDir()
	bin := make([]byte, 200000)
	for i := range bin {
		bin[i] = byte(i*31 + i>>7)
	}
	set := filepath.Join(dir, "set")
	os.Mkdir(set, 0o755)
	os.WriteFile(filepath.Join(set, "counts.csv"), append([]byte("file,count\n"), bin...), 0o644)
	cfg := filepath.Join(dir, "c.toml")
	os.WriteFile(cfg, []byte("[camera]\nsource = \""+strings.Repeat("\\u0001", 50000)+"\"\n"), 0o644)
	long := strings.Repeat("\x01", 100000)
	for _, args := range [][]string{
		{"bench", set, "-o", filepath.Join(dir, "out")},
		{"run", "--source", set, "--display", "none"},
		{"run", "--config", cfg},
		{"run", "--source", long, "--display", "none"},
		{"bench", "--source", strings.Repeat("a", 100000)},
		{"bench", set, "--roi", strings.Repeat("9", 100000)},
		{long},
	} {
		code, _, se := run(t, args...)
		if code == 0 || len(se) > 8<<10 {
			t.Errorf("%.40q: exit %d, %d bytes on standard error", args, code, len(se))
		}
	}
}
