package stimulus

import (
	"fmt"
	"image"
	"math"
	"testing"
)

var allSets = []Set{Standard, Control1, Control2, AreaVarying}

// reach is the largest distance from an item's centre to any point of it:
// r for discs, ellipses and triangles, r√2 for squares.
func reach(it Item) float64 {
	if it.Shape == Square {
		return it.R * math.Sqrt2
	}
	return it.R
}

// refCovers is a plain per-pixel membership test, written independently of the
// span-based renderer (except for the triangle's half-plane test).
func refCovers(it Item, x, y int) bool {
	dx, dy := float64(x-it.X), float64(y-it.Y)
	switch it.Shape {
	case Square:
		return math.Abs(dx) <= it.R && math.Abs(dy) <= it.R
	case Ellipse:
		h := it.R / 2
		return dx*dx/(it.R*it.R)+dy*dy/(h*h) < 1
	case Triangle:
		v := triangleVertices(&it)
		return inConvex(v[:], float64(x), float64(y))
	default:
		return math.Hypot(dx, dy) <= it.R
	}
}

// stats collects rule consequences over many images.
type stats struct {
	images, mergedImages int
}

// components labels the 8-connected white components of img and returns the label
// (1-based) of every pixel, 0 for black, and the number of components.
func components(img *image.Gray) ([]int, int) {
	lab := make([]int, Size*Size)
	stack := make([]int, 0, 1024)
	n := 0
	for p := range lab {
		if img.Pix[p] == 0 || lab[p] != 0 {
			continue
		}
		n++
		lab[p] = n
		stack = append(stack[:0], p)
		for len(stack) > 0 {
			q := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			qx, qy := q%Size, q/Size
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					x, y := qx+dx, qy+dy
					if x < 0 || y < 0 || x >= Size || y >= Size {
						continue
					}
					o := y*Size + x
					if img.Pix[o] != 0 && lab[o] == 0 {
						lab[o] = n
						stack = append(stack, o)
					}
				}
			}
		}
	}
	return lab, n
}

// checkImage verifies every property of one drawn image; it returns whether two or
// more items share a pixel component.
func checkImage(t *testing.T, g *Generator, s Set, n int, info Info, img *image.Gray) (merged bool) {
	t.Helper()
	tag := fmt.Sprintf("%s n=%d", s, n)
	items := g.Items()
	if len(items) != n || info.N != n || info.Set != s {
		t.Fatalf("%s: %d items, info N=%d set=%s", tag, len(items), info.N, info.Set)
	}
	// Centres inside the MATLAB range ceil(r)+1 .. 227-ceil(r).
	for i, it := range items {
		c := int(math.Ceil(it.R))
		if it.R <= 0 || it.X < c+1 || it.X > Size-c || it.Y < c+1 || it.Y > Size-c {
			t.Fatalf("%s: item %d %+v outside the centre range", tag, i, it)
		}
	}
	// Spacing rule from the placed geometry.
	factor := 1.0
	if s == Control2 {
		factor = math.Sqrt2
	}
	for i := range items {
		for j := i + 1; j < n; j++ {
			a, b := items[i], items[j]
			d := math.Hypot(float64(a.X-b.X), float64(a.Y-b.Y))
			if !(d > factor*(a.R+b.R)) {
				t.Fatalf("%s: items %d %+v and %d %+v at distance %.3f, need > %.3f", tag, i, a, j, b, d, factor*(a.R+b.R))
			}
			// Geometric disjointness follows: each item lies within reach of its centre.
			if !(d > reach(a)+reach(b)-1e-9) {
				t.Fatalf("%s: items %d and %d may overlap geometrically", tag, i, j)
			}
		}
	}
	// Pixels: reference rendering, overlap, border, area.
	cover := make([]int, Size*Size)
	perItem := make([]int, n)
	for i, it := range items {
		f := int(math.Ceil(reach(it))) + 1
		for y := it.Y - f; y <= it.Y+f; y++ {
			for x := it.X - f; x <= it.X+f; x++ {
				if x < 1 || y < 1 || x > Size || y > Size {
					continue
				}
				if refCovers(it, x, y) {
					cover[(y-1)*Size+x-1]++
					perItem[i]++
				}
			}
		}
		if perItem[i] == 0 {
			t.Fatalf("%s: item %d %+v covers no pixel", tag, i, it)
		}
		if !refCovers(it, it.X, it.Y) {
			t.Fatalf("%s: item %d does not cover its centre", tag, i)
		}
	}
	on := 0
	for p, c := range cover {
		if c > 1 {
			t.Fatalf("%s: pixel (%d,%d) covered by %d items", tag, p%Size+1, p/Size+1, c)
		}
		want := uint8(0)
		if c == 1 {
			want = On
			on++
		}
		if img.Pix[p] != want {
			t.Fatalf("%s: pixel (%d,%d) = %d, reference %d", tag, p%Size+1, p/Size+1, img.Pix[p], want)
		}
	}
	for k := 0; k < Size; k++ {
		for _, p := range []int{k, (Size-1)*Size + k, k * Size, k*Size + Size - 1} {
			if img.Pix[p] != 0 {
				t.Fatalf("%s: border pixel %d is on", tag, p)
			}
		}
	}
	if info.TotalArea != float64(on) {
		t.Fatalf("%s: TotalArea %v, %d pixels on", tag, info.TotalArea, on)
	}
	if math.Abs(info.MeanDotArea-float64(on)/float64(n)) > 1e-9 {
		t.Fatalf("%s: MeanDotArea %v", tag, info.MeanDotArea)
	}
	// Mean distance as MATLAB computes it: per dot mean distance to the others, averaged.
	if n == 1 {
		if !math.IsNaN(info.MeanDist) {
			t.Fatalf("%s: MeanDist %v, want NaN", tag, info.MeanDist)
		}
	} else {
		avg := 0.0
		for i := range items {
			m := 0.0
			for j := range items {
				if i != j {
					m += math.Hypot(float64(items[i].X-items[j].X), float64(items[i].Y-items[j].Y))
				}
			}
			avg += m / float64(n-1)
		}
		avg /= float64(n)
		if math.Abs(avg-info.MeanDist) > 1e-9*avg {
			t.Fatalf("%s: MeanDist %v, recomputed %v", tag, info.MeanDist, avg)
		}
	}
	nominal := 0.0
	sumR := 0.0
	for _, it := range items {
		nominal += nominalArea(&it)
		sumR += it.R
	}
	if math.Abs(nominal-info.NominalArea) > 1e-9*nominal {
		t.Fatalf("%s: NominalArea %v, recomputed %v", tag, info.NominalArea, nominal)
	}
	// Lattice rounding bound for discs: the unit squares centred on the pixels of a
	// disc of radius r cover the disc of radius r-√2/2 and lie inside the disc of
	// radius r+√2/2, so |count - πr²| <= π(√2·r + 1/2) per disc.
	discTol := math.Pi * (math.Sqrt2*sumR + 0.5*float64(n))
	switch s {
	case Control1:
		if math.Abs(nominal-1200) > 1e-9 {
			t.Fatalf("%s: nominal area %v, want 1200", tag, nominal)
		}
		if n > 1 && !(info.MeanDist > 90 && info.MeanDist < 100) {
			t.Fatalf("%s: mean distance %v outside (90, 100)", tag, info.MeanDist)
		}
		if math.Abs(float64(on)-1200) > discTol {
			t.Fatalf("%s: %d pixels on, nominal 1200, tolerance %.1f", tag, on, discTol)
		}
		// Radii keep the proportions of a 7 + 0.7·N(0,1) draw: mean radius near √(1200/(πN)).
		if mr := sumR / float64(n); mr > math.Sqrt(1200/(math.Pi*float64(n)))*1.0001 {
			t.Fatalf("%s: mean radius %v above the equal-radius bound", tag, mr)
		}
	case AreaVarying:
		k := info.AreaLevel
		if k < 1 || k > 8 {
			t.Fatalf("%s: area level %d", tag, k)
		}
		want := 120 * math.Pi * float64(k)
		if math.Abs(nominal-want) > 1e-9*want {
			t.Fatalf("%s: nominal area %v, want %v (k=%d)", tag, nominal, want, k)
		}
		if math.Abs(float64(on)-want) > discTol {
			t.Fatalf("%s: %d pixels on, nominal %.1f, tolerance %.1f", tag, on, want, discTol)
		}
	case Control2:
		v, ang, ok := g.Hull()
		if !ok || ang < 1 || ang > 180 {
			t.Fatalf("%s: hull %v angle %d ok %v", tag, v, ang, ok)
		}
		for _, p := range v {
			if d := math.Hypot(p[0]-114, p[1]-114); math.Abs(d-110) > 1e-9 {
				t.Fatalf("%s: hull vertex %v at %v from (114,114)", tag, p, d)
			}
		}
		// Inside or on the regular pentagon: the projection on every edge normal is at
		// most the apothem 110·cos 36°. Normals point at angle + 36° + 72°·i.
		apothem := 110 * math.Cos(math.Pi/5)
		for i, it := range items {
			for e := 0; e < 5; e++ {
				a := (float64(ang) + 36 + 72*float64(e)) * math.Pi / 180
				proj := (float64(it.X)-114)*math.Cos(a) + (float64(it.Y)-114)*math.Sin(a)
				if proj > apothem+1e-9 {
					t.Fatalf("%s: item %d %+v outside the pentagon (edge %d, %.3f > %.3f)", tag, i, it, e, proj, apothem)
				}
			}
		}
	default:
		if s != Standard || info.AreaLevel != 0 {
			t.Fatalf("%s: area level %d", tag, info.AreaLevel)
		}
		for _, it := range items {
			if it.Shape != Disc {
				t.Fatalf("%s: shape %s", tag, it.Shape)
			}
		}
	}
	// 8-connected components: every component holds a centre, and items that share
	// one must be close enough for their pixels to touch (gap at most √2).
	lab, nc := components(img)
	if nc > n {
		t.Fatalf("%s: %d components for %d items", tag, nc, n)
	}
	compOf := make([]int, n)
	seen := make(map[int]bool)
	for i, it := range items {
		compOf[i] = lab[(it.Y-1)*Size+it.X-1]
		seen[compOf[i]] = true
	}
	if len(seen) != nc {
		t.Fatalf("%s: %d components but the centres lie in %d", tag, nc, len(seen))
	}
	// Union the geometrically near pairs; a pixel component may only join items
	// that a chain of near pairs connects.
	near := make([]int, n)
	for i := range near {
		near[i] = i
	}
	find := func(i int) int {
		for near[i] != i {
			i = near[i]
		}
		return i
	}
	for i := range items {
		for j := i + 1; j < n; j++ {
			a, b := items[i], items[j]
			if math.Hypot(float64(a.X-b.X), float64(a.Y-b.Y)) <= reach(a)+reach(b)+math.Sqrt2+1e-9 {
				near[find(i)] = find(j)
			}
		}
	}
	for i := range items {
		for j := i + 1; j < n; j++ {
			if compOf[i] == compOf[j] && find(i) != find(j) {
				t.Fatalf("%s: items %d %+v and %d %+v share a pixel component but are not near", tag, i, items[i], j, items[j])
			}
		}
	}
	return nc < n
}

// TestProperties draws images of every set at every numerosity from many seeds and
// checks each one (see checkImage).
func TestProperties(t *testing.T) {
	seeds := 12
	if testing.Short() {
		seeds = 3
	}
	img := NewImage()
	for _, s := range allSets {
		var st stats
		for seed := 0; seed < seeds; seed++ {
			g := New(uint64(1000 + seed))
			for _, n := range Numerosities {
				info, err := g.Draw(s, n, img)
				if err != nil {
					t.Fatal(err)
				}
				st.images++
				if checkImage(t, g, s, n, info, img) {
					st.mergedImages++
				}
			}
		}
		t.Logf("%-8s %d images, %d with pixel-adjacent items", s, st.images, st.mergedImages)
	}
}

// TestAreaLevels checks DrawArea at every level and that Draw picks all 8 levels.
func TestAreaLevels(t *testing.T) {
	g := New(5)
	img := NewImage()
	ns := []int{1, 2, 12, 30}
	if testing.Short() {
		ns = []int{1, 30}
	}
	for k := 1; k <= 8; k++ {
		for _, n := range ns {
			info, err := g.DrawArea(n, k, img)
			if err != nil {
				t.Fatal(err)
			}
			if info.AreaLevel != k {
				t.Fatalf("DrawArea(%d, %d): level %d", n, k, info.AreaLevel)
			}
			checkImage(t, g, AreaVarying, n, info, img)
		}
	}
	var count [9]int
	for i := 0; i < 400; i++ {
		info, err := g.Draw(AreaVarying, 2, img)
		if err != nil {
			t.Fatal(err)
		}
		count[info.AreaLevel]++
	}
	for k := 1; k <= 8; k++ {
		// Binomial(400, 1/8): mean 50, sd 6.6; 25..75 is beyond 3.7 sd.
		if count[k] < 25 || count[k] > 75 {
			t.Errorf("area level %d drawn %d times in 400", k, count[k])
		}
	}
}

// TestRadiusDistribution: the first dot of a standard image is an unselected draw
// of 7 + 0.7·N(0,1).
func TestRadiusDistribution(t *testing.T) {
	m := 4000
	if testing.Short() {
		m = 1000
	}
	g := New(77)
	img := NewImage()
	sum, sum2 := 0.0, 0.0
	for i := 0; i < m; i++ {
		if _, err := g.Draw(Standard, 1, img); err != nil {
			t.Fatal(err)
		}
		r := g.Items()[0].R
		sum += r
		sum2 += r * r
	}
	mean := sum / float64(m)
	sd := math.Sqrt(sum2/float64(m) - mean*mean)
	// Standard errors: 0.7/√m for the mean, 0.7/√(2m) for the sd; allow 5.
	if math.Abs(mean-7) > 5*0.7/math.Sqrt(float64(m)) || math.Abs(sd-0.7) > 5*0.7/math.Sqrt(2*float64(m)) {
		t.Fatalf("radius mean %.4f sd %.4f over %d draws, want 7 and 0.7", mean, sd, m)
	}
}

// TestShapeProportions: each Control2 shape has probability 1/4, triangles are
// rotated by 1..180 degrees, and the other shapes carry no angle.
func TestShapeProportions(t *testing.T) {
	images := 200
	if testing.Short() {
		images = 60
	}
	g := New(99)
	img := NewImage()
	var count [4]int
	total := 0
	angles := map[int]bool{}
	for i := 0; i < images; i++ {
		if _, err := g.Draw(Control2, 30, img); err != nil {
			t.Fatal(err)
		}
		for _, it := range g.Items() {
			count[it.Shape]++
			total++
			if it.Shape == Triangle {
				if it.Angle < 1 || it.Angle > 180 {
					t.Fatalf("triangle angle %d", it.Angle)
				}
				angles[it.Angle] = true
			} else if it.Angle != 0 {
				t.Fatalf("%s with angle %d", it.Shape, it.Angle)
			}
		}
	}
	se := math.Sqrt(0.25 * 0.75 / float64(total))
	for s, c := range count {
		if p := float64(c) / float64(total); math.Abs(p-0.25) > 5*se {
			t.Errorf("%s: fraction %.4f of %d items, want 0.25 ± %.4f", Shape(s), p, total, 5*se)
		}
	}
	if len(angles) < 60 {
		t.Errorf("only %d distinct triangle angles", len(angles))
	}
}

// TestShapeAreas: the pixel count of each Control2 shape follows its geometric area
// (ellipse about half a disc, square 4r², triangle 1.299r²) on average.
func TestShapeAreas(t *testing.T) {
	g := New(3)
	img := NewImage()
	var px, nom [4]float64
	for i := 0; i < 40; i++ {
		if _, err := g.Draw(Control2, 30, img); err != nil {
			t.Fatal(err)
		}
		for _, it := range g.Items() {
			one := render(img, []Item{it})
			px[it.Shape] += float64(one)
			nom[it.Shape] += nominalArea(&it)
		}
	}
	for s := range px {
		if ratio := px[s] / nom[s]; math.Abs(ratio-1) > 0.06 {
			t.Errorf("%s: %0.f pixels for nominal area %.0f (ratio %.3f)", Shape(s), px[s], nom[s], ratio)
		}
	}
}

// TestAcceptanceRates measures the effort per image and checks it stays far below
// the retry limits. The Control1 density pass rate is logged for the record.
func TestAcceptanceRates(t *testing.T) {
	images := 40
	if testing.Short() {
		images = 8
	}
	g := New(2024)
	img := NewImage()
	for _, s := range allSets {
		worstA, worstC := 0, 0 // attempts per configuration, configurations
		for _, n := range []int{2, 4, 8, 16, 30} {
			attempts, configs := 0, 0
			for i := 0; i < images; i++ {
				if _, err := g.Draw(s, n, img); err != nil {
					t.Fatal(err)
				}
				attempts += g.attempts
				configs += g.configs
				worstA = max(worstA, g.attempts/g.configs)
				worstC = max(worstC, g.configs)
			}
			if s == Control1 {
				t.Logf("%s n=%2d: density pass rate %.3f (%d images), %.0f attempts/image",
					s, n, float64(images)/float64(configs), images, float64(attempts)/float64(images))
			} else {
				t.Logf("%s n=%2d: %.1f attempts/image", s, n, float64(attempts)/float64(images))
			}
		}
		if worstA > maxAttempts/100 || worstC > maxConfigs/10 {
			t.Errorf("%s: worst image needed %d attempts, %d configurations: too close to the limits", s, worstA, worstC)
		}
	}
}

// TestControl1PixelArea: per image the white-pixel count may miss the nominal
// 1200 px² by the lattice rounding of each disc (bounded in checkImage by
// π(√2·Σr + N/2), 88 px at N = 1 up to ~520 px at N = 30). Those errors have no
// systematic sign, so over many images the count is unbiased, and in practice
// single images stay within 5 % (measured: sd 8-15 px, worst 58 px of 1200).
func TestControl1PixelArea(t *testing.T) {
	images := 60
	if testing.Short() {
		images = 12
	}
	g := New(6)
	img := NewImage()
	sum, m := 0.0, 0
	for _, n := range Numerosities {
		for i := 0; i < images; i++ {
			info, err := g.Draw(Control1, n, img)
			if err != nil {
				t.Fatal(err)
			}
			d := info.TotalArea - 1200
			if math.Abs(d) > 0.05*1200 {
				t.Errorf("n=%d: %v pixels on, more than 5 %% off 1200", n, info.TotalArea)
			}
			sum += d
			m++
		}
	}
	// sd per image <= 16 px, so the mean of m images has sd <= 16/√m; allow 5 sd.
	if mean := sum / float64(m); math.Abs(mean) > 5*16/math.Sqrt(float64(m)) {
		t.Errorf("mean pixel area deviation %.2f px over %d images: biased", mean, m)
	}
}
