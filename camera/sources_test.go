package camera

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/numsense/numsense/camera/avitest"
)

func writePNG(t *testing.T, path string, v byte) {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 16, 12))
	for i := range img.Pix {
		img.Pix[i] = v
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestImagesWithCounts(t *testing.T) {
	dir := t.TempDir()
	writePNG(t, filepath.Join(dir, "b.png"), 20)
	writePNG(t, filepath.Join(dir, "a.png"), 10)
	os.WriteFile(filepath.Join(dir, "c.jpg"), jpegBytes(t, 32, 16), 0o644)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(dir, CountsFile), []byte("file,count\na.png,3\nb.png, 7\n"), 0o644)
	s, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var f Frame
	want := []struct {
		v     byte
		count int
		f     Format
	}{{10, 3, Gray}, {20, 7, Gray}, {0, -1, I420}}
	for i, w := range want {
		if err := s.Next(context.Background(), &f); err != nil {
			t.Fatal(err)
		}
		if f.Format != w.f || f.Count != w.count || (w.f == Gray && f.Pix[0] != w.v) || f.Seq != uint64(i+1) {
			t.Errorf("frame %d: %v count %d pix %d seq %d; want %v count %d pix %d", i, f.Format, f.Count, f.Pix[0], f.Seq, w.f, w.count, w.v)
		}
	}
	if err := s.Next(context.Background(), &f); err != io.EOF {
		t.Errorf("after the last image: %v, want io.EOF", err)
	}
	// Looping, at a rate, via a glob.
	s2, err := OpenImages(filepath.Join(dir, "*.png"), &Opts{Loop: true, Rate: 200})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for i := 0; i < 5; i++ {
		if err := s2.Next(context.Background(), &f); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d < 15*time.Millisecond {
		t.Errorf("5 frames at 200/s took %v", d)
	}
	if f.Pix[0] != 10 || f.Count != 3 {
		t.Errorf("looping: 5th frame pix %d count %d, want the first image again", f.Pix[0], f.Count)
	}
}

func TestImageErrors(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	if _, err := Open(empty, nil); err == nil || !strings.Contains(err.Error(), empty) {
		t.Errorf("empty directory: %v", err)
	}
	if _, err := Open(filepath.Join(dir, "*.png"), nil); err == nil || !strings.Contains(err.Error(), "matches no") {
		t.Errorf("empty glob: %v", err)
	}
	// counts.csv naming missing files and bad rows: one error listing each by name.
	bad := filepath.Join(dir, "bad")
	os.Mkdir(bad, 0o755)
	writePNG(t, filepath.Join(bad, "a.png"), 1)
	os.WriteFile(filepath.Join(bad, CountsFile), []byte("file,count\na.png,1\ngone.png,2\nlost/x.jpg,3\na.png,many\n"), 0o644)
	_, err := Open(bad, nil)
	for _, w := range []string{"gone.png", "lost/x.jpg", "line 5", "many"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("bad counts.csv: %v; want it to mention %q", err, w)
		}
	}
	if _, err := ReadCounts(filepath.Join(dir, "none.csv")); err == nil || !strings.Contains(err.Error(), "none.csv") {
		t.Errorf("missing counts.csv: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "h.csv"), []byte("name,n\n"), 0o644)
	if _, err := ReadCounts(filepath.Join(dir, "h.csv")); err == nil || !strings.Contains(err.Error(), "header") {
		t.Errorf("bad header: %v", err)
	}
	// Truncated and corrupt JPEGs: errors naming the file.
	j := jpegBytes(t, 32, 32)
	os.WriteFile(filepath.Join(dir, "trunc.jpg"), j[:len(j)/2], 0o644)
	c := append([]byte(nil), j...)
	for i := len(c) / 2; i < len(c)-2; i++ {
		c[i] = 0xff
	}
	os.WriteFile(filepath.Join(dir, "corrupt.jpg"), c, 0o644)
	os.WriteFile(filepath.Join(dir, "zero.png"), nil, 0o644)
	for _, name := range []string{"trunc.jpg", "corrupt.jpg", "zero.png"} {
		s, err := Open(filepath.Join(dir, name), nil)
		if err != nil {
			t.Fatal(err)
		}
		var f Frame
		if err := s.Next(context.Background(), &f); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: %v, want an error naming it", name, err)
		}
	}
	if _, err := Open(filepath.Join(dir, "nothing-here"), nil); err == nil || !strings.Contains(err.Error(), "nothing-here") {
		t.Errorf("missing source: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "x.gif"), []byte("GIF89a"), 0o644)
	if _, err := Open(filepath.Join(dir, "x.gif"), nil); err == nil || !strings.Contains(err.Error(), ".gif") {
		t.Errorf("unknown file type: %v", err)
	}
}

func TestY4M(t *testing.T) {
	dir := t.TempDir()
	var b bytes.Buffer
	b.WriteString("YUV4MPEG2 W8 H6 F30:1 Ip A1:1 C420jpeg XYSCSS=420JPEG\n")
	for k := 0; k < 2; k++ {
		b.WriteString("FRAME\n")
		for i := 0; i < 8*6; i++ {
			b.WriteByte(byte(10*k + i%7))
		}
		b.Write(bytes.Repeat([]byte{100 + byte(k)}, 2*4*3))
	}
	p := filepath.Join(dir, "v.y4m")
	os.WriteFile(p, b.Bytes(), 0o644)
	s, err := Open(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	var f Frame
	for k := 0; k < 2; k++ {
		if err := s.Next(context.Background(), &f); err != nil {
			t.Fatal(err)
		}
		if f.Format != I420 || f.Width != 8 || f.Height != 6 || f.Pix[1] != byte(10*k+1) || f.Pix[48] != 100+byte(k) || len(f.Pix) != 72 {
			t.Errorf("frame %d: %v %dx%d pix %v", k, f.Format, f.Width, f.Height, f.Pix[:2])
		}
	}
	if err := s.Next(context.Background(), &f); err != io.EOF {
		t.Errorf("end: %v", err)
	}
	s.Close()
	// mono, looping
	mono := "YUV4MPEG2 W4 H2 Cmono\nFRAME\n\x01\x02\x03\x04\x05\x06\x07\x08"
	os.WriteFile(p, []byte(mono), 0o644)
	s, err = OpenY4M(p, &Opts{Loop: true})
	if err != nil {
		t.Fatal(err)
	}
	for k := 0; k < 3; k++ {
		if err := s.Next(context.Background(), &f); err != nil || f.Format != Gray || f.Pix[7] != 8 {
			t.Fatalf("mono frame %d: %v %v", k, err, f.Format)
		}
	}
	s.Close()
	// truncated frame, bad header
	os.WriteFile(p, []byte(mono[:len(mono)-3]), 0o644)
	s, _ = OpenY4M(p, nil)
	if err := s.Next(context.Background(), &f); err == nil || !strings.Contains(err.Error(), "truncated") || !strings.Contains(err.Error(), p) {
		t.Errorf("truncated y4m: %v", err)
	}
	s.Close()
	os.WriteFile(p, []byte("YUV4MPEG2 W4 H2 C411\n"), 0o644)
	if _, err := OpenY4M(p, nil); !errors.Is(err, ErrUnsupported) {
		t.Errorf("C411: %v", err)
	}
}

func TestMJPEGStreamAndAVI(t *testing.T) {
	dir := t.TempDir()
	a, b := jpegBytes(t, 32, 16), stripDHT(t, jpegBytes(t, 16, 16))
	stream := filepath.Join(dir, "s.mjpeg")
	os.WriteFile(stream, append(append(append([]byte{}, a...), b...), a[:40]...), 0o644)
	s, err := Open(stream, nil)
	if err != nil {
		t.Fatal(err)
	}
	var f Frame
	if err := s.Next(context.Background(), &f); err != nil || f.Width != 32 {
		t.Fatalf("stream frame 1: %v %d", err, f.Width)
	}
	if err := s.Next(context.Background(), &f); err != nil || f.Width != 16 {
		t.Fatalf("stream frame 2 (no DHT): %v %d", err, f.Width)
	}
	if err := s.Next(context.Background(), &f); err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("truncated last frame: %v", err)
	}
	s.Close()

	// An AVI: RIFF AVI, LIST hdrl, LIST movi with 00dc chunks (odd sizes padded).
	chunk, list := avitest.Chunk, avitest.List
	odd := append(append([]byte{}, b...), 0) // make an odd-length chunk
	odd = odd[:len(odd)-1]
	if len(odd)%2 == 0 {
		odd = append(odd, 0)
	}
	movi := append(append(chunk("00dc", a), chunk("01wb", []byte{1, 2, 3})...), list("rec ", chunk("00dc", odd))...)
	movi = append(movi, chunk("00dc", nil)...) // a dropped frame
	avi := avitest.File(0, movi)
	p := filepath.Join(dir, "v.avi")
	os.WriteFile(p, avi, 0o644)
	s, err = Open(p, &Opts{Loop: true})
	if err != nil {
		t.Fatal(err)
	}
	for k, w := range []int{32, 16, 32} {
		if err := s.Next(context.Background(), &f); err != nil || f.Width != w {
			t.Fatalf("avi frame %d: %v width %d want %d", k, err, f.Width, w)
		}
	}
	s.Close()
	os.WriteFile(p, chunk("RIFF", []byte("WAVEfmt ")), 0o644)
	if _, err := Open(p, nil); err == nil || !strings.Contains(err.Error(), p) {
		t.Errorf("not an AVI: %v", err)
	}
}

func TestSynthetic(t *testing.T) {
	o := &Opts{Width: 160, Height: 120, Synthetic: SyntheticOpts{Seed: 5, Every: 4, Counts: []int{3, 0, 12}, Hand: -1}}
	a, b := NewSynthetic(o), NewSynthetic(o)
	var fa, fb Frame
	var counts []int
	for i := 0; i < 12; i++ {
		if err := a.Next(context.Background(), &fa); err != nil {
			t.Fatal(err)
		}
		b.Next(context.Background(), &fb)
		if !bytes.Equal(fa.Pix, fb.Pix) {
			t.Fatalf("frame %d differs between two sources with one seed", i)
		}
		if err := fa.Validate(); err != nil {
			t.Fatal(err)
		}
		counts = append(counts, fa.Count)
	}
	if got := fmt.Sprint(counts); got != "[3 3 3 3 0 0 0 0 12 12 12 12]" {
		t.Errorf("scripted counts %s", got)
	}
	// Another seed gives other pictures; formats all valid.
	for _, format := range []Format{Gray, I420, RGBA, YUYV} {
		c := NewSynthetic(&Opts{Width: 160, Height: 120, Synthetic: SyntheticOpts{Seed: 6, Format: format}})
		var fc Frame
		if err := c.Next(context.Background(), &fc); err != nil || fc.Format != format || fc.Validate() != nil || fc.Count < 1 || fc.Count > 20 {
			t.Errorf("format %v: %v count %d", format, err, fc.Count)
		}
		if format == YUYV && bytes.Equal(fc.Pix, fa.Pix) {
			t.Error("different seeds, same frame")
		}
	}
	// Failure schedule: an "unplug" on frames 3-4.
	lost := &Error{Device: "synthetic", Op: "next", Err: ErrCameraLost}
	f := NewSynthetic(&Opts{Synthetic: SyntheticOpts{Fail: func(seq uint64) error {
		if seq == 3 || seq == 4 {
			return lost
		}
		return nil
	}}})
	var errs []bool
	for i := 0; i < 6; i++ {
		errs = append(errs, errors.Is(f.Next(context.Background(), &fa), ErrCameraLost))
	}
	if fmt.Sprint(errs) != "[false false true true false false]" {
		t.Errorf("failure schedule %v", errs)
	}
}

// TestSyntheticHand checks that a hand crosses the table before each count change:
// frames then differ much more from the empty-handed scene.
func TestSyntheticHand(t *testing.T) {
	s := NewSynthetic(&Opts{Width: 160, Height: 120, Synthetic: SyntheticOpts{Seed: 2, Every: 20, Hand: 8, Format: Gray}})
	var f Frame
	var first []byte
	diffs := make([]int, 20)
	for i := 0; i < 20; i++ {
		s.Next(context.Background(), &f)
		if i == 0 {
			first = append([]byte(nil), f.Pix...)
		}
		for j, v := range f.Pix {
			d := int(v) - int(first[j])
			if d > 40 || d < -40 {
				diffs[i]++
			}
		}
	}
	if diffs[5] > 50 || diffs[16] < 500 {
		t.Errorf("changed pixels: frame 5 %d (want few), frame 16 %d (want a hand)", diffs[5], diffs[16])
	}
}

func TestOpenSpecs(t *testing.T) {
	for _, spec := range []string{"", "synthetic", "synthetic:42"} {
		s, err := Open(spec, nil)
		if err != nil {
			t.Fatalf("%q: %v", spec, err)
		}
		if _, ok := s.(*Synthetic); !ok {
			t.Errorf("%q gave %T", spec, s)
		}
		if spec == "synthetic:42" && s.Name() != "synthetic:42" {
			t.Errorf("name %q", s.Name())
		}
	}
	if _, err := Open("synthetic:x", nil); err == nil {
		t.Error("bad seed accepted")
	}
	for _, spec := range []string{"/dev/video-none", "v4l2:/dev/video-none", "video99"} {
		_, err := Open(spec, &Opts{OpenDevice: (&fakeHub{}).open})
		if !errors.Is(err, ErrNoDevice) {
			t.Errorf("%q: %v, want ErrNoDevice", spec, err)
		}
	}
	_, err := Open("rpicam", &Opts{Command: []string{"/nonexistent/rpicam-vid"}})
	if !errors.Is(err, ErrNoDevice) {
		t.Errorf("rpicam without the command: %v", err)
	}
}

// fakeRpicam is a stand-in for rpicam-vid: it checks its arguments, writes three
// 64x48 I420 frames (Y = frame number, chroma 128) to stdout and exits.
const fakeRpicam = `#!/bin/sh
case "$*" in
*"-t 0 -n --width 64 --height 48 --framerate 10 --codec yuv420 -o -"*) ;;
*) echo "bad args: $*" >&2; exit 2;;
esac
for k in 001 002 003; do
	head -c 3072 /dev/zero | tr '\000' "\\$k"
	head -c 1536 /dev/zero | tr '\000' '\200'
done
`

func TestRpicam(t *testing.T) {
	for _, tool := range []string{"/bin/sh", "head", "tr"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("fake rpicam-vid needs %s: %v", tool, err)
		}
	}
	script := filepath.Join(t.TempDir(), "rpicam-vid")
	if err := os.WriteFile(script, []byte(fakeRpicam), 0o755); err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	g0, fd0 := runtime.NumGoroutine(), countFDs(t)
	s, err := OpenRpicam(&Opts{Width: 64, Height: 48, Backoff: time.Millisecond, Timeout: 10 * time.Second,
		Command: []string{script}})
	if err != nil {
		t.Fatal(err)
	}
	var f Frame
	ctx := context.Background()
	var got []string
	for i := 0; i < 8; i++ {
		err := s.Next(ctx, &f)
		switch {
		case err == nil:
			if f.Format != I420 || f.Width != 64 || f.Validate() != nil || len(f.Pix) != 64*48*3/2 {
				t.Fatalf("frame %v %dx%d len %d", f.Format, f.Width, f.Height, len(f.Pix))
			}
			got = append(got, fmt.Sprint(f.Pix[0]))
		case errors.Is(err, ErrCameraLost):
			got = append(got, "lost")
		default:
			t.Fatal(err)
		}
	}
	// The child writes 3 frames and exits; it is restarted.
	if strings.Join(got, " ") != "1 2 3 lost 1 2 3 lost" {
		t.Errorf("frames %v", got)
	}
	s.Close()
	runtime.GC()
	time.Sleep(10 * time.Millisecond)
	if g1, fd1 := runtime.NumGoroutine(), countFDs(t); g1 > g0 || fd1 != fd0 {
		t.Errorf("goroutines %d -> %d, fds %d -> %d", g0, g1, fd0, fd1)
	}
}

func TestRecord(t *testing.T) {
	dir := t.TempDir()
	src := NewSynthetic(&Opts{Width: 64, Height: 48, Synthetic: SyntheticOpts{Seed: 3, Every: 2, Counts: []int{2, 5}, Hand: -1}})
	var log bytes.Buffer
	if err := Record(context.Background(), src, dir, 0, 4, &log); err != nil {
		t.Fatal(err)
	}
	rows, err := ReadCounts(filepath.Join(dir, CountsFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[0].Count != 2 || rows[2].Count != 5 {
		t.Fatalf("index %+v", rows)
	}
	// The recording replays with its truth, colour kept.
	s, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	var f Frame
	for i := 0; i < 4; i++ {
		if err := s.Next(context.Background(), &f); err != nil {
			t.Fatal(err)
		}
		if f.Count != rows[i].Count || f.Width != 64 {
			t.Errorf("replay %d: count %d width %d", i, f.Count, f.Width)
		}
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".*tmp*")); len(m) != 0 {
		t.Errorf("temporary files left: %v", m)
	}
	if !strings.Contains(log.String(), "count 5") {
		t.Errorf("log %q", log.String())
	}
	// A source that ends: Record stops without error; a broken one: error naming it.
	bad := NewSynthetic(&Opts{Synthetic: SyntheticOpts{Fail: func(uint64) error { return errors.New("sensor on fire") }}})
	if err := Record(context.Background(), bad, t.TempDir(), 0, 1, nil); err == nil || !strings.Contains(err.Error(), "sensor on fire") {
		t.Errorf("failing source: %v", err)
	}
}

func TestFrameErrors(t *testing.T) {
	cases := []struct {
		f    Frame
		want string
	}{
		{Frame{Format: YUYV, Width: 4, Height: 2, Stride: 8, Name: "cam"}, "zero-length"},
		{Frame{Format: Format(42), Width: 4, Height: 2, Stride: 8, Pix: make([]byte, 16)}, "unsupported pixel format"},
		{Frame{Format: Gray, Width: 4, Height: 2, Stride: 4, Pix: make([]byte, 5)}, "needs 8"},
		{Frame{Format: RGBA, Width: 4, Height: 2, Stride: 8, Pix: make([]byte, 64)}, "stride"},
	}
	for _, c := range cases {
		if err := c.f.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.f.Format, err, c.want)
		}
	}
	g := Frame{Format: RGBA, Width: 1, Height: 1, Stride: 4, Pix: []byte{255, 0, 0, 255}}
	img, err := g.Gray()
	if err != nil || img.Pix[0] != color.GrayModel.Convert(color.RGBA{255, 0, 0, 255}).(color.Gray).Y {
		t.Errorf("RGBA grey %v %v", img, err)
	}
}

// TestSyntheticVaried checks the varied layouts: the same seed gives the same scenes,
// objects are smaller on average and packed closer than in the default layout, and
// every requested object is drawn at counts a table holds.
func TestSyntheticVaried(t *testing.T) {
	stats := func(varied bool) (meanR, meanGap float64) {
		s := NewSynthetic(&Opts{Width: 640, Height: 480, Synthetic: SyntheticOpts{Seed: 21, Varied: varied}})
		n, gaps := 0, 0
		for k := 0; k < 30; k++ {
			s.o.Counts = []int{12}
			s.makeScene(k)
			if got := len(s.scene.objs); got != 12 {
				t.Fatalf("varied=%v scene %d: %d objects drawn, want 12", varied, k, got)
			}
			for i, o := range s.scene.objs {
				meanR += o.r
				n++
				near := math.Inf(1)
				for j, p := range s.scene.objs {
					if j != i {
						near = min(near, math.Hypot(p.x-o.x, p.y-o.y)-p.r-o.r)
					}
				}
				meanGap += near
				gaps++
			}
		}
		return meanR / float64(n), meanGap / float64(gaps)
	}
	r0, g0 := stats(false)
	r1, g1 := stats(true)
	if r1 > 0.9*r0 {
		t.Errorf("varied objects: mean radius %.1f, default %.1f: want smaller", r1, r0)
	}
	if g1 > 0.7*g0 {
		t.Errorf("varied layouts: mean gap to the nearest neighbour %.1f, default %.1f: want closer", g1, g0)
	}
	a := NewSynthetic(&Opts{Width: 160, Height: 120, Synthetic: SyntheticOpts{Seed: 3, Varied: true}})
	b := NewSynthetic(&Opts{Width: 160, Height: 120, Synthetic: SyntheticOpts{Seed: 3, Varied: true}})
	var fa, fb Frame
	for i := 0; i < 3; i++ {
		if err := a.Next(context.Background(), &fa); err != nil {
			t.Fatal(err)
		}
		if err := b.Next(context.Background(), &fb); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(fa.Pix, fb.Pix) {
			t.Fatalf("frame %d differs between two sources of one seed", i)
		}
	}
}
