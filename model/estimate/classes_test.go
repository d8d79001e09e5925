package estimate

import (
	"image"
	"maps"
	"math"
	"strings"
	"testing"

	"github.com/numsense/numsense/model/internal/dots"
	"github.com/numsense/numsense/model/unitmap"
)

// testClasses groups the model's units into classes made from their selection-draw
// PN (a stand-in for the cross-validated classes the laboratory writes): the PN-0
// units as "decreasing", the last PN's as "increasing", every other PN as "tuned".
// A tuned class of PN level g then holds exactly the units of Activity[g]; the
// decreasing and increasing ones are Result.Falling and Rising.
func testClasses(m *Model) (*unitmap.Classes, []int) {
	L := len(m.Units.Numerosities)
	c := &unitmap.Classes{Numerosities: m.Units.Numerosities}
	var level []int
	for g := 0; g < L; g++ {
		k := unitmap.Class{Shape: unitmap.Tuned, PN: g, Curve: make([]float32, L)}
		switch g {
		case 0:
			k.Shape, k.PN = unitmap.Decreasing, -1
		case L - 1:
			k.Shape, k.PN = unitmap.Increasing, -1
		}
		for i, u := range m.Units.Units {
			if u.PN == g {
				k.Units = append(k.Units, i)
			}
		}
		if len(k.Units) > 0 {
			c.Classes = append(c.Classes, k)
			level = append(level, g)
		}
	}
	return c, level
}

// TestClassActivity: a class holding exactly the units of one PN level has that
// level's activity; the section round-trips through a model file; a model without
// the section has no classes and zero class activity.
func TestClassActivity(t *testing.T) {
	f := embeddedFile(t)
	base := testModel(t)
	classes, level := testClasses(base)
	if len(classes.Classes) < 3 {
		t.Fatalf("only %d classes built", len(classes.Classes))
	}
	data, err := classes.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	g := *f
	g.Sections = maps.Clone(f.Sections)
	g.Sections[SectionClasses] = data
	m, err := FromFile(&g)
	if err != nil {
		t.Fatal(err)
	}
	if m.Classes == nil || len(m.Classes.Classes) != len(classes.Classes) {
		t.Fatalf("classes not read from the model file: %+v", m.Classes)
	}
	e, err := New(m, Options{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if e.Classes() != m.Classes {
		t.Error("Classes() is not the model's")
	}
	for _, n := range []int{3, 12} {
		r, err := e.Image(photo(dots.Random(uint64(40+n), n)))
		if err != nil {
			t.Fatal(err)
		}
		nonzero := 0
		for c, g := range level {
			want := r.Activity[g] // a tuned class is its level of Activity
			switch m.Classes.Classes[c].Shape {
			case unitmap.Decreasing:
				want = r.Falling
			case unitmap.Increasing:
				want = r.Rising
			}
			if math.Abs(r.ClassActivity[c]-want) > 1e-6 {
				t.Errorf("%d dots: class %d (%s) activity %v, want %v", n, c, m.Classes.Classes[c].Shape, r.ClassActivity[c], want)
			}
			if r.ClassActivity[c] > 0 {
				nonzero++
			}
		}
		if nonzero < 2 {
			t.Errorf("%d dots: %d classes active", n, nonzero)
		}
	}

	plain, err := New(base, Options{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	if f.Sections[SectionClasses] == nil && plain.Classes() != nil {
		t.Error("a model without the section has classes")
	}
	r, err := plain.Image(photo(dots.Random(7, 8)))
	if err != nil {
		t.Fatal(err)
	}
	if plain.Classes() == nil && r.ClassActivity != [MaxClasses]float64{} {
		t.Errorf("class activity without classes: %v", r.ClassActivity)
	}

	g.Sections[SectionClasses] = []byte(`{"numerosities":[1,2],"classes":[]}`)
	if _, err := FromFile(&g); err == nil || !strings.Contains(err.Error(), SectionClasses) {
		t.Errorf("classes for other numerosities accepted: %v", err)
	}
	many := *m
	many.Classes = &unitmap.Classes{Numerosities: classes.Numerosities}
	for i := 0; i <= MaxClasses; i++ {
		many.Classes.Classes = append(many.Classes.Classes, classes.Classes[0])
	}
	if _, err := New(&many, Options{Threads: 1}); err == nil {
		t.Error("more than MaxClasses classes accepted")
	}
}

// TestImageSilhouette: the estimate is Image's, and the silhouette is the binary
// image of the objects.
func TestImageSilhouette(t *testing.T) {
	e, err := New(testModel(t), Options{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	p := photo(dots.Random(9, 6))
	want, err := e.Image(p)
	if err != nil {
		t.Fatal(err)
	}
	var sil image.Gray
	got, err := e.ImageSilhouette(p, &sil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Value != want.Value || got.Silhouette != &sil {
		t.Errorf("estimate %v, Image's %v", got.Value, want.Value)
	}
	lit := 0
	for _, v := range sil.Pix {
		if v == 255 {
			lit++
		} else if v != 0 {
			t.Fatalf("silhouette pixel %d is not binary", v)
		}
	}
	if sil.Rect.Dx() != 227 || sil.Rect.Dy() != 227 || lit < 100 || lit > 227*227/2 {
		t.Errorf("silhouette %v with %d lit pixels", sil.Rect, lit)
	}
}
