package main

import (
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/numsense/numsense/model/lab/stimulus"
)

// writeSet writes dot images of the given counts (as photos would be: a light table
// with dark dots) and a counts.csv into a new directory.
func writeSet(t *testing.T, counts []int) string {
	t.Helper()
	dir := t.TempDir()
	g := stimulus.New(11)
	csv := "file,count\n"
	for i, n := range counts {
		img := stimulus.NewImage()
		if _, err := g.Draw(stimulus.Standard, n, img); err != nil {
			t.Fatal(err)
		}
		for j, v := range img.Pix {
			img.Pix[j] = uint8(230 - int(v)*200/255) // dark objects on a light table
		}
		name := filepath.Join("img", "s"+string(rune('a'+i))+".png")
		os.MkdirAll(filepath.Join(dir, "img"), 0o755)
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		png.Encode(f, img)
		f.Close()
		csv += name + "," + itoa(n) + "\n"
	}
	if err := os.WriteFile(filepath.Join(dir, "counts.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestBenchWritesOutputs(t *testing.T) {
	dir := writeSet(t, []int{2, 6, 12, 20})
	out := filepath.Join(t.TempDir(), "res")
	var so, se bytes.Buffer
	if code := runMain([]string{"bench", dir, "-o", out}, &so, &se); code != 0 {
		t.Fatalf("exit %d: %s", code, se.String())
	}
	for _, f := range []string{"frames.csv", "summary.json", "estimates.png", "worst.png"} {
		if st, err := os.Stat(filepath.Join(out, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s missing or empty: %v", f, err)
		}
	}
	b, _ := os.ReadFile(filepath.Join(out, "summary.json"))
	var s map[string]any
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"frames", "mean_abs_rel_error", "median_abs_rel_error", "interval_coverage", "weber_fraction", "latency_ms_p50", "latency_ms_p95"} {
		if _, ok := s[k]; !ok {
			t.Errorf("summary.json lacks %s", k)
		}
	}
	if s["frames"].(float64) != 4 {
		t.Errorf("frames = %v", s["frames"])
	}
	csv, _ := os.ReadFile(filepath.Join(out, "frames.csv"))
	if n := strings.Count(string(csv), "\n"); n != 5 || !strings.HasPrefix(string(csv), "file,true_count,estimate,lo,hi") {
		t.Errorf("frames.csv:\n%s", csv)
	}
	if !strings.Contains(so.String(), "median |rel err|") {
		t.Errorf("no summary printed: %s", so.String())
	}
}

func TestBenchMalformedInput(t *testing.T) {
	dir := writeSet(t, []int{3, 5})
	os.WriteFile(filepath.Join(dir, "img", "broken.png"), []byte("\x89PNG\r\n\x1a\nnot really"), 0o644)
	os.WriteFile(filepath.Join(dir, "counts.csv"), []byte("file,count\nimg/sa.png,3\nimg/broken.png,4\nimg/sb.png,5\n"), 0o644)
	out := filepath.Join(t.TempDir(), "res")
	var so, se bytes.Buffer
	if code := runMain([]string{"bench", "-o", out, dir}, &so, &se); code != 1 {
		t.Fatalf("exit %d for an unreadable image", code)
	}
	if !strings.Contains(se.String(), "broken.png") {
		t.Errorf("the error does not name the file: %s", se.String())
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("partial output left behind: %v", err)
	}
	// Bad rows and missing files are each listed.
	os.WriteFile(filepath.Join(dir, "counts.csv"), []byte("file,count\nimg/sa.png,three\nimg/gone.png,4\nimg/sb.png,5\n"), 0o644)
	se.Reset()
	if code := runMain([]string{"bench", "-o", out, dir}, &so, &se); code != 1 {
		t.Fatalf("exit %d for bad rows", code)
	}
	for _, want := range []string{"three", "gone.png"} {
		if !strings.Contains(se.String(), want) {
			t.Errorf("the error does not list %q: %s", want, se.String())
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("partial output left behind: %v", err)
	}
	se.Reset()
	if code := runMain([]string{"bench", filepath.Join(dir, "nowhere")}, &so, &se); code != 1 || !strings.Contains(se.String(), "nowhere") {
		t.Errorf("missing directory: exit %d, %s", code, se.String())
	}
}

func TestBenchDecoderAndROIFlags(t *testing.T) {
	dir := writeSet(t, []int{4, 9})
	var so, se bytes.Buffer
	out := filepath.Join(t.TempDir(), "res")
	if code := runMain([]string{"bench", dir, "-o", out, "--decoder", "likelihood", "--roi", "0,0,227,227"}, &so, &se); code != 0 {
		t.Fatalf("exit %d: %s", code, se.String())
	}
	b, _ := os.ReadFile(filepath.Join(out, "summary.json"))
	if !strings.Contains(string(b), `"decoder": "likelihood"`) {
		t.Errorf("summary.json does not name the likelihood decoder:\n%s", b)
	}
	for _, bad := range [][]string{{"--decoder", "vote"}, {"--roi", "1,2"}} {
		se.Reset()
		if code := runMain(append([]string{"bench", dir, "-o", out}, bad...), &so, &se); code != 1 || !strings.Contains(se.String(), bad[0]) {
			t.Errorf("%v: exit %d, %s", bad, code, se.String())
		}
	}
}

// TestBenchZoomFlag checks that --zoom=false reaches the front end: on small objects
// clustered in a large view the estimates differ with and without the zoom.
func TestBenchZoomFlag(t *testing.T) {
	dir := t.TempDir()
	img := image.NewGray(image.Rect(0, 0, 640, 480))
	for i := range img.Pix {
		img.Pix[i] = 210
	}
	for k := 0; k < 5; k++ {
		x0, y0 := 250+30*k, 200+(k%2)*30
		for y := y0; y < y0+14; y++ {
			for x := x0; x < x0+14; x++ {
				img.Pix[y*640+x] = 40
			}
		}
	}
	f, err := os.Create(filepath.Join(dir, "small.png"))
	if err != nil {
		t.Fatal(err)
	}
	png.Encode(f, img)
	f.Close()
	os.WriteFile(filepath.Join(dir, "counts.csv"), []byte("file,count\nsmall.png,5\n"), 0o644)
	est := map[bool]string{}
	for _, zoom := range []bool{true, false} {
		out := filepath.Join(t.TempDir(), "res")
		var so, se bytes.Buffer
		if code := runMain([]string{"bench", dir, "-o", out, "-q", "--zoom=" + strconv.FormatBool(zoom)}, &so, &se); code != 0 {
			t.Fatalf("--zoom=%v: exit %d: %s", zoom, code, se.String())
		}
		b, err := os.ReadFile(filepath.Join(out, "frames.csv"))
		if err != nil {
			t.Fatal(err)
		}
		est[zoom] = string(b)
	}
	if est[true] == est[false] {
		t.Errorf("the same frames.csv with and without zoom:\n%s", est[true])
	}
}
