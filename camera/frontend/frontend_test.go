package frontend

import (
	"context"
	"image"
	"strings"
	"testing"

	"github.com/numsense/numsense/camera"
)

func TestProcessErrors(t *testing.T) {
	fe := New(nil)
	cases := []struct {
		f    camera.Frame
		want string
	}{
		{camera.Frame{Format: camera.YUYV, Width: 640, Height: 480, Stride: 1280, Name: "cam0"}, "zero-length"},
		{camera.Frame{Format: camera.YUYV, Width: 640, Height: 480, Stride: 1280, Pix: make([]byte, 1000), Name: "cam0"}, "needs"},
		{camera.Frame{Format: camera.Format(99), Width: 4, Height: 4, Stride: 4, Pix: make([]byte, 16)}, "unsupported pixel format"},
		{camera.Frame{Format: camera.Gray, Width: 0, Height: 4, Stride: 4, Pix: make([]byte, 16)}, "bad size"},
	}
	for _, c := range cases {
		_, err := fe.Process(&c.f)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v %dx%d: %v, want %q", c.f.Format, c.f.Width, c.f.Height, err, c.want)
		}
		if c.f.Name != "" && (err == nil || !strings.Contains(err.Error(), c.f.Name)) {
			t.Errorf("error %v does not name the frame %q", err, c.f.Name)
		}
	}
	roi := New(&Opts{ROI: image.Rect(1000, 1000, 1100, 1100)})
	f := yuyvScene(64, 48, 0)
	if _, err := roi.Process(f); err == nil || !strings.Contains(err.Error(), "region of interest") {
		t.Errorf("ROI outside the frame: %v", err)
	}
}

// TestLumaPaths checks that YUYV, Gray, I420 and RGBA frames of one scene give the
// same working luma (YUYV read straight from its even bytes).
func TestLumaPaths(t *testing.T) {
	var imgs [4]camera.Frame
	for i, format := range []camera.Format{camera.YUYV, camera.Gray, camera.I420, camera.RGBA} {
		s := camera.NewSynthetic(&camera.Opts{Width: 320, Height: 240, Synthetic: camera.SyntheticOpts{Seed: 9, Format: format}})
		if err := s.Next(context.Background(), &imgs[i]); err != nil {
			t.Fatal(err)
		}
	}
	var ref []byte
	for i := range imgs {
		fe := New(&Opts{ChromaGain: -1})
		if _, err := fe.Process(&imgs[i]); err != nil {
			t.Fatal(err)
		}
		w := fe.Working()
		if w.Rect.Dx() != 340 || w.Rect.Dy() != 255 {
			t.Fatalf("working size %v, want 340x255 for 4:3", w.Rect)
		}
		if ref == nil {
			ref = append([]byte(nil), w.Pix...)
			continue
		}
		bad := 0
		for j, v := range w.Pix {
			if d := int(v) - int(ref[j]); d > 2 || d < -2 {
				bad++
			}
		}
		if bad > len(ref)/100 {
			t.Errorf("%v: %d of %d working pixels differ from YUYV by more than 2", imgs[i].Format, bad, len(ref))
		}
	}
}

// TestLetterbox checks that the silhouette keeps the aspect ratio, centred, with
// background bands.
func TestLetterbox(t *testing.T) {
	f := &camera.Frame{Format: camera.Gray, Width: 400, Height: 100, Stride: 400, Pix: make([]byte, 400*100)}
	for i := range f.Pix {
		f.Pix[i] = 200
	}
	// A dark square in the middle.
	for y := 40; y < 60; y++ {
		for x := 190; x < 210; x++ {
			f.Pix[y*400+x] = 20
		}
	}
	fe := New(&Opts{Fill: -1, Radius: -1}) // no zoom, no growth: TestCompose covers them
	r, err := fe.Process(f)
	if err != nil {
		t.Fatal(err)
	}
	b := r.Image.Bounds()
	if b.Dx() != Size || b.Dy() != Size {
		t.Fatalf("silhouette %v", b)
	}
	// The square maps to about (113, 113), 11 px wide; bands above and below are empty.
	if r.Image.GrayAt(113, 113).Y != 255 {
		t.Error("object not at the centre")
	}
	for _, y := range []int{0, 50, 170, 226} {
		for x := 0; x < Size; x++ {
			if r.Image.GrayAt(x, y).Y != 0 {
				t.Fatalf("pixel (%d,%d) set in the letterbox band", x, y)
			}
		}
	}
	n := 0
	for _, v := range r.Image.Pix {
		if v != 0 {
			n++
		}
	}
	if n < 60 || n > 200 {
		t.Errorf("square of about 11x11 px gave %d foreground pixels", n)
	}
}

// TestSyntheticScenes runs the front end on synthetic scenes with known counts: the
// silhouette components (counted by the test) match, the empty table is Empty, and
// frames with a hand moving are Unstable.
func TestSyntheticScenes(t *testing.T) {
	counts := []int{0, 1, 3, 5, 8, 12}
	n, w, h := 6, 640, 480
	if testing.Short() {
		n, w, h = 3, 320, 240
	}
	src := camera.NewSynthetic(&camera.Opts{Width: w, Height: h, Synthetic: camera.SyntheticOpts{
		Seed: 11, Every: 12, Counts: counts[:n], Hand: 5}})
	fe := New(nil)
	var f camera.Frame
	good, scenes := 0, 0
	for i := 0; i < 12*n; i++ {
		if err := src.Next(context.Background(), &f); err != nil {
			t.Fatal(err)
		}
		r, err := fe.Process(&f)
		if err != nil {
			t.Fatal(err)
		}
		phase := i % 12
		switch {
		case phase == 5 && f.Count == 0:
			if r.State != Empty {
				t.Errorf("empty table: state %v, foreground %.4f", r.State, r.Foreground)
			}
		case phase == 5:
			scenes++
			c := components(r.Image)
			if c == f.Count {
				good++
			} else {
				t.Logf("scene with %d objects: %d components", f.Count, c)
			}
			if r.State != Stable {
				t.Errorf("still scene of %d: state %v motion %.4f", f.Count, r.State, r.Motion)
			}
		case phase == 9: // the hand is moving over the table
			if r.State != Unstable {
				t.Errorf("hand passing: state %v motion %.4f", r.State, r.Motion)
			}
		}
	}
	if good*10 < scenes*8 {
		t.Errorf("only %d of %d synthetic scenes segmented into the right number of components", good, scenes)
	}
}

func TestZeroAllocs(t *testing.T) {
	fe := New(nil)
	f := yuyvScene(640, 480, 0)
	g := yuyvScene(640, 480, 7)
	fe.Process(f)
	n := testing.AllocsPerRun(10, func() {
		fe.Process(g)
		fe.Process(f)
	})
	if n != 0 {
		t.Errorf("%v allocations per frame pair in steady state", n)
	}
}

// TestSplit checks that Opts.Split and the watershed separation (Opts.Core) each
// separate two squares joined by a narrow neck and leave a lone small object alone.
func TestSplit(t *testing.T) {
	f := &camera.Frame{Format: camera.Gray, Width: 340, Height: 340, Stride: 340, Pix: make([]byte, 340*340)}
	for i := range f.Pix {
		f.Pix[i] = 200
	}
	fill := func(x0, y0, x1, y1 int) {
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				f.Pix[y*340+x] = 30
			}
		}
	}
	fill(100, 100, 130, 130)
	fill(138, 100, 168, 130)
	fill(130, 113, 138, 116) // a neck 8 long, 3 wide
	fill(250, 250, 256, 256) // a small object, gone under erosion by 2
	for _, c := range []struct{ split, core, want int }{{-1, -1, 2}, {2, -1, 3}, {-1, 0, 3}} {
		fe := New(&Opts{Split: c.split, Core: c.core, Gap: -1, Radius: -1})
		r, err := fe.Process(f)
		if err != nil {
			t.Fatal(err)
		}
		if n := components(r.Image); n != c.want {
			t.Errorf("Split %d, Core %d: %d components, want %d", c.split, c.core, n, c.want)
		}
	}
}

// TestSmallFrames runs tiny and odd-sized frames through every stage (separation,
// packed morphology, hole filling at sizes below a word): no panic, a Size x Size
// result.
func TestSmallFrames(t *testing.T) {
	for _, sz := range [][2]int{{1, 1}, {2, 3}, {5, 5}, {9, 4}, {33, 17}, {130, 7}} {
		w, h := sz[0], sz[1]
		f := &camera.Frame{Format: camera.Gray, Width: w, Height: h, Stride: w, Pix: make([]byte, w*h)}
		for i := range f.Pix {
			f.Pix[i] = byte(200 - 150*((i/3)%2))
		}
		for _, work := range []int{0, 16} {
			fe := New(&Opts{Work: work})
			r, err := fe.Process(f)
			if err != nil {
				t.Fatalf("%dx%d work %d: %v", w, h, work, err)
			}
			if b := r.Image.Bounds(); b.Dx() != Size || b.Dy() != Size {
				t.Fatalf("%dx%d: silhouette %v", w, h, b)
			}
		}
	}
}
