package population

import (
	"image"
	"testing"

	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/defaultmodel"
	"github.com/numsense/numsense/model/internal/dots"
	"github.com/numsense/numsense/model/unitmap"
)

// members returns the first two networks of the embedded population with their
// number units.
func members(t *testing.T) []Member {
	t.Helper()
	f, err := defaultmodel.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Population) == 0 {
		t.Fatal("the embedded model is not a population")
	}
	var ms []Member
	for k, sec := range []string{"units", "units.1"} {
		var m unitmap.Map
		if err := m.UnmarshalBinary(f.Sections[sec]); err != nil {
			t.Fatal(err)
		}
		ms = append(ms, Member{f.Networks()[k], &m})
	}
	return ms
}

// want computes Read's result the long way: one engine per pass, the units
// gathered, summed over the views in order and scaled.
func want(t *testing.T, ms []Member, views []View, img *image.Gray) []float32 {
	var out []float32
	view := image.NewGray(img.Rect)
	for _, m := range ms {
		e := model.NewEngine(m.Net, 1)
		sum := make([]float32, len(m.Units.Units))
		r := make([]float32, len(sum))
		for _, v := range views {
			v.Apply(view, img)
			if err := e.Run(view); err != nil {
				t.Fatal(err)
			}
			m.Units.GatherInt8(e.Relu5(), e.Relu5Scale(), e.Relu5ZeroPoint(), r)
			for u, x := range r {
				sum[u] += x
			}
		}
		e.Close()
		if len(views) > 1 {
			for u := range sum {
				sum[u] *= 1 / float32(len(views))
			}
		}
		out = append(out, sum...)
	}
	return out
}

// Read gives the views' average of every network's units, network 0's first,
// bit for bit the same however the threads are shared out, and allocates nothing.
func TestReader(t *testing.T) {
	ms := members(t)
	views, _ := ParseViews("id,r90,m.x+2")
	threads := []int{1, 2, 4, 7}
	if testing.Short() { // a pass takes seconds under emulation
		views, threads = views[:2], []int{1, 3}
	}
	img := dots.Random(7, 12)
	ref := want(t, ms, views, img)
	for _, th := range threads {
		r, err := New(ms, views, th)
		if err != nil {
			t.Fatal(err)
		}
		if r.Units() != len(ref) || r.Offset(1) != len(ms[0].Units.Units) || r.Passes() != 2*len(views) {
			t.Fatalf("%d threads: %d units, offset %d, %d passes", th, r.Units(), r.Offset(1), r.Passes())
		}
		lanes := r.Lanes()
		sum := 0
		for _, n := range lanes {
			sum += n
		}
		if len(lanes) != min(th, r.Passes()) || sum != th {
			t.Errorf("%d threads: lanes %v", th, lanes)
		}
		for rep := 0; rep < 2; rep++ {
			got, err := r.Read(img)
			if err != nil {
				t.Fatal(err)
			}
			for u := range ref {
				if got[u] != ref[u] {
					t.Fatalf("%d threads, read %d: unit %d is %g, want %g", th, rep, u, got[u], ref[u])
				}
			}
		}
		if !testing.Short() {
			if a := testing.AllocsPerRun(3, func() { r.Read(img) }); a != 0 {
				t.Errorf("%d threads: Read allocates %.1f times", th, a)
			}
		}
		r.Close()
		r.Close()
		if _, err := r.Read(img); err == nil {
			t.Error("Read after Close succeeded")
		}
	}
}

func TestReaderErrors(t *testing.T) {
	ms := members(t)
	if _, err := New(nil, nil, 1); err == nil {
		t.Error("no networks accepted")
	}
	if _, err := New([]Member{{ms[0].Net, &unitmap.Map{}}}, nil, 1); err == nil {
		t.Error("a network without units accepted")
	}
	if _, err := New(ms[:1], []View{{DX: 9}}, 1); err == nil {
		t.Error("a shift of 9 pixels accepted")
	}
	bad := *ms[0].Units
	bad.Units = append([]unitmap.Unit{{Index: model.Relu5Units}}, bad.Units[1:]...)
	if _, err := New([]Member{{ms[0].Net, &bad}}, nil, 1); err == nil {
		t.Error("a unit beyond relu5 accepted")
	}
	r, err := New(ms[:1], nil, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Read(image.NewGray(image.Rect(0, 0, 100, 100))); err == nil {
		t.Error("a 100x100 image accepted")
	}
	if r.Passes() != 1 || len(r.Views()) != 1 || r.Views()[0] != Identity {
		t.Errorf("no views should mean the silhouette alone: %v", r.Views())
	}
}
