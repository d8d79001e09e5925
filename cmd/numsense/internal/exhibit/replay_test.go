package exhibit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/camera/avitest"
	"github.com/numsense/numsense/display"
	"github.com/numsense/numsense/model/estimate"
)

// scene is a picture of n dark squares on a light table.
func scene(n int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, 320, 240))
	for i := range img.Pix {
		img.Pix[i] = 205
	}
	for k := 0; k < n; k++ {
		x0, y0 := 30+(k%6)*45, 25+(k/6)*50
		for y := y0; y < y0+18; y++ {
			for x := x0; x < x0+18; x++ {
				img.Pix[y*img.Stride+x] = 45
			}
		}
	}
	return img
}

// writeScenes writes one PNG per count into a new directory, named in order.
func writeScenes(t *testing.T, counts []int) string {
	t.Helper()
	dir := t.TempDir()
	for i, n := range counts {
		var b bytes.Buffer
		png.Encode(&b, scene(n))
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("s%02d.png", i)), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// writeY4M writes a mono .y4m of the scenes of counts.
func writeY4M(t *testing.T, counts []int, rate string) string {
	t.Helper()
	var b bytes.Buffer
	fmt.Fprintf(&b, "YUV4MPEG2 W320 H240 F%s Cmono\n", rate)
	for _, n := range counts {
		b.WriteString("FRAME\n")
		b.Write(scene(n).Pix)
	}
	p := filepath.Join(t.TempDir(), "v.y4m")
	os.WriteFile(p, b.Bytes(), 0o644)
	return p
}

// writeAVI writes an MJPEG AVI of the scenes of counts; cut bytes are removed from
// the end (a truncated file).
func writeAVI(t *testing.T, counts []int, cut int) string {
	t.Helper()
	var frames [][]byte
	for _, n := range counts {
		var b bytes.Buffer
		jpeg.Encode(&b, scene(n), &jpeg.Options{Quality: 90})
		frames = append(frames, b.Bytes())
	}
	data := avitest.MJPEG(frames...)
	p := filepath.Join(t.TempDir(), "v.avi")
	os.WriteFile(p, data[:len(data)-cut], 0o644)
	return p
}

// replay runs the exhibit on a recording and returns its JSON lines, its log and
// its error.
func replay(t *testing.T, spec string, o Options) ([]jsonLine, string, string, error) {
	t.Helper()
	src, err := camera.Open(spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out, errb syncBuf
	o.Estimator, o.Source, o.Display, o.JSON, o.Log = testEstimator(t), src, display.None{}, &out, &errb
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	err = Run(ctx, o)
	if ctx.Err() != nil {
		t.Fatalf("%s: still running after 2 minutes: %s", spec, errb.String())
	}
	return parseLines(t, out.String()), out.String(), errb.String(), err
}

var timings = regexp.MustCompile(`"(time|latency_ms)":("[^"]*"|[0-9.e+-]+),`)

// TestReplayEveryFrameInOrder is issue 13 item 6: a recording is replayed frame by
// frame. A directory of pictures gives one JSON line per picture, in name order,
// each naming its file and estimated on its own (unrelated pictures are not fused:
// each value is the picture's own, never the one before held); a .y4m and an .avi of
// 5 frames give 5 lines; the same input gives the same lines but for the timings.
func TestReplayEveryFrameInOrder(t *testing.T) {
	counts := []int{3, 14, 3, 7, 18, 2}
	if testing.Short() {
		counts = []int{3, 14} // under emulation a frame takes seconds
	}
	dir := writeScenes(t, counts)
	lines, out, log, err := replay(t, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != len(counts) {
		t.Fatalf("%d JSON lines for %d pictures:\n%s%s", len(lines), len(counts), out, log)
	}
	est := testEstimator(t)
	for i, l := range lines {
		name := filepath.Join(dir, fmt.Sprintf("s%02d.png", i))
		if l.Frame != i+1 || l.File != name {
			t.Errorf("line %d names frame %d file %q; want %d %q", i, l.Frame, l.File, i+1, name)
		}
		var f camera.Frame
		if err := camera.ReadFrame(name, &f); err != nil {
			t.Fatal(err)
		}
		alone, err := est.Frame(&f)
		if err != nil {
			t.Fatal(err)
		}
		if l.Fused != 1 || l.State != alone.State.String() || l.Value != round3(alone.Value) || l.Shown != alone.Shown {
			t.Errorf("picture %d (%d squares): %s %.3f shown %d fused %d; on its own %s %.3f shown %d", i, counts[i],
				l.State, l.Value, l.Shown, l.Fused, alone.State, alone.Value, alone.Shown)
		}
	}
	if lines[0].Value >= lines[1].Value {
		t.Errorf("3 squares read %.1f, then 14 squares %.1f", lines[0].Value, lines[1].Value)
	}
	_, out2, _, err := replay(t, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := timings.ReplaceAllString(out, ""), timings.ReplaceAllString(out2, ""); a != b {
		t.Errorf("two replays differ beyond the timings:\n%s\n%s", a, b)
	}
	// Frames stops after that many estimates, still in order from the first.
	lines, _, _, err = replay(t, dir, Options{Frames: 1})
	if err != nil || len(lines) != 1 || lines[0].Frame != 1 {
		t.Errorf("Frames 1: %d lines, %v", len(lines), err)
	}
	video := []int{4, 4, 4, 9, 9} // the 5 frames; 2 under emulation
	if testing.Short() {
		video = video[:2]
	}
	for _, spec := range []string{writeY4M(t, video, "25:1"), writeAVI(t, video, 0)} {
		lines, out, log, err := replay(t, spec, Options{})
		if err != nil || len(lines) != len(video) {
			t.Errorf("%s: %d JSON lines for %d frames, %v\n%s%s", filepath.Base(spec), len(lines), len(video), err, out, log)
			continue
		}
		for i, l := range lines {
			if l.Frame != i+1 || l.File != spec {
				t.Errorf("%s line %d names frame %d file %q", filepath.Base(spec), i, l.Frame, l.File)
			}
		}
		// A video is one stream: stable frames are fused.
		if lines[1].Fused < 2 {
			t.Errorf("%s: the second of identical frames fused %d", filepath.Base(spec), lines[1].Fused)
		}
	}
}

// TestReplayStillsAsStream: told so (FuseStills), the pictures of a directory are
// frames of one scene: identical pictures are fused.
func TestReplayStillsAsStream(t *testing.T) {
	lines, out, _, err := replay(t, writeScenes(t, []int{5, 5, 5}), Options{FuseStills: true})
	if err != nil || len(lines) != 3 || lines[2].Fused != 3 {
		t.Errorf("fused stills: %v\n%s", err, out)
	}
}

// TestBadRecordingsEnd is issue 13 item 7: a truncated .avi, a .y4m whose header
// lies about the frame size and a directory deleted while read end the run with
// an error naming the file, after the frames before it were estimated; they used
// to leave the exhibit in "camera lost" for good.
func TestBadRecordingsEnd(t *testing.T) {
	gone := writeScenes(t, []int{3, 4})
	lying := writeY4M(t, []int{3, 3, 3}, "25:1")
	data, _ := os.ReadFile(lying)
	os.WriteFile(lying, bytes.Replace(data, []byte("W320 H240"), []byte("W320 H250"), 1), 0o644)
	for _, c := range []struct {
		spec  string
		prep  func()
		lines int
		want  string
	}{
		{writeAVI(t, []int{3, 3, 6}, 200), nil, 2, "frame 3"},
		{lying, nil, 1, "frame 2: no FRAME marker"},
		{gone, func() { os.RemoveAll(gone) }, 0, "s00.png"},
	} {
		src, err := camera.Open(c.spec, nil)
		if err != nil {
			t.Fatal(err)
		}
		if c.prep != nil {
			c.prep()
		}
		var out, errb syncBuf
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		start := time.Now()
		err = Run(ctx, Options{Estimator: testEstimator(t), Source: src, Display: display.None{}, JSON: &out, Log: &errb})
		cancel()
		lines := parseLines(t, out.String())
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), filepath.Base(c.spec)) {
			t.Errorf("%s: Run returned %v after %v; want an error naming the file and %q\n%s", filepath.Base(c.spec), err,
				time.Since(start).Round(time.Millisecond), c.want, errb.String())
		}
		if len(lines) != c.lines || strings.Contains(out.String(), "camera lost") {
			t.Errorf("%s: %d JSON lines, want %d, no camera lost:\n%s", filepath.Base(c.spec), len(lines), c.lines, out.String())
		}
	}
}

// TestJSONLineNamesFrame: the file name is escaped into valid JSON whatever it holds.
func TestJSONLineNamesFrame(t *testing.T) {
	for _, name := range []string{"a.png", `dir/"quoted"\x.png`, "ctl\x01\n\t.png", "bad\xff\xfeutf8.png", "ünïcödé 😀.png"} {
		r := estimate.Result{Seq: 7, Name: name, Count: -1}
		b := AppendJSONLine(nil, &r, 0)
		var l jsonLine
		if err := json.Unmarshal(b, &l); err != nil {
			t.Errorf("%q: %v: %s", name, err, b)
			continue
		}
		want := string([]rune(name)) // each invalid byte becomes U+FFFD
		if l.Frame != 7 || l.File != want {
			t.Errorf("%q: frame %d file %q", name, l.Frame, l.File)
		}
	}
}

// TestReplayRealtime: --pace realtime plays a .y4m at the rate of its header, and
// like a camera the loop may skip frames; the run still ends at the recording's end.
func TestReplayRealtime(t *testing.T) {
	spec := writeY4M(t, []int{4, 4, 4, 4, 4, 4, 4, 4, 4}, "20:1")
	src, err := camera.Open(spec, &camera.Opts{Realtime: true})
	if err != nil {
		t.Fatal(err)
	}
	var out, errb syncBuf
	start := time.Now()
	err = Run(context.Background(), Options{Estimator: testEstimator(t), Source: src, Display: display.None{}, JSON: &out, Log: &errb, Realtime: true})
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	lines := parseLines(t, out.String())
	if took < 400*time.Millisecond || len(lines) == 0 || len(lines) > 9 {
		t.Errorf("9 frames at 20/s: %d lines in %v; want at most 9, taking at least 0.4 s", len(lines), took)
	}
	for i := 1; i < len(lines); i++ {
		if lines[i].Frame <= lines[i-1].Frame {
			t.Errorf("frames out of order: %d after %d", lines[i].Frame, lines[i-1].Frame)
		}
	}
}
