package scene

import (
	"bytes"
	"hash/fnv"
	"image"
	"image/jpeg"
	"strings"
	"testing"

	"github.com/numsense/numsense/model/rng"
)

// pixelHash renders scene i of g before compression and hashes its pixels.
func pixelHash(t *testing.T, g *Generator, i int) uint64 {
	t.Helper()
	sc, img := g.renderRGBA(i)
	if sc.Index != i {
		t.Fatalf("scene %d described as %d", i, sc.Index)
	}
	h := fnv.New64a()
	h.Write(img.Pix)
	return h.Sum64()
}

// TestReproducible pins the pixels of a few scenes (before JPEG compression):
// the same seed must give the same bits on every architecture (make check runs
// this under qemu for arm64 and armv7) and in any order of rendering.
func TestReproducible(t *testing.T) {
	g, err := New(Opts{Seed: 7, Width: 160, Height: 120})
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]uint64{0: 0x1f6bb1854414edcd, 1: 0xb60ad5d5978177ad, 2: 0x22a4e665e8862366, 3: 0x511acb23e4f63014, 4: 0xdabcf14624cdf793, 11: 0x593398615198c0a6}
	got := map[int]uint64{}
	for _, i := range []int{11, 4, 3, 2, 1, 0} {
		got[i] = pixelHash(t, g, i)
	}
	for i, w := range want {
		if got[i] != w {
			t.Errorf("scene %d: pixel hash %#x, want %#x", i, got[i], w)
		}
	}
	// Again, in another order, on a fresh generator.
	g2, _ := New(Opts{Seed: 7, Width: 160, Height: 120})
	for _, i := range []int{0, 11, 2} {
		if h := pixelHash(t, g2, i); h != got[i] {
			t.Errorf("scene %d: %#x after other scenes, %#x before", i, h, got[i])
		}
	}
	if !testing.Short() {
		gb, _ := New(Opts{Seed: 1})
		if h, w := pixelHash(t, gb, 5), uint64(0x6d41aad3e0625aaf); h != w {
			t.Errorf("640x480 scene 5 of seed 1: pixel hash %#x, want %#x", h, w)
		}
	}
}

// TestPlacement checks the truth of many scenes' plans: counts within bounds, kinds
// in turn, every object whole inside the picture, and no object hidden by another
// (at most a tenth of any object's area, and two pixels, is shared with others).
func TestPlacement(t *testing.T) {
	n := 250
	if testing.Short() {
		n = 60
	}
	g, err := New(Opts{Seed: 3, Width: 320, Height: 240})
	if err != nil {
		t.Fatal(err)
	}
	layouts := map[Layout]int{}
	for i := 0; i < n; i++ {
		seed := g.sceneSeed(i)
		kind := g.o.Kinds[i%len(g.o.Kinds)]
		rp := rng.New(rng.Derive(seed, streamPlan))
		vw := newView(g.w, g.h, int64(rp.IntRange(-300, 300)))
		p := g.makePlan(rp, kind, vw)
		if p.kind != Kinds()[i%5] {
			t.Fatalf("scene %d: kind %v, want %v", i, p.kind, Kinds()[i%5])
		}
		if p.count < 1 || p.count > 40 || p.count != len(p.objs) {
			t.Fatalf("scene %d: count %d with %d objects", i, p.count, len(p.objs))
		}
		layouts[p.layout]++
		for k := range p.objs {
			o := &p.objs[k]
			if !vw.inside(o, 0) {
				t.Errorf("scene %d (%v %v): object %d at (%d,%d) r %d not inside the picture", i, p.kind, p.layout, k, o.px/q8, o.py/q8, o.extent()/q8)
			}
		}
		// How many objects cover each pixel, then how much of each is shared.
		cnt := make([]uint8, g.w*g.h)
		each := func(o *object, f func(i int)) {
			x0, y0, x1, y1 := g.bbox(o, 0, 0, 0)
			for y := y0; y < y1; y++ {
				for x := x0; x < x1; x++ {
					if u, v := o.local(x, y, o.px, o.py); o.sdf(u, v) < 0 {
						f(y*g.w + x)
					}
				}
			}
		}
		for k := range p.objs {
			each(&p.objs[k], func(i int) { cnt[i]++ })
		}
		for k := range p.objs {
			area, shared := 0, 0
			each(&p.objs[k], func(i int) {
				area++
				if cnt[i] > 1 {
					shared++
				}
			})
			if area == 0 || shared*10 > area+20 { // two pixels' slack for rounding
				t.Errorf("scene %d (%v %v): object %d shares %d of its %d pixels", i, p.kind, p.layout, k, shared, area)
			}
		}
		if d := g.Describe(i); d.Count != p.count || d.Kind != kind || d.Layout != p.layout {
			t.Errorf("scene %d: Describe %+v differs from the plan (%d %v %v)", i, d, p.count, kind, p.layout)
		}
	}
	for l := Layout(0); l < numLayouts; l++ {
		if layouts[l] == 0 {
			t.Errorf("no scene of layout %v in %d", l, n)
		}
	}
}

// TestRenderDecodes checks that Image is the decoded Render, the size asked for,
// and that the description is the same with or without the picture.
func TestRenderDecodes(t *testing.T) {
	g, _ := New(Opts{Seed: 5, Width: 200, Height: 150})
	sc, data, err := g.Render(3)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	sc2, img, err := g.Image(3)
	if err != nil {
		t.Fatal(err)
	}
	if sc != sc2 {
		t.Errorf("descriptions differ: %+v and %+v", sc, sc2)
	}
	if b := img.Bounds(); b.Dx() != 200 || b.Dy() != 150 {
		t.Fatalf("picture %v, want 200x150", b)
	}
	ry, ok1 := ref.(*image.YCbCr)
	iy, ok2 := img.(*image.YCbCr)
	if !ok1 || !ok2 || !bytes.Equal(ry.Y, iy.Y) || !bytes.Equal(ry.Cb, iy.Cb) || !bytes.Equal(ry.Cr, iy.Cr) {
		t.Errorf("Image is not the decoded Render (%T, %T)", ref, img)
	}
	d := g.Describe(3)
	d.Cover = sc.Cover
	if d != sc {
		t.Errorf("Describe %+v, Render %+v", d, sc)
	}
	if sc.Cover <= 0 || sc.Cover >= 1 {
		t.Errorf("cover %v", sc.Cover)
	}
}

func TestOptsErrors(t *testing.T) {
	for _, o := range []Opts{{Width: 10, Height: 10}, {MinCount: 5, MaxCount: 2}, {MaxCount: 99}, {Kinds: []Kind{7}}} {
		if _, err := New(o); err == nil || !strings.Contains(err.Error(), "scene:") {
			t.Errorf("%+v: error %v", o, err)
		}
	}
	if _, err := ParseKind("marbles"); err == nil || !strings.Contains(err.Error(), "coins") {
		t.Errorf("ParseKind: %v", err)
	}
	if k, err := ParseKind("Leaves"); err != nil || k != Leaves {
		t.Errorf("ParseKind(Leaves) = %v, %v", k, err)
	}
}
