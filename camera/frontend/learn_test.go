package frontend

import (
	"bytes"
	"strings"
	"testing"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/camera/scene"
)

// denseScene returns the first dense grid of at least 20 objects on a textured
// table (wood or cloth: a knocked camera shows) of the scene set g.
func denseScene(t *testing.T, g *scene.Generator) int {
	t.Helper()
	for i := 0; i < 400; i++ {
		d := g.Describe(i)
		if d.Layout != scene.Grid || d.Count < 20 || (d.Table != scene.Wood && d.Table != scene.Cloth) {
			continue
		}
		sc, _ := g.Shot(i, scene.Shot{Objects: true})
		if !sc.Dense() {
			continue
		}
		// The table must look empty to the single-picture chain, or it is never
		// learned (a few wood tables show their planks' edges as objects).
		_, img := g.Shot(i, scene.Shot{})
		var f camera.Frame
		f.SetImage(img)
		if r, _ := New(nil).Process(&f); r.State == Empty {
			return i
		}
	}
	t.Fatal("no dense grid on wood or cloth in the first 400 scenes")
	return 0
}

// TestLearnedBackground plays a fixed camera's day at the exhibit: the empty table
// is learned, a hand passing leaves it alone, a dense array of objects is
// segmented against it, a dimmer light is allowed for, another table makes it learn
// the table again, and the reference survives a restart (SaveBackground,
// LoadBackground).
func TestLearnedBackground(t *testing.T) {
	w, h := 640, 480
	if testing.Short() {
		w, h = 160, 120 // the renderer's 64-bit arithmetic is slow on 32-bit arm
	}
	g, err := scene.New(scene.Opts{Seed: 1, Width: w, Height: h})
	if err != nil {
		t.Fatal(err)
	}
	i := denseScene(t, g)
	var frame uint64
	// Under -short each kind of shot is rendered once (still frames then have the
	// same noise, which a camera's never do; quick under emulation).
	cache := map[scene.Shot]*camera.Frame{}
	shot := func(s scene.Shot) *camera.Frame {
		frame++
		s.Frame = frame
		if testing.Short() {
			s.Frame = 0
			if f, ok := cache[s]; ok {
				return f
			}
		}
		_, img := g.Shot(i, s)
		f := &camera.Frame{}
		f.SetImage(img)
		cache[s] = f
		return f
	}
	const learnFrames = 5
	fe := New(&Opts{Learn: Learn{Frames: learnFrames}})
	run := func(f *camera.Frame) Result {
		t.Helper()
		r, err := fe.Process(f)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}

	// The empty table, still: learned after learnFrames frames.
	for k := 0; k < learnFrames+2; k++ {
		r := run(shot(scene.Shot{}))
		if r.State != Empty {
			t.Fatalf("empty table, frame %d: %v (foreground %.4f)", k, r.State, r.Foreground)
		}
	}
	v1, inUse, _ := fe.Learned()
	if v1 == 0 || !inUse {
		t.Fatalf("after %d empty, still frames: learned %d, in use %v", learnFrames+2, v1, inUse)
	}

	// A hand passes: unstable, and the reference is not touched.
	before := append([]uint16(nil), fe.ref.y...)
	for _, reach := range []int{20, 50, 80, 50, 20} {
		if r := run(shot(scene.Shot{Hand: reach})); r.State != Unstable {
			t.Errorf("hand reaching %d%%: %v", reach, r.State)
		}
	}
	for k := range before {
		if before[k] != fe.ref.y[k] {
			t.Fatal("the reference changed while a hand was passing")
		}
	}

	// The objects, put down: segmented against the learned table.
	truth := g.Describe(i).Count
	objects := shot(scene.Shot{Objects: true})
	run(objects)
	r := run(objects)
	if r.State != Stable || !r.Learned {
		t.Fatalf("objects on the learned table: state %v, learned %v", r.State, r.Learned)
	}
	// The background under the objects is the empty table (within the noise),
	// which the single-picture chain can only guess under a dense array.
	emptyY := workingLuma(t, shot(scene.Shot{}))
	errLearned := meanAbsDiff(fe.pl[0].back, emptyY)
	single := New(nil)
	if _, err := single.Process(objects); err != nil {
		t.Fatal(err)
	}
	errSingle := meanAbsDiff(single.pl[0].back, emptyY)
	sc, _ := g.Shot(i, scene.Shot{Objects: true})
	t.Logf("dense array of %d covering %.2f: background off the empty table by %.1f grey levels (single picture %.1f); foreground %.2f (%d components)",
		truth, sc.Cover, errLearned, errSingle, r.Foreground, components(r.Image))
	if errLearned > 3 || errLearned > errSingle {
		t.Errorf("background under the dense array off the empty table by %.1f levels (the single picture's by %.1f)", errLearned, errSingle)
	}

	// A dimmer light: allowed for, still the reference.
	dim := shot(scene.Shot{Objects: true, Light: 80})
	run(dim)
	r = run(dim)
	if _, inUse, light := fe.Learned(); !inUse || !r.Learned || light < 0.75 || light > 0.85 {
		t.Errorf("light at 80%%: in use %v, light level %.2f", inUse, light)
	}
	if e := meanAbsDiff(fe.pl[0].back, workingLuma(t, shot(scene.Shot{Light: 80}))); e > 4 {
		t.Errorf("light at 80%%: background off the dimmer empty table by %.1f levels", e)
	}

	// Save the reference, as the exhibit does when one is learned.
	var saved bytes.Buffer
	if err := fe.SaveBackground(&saved); err != nil {
		t.Fatal(err)
	}

	// The table changes altogether (a new cloth is laid, the camera is turned to
	// another table): after learnFrames changed frames the reference goes, and the
	// new empty table is learned.
	var other *camera.Frame
	newTable := func() *camera.Frame {
		frame++
		if other != nil && testing.Short() {
			return other
		}
		_, img := g.Shot(i+1, scene.Shot{Frame: frame})
		other = &camera.Frame{}
		other.SetImage(img)
		return other
	}
	for k := 0; k < learnFrames+1; k++ { // the first is unstable: all changed
		run(newTable())
	}
	if _, inUse, _ := fe.Learned(); inUse {
		t.Fatal("the reference is still in use on another table")
	}
	for k := 0; k < learnFrames+1; k++ {
		run(newTable())
	}
	if v2, inUse, _ := fe.Learned(); v2 != v1+1 || !inUse {
		t.Errorf("after the change and %d empty frames: learned %d (was %d), in use %v", learnFrames+1, v2, v1, inUse)
	}

	// A restart: the saved reference is used from the first frame.
	fe2 := New(&Opts{Learn: Learn{Frames: learnFrames}})
	if err := fe2.LoadBackground(bytes.NewReader(saved.Bytes())); err != nil {
		t.Fatal(err)
	}
	r2, err := fe2.Process(objects)
	if err != nil {
		t.Fatal(err)
	}
	if !r2.Learned || meanAbsDiff(fe2.pl[0].back, emptyY) > 3 {
		t.Errorf("after loading: learned %v, background off the empty table by %.1f", r2.Learned, meanAbsDiff(fe2.pl[0].back, emptyY))
	}
	// Steady state allocates nothing, learning included.
	again := shot(scene.Shot{Objects: true})
	if n := testing.AllocsPerRun(5, func() {
		fe2.Process(again)
		fe2.Process(objects)
	}); n != 0 {
		t.Errorf("%v allocations per frame pair with a learned table", n)
	}

	// Damaged files are refused with a reason; another geometry is not used.
	for _, bad := range []struct{ data, want string }{
		{"", "EOF"}, {"XXXX", "EOF"}, {"XXXXXXXXXXXXXXXXXXXXXXXX", "magic"},
		{saved.String()[:40], "EOF"}, {saved.String() + "x", "trailing"},
	} {
		if err := New(nil).LoadBackground(strings.NewReader(bad.data)); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("loading %d bytes: %v, want %q", len(bad.data), err, bad.want)
		}
	}
	fe3 := New(&Opts{Learn: Learn{Frames: learnFrames}, Work: 200})
	fe3.LoadBackground(bytes.NewReader(saved.Bytes()))
	if r3, _ := fe3.Process(objects); r3.Learned {
		t.Error("a reference of another working size was used")
	}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// workingLuma is the working luma of a frame, as a FrontEnd resizes it.
func workingLuma(t *testing.T, f *camera.Frame) []byte {
	t.Helper()
	fe := New(nil)
	if _, err := fe.Process(f); err != nil {
		t.Fatal(err)
	}
	return append([]byte(nil), fe.pl[0].pix...)
}

// meanAbsDiff is the mean absolute difference of two pictures of the same size.
func meanAbsDiff(a, b []byte) float64 {
	var s int
	for i := range a {
		s += abs(int(a[i]) - int(b[i]))
	}
	return float64(s) / float64(len(a))
}
