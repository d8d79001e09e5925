package camera

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/numsense/numsense/model/atomicfile"
)

func recordSynthetic(t *testing.T, dir string, seed uint64, n int) error {
	t.Helper()
	src := NewSynthetic(&Opts{Width: 64, Height: 48, Synthetic: SyntheticOpts{Seed: seed, Every: 2, Counts: []int{2, 5}, Hand: -1}})
	return Record(context.Background(), src, dir, 0, n, nil)
}

func pngs(t *testing.T, dir string) []string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dir, "*.png"))
	return m
}

// TestRecordNeverReplaces is the record part of issue 13 item 1 and the header-less
// counts.csv low item: record wrote frames into any directory and rewrote its
// counts.csv from all lines but the first. Now it writes only into a new or empty
// directory or an earlier recording, which it continues; a photo set, a file, a
// bench output are refused and left as they were.
func TestRecordNeverReplaces(t *testing.T) {
	root := t.TempDir()
	rec := filepath.Join(root, "rec")
	if err := recordSynthetic(t, rec, 3, 2); err != nil {
		t.Fatal(err)
	}
	if err := recordSynthetic(t, rec, 4, 3); err != nil {
		t.Fatalf("continuing a recording: %v", err)
	}
	rows, err := ReadCounts(filepath.Join(rec, CountsFile))
	if err != nil || len(rows) != 5 || len(pngs(t, rec)) != 5 {
		t.Fatalf("after 2 + 3 frames: %d rows, %d PNGs, %v", len(rows), len(pngs(t, rec)), err)
	}

	// A photo set whose counts.csv has no header, a file, a bench output.
	set := filepath.Join(root, "set")
	os.Mkdir(set, 0o755)
	writePNG(t, filepath.Join(set, "a.png"), 9)
	os.WriteFile(filepath.Join(set, CountsFile), []byte("a.png,3\n"), 0o644)
	file := filepath.Join(root, "file")
	os.WriteFile(file, []byte("x"), 0o644)
	out := filepath.Join(root, "out")
	d, _ := atomicfile.NewDir(out, "bench")
	d.WriteFile("summary.json", []byte("{}"))
	d.Commit()
	for _, p := range []string{set, file, out} {
		if err := recordSynthetic(t, p, 5, 1); !errors.Is(err, atomicfile.ErrNotOurs) || !strings.Contains(err.Error(), p) {
			t.Errorf("record -o %s: %v; want a refusal naming it", p, err)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(set, CountsFile)); string(b) != "a.png,3\n" || len(pngs(t, set)) != 1 {
		t.Errorf("the photo set was changed: counts.csv %q, %d PNGs", b, len(pngs(t, set)))
	}

	// A recording whose counts.csv was edited into something unreadable is not
	// continued (rows would be lost).
	os.WriteFile(filepath.Join(rec, CountsFile), []byte("20250101T000000.000.png,3\n"), 0o644)
	if err := recordSynthetic(t, rec, 6, 1); err == nil || !strings.Contains(err.Error(), "header") {
		t.Errorf("a recording with a header-less counts.csv: %v", err)
	}
	if len(pngs(t, rec)) != 5 {
		t.Error("frames were added to a recording that could not be continued")
	}
}

// TestRecordKeepsHandMadeCounts: true counts typed in by hand (counts.csv not
// written by record) are never replaced; a source without truth still adds frames,
// one with truth stops with an error.
func TestRecordKeepsHandMadeCounts(t *testing.T) {
	rec := filepath.Join(t.TempDir(), "rec")
	noTruth := NewSynthetic(&Opts{Width: 64, Height: 48, Synthetic: SyntheticOpts{Seed: 3, Counts: []int{2}, Hand: -1}})
	noTruthSrc := &countless{noTruth}
	if err := Record(context.Background(), noTruthSrc, rec, 0, 2, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(rec, CountsFile)); !os.IsNotExist(err) {
		t.Fatal("counts.csv written for a source without truth")
	}
	hand := "file,count\n" + filepath.Base(pngs(t, rec)[0]) + ",2\n"
	os.WriteFile(filepath.Join(rec, CountsFile), []byte(hand), 0o644)
	if err := Record(context.Background(), noTruthSrc, rec, 0, 1, nil); err != nil {
		t.Fatalf("more frames without truth: %v", err)
	}
	if err := recordSynthetic(t, rec, 4, 1); !errors.Is(err, atomicfile.ErrNotOurs) || !strings.Contains(err.Error(), CountsFile) {
		t.Errorf("a source with truth and a hand-made counts.csv: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(rec, CountsFile)); string(b) != hand {
		t.Errorf("the hand-made counts.csv became %q", b)
	}
	if n := len(pngs(t, rec)); n != 3 {
		t.Errorf("%d frames, want 3", n)
	}
}

// countless hides the true counts of a source, as a real camera has none.
type countless struct{ Source }

func (c *countless) Next(ctx context.Context, f *Frame) error {
	err := c.Source.Next(ctx, f)
	f.Count = -1
	return err
}
