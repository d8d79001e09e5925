package stimulus

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSetNames(t *testing.T) {
	for _, s := range allSets {
		got, err := ParseSet(s.String())
		if err != nil || got != s {
			t.Errorf("ParseSet(%q) = %v, %v", s.String(), got, err)
		}
	}
	for in, want := range map[string]Set{
		"1": Standard, "2": Control1, "3": Control2, "4": AreaVarying,
		" Standard ": Standard, "AREA": AreaVarying, "area-varying": AreaVarying,
	} {
		if got, err := ParseSet(in); err != nil || got != want {
			t.Errorf("ParseSet(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "5", "control3", "std"} {
		_, err := ParseSet(in)
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("%q", in)) {
			t.Errorf("ParseSet(%q): error %v does not name the value", in, err)
		}
	}
	if got := Set(7).String(); got != "Set(7)" {
		t.Errorf("Set(7).String() = %q", got)
	}
	if len(Sets) != 3 || Sets[0] != Standard || Sets[1] != Control1 || Sets[2] != Control2 {
		t.Errorf("Sets = %v", Sets)
	}
	if len(Numerosities) != 16 || Numerosities[0] != 1 || Numerosities[15] != 30 {
		t.Errorf("Numerosities = %v", Numerosities)
	}
}

func TestDrawErrors(t *testing.T) {
	g := New(1)
	img := NewImage()
	cases := []struct {
		s    Set
		n    int
		dst  *image.Gray
		want string
	}{
		{Standard, 0, img, "numerosity 0"},
		{Control1, 31, img, "numerosity 31"},
		{Control2, -2, img, "numerosity -2"},
		{Standard, 4, nil, "nil destination"},
		{Control2, 4, image.NewGray(image.Rect(0, 0, 224, 224)), "224x224"},
		{AreaVarying, 4, image.NewGray(image.Rect(0, 0, 227, 226)), "227x226"},
		{Set(9), 4, img, "unknown set"},
	}
	for _, c := range cases {
		_, err := g.Draw(c.s, c.n, c.dst)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Draw(%v, %d): error %v, want it to mention %q", c.s, c.n, err, c.want)
		}
	}
	for _, k := range []int{0, 9, -1} {
		if _, err := g.DrawArea(4, k, img); err == nil || !strings.Contains(err.Error(), fmt.Sprint(k)) {
			t.Errorf("DrawArea(4, %d): error %v", k, err)
		}
	}
	if _, err := g.DrawArea(0, 3, img); err == nil {
		t.Error("DrawArea(0, 3): no error")
	}
}

// TestSubImage: a 227x227 view into a larger image is drawn in place and nothing
// outside it is touched.
func TestSubImage(t *testing.T) {
	big := image.NewGray(image.Rect(0, 0, 300, 260))
	for i := range big.Pix {
		big.Pix[i] = 7
	}
	sub := big.SubImage(image.Rect(40, 20, 40+Size, 20+Size)).(*image.Gray)
	ref := NewImage()
	for _, s := range allSets {
		i1, err1 := New(42).Draw(s, 12, sub)
		i2, err2 := New(42).Draw(s, 12, ref)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if i1.TotalArea != i2.TotalArea {
			t.Fatalf("%s: areas %v and %v", s, i1.TotalArea, i2.TotalArea)
		}
		for y := 0; y < 260; y++ {
			for x := 0; x < 300; x++ {
				got := big.GrayAt(x, y).Y
				want := uint8(7)
				if x >= 40 && x < 40+Size && y >= 20 && y < 20+Size {
					want = ref.GrayAt(x-40, y-20).Y
				}
				if got != want {
					t.Fatalf("%s: pixel (%d,%d) = %d, want %d", s, x, y, got, want)
				}
			}
		}
	}
}

// TestDrawClears: a dirty destination is cleared before drawing.
func TestDrawClears(t *testing.T) {
	a, b := NewImage(), NewImage()
	for i := range b.Pix {
		b.Pix[i] = 200
	}
	for _, s := range allSets {
		New(8).Draw(s, 6, a)
		New(8).Draw(s, 6, b)
		if !bytes.Equal(a.Pix, b.Pix) {
			t.Fatalf("%s: drawing on a dirty image differs", s)
		}
	}
}

func hashImages(t *testing.T, seed uint64, s Set, ns []int, reps int) uint64 {
	t.Helper()
	h := fnv.New64a()
	g := New(seed)
	img := NewImage()
	for _, n := range ns {
		for i := 0; i < reps; i++ {
			if _, err := g.Draw(s, n, img); err != nil {
				t.Fatal(err)
			}
			h.Write(img.Pix)
		}
	}
	return h.Sum64()
}

func TestDeterminism(t *testing.T) {
	ns := []int{1, 2, 10, 30}
	for _, s := range allSets {
		a := hashImages(t, 11, s, ns, 3)
		b := hashImages(t, 11, s, ns, 3)
		c := hashImages(t, 12, s, ns, 3)
		if a != b {
			t.Errorf("%s: same seed, different images", s)
		}
		if a == c {
			t.Errorf("%s: seeds 11 and 12 give the same images", s)
		}
	}
	// Different seeds give different images one by one, too.
	x, y := NewImage(), NewImage()
	for seed := uint64(0); seed < 20; seed++ {
		New(seed).Draw(Standard, 1, x)
		New(seed+100).Draw(Standard, 1, y)
		if bytes.Equal(x.Pix, y.Pix) {
			t.Errorf("seeds %d and %d: identical single-dot images", seed, seed+100)
		}
	}
}

// TestGolden pins the bytes of a few images per set, so that a change of the draw
// order, the rules or the arithmetic is noticed, and so that amd64, arm64 and arm
// can be compared (the same values must come out under qemu).
func TestGolden(t *testing.T) {
	want := map[Set]uint64{
		Standard:    0x222fd7bade61e3eb,
		Control1:    0x8b45b93123f059f5,
		Control2:    0xee533d5c69289f56,
		AreaVarying: 0x9558b83407d5be61,
	}
	for _, s := range allSets {
		got := hashImages(t, 20261126, s, []int{1, 6, 16, 30}, 2)
		if got != want[s] {
			t.Errorf("%s: FNV-1a of the golden images = %#016x, want %#016x", s, got, want[s])
		}
	}
}

func TestCosSinDeg(t *testing.T) {
	for d := -400; d <= 800; d++ {
		c, s := cosSinDeg(d)
		r := (d%360 + 360) % 360
		if r > 180 {
			r -= 360
		}
		a := float64(r) * math.Pi / 180 // |a| <= π: rounding error below 4e-16
		if math.Abs(c-math.Cos(a)) > 6e-16 || math.Abs(s-math.Sin(a)) > 6e-16 {
			t.Fatalf("cosSinDeg(%d) = %v, %v; math gives %v, %v", d, c, s, math.Cos(a), math.Sin(a))
		}
		if d%90 == 0 && (c != math.Round(c) || s != math.Round(s)) {
			t.Fatalf("cosSinDeg(%d) = %v, %v: not exact", d, c, s)
		}
	}
	if c, s := cosSinDeg(60); math.Abs(c-0.5) > 1e-16 || math.Abs(s-math.Sqrt(3)/2) > 2e-16 {
		t.Fatalf("cosSinDeg(60) = %v, %v", c, s)
	}
}

// TestRuleAllowsPixelContact documents why no set promises one 8-connected
// component per item: geometry that passes each spacing rule can still render
// adjacent pixels.
func TestRuleAllowsPixelContact(t *testing.T) {
	img := NewImage()
	cases := []struct {
		name   string
		a, b   Item
		factor float64
	}{
		// d = √197 = 14.04 > 7 + 7, yet pixel (107,100) of a and (107,101) of b touch.
		{"discs", Item{X: 100, Y: 100, R: 7}, Item{X: 114, Y: 101, R: 7}, 1},
		// d = 21.21 > √2·14.6 = 20.65, yet the corners (107,107) and (108,108) touch.
		{"squares", Item{X: 100, Y: 100, R: 7.3, Shape: Square}, Item{X: 115, Y: 115, R: 7.3, Shape: Square}, math.Sqrt2},
	}
	for _, c := range cases {
		d := math.Hypot(float64(c.a.X-c.b.X), float64(c.a.Y-c.b.Y))
		if !(d > c.factor*(c.a.R+c.b.R)) {
			t.Fatalf("%s: example breaks the rule", c.name)
		}
		render(img, []Item{c.a, c.b})
		if _, n := components(img); n != 1 {
			t.Fatalf("%s: %d components, expected the two items to touch", c.name, n)
		}
	}
}

func TestDrawAllocs(t *testing.T) {
	img := NewImage()
	for _, s := range allSets {
		g := New(3)
		allocs := testing.AllocsPerRun(20, func() {
			if _, err := g.Draw(s, 30, img); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per Draw", s, allocs)
		}
	}
}

func TestWritePNGs(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	paths, err := WritePNGs(dir, Control2, 12, 3, 5)
	if err != nil {
		t.Fatal(err)
	}
	g := New(5)
	img := NewImage()
	for i, p := range paths {
		if want := filepath.Join(dir, fmt.Sprintf("control2_n12_%03d.png", i)); p != want {
			t.Errorf("path %q, want %q", p, want)
		}
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		dec, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		gray, ok := dec.(*image.Gray)
		if !ok {
			t.Fatalf("%s decodes as %T, want *image.Gray", p, dec)
		}
		g.Draw(Control2, 12, img)
		if !bytes.Equal(gray.Pix, img.Pix) {
			t.Errorf("%s differs from Draw with the same seed", p)
		}
	}
	if len(paths) != 3 {
		t.Fatalf("%d paths", len(paths))
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 4 { // the three images and numsense's output marker
		t.Errorf("%d files in %s, want 3 images and the marker", len(entries), dir)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), ".*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	// A file where the directory should be: the error names it.
	file := filepath.Join(t.TempDir(), "plain")
	os.WriteFile(file, nil, 0o644)
	if _, err := WritePNGs(file, Standard, 4, 1, 1); err == nil || !strings.Contains(err.Error(), "plain") {
		t.Errorf("WritePNGs into a file: error %v", err)
	}
	if _, err := WritePNGs(dir, Standard, 40, 1, 1); err == nil {
		t.Error("WritePNGs n=40: no error")
	}
}

// TestRetryLimits: exhausting a retry limit gives an error naming the set and n,
// and the generator keeps working afterwards.
func TestRetryLimits(t *testing.T) {
	img := NewImage()
	for _, c := range []struct {
		s                 Set
		attempts, configs int
		want              string
	}{
		{Standard, 5, maxConfigs, "standard set, n=30: no placement after 5 attempts"},
		{Control2, 5, maxConfigs, "control2 set, n=30: no placement after 5 attempts"},
		{AreaVarying, 5, maxConfigs, "area set, n=30: no placement after 5 attempts"},
		{Control1, maxAttempts, 1, "control1 set, n=30: mean distance never inside (90, 100) in 1 configurations"},
	} {
		// Find a seed where the lowered limit is hit (Control1 passes ~2 % of first
		// configurations, so the first seed almost always does).
		var err error
		g := New(0)
		for seed := uint64(0); seed < 20 && err == nil; seed++ {
			g = New(seed)
			g.limAttempts, g.limConfigs = c.attempts, c.configs
			_, err = g.Draw(c.s, 30, img)
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.s, err, c.want)
		}
		if len(g.Items()) != 0 {
			t.Errorf("%s: %d items after a failed draw", c.s, len(g.Items()))
		}
		g.limAttempts, g.limConfigs = maxAttempts, maxConfigs
		if _, err := g.Draw(c.s, 30, img); err != nil {
			t.Errorf("%s: after a failure: %v", c.s, err)
		}
	}
}
