package frontend

import (
	"image"
	"math"
	"testing"

	"github.com/numsense/numsense/camera"
)

// squaresFrame is a 640x480 light table with dark squares of side s at the given
// top-left corners.
func squaresFrame(s int, at ...image.Point) *camera.Frame {
	const w, h = 640, 480
	f := &camera.Frame{Format: camera.Gray, Width: w, Height: h, Stride: w, Pix: make([]byte, w*h), Count: len(at)}
	for i := range f.Pix {
		f.Pix[i] = 200
	}
	for _, p := range at {
		for y := p.Y; y < p.Y+s; y++ {
			for x := p.X; x < p.X+s; x++ {
				f.Pix[y*w+x] = 30
			}
		}
	}
	return f
}

// silhouetteStats gives the foreground pixels, the centre of the foreground's
// bounding box and the mean depth (chessboard distance to the background, in
// silhouette pixels) of a silhouette.
func silhouetteStats(g *image.Gray) (n int, cx, cy, depth float64) {
	x0, y0, x1, y1 := Size, Size, -1, -1
	sum := 0
	for y := 0; y < Size; y++ {
		for x := 0; x < Size; x++ {
			if g.Pix[y*Size+x] == 0 {
				continue
			}
			n++
			x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
			d := 1
			for ; ; d++ { // the smallest ring around (x, y) that holds background
				found := false
				for dy := -d; dy <= d && !found; dy++ {
					for dx := -d; dx <= d; dx++ {
						xx, yy := x+dx, y+dy
						if xx < 0 || yy < 0 || xx >= Size || yy >= Size || g.Pix[yy*Size+xx] == 0 {
							found = true
							break
						}
					}
				}
				if found {
					break
				}
			}
			sum += d
		}
	}
	if n == 0 {
		return 0, 0, 0, 0
	}
	return n, float64(x0+x1+1) / 2, float64(y0+y1+1) / 2, float64(sum) / float64(n)
}

// TestCompose checks the silhouette's composition: a compact cluster of small
// objects is magnified until its bounding box fills Fill percent of the silhouette,
// centred, every object still apart; Fill < 0 turns the zoom off; one tiny object
// stops at MaxZoom and grows to about Radius; objects that touched are set Gap
// apart; and a frame allocates nothing.
func TestCompose(t *testing.T) {
	// Five squares of side 20, 16 apart, left of and above the centre.
	var at []image.Point
	for i := 0; i < 5; i++ {
		at = append(at, image.Pt(150+36*i, 150+(i%2)*30))
	}
	cluster := squaresFrame(20, at...)

	off := New(&Opts{Fill: -1})
	r, err := off.Process(cluster)
	if err != nil {
		t.Fatal(err)
	}
	if r.Zoom != 1 {
		t.Errorf("Fill -1: zoom %v, want 1", r.Zoom)
	}
	if c := components(r.Image); c != 5 {
		t.Errorf("unzoomed silhouette has %d components, want 5", c)
	}

	fe := New(nil)
	r, err = fe.Process(cluster)
	if err != nil {
		t.Fatal(err)
	}
	if r.State != Stable {
		t.Fatalf("state %v", r.State)
	}
	if c := components(r.Image); c != 5 {
		t.Errorf("zoomed silhouette has %d components, want 5", c)
	}
	x0, y0, x1, y1 := bbox(r.Image)
	if w := x1 - x0 + 1; math.Abs(float64(w)-0.9*Size) > 8 {
		t.Errorf("cluster %d pixels wide in the silhouette, want about %.0f (Fill 90%%)", w, 0.9*Size)
	}
	if cx, cy := float64(x0+x1+1)/2, float64(y0+y1+1)/2; math.Abs(cx-Size/2) > 3 || math.Abs(cy-Size/2) > 3 {
		t.Errorf("zoomed foreground centred at (%.1f, %.1f), want (%d, %d)", cx, cy, Size/2, Size/2)
	}
	// The cluster is 3 times wider than high: with room to zoom, the height is
	// magnified up to Aniso times more than the width.
	wide := New(&Opts{MaxZoom: 10})
	if r, err = wide.Process(cluster); err != nil {
		t.Fatal(err)
	}
	x0, y0, x1, y1 = bbox(r.Image)
	if h, w := y1-y0+1, x1-x0+1; h < Size/2 || w < Size*8/10 {
		t.Errorf("cluster %dx%d in the silhouette: the height was not stretched", w, h)
	}

	// One tiny object: the zoom stops at MaxZoom, and the object grows to about
	// Radius (mean depth Radius/3 + 1/2 in chessboard pixels).
	fe2 := New(&Opts{MaxZoom: 2})
	if r, err = fe2.Process(squaresFrame(14, image.Pt(300, 220))); err != nil {
		t.Fatal(err)
	}
	if math.Abs(r.Zoom-2) > 1e-9 {
		t.Errorf("one tiny object with MaxZoom 2: zoom %.2f, want 2", r.Zoom)
	}
	if c := components(r.Image); c != 1 {
		t.Errorf("one tiny object: %d components", c)
	}
	if _, _, _, d := silhouetteStats(r.Image); math.Abs(d-(float64(DefaultOpts.Radius)/3+0.5)) > 0.8 {
		t.Errorf("tiny object grown to mean depth %.2f, want about %.2f", d, float64(DefaultOpts.Radius)/3+0.5)
	}

	// Two squares that touch but for a dark crease: separated, then set apart.
	pair := squaresFrame(60, image.Pt(200, 200), image.Pt(262, 200))
	for y := 200; y < 260; y++ {
		pair.Pix[y*640+260], pair.Pix[y*640+261] = 90, 90
	}
	for y := 200; y < 260; y++ { // light squares: the crease is darker than both
		for x := 200; x < 322; x++ {
			if x != 260 && x != 261 {
				pair.Pix[y*640+x] = 230
			}
		}
	}
	for i := range pair.Pix {
		if pair.Pix[i] == 200 {
			pair.Pix[i] = 60 // a dark table
		}
	}
	if r, err = fe.Process(pair); err != nil {
		t.Fatal(err)
	}
	if c := components(r.Image); c != 2 {
		t.Fatalf("two squares touching at a crease: %d components, want 2", c)
	}
	if g := maxGapRow(r.Image); g < 2*DefaultOpts.Gap-5 { // within two pixels each side (half-size transforms)
		t.Errorf("gap between the separated squares %d pixels, want about %d", g, 2*DefaultOpts.Gap)
	}

	other := squaresFrame(20, at[1:]...)
	fe.Process(cluster)
	n := testing.AllocsPerRun(10, func() {
		fe.Process(other)
		fe.Process(cluster)
	})
	if n != 0 {
		t.Errorf("%v allocations per frame pair", n)
	}
}

// bbox is the bounding box of a silhouette's foreground.
func bbox(g *image.Gray) (x0, y0, x1, y1 int) {
	x0, y0, x1, y1 = Size, Size, -1, -1
	for y := 0; y < Size; y++ {
		for x := 0; x < Size; x++ {
			if g.Pix[y*Size+x] != 0 {
				x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
			}
		}
	}
	return
}

// maxGapRow is the widest run of background between two foreground pixels on the
// middle row of the foreground's bounding box.
func maxGapRow(g *image.Gray) int {
	_, y0, _, y1 := bbox(g)
	row := g.Pix[(y0+y1)/2*Size : ((y0+y1)/2+1)*Size]
	best, last := 0, -1
	for x, v := range row {
		if v != 0 {
			if last >= 0 {
				best = max(best, x-last-1)
			}
			last = x
		}
	}
	return best
}
