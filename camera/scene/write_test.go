package scene_test

import (
	"bytes"
	"context"
	"image/jpeg"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/camera/scene"
)

// TestWriteSet writes a small set, reads it back as numsense bench does, and checks
// that the files and labels are the scenes' and do not depend on the workers.
func TestWriteSet(t *testing.T) {
	o := scene.Opts{Seed: 2, Width: 160, Height: 120}
	dirs := []string{filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")}
	n := 7
	if testing.Short() {
		n = 4
	}
	for k, workers := range []int{1, 3} {
		got, err := scene.WriteSet(context.Background(), dirs[k], o, n, workers, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != n {
			t.Fatalf("%d scenes", len(got))
		}
	}
	rows, err := camera.ReadCounts(filepath.Join(dirs[0], camera.CountsFile))
	if err != nil {
		t.Fatal(err)
	}
	g, _ := scene.New(o)
	for i, r := range rows {
		sc, data, err := g.Render(i)
		if err != nil {
			t.Fatal(err)
		}
		if r.File != scene.File(i) || r.Count != sc.Count {
			t.Errorf("row %d: %s %d, want %s %d", i, r.File, r.Count, scene.File(i), sc.Count)
		}
		if r.Labels["kind"] != sc.Kind.String() || r.Labels["array"] != scene.ArrayClass(sc) || r.Labels["table"] != sc.Table.String() {
			t.Errorf("row %d: labels %v for %+v", i, r.Labels, sc)
		}
		if q, _ := strconv.Atoi(r.Labels["quality"]); q != sc.Quality {
			t.Errorf("row %d: quality %q, want %d", i, r.Labels["quality"], sc.Quality)
		}
		for _, d := range dirs {
			b, err := os.ReadFile(filepath.Join(d, r.File))
			if err != nil || !bytes.Equal(b, data) {
				t.Errorf("%s: not the rendered scene (%v)", filepath.Join(d, r.File), err)
			}
		}
	}
	// The directory is numsense's: written again in place, refused over others'.
	if _, err := scene.WriteSet(context.Background(), dirs[0], o, 2, 0, nil); err != nil {
		t.Errorf("rewriting our own set: %v", err)
	}
	foreign := t.TempDir()
	os.WriteFile(filepath.Join(foreign, "notes.txt"), []byte("mine"), 0o644)
	if _, err := scene.WriteSet(context.Background(), foreign, o, 2, 0, nil); err == nil {
		t.Error("WriteSet replaced a directory that is not numsense's")
	}
}

// TestSource checks that camera.Open("scenes:SEED") gives the set's pictures, as
// decoded from their files, with the true counts, in order.
func TestSource(t *testing.T) {
	src, err := camera.Open("scenes:4", &camera.Opts{Width: 160, Height: 120})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	g, _ := scene.New(scene.Opts{Seed: 4, Width: 160, Height: 120})
	var f, ref camera.Frame
	for i := 0; i < 3; i++ {
		if err := src.Next(context.Background(), &f); err != nil {
			t.Fatal(err)
		}
		sc, data, _ := g.Render(i)
		img, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		ref.SetImage(img)
		if f.Count != sc.Count || f.Seq != uint64(i+1) || f.Format != ref.Format || !bytes.Equal(f.Pix, ref.Pix) {
			t.Errorf("frame %d: count %d seq %d %v, want scene %d's picture (count %d)", i, f.Count, f.Seq, f.Format, i, sc.Count)
		}
	}
	if _, err := camera.Open("scenes:x", nil); err == nil {
		t.Error("scenes:x opened")
	}
}
