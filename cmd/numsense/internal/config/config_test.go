package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDefaultIsValid(t *testing.T) {
	c := Default()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestParseOverridesDefaults(t *testing.T) {
	c, err := Parse("t.toml", "[camera]\nsource = \"/dev/video2\"\nroi = \"10,20,300,200\"\n[run]\nlisten = \"127.0.0.1:8080\"\n")
	if err != nil {
		t.Fatal(err)
	}
	if c.Camera.Source != "/dev/video2" || c.Camera.Width != 640 || c.Run.Listen != "127.0.0.1:8080" {
		t.Fatalf("got %+v", c)
	}
	r, _ := ParseROI(c.Camera.ROI)
	if r != (ROI{10, 20, 300, 200}) {
		t.Fatalf("roi %+v", r)
	}
	if !c.Camera.Zoom {
		t.Error("camera.zoom is not true by default")
	}
	if c, err = Parse("t.toml", "[camera]\nzoom = false\n"); err != nil || c.Camera.Zoom {
		t.Errorf("zoom = false: %v, zoom %v", err, c.Camera.Zoom)
	}
}

func TestBadValuesNameTheKey(t *testing.T) {
	cases := map[string]string{
		"[camera]\nfps = 0":                   "camera.fps",
		"[camera]\nformat = \"h264\"":         "camera.format",
		"[camera]\nroi = \"1,2,3\"":           "camera.roi",
		"[camera]\nzoom = \"yes\"":            "camera.zoom",
		"[display]\ndriver = \"oled\"":        "display.driver",
		"[display]\naddress = 200":            "display.address",
		"[display]\ndriver = \"png\"":         "display.png",
		"[run]\nlisten = \"8080\"":            "run.listen",
		"[run]\nhysteresis = -1.0":            "run.hysteresis",
		"[model]\nthreads = -2":               "model.threads",
		"[camera]\nsoruce = \"synthetic\"":    "camera.soruce",
		"[camera]\nwidth = \"wide\"":          "camera.width",
		"[run\njson = true":                   "line 2",
		"[web]\npreview_fps = 0":              "web.preview_fps",
		"[web]\nlang = \"/nonexistent.json\"": "web.lang",
		"[camera]\nlearn_seconds = 0.1":       "camera.learn_seconds",
	}
	for text, key := range cases {
		_, err := Parse("x.toml", text)
		if err == nil || !strings.Contains(err.Error(), key) || !strings.Contains(err.Error(), "x.toml") {
			t.Errorf("%q: error %v does not name %s and the file", text, err, key)
		}
	}
	_, err := Parse("x.toml", "[camera]\nfps = 500")
	var ke *KeyError
	if !errors.As(err, &ke) || ke.Key != "camera.fps" {
		t.Errorf("want a *KeyError for camera.fps, got %v", err)
	}
}

func TestLoadMissingFileNamesIt(t *testing.T) {
	p := filepath.Join(t.TempDir(), "nope.toml")
	if _, err := Load(p); err == nil || !strings.Contains(err.Error(), "nope.toml") {
		t.Fatalf("error %v", err)
	}
	if err := os.WriteFile(p, []byte("[model]\nthreads = 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(p)
	if err != nil || c.Model.Threads != 2 {
		t.Fatalf("%v %+v", err, c.Model)
	}
}

func TestWebSection(t *testing.T) {
	c, err := Parse("t.toml", "[display]\ndriver = \"web\"\n")
	if err != nil || c.Display.Driver != "web" || !c.Web.Preview || c.Web.PreviewFPS != 4 {
		t.Fatalf("driver web: %v %+v %+v", err, c.Display, c.Web)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "de.json")
	os.WriteFile(good, []byte(`{"lang": "de", "i_see_about": "Ich sehe etwa"}`), 0o644)
	if _, err := Parse("t.toml", "[web]\nlang = \""+good+"\"\npreview = false\n"); err != nil {
		t.Errorf("a good language file: %v", err)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"i_see_abut": "Ich sehe etwa"}`), 0o644)
	if _, err := Parse("t.toml", "[web]\nlang = \""+bad+"\"\n"); err == nil || !strings.Contains(err.Error(), "i_see_abut") || !strings.Contains(err.Error(), "web.lang") {
		t.Errorf("an unknown key in the language file: %v", err)
	}
}
