package estimate

import (
	"encoding/json"
	"image"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/defaultmodel"
	"github.com/numsense/numsense/model/internal/dots"
	"github.com/numsense/numsense/model/unitmap"
)

var (
	fixOnce sync.Once
	fixF    *model.File
	fixM    *Model
	fixErr  error
)

// loadFixture decodes the embedded model once (it draws three networks' weights:
// seconds under emulation).
func loadFixture(t testing.TB) {
	t.Helper()
	fixOnce.Do(func() {
		if fixF, fixErr = defaultmodel.Load(); fixErr == nil {
			fixM, fixErr = FromFile(fixF)
		}
	})
	if fixErr != nil {
		t.Fatal(fixErr)
	}
}

func testModel(t testing.TB) *Model {
	t.Helper()
	loadFixture(t)
	return fixM
}

// embeddedFile returns the embedded model file, decoded once: a copy whose
// sections and population the caller may replace (the networks are shared: do
// not change them).
func embeddedFile(t testing.TB) *model.File {
	t.Helper()
	loadFixture(t)
	f := *fixF
	f.Sections = maps.Clone(fixF.Sections)
	f.Population = slices.Clone(fixF.Population)
	return &f
}

// photo turns a binary stimulus into a picture of a light table with dark objects.
func photo(s *image.Gray) *image.Gray {
	p := image.NewGray(image.Rect(0, 0, 454, 454)) // twice the size: the front end resizes
	for y := 0; y < 454; y++ {
		for x := 0; x < 454; x++ {
			v := s.Pix[(y/2)*s.Stride+x/2]
			p.Pix[y*p.Stride+x] = uint8(215 - int(v)*170/255)
		}
	}
	return p
}

// TestImageConcurrent runs photos through the whole pipeline from several goroutines
// at once: each result must equal the sequential one.
func TestImageConcurrent(t *testing.T) {
	e, err := New(testModel(t), Options{Pipelines: 2, Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	var photos []*image.Gray
	counts, workers := []int{2, 6, 12, 20}, 4
	if testing.Short() {
		counts, workers = []int{2, 20}, 2
	}
	for _, n := range counts {
		photos = append(photos, photo(dots.Random(uint64(5+n), n)))
	}
	want := make([]Result, len(photos))
	for i, p := range photos {
		if want[i], err = e.Image(p); err != nil {
			t.Fatal(err)
		}
		if want[i].State != Estimating || want[i].Value < 1 {
			t.Fatalf("photo %d: %+v", i, want[i])
		}
	}
	var wg sync.WaitGroup
	errs := make(chan string, 16)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for k := 0; k < len(photos)-1; k++ {
				i := (w + k) % len(photos)
				r, err := e.Image(photos[i])
				if err != nil {
					errs <- err.Error()
					return
				}
				if r.Value != want[i].Value || r.Lo != want[i].Lo || r.Hi != want[i].Hi {
					errs <- "concurrent result differs from the sequential one"
					return
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for m := range errs {
		t.Error(m)
	}
	if last := want[len(want)-1]; want[0].Value >= last.Value {
		t.Errorf("2 objects estimated %.1f, 20 objects %.1f", want[0].Value, last.Value)
	}
	e.Close()
	if _, err := e.Image(photos[0]); err == nil {
		t.Error("Image after Close succeeded")
	}
}

// TestTrackerFusesAndHolds: a stable scene fuses up to StableFrames frames, an empty
// table resets, and Update does not allocate.
func TestTrackerFusesAndHolds(t *testing.T) {
	e, err := New(testModel(t), Options{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	tr, err := e.NewTracker(TrackerOpts{StableFrames: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	o := &camera.Opts{Width: 160, Height: 120}
	o.Synthetic = camera.SyntheticOpts{Seed: 4, Every: 6, Counts: []int{7, 0}, Hand: -1}
	src := camera.NewSynthetic(o)
	var f camera.Frame
	var rs []Result
	for i := 0; i < 8; i++ {
		if err := src.Next(t.Context(), &f); err != nil {
			t.Fatal(err)
		}
		r, err := tr.Update(&f)
		if err != nil {
			t.Fatal(err)
		}
		rs = append(rs, r)
	}
	if rs[0].State != Estimating || rs[0].Fused != 1 || rs[3].Fused != 3 {
		t.Errorf("fusion: first %+v, fourth fused %d", rs[0], rs[3].Fused)
	}
	held := rs[3].Shown
	for _, r := range rs[3:6] {
		if r.State == Estimating && r.Shown != held {
			t.Errorf("shown value flickers: %d then %d", held, r.Shown)
		}
	}
	last := rs[len(rs)-1]
	if last.State != Empty || last.Value != 0 || last.Shown != 0 {
		t.Errorf("empty table: %+v", last)
	}
	src2 := camera.NewSynthetic(&camera.Opts{Width: 160, Height: 120, Synthetic: camera.SyntheticOpts{Seed: 4, Counts: []int{5}, Hand: -1}})
	src2.Next(t.Context(), &f)
	tr.Update(&f)
	if a := testing.AllocsPerRun(2, func() { tr.Update(&f) }); a != 0 {
		t.Errorf("Tracker.Update allocates %.0f times per frame", a)
	}
}

func TestNewRejectsIncompleteModels(t *testing.T) {
	if _, err := New(nil, Options{}); err == nil {
		t.Error("nil model accepted")
	}
	m := *testModel(t)
	m.Decoder = nil
	if _, err := New(&m, Options{}); err == nil {
		t.Error("model without decoder accepted")
	}
	if _, err := FromFile(nil); err == nil {
		t.Error("nil file accepted")
	}
}

// TestSilhouetteIsWhatTheNetworkSaw: the silhouette copy gives the same estimate as
// from that silhouette alone, and a wrongly sized image is resized to hold it.
func TestSilhouetteIsWhatTheNetworkSaw(t *testing.T) {
	e, err := New(testModel(t), Options{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	p := photo(dots.Random(3, 9))
	sil := image.NewGray(image.Rect(0, 0, 227, 227))
	r, err := e.ImageSilhouette(p, sil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Silhouette != sil {
		t.Fatal("Result.Silhouette is not the caller's image")
	}
	r2, err := e.Silhouette(sil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Value != r2.Value || r.Value < 1 {
		t.Errorf("estimate %v from the photo, %v from its silhouette", r.Value, r2.Value)
	}
	if r3, _ := e.Image(p); r3.Silhouette != nil || r3.Value != r.Value {
		t.Errorf("Image: silhouette %v, value %v (want nil, %v)", r3.Silhouette, r3.Value, r.Value)
	}
	small := image.NewGray(image.Rect(0, 0, 10, 10))
	if r4, err := e.ImageSilhouette(p, small); err != nil || small.Rect.Dx() != 227 || r4.Value != r.Value {
		t.Errorf("a 10x10 silhouette image: %v, %v, value %v", err, small.Rect, r4.Value)
	}
}

// TestActivityByClass checks the grouping by unit classes against the grouping
// by PN: a tuned class holding exactly the units of PN p shows at p what the
// PN grouping shows there, and nothing at the other levels; the decreasing and
// increasing classes made of the units of PN 0 and of the last PN give Falling
// and Rising equal to the PN grouping at those levels. A class section that
// does not fit the unit map is refused, naming the section.
func TestActivityByClass(t *testing.T) {
	base := *testModel(t)
	base.Classes = nil // the grouping by PN, to compare with
	L := len(base.Units.Numerosities)
	byPN := func(p int) []int {
		var u []int
		for k, x := range base.Units.Units {
			if x.PN == p {
				u = append(u, k)
			}
		}
		return u
	}
	p := 3
	if len(byPN(p)) == 0 || len(byPN(0)) == 0 || len(byPN(L-1)) == 0 {
		t.Skip("the embedded model lacks units at PN 1, 6 or 30")
	}
	curve := make([]float32, L)
	c := &unitmap.Classes{Numerosities: base.Units.Numerosities, Classes: []unitmap.Class{
		{Shape: unitmap.Decreasing, PN: -1, Units: byPN(0), Curve: curve},
		{Shape: unitmap.Tuned, PN: p, Units: byPN(p), Curve: curve},
		{Shape: unitmap.Increasing, PN: -1, Units: byPN(L - 1), Curve: curve},
	}}
	withClasses := base
	withClasses.Classes = c
	img := dots.Random(3, 8)
	run := func(m *Model) (Result, *Estimator) {
		e, err := New(m, Options{Threads: 1})
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		r, err := e.Silhouette(img)
		if err != nil {
			t.Fatal(err)
		}
		return r, e
	}
	plain, _ := run(&base)
	got, e := run(&withClasses)
	near := func(name string, a, b float64) {
		if d := a - b; d > 1e-12 || d < -1e-12 || a <= 0 {
			t.Errorf("%s: %g, want %g (> 0)", name, a, b)
		}
	}
	near("Activity at the tuned PN", got.Activity[p], plain.Activity[p])
	near("Falling", got.Falling, plain.Activity[0])
	near("Rising", got.Rising, plain.Activity[L-1])
	for l := 0; l < L; l++ {
		if l != p && got.Activity[l] != 0 {
			t.Errorf("Activity at level %d is %g without tuned units there", l, got.Activity[l])
		}
		if e.Tuned()[l] != (l == p) {
			t.Errorf("Tuned()[%d] = %v", l, e.Tuned()[l])
		}
	}
	if got.Value != plain.Value {
		t.Errorf("the classes changed the estimate: %g vs %g", got.Value, plain.Value)
	}
	f, err := defaultmodel.Load()
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	f.Sections[SectionClasses] = b
	m, err := FromFile(f)
	if err != nil || m.Classes == nil || len(m.Classes.Classes) != 3 {
		t.Fatalf("FromFile with classes: %v", err)
	}
	c.Classes[1].Units = []int{len(base.Units.Units)}
	f.Sections[SectionClasses], _ = json.Marshal(c)
	if _, err := FromFile(f); err == nil || !strings.Contains(err.Error(), SectionClasses) {
		t.Errorf("classes naming a unit outside the map: %v", err)
	}
}
