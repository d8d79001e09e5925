package config

import (
	"strings"
	"testing"
)

// FuzzConfig: any text as numsense.toml gives a valid configuration or an error
// naming the file, of bounded length; never a panic. The seed corpus
// (testdata/fuzz/FuzzConfig) holds the shipped default, the bad values of the
// tests and the cases of issue 13 (a region of interest near MaxInt64 or outside
// the frame, 200 KB keys and values).
func FuzzConfig(f *testing.F) {
	f.Fuzz(func(t *testing.T, text string) {
		c, err := Parse("fuzz.toml", text)
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.toml") || len(err.Error()) > 2048 {
				t.Fatalf("error of %d bytes: %.300s", len(err.Error()), err)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("Parse accepted an invalid configuration: %v", err)
		}
		if r, err := ParseROI(c.Camera.ROI); err != nil || r.X+r.W > c.Camera.Width || r.Y+r.H > c.Camera.Height {
			t.Fatalf("accepted roi %q in %dx%d: %v", c.Camera.ROI, c.Camera.Width, c.Camera.Height, err)
		}
	})
}
