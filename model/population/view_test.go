package population

import (
	"image"
	"testing"

	"github.com/numsense/numsense/model/rng"
)

func TestViewNames(t *testing.T) {
	for _, name := range []string{"id", "m", "r90", "r180", "r270", "m.r90", "x+2", "y-3", "m.r270.x-1.y+8", "r180.x+1"} {
		v, err := ParseView(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if v.String() != name {
			t.Errorf("%s parses to %+v, named %s", name, v, v)
		}
	}
	for _, bad := range []string{"", "r45", "m.m", "x+0", "x+9", "x2", "s+1+1", "id.m", "r90.r180", "y-"} {
		if v, err := ParseView(bad); err == nil {
			t.Errorf("%q accepted as %+v", bad, v)
		}
	}
	vs, err := ParseViews("id, m ,r90")
	if err != nil || len(vs) != 3 || Names(vs) != "id,m,r90" {
		t.Fatalf("ParseViews: %v %v", vs, err)
	}
	if _, err := ParseViews("m,r90,m"); err == nil {
		t.Error("a view listed twice was accepted")
	}
	b, err := MarshalViews(vs)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := UnmarshalViews(b); err != nil || Names(got) != "id,m,r90" {
		t.Fatalf("views section round trip: %v %v", got, err)
	}
	for _, bad := range []string{`[]`, `["r45"]`, `{`, `"m"`} {
		if _, err := UnmarshalViews([]byte(bad)); err == nil {
			t.Errorf("section %s accepted", bad)
		}
	}
	if _, err := MarshalViews([]View{{Turn: 4}}); err == nil {
		t.Error("a view of 4 quarter turns was marshalled")
	}
}

// naive applies v by its definition, one pixel at a time: mirror, turn, shift.
func naive(v View, src *image.Gray) *image.Gray {
	s := src.Rect.Dx()
	cur := image.NewGray(image.Rect(0, 0, s, s))
	copy(cur.Pix, src.Pix)
	if v.Mirror {
		m := image.NewGray(cur.Rect)
		for y := 0; y < s; y++ {
			for x := 0; x < s; x++ {
				m.Pix[y*s+s-1-x] = cur.Pix[y*s+x]
			}
		}
		cur = m
	}
	for t := uint8(0); t < v.Turn; t++ {
		m := image.NewGray(cur.Rect)
		for y := 0; y < s; y++ {
			for x := 0; x < s; x++ {
				m.Pix[x*s+s-1-y] = cur.Pix[y*s+x] // (x, y) -> (s-1-y, x)
			}
		}
		cur = m
	}
	out := image.NewGray(cur.Rect)
	for y := 0; y < s; y++ {
		for x := 0; x < s; x++ {
			if qx, qy := x-int(v.DX), y-int(v.DY); qx >= 0 && qy >= 0 && qx < s && qy < s {
				out.Pix[y*s+x] = cur.Pix[qy*s+qx]
			}
		}
	}
	return out
}

func randomImage(seed uint64, s int) *image.Gray {
	r := rng.New(seed)
	img := image.NewGray(image.Rect(0, 0, s, s))
	for i := range img.Pix {
		img.Pix[i] = uint8(r.IntRange(0, 255))
	}
	return img
}

// Apply is the definition, for every view of the dihedral group with and without
// shifts, on odd and even sizes and on a sub-image with its own stride; a clockwise
// quarter turn moves the top-left pixel to the top right.
func TestApply(t *testing.T) {
	for _, s := range []int{7, 8, 227} {
		src := randomImage(uint64(s), s)
		for _, name := range []string{"id", "m", "r90", "r180", "r270", "m.r90", "m.r180", "m.r270", "x+3", "y-2", "r90.x-8.y+5", "m.r180.x+1.y+1"} {
			v, _ := ParseView(name)
			dst := randomImage(99, s) // every pixel must be written
			v.Apply(dst, src)
			want := naive(v, src)
			for i := range want.Pix {
				if dst.Pix[i] != want.Pix[i] {
					t.Fatalf("size %d, view %s: pixel %d is %d, want %d", s, name, i, dst.Pix[i], want.Pix[i])
				}
			}
		}
	}
	one := image.NewGray(image.Rect(0, 0, 5, 5))
	one.Pix[0] = 255
	out := image.NewGray(one.Rect)
	View{Turn: 1}.Apply(out, one)
	if out.Pix[4] != 255 {
		t.Errorf("r90 moved the top-left pixel to %v", out.Pix)
	}
	// A sub-image with its own stride and origin.
	big := randomImage(5, 20)
	sub := big.SubImage(image.Rect(3, 4, 13, 14)).(*image.Gray)
	flat := image.NewGray(image.Rect(0, 0, 10, 10))
	for y := 0; y < 10; y++ {
		copy(flat.Pix[y*10:y*10+10], sub.Pix[y*sub.Stride:y*sub.Stride+10])
	}
	v := View{Mirror: true, Turn: 3, DX: 2}
	v.Apply(out2(10), sub)
	a, b := out2(10), out2(10)
	v.Apply(a, sub)
	v.Apply(b, flat)
	for i := range a.Pix {
		if a.Pix[i] != b.Pix[i] {
			t.Fatal("a sub-image gives another view than the same pixels in a picture of their own")
		}
	}
}

func out2(s int) *image.Gray { return image.NewGray(image.Rect(0, 0, s, s)) }

// Turning four times, mirroring twice or shifting back gives the silhouette again
// (away from the edges a shift cuts off), and no view changes the number of white
// pixels of a picture whose border is black.
func TestViewGroup(t *testing.T) {
	s := 227
	src := image.NewGray(image.Rect(0, 0, s, s))
	r := rng.New(3)
	white := 0
	for y := 10; y < s-10; y++ {
		for x := 10; x < s-10; x++ {
			if r.IntRange(0, 3) == 0 {
				src.Pix[y*s+x] = 255
				white++
			}
		}
	}
	a, b := out2(s), out2(s)
	for _, v := range []View{{Turn: 1}, {Mirror: true}, {DX: 4, DY: -3}, {Mirror: true, Turn: 3, DX: -8, DY: 8}} {
		v.Apply(a, src)
		n := 0
		for _, p := range a.Pix {
			if p == 255 {
				n++
			}
		}
		if n != white {
			t.Errorf("view %s: %d white pixels, want %d", v, n, white)
		}
	}
	View{Turn: 1}.Apply(a, src)
	View{Turn: 3}.Apply(b, a)
	same(t, "r90 then r270", b, src)
	View{Mirror: true}.Apply(a, src)
	View{Mirror: true}.Apply(b, a)
	same(t, "m twice", b, src)
	View{DX: 5, DY: -2}.Apply(a, src)
	View{DX: -5, DY: 2}.Apply(b, a)
	same(t, "a shift and back", b, src)
}

func same(t *testing.T, what string, a, b *image.Gray) {
	t.Helper()
	for i := range a.Pix {
		if a.Pix[i] != b.Pix[i] {
			t.Fatalf("%s: pixel %d differs", what, i)
		}
	}
}
