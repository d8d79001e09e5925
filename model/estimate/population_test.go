package estimate

import (
	"strings"
	"testing"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/decoder"
	"github.com/numsense/numsense/model/internal/dots"
	"github.com/numsense/numsense/model/population"
	"github.com/numsense/numsense/model/rng"
	"github.com/numsense/numsense/model/unitmap"
)

// populationFile is the embedded population (its first two networks under
// -short: passes take seconds under emulation) with views id and r90 and a
// readout over their units fitted on made-up responses: what the plumbing needs,
// not an accurate model.
func populationFile(t *testing.T) (*model.File, int) {
	t.Helper()
	f := embeddedFile(t)
	if testing.Short() {
		f.Population = f.Population[:1]
	}
	units := 0
	for k := range f.Networks() {
		var m unitmap.Map
		if err := m.UnmarshalBinary(f.Sections[SectionUnitsOf(k)]); err != nil {
			t.Fatal(err)
		}
		units += len(m.Units)
	}
	r := rng.New(1)
	var train []decoder.Sample
	for i := 0; i < 40; i++ {
		s := decoder.Sample{N: 1 + i%30, R: make([]float32, units)}
		for u := range s.R {
			s.R[u] = float32(r.Float64()) + float32(s.N)*float32(u%5)/100
		}
		train = append(train, s)
	}
	rd, err := decoder.NewReadout(train[:30], train[30:], 0.1)
	if err != nil {
		t.Fatal(err)
	}
	db, _ := rd.MarshalBinary()
	vb, _ := population.MarshalViews([]population.View{population.Identity, {Turn: 1}})
	f.Sections[SectionDecoder] = db
	f.Sections[SectionViews] = vb
	return f, units
}

// A population model file gives an Estimator that reads every network on every
// view (the estimate is the decoder's on the population.Reader's average), and a
// Tracker that allocates nothing per frame.
func TestPopulationModel(t *testing.T) {
	f, units := populationFile(t)
	b, err := model.Encode(f)
	if err != nil {
		t.Fatal(err)
	}
	if f, err = model.Decode(b); err != nil {
		t.Fatal(err)
	}
	m, err := FromFile(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Population) != len(f.Population) || population.Names(m.Views) != "id,r90" {
		t.Fatalf("population %d, views %v", len(m.Population), m.Views)
	}
	e, err := New(m, Options{Threads: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if e.Networks() != 1+len(f.Population) || e.Units() != units || len(e.Views()) != 2 {
		t.Fatalf("estimator: %d networks, %d units, views %v", e.Networks(), e.Units(), e.Views())
	}
	img := dots.Random(3, 9)
	got, err := e.Silhouette(img)
	if err != nil {
		t.Fatal(err)
	}
	rd, err := population.New(m.Members(), m.Views, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	r, err := rd.Read(img)
	if err != nil {
		t.Fatal(err)
	}
	if want := m.Decoder.Decode(r); got.Value != want.Value || got.Lo != want.Lo || got.Hi != want.Hi {
		t.Fatalf("estimate %+v, the decoder on the population's responses gives %+v", got, want)
	}
	tr, err := e.NewTracker(TrackerOpts{})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	src := camera.NewSynthetic(&camera.Opts{Width: 160, Height: 120, Synthetic: camera.SyntheticOpts{Seed: 4, Counts: []int{5}, Hand: -1}})
	var fr camera.Frame
	src.Next(t.Context(), &fr)
	if _, err := tr.Update(&fr); err != nil {
		t.Fatal(err)
	}
	if !testing.Short() {
		if a := testing.AllocsPerRun(2, func() { tr.Update(&fr) }); a != 0 {
			t.Errorf("Tracker.Update of a population allocates %.0f times per frame", a)
		}
	}
}

func TestPopulationModelErrors(t *testing.T) {
	for name, c := range map[string]struct {
		change func(f *model.File)
		want   string
	}{
		"no units of network 1": {func(f *model.File) { delete(f.Sections, SectionUnitsOf(1)) }, `"units.1"`},
		"bad views":             {func(f *model.File) { f.Sections[SectionViews] = []byte(`["r45"]`) }, `"views"`},
		"one network fewer":     {func(f *model.File) { f.Population = f.Population[:len(f.Population)-1] }, "decoder reads"},
	} {
		f, _ := populationFile(t)
		c.change(f)
		m, err := FromFile(f)
		if err == nil {
			var e *Estimator
			if e, err = New(m, Options{Threads: 1}); err == nil {
				e.Close()
			}
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one mentioning %s", name, err, c.want)
		}
	}
}
