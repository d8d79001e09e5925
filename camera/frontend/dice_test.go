package frontend

import (
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/numsense/numsense/camera"
)

// repoRoot is the directory holding go.mod.
func repoRoot(t testing.TB) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			t.Fatalf("no go.mod above %s", wd)
		}
	}
}

// fullDiceDir is the full set of 250 dice photographs (docs/data.md): $NUMSENSE_DICE,
// else ../shared/data/dice beside the repository. The test skips, naming the path,
// when it is not there.
func fullDiceDir(t testing.TB) string {
	dir := os.Getenv("NUMSENSE_DICE")
	if dir == "" {
		dir = filepath.Join(repoRoot(t), "..", "shared", "data", "dice")
	}
	if _, err := os.Stat(filepath.Join(dir, camera.CountsFile)); err != nil {
		t.Skipf("the full dice set is not at %s (see docs/data.md; set NUMSENSE_DICE=DIR): %v", dir, err)
	}
	return dir
}

// components counts the 8-connected foreground components of a binary image.
// The test counts; the front end never does.
func components(g *image.Gray) int {
	b := g.Bounds()
	w, h := b.Dx(), b.Dy()
	lab := make([]bool, w*h)
	n := 0
	var st []int
	for i := range lab {
		if lab[i] || g.Pix[(i/w)*g.Stride+i%w] == 0 {
			continue
		}
		n++
		lab[i] = true
		st = append(st[:0], i)
		for len(st) > 0 {
			p := st[len(st)-1]
			st = st[:len(st)-1]
			px, py := p%w, p/w
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					x, y := px+dx, py+dy
					if x < 0 || y < 0 || x >= w || y >= h {
						continue
					}
					q := y*w + x
					if !lab[q] && g.Pix[y*g.Stride+x] != 0 {
						lab[q] = true
						st = append(st, q)
					}
				}
			}
		}
	}
	return n
}

func within(got, want int, tol float64) bool {
	return math.Abs(float64(got-want)) <= tol*float64(want)+1e-9
}

// TestDiceSilhouettes checks segmentation on the repository's 42 dice photographs
// (camera/testdata/dice, two per count, so richer in the hard crowded trays than
// the full set): for at least 70% of them the number of silhouette components is
// within 15% of the true count (36 of 42 when the subset was made, with the front
// end tuned on this tray alone; 31 since it holds on other tables: pairs of dice
// pressed together without a crease between them stay one region).
func TestDiceSilhouettes(t *testing.T) {
	rows, err := camera.ReadCounts(filepath.Join(repoRoot(t), "camera", "testdata", "dice", camera.CountsFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 42 {
		t.Fatalf("%d labelled photos in the subset, want 42", len(rows))
	}
	checkDiceSilhouettes(t, rows, 0.70)
}

// TestDiceSilhouettesFull is TestDiceSilhouettes on the full set of 250 photos, where
// at least 85% must be within 15% (91.2% with the front end tuned on this tray
// alone, 86.0% since it holds on other tables).
// NUMSENSE_DUMP=dir writes each photo's silhouette there as PNG for inspection.
func TestDiceSilhouettesFull(t *testing.T) {
	rows, err := camera.ReadCounts(filepath.Join(fullDiceDir(t), camera.CountsFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 200 {
		t.Fatalf("%d labelled photos, want 250", len(rows))
	}
	if testing.Short() {
		// Every second photo: 125 spread over all sessions (fewer would make the
		// 85% criterion a coin toss: one photo is 4% of 25).
		var sub []camera.Labelled
		for i := 0; i < len(rows); i += 2 {
			sub = append(sub, rows[i])
		}
		rows = sub
	}
	checkDiceSilhouettes(t, rows, 0.85)
}

func checkDiceSilhouettes(t *testing.T, rows []camera.Labelled, want float64) {
	t.Helper()
	dump := os.Getenv("NUMSENSE_DUMP")
	// One region of interest for all photos, as an installation would configure it:
	// the tray without the top and bottom 12% where its rail (two grey holes) lies in
	// some shots.
	o := &Opts{ROI: image.Rect(0, 77, 640, 563)}
	if v := os.Getenv("NUMSENSE_FE"); v != "" {
		fmt.Sscanf(v, "%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d", &o.Close, &o.Open, &o.MinContrast, &o.MaxThreshold, &o.Cell, &o.Erode, &o.Work, &o.Shadow, &o.Light, &o.ChromaGain, &o.Spot, &o.Gap, &o.Split, &o.Core, &o.Dip, &o.Line)
	}
	fe := New(o)
	var fr camera.Frame
	ok := 0
	for _, r := range rows {
		f, err := os.Open(r.Path)
		if err != nil {
			t.Fatal(err)
		}
		img, err := jpeg.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", r.File, err)
		}
		fr.SetImage(img)
		fr.Name = r.File
		fe.Reset()
		res, err := fe.Process(&fr)
		if err != nil {
			t.Fatal(err)
		}
		n := components(res.Image)
		good := within(n, r.Count, 0.15)
		if good {
			ok++
		}
		if testing.Verbose() && !good {
			wm := &image.Gray{Pix: fe.mask, Stride: fe.ow, Rect: image.Rect(0, 0, fe.ow, fe.oh)}
			t.Logf("%s: true %d, components %d, working %d, threshold %d, fg %.4f", r.File, r.Count, n, components(wm), res.Threshold, res.Foreground)
		}
		if dump != "" {
			name := filepath.Join(dump, fmt.Sprintf("%s_%d_%d.png", filepath.Base(r.File), r.Count, n))
			w, err := os.Create(name)
			if err != nil {
				t.Fatal(err)
			}
			png.Encode(w, res.Image)
			w.Close()
		}
	}
	ratio := float64(ok) / float64(len(rows))
	t.Logf("%d of %d photos (%.1f%%) within +-15%% of the true count", ok, len(rows), 100*ratio)
	if ratio < want {
		t.Errorf("only %.1f%% of photos within +-15%%, want >= %.0f%%", 100*ratio, 100*want)
	}
}
