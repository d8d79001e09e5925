package display

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test -update and look at it)", path)
	}
}

// goldenImage compares the lit pixels of img with a golden PNG scaled by 4.
func goldenImage(t *testing.T, name string, img *image.Gray) {
	t.Helper()
	path := filepath.Join("testdata", name)
	out := image.NewPaletted(image.Rect(0, 0, img.Rect.Dx()*4, img.Rect.Dy()*4), pngPalette)
	ScaleInto(out, img, 4, 1)
	if *update {
		var b bytes.Buffer
		if err := png.Encode(&b, out); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if want.Bounds() != out.Bounds() {
		t.Fatalf("%s: size %v, want %v", path, out.Bounds(), want.Bounds())
	}
	diff := 0
	for y := 0; y < img.Rect.Dy(); y++ {
		for x := 0; x < img.Rect.Dx(); x++ {
			_, _, _, _ = 0, 0, 0, 0
			r, _, _, _ := want.At(x*4, y*4).RGBA()
			lit := r > 0x8000
			if lit != (img.GrayAt(x, y).Y >= 0x80) {
				diff++
			}
		}
	}
	if diff > 0 {
		t.Errorf("%s: %d pixels differ (run go test -update and look at it)", path, diff)
	}
}

func TestRenderGolden(t *testing.T) {
	for _, h := range []int{64, 32} {
		for _, st := range allStates {
			r := sample(st)
			img := image.NewGray(image.Rect(0, 0, 128, h))
			Render(img, &r, RenderOpts{Heartbeat: true})
			name := fmt.Sprintf("oled128x%d_%s.png", h, strings.ReplaceAll(st.String(), " ", "_"))
			t.Run(name, func(t *testing.T) {
				goldenImage(t, name, img)
				lit := 0
				for _, p := range img.Pix {
					if p != 0 {
						lit++
					}
				}
				if lit < 40 {
					t.Errorf("only %d pixels lit", lit)
				}
			})
		}
	}
}

// TestNumeralFits checks that every number up to 999 stays left of the bar
// chart on both panel heights.
func TestNumeralFits(t *testing.T) {
	for _, h := range []int{64, 32} {
		img := image.NewGray(image.Rect(0, 0, 128, h))
		limit := 78
		if h == 32 {
			limit = 73
		}
		step := 1
		if testing.Short() {
			step = 7
		}
		for n := 0; n < 1000; n += step {
			r := Reading{State: Estimating, Value: float64(n)}
			Render(img, &r, RenderOpts{Shift: image.Pt(1, 1)})
			for y := 0; y < h; y++ {
				for x := limit; x < 118; x++ {
					if img.GrayAt(x, y).Y != 0 {
						t.Fatalf("128x%d: %d reaches x=%d", h, n, x)
					}
				}
			}
		}
	}
}
