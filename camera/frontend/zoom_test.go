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

// TestZoom checks the zoom: a compact cluster of small objects is magnified until
// their mean depth is about Radius/3, centred, with every object still apart; objects
// spread over the view are not magnified; the factor stops at MaxZoom; Radius < 0
// turns it off; and a zoomed frame allocates nothing.
func TestZoom(t *testing.T) {
	// Five squares of side 20 (about 6 silhouette pixels without zoom), 16 apart,
	// left of and above the centre.
	var at []image.Point
	for i := 0; i < 5; i++ {
		at = append(at, image.Pt(150+36*i, 150+(i%2)*30))
	}
	cluster := squaresFrame(20, at...)

	off := New(&Opts{Radius: -1})
	r, err := off.Process(cluster)
	if err != nil {
		t.Fatal(err)
	}
	if r.Zoom != 1 {
		t.Errorf("Radius -1: zoom %v, want 1", r.Zoom)
	}
	_, _, _, d0 := silhouetteStats(r.Image)

	fe := New(nil)
	r, err = fe.Process(cluster)
	if err != nil {
		t.Fatal(err)
	}
	if r.State != Stable {
		t.Fatalf("state %v", r.State)
	}
	if r.Zoom < 1.8 || r.Zoom > 3 {
		t.Errorf("small compact cluster: zoom %.2f, want between 1.8 and 3 (set by the radius, not the extent)", r.Zoom)
	}
	if c := components(r.Image); c != 5 {
		t.Errorf("zoomed silhouette has %d components, want 5", c)
	}
	nn, cx, cy, d := silhouetteStats(r.Image)
	t.Logf("zoom %.2f, %d pixels, depth %.2f", r.Zoom, nn, d)
	if math.Abs(cx-Size/2) > 2 || math.Abs(cy-Size/2) > 2 {
		t.Errorf("zoomed foreground centred at (%.1f, %.1f), want (%d, %d)", cx, cy, Size/2, Size/2)
	}
	// Squares of half side 7 have a mean chessboard depth of about 7/3 + 0.5 (the
	// outline is half a pixel outside the centres of its pixels).
	if want := float64(DefaultOpts.Radius)/3 + 0.5; math.Abs(d-want) > 0.6 {
		t.Errorf("zoomed mean depth %.2f (%.2f without zoom), want about %.2f", d, d0, want)
	}

	// Objects at opposite sides of the view: their box already fills it.
	spread := squaresFrame(12, image.Pt(40, 200), image.Pt(580, 260))
	if r, err = fe.Process(spread); err != nil {
		t.Fatal(err)
	}
	if r.Zoom != 1 {
		t.Errorf("objects across the view: zoom %.2f, want 1", r.Zoom)
	}

	// One tiny object: the zoom stops at MaxZoom.
	fe2 := New(&Opts{MaxZoom: 3})
	if r, err = fe2.Process(squaresFrame(12, image.Pt(300, 220))); err != nil {
		t.Fatal(err)
	}
	if r.Zoom != 3 {
		t.Errorf("one tiny object with MaxZoom 3: zoom %.2f, want 3", r.Zoom)
	}
	if c := components(r.Image); c != 1 {
		t.Errorf("one tiny object: %d components", c)
	}

	other := squaresFrame(20, at[1:]...)
	fe.Process(cluster)
	n := testing.AllocsPerRun(10, func() {
		fe.Process(other)
		fe.Process(cluster)
	})
	if n != 0 {
		t.Errorf("%v allocations per zoomed frame pair", n)
	}
}
