package config

import (
	"strings"
	"testing"
)

// TestROIInsideTheFrame (issue 13, low): config check accepted regions of interest
// outside the frame, and x near MaxInt64 overflowed x+w into a wrong region.
func TestROIInsideTheFrame(t *testing.T) {
	for _, roi := range []string{"600,0,100,100", "0,400,64,81", "9223372036854775800,0,100,100", "0,0,100,9223372036854775807", "70000,0,16,16"} {
		_, err := Parse("x.toml", "[camera]\nroi = \""+roi+"\"\n")
		if err == nil || !strings.Contains(err.Error(), "camera.roi") {
			t.Errorf("roi %s in a 640x480 frame: %v", roi, err)
		}
	}
	for _, text := range []string{"[camera]\nroi = \"0,0,640,480\"\n", "[camera]\nwidth = 1280\nheight = 720\nroi = \"600,100,680,620\"\n"} {
		if _, err := Parse("x.toml", text); err != nil {
			t.Errorf("%q: %v", text, err)
		}
	}
	if _, err := ParseROI("9223372036854775800,0,100,100"); err == nil {
		t.Error("ParseROI took a coordinate near MaxInt64")
	}
}

// TestConfigErrorsAreShort (issue 13, low): an unknown key or a bad value of 200 KB
// gave an error of 200 KB.
func TestConfigErrorsAreShort(t *testing.T) {
	long := strings.Repeat("\\u0001", 50000)
	for _, text := range []string{
		"[camera]\n" + strings.Repeat("x", 200000) + " = 1\n",
		"[camera]\nsource = \"" + long + "\"\n",
		"[camera]\nformat = \"" + long + "\"\n",
		"[camera]\nroi = \"" + strings.Repeat("9", 200000) + "\"\n",
		"[run]\nlisten = \"" + long + "\"\n",
		"[display]\ndriver = \"" + long + "\"\n",
		strings.Repeat("[a", 100000),
	} {
		_, err := Parse("x.toml", text)
		if err == nil || len(err.Error()) > 1024 || !strings.Contains(err.Error(), "x.toml") {
			n := 0
			if err != nil {
				n = len(err.Error())
			}
			t.Errorf("%.30q...: error of %d bytes: %.200v", text, n, err)
		}
	}
}
