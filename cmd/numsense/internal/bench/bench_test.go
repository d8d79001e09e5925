package bench

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSummariseWeber(t *testing.T) {
	rows := []Row{{True: 10, Estimate: 10, Lo: 8, Hi: 12}, {True: 10, Estimate: 12, Lo: 10, Hi: 14}, {True: 20, Estimate: 16, Lo: 13, Hi: 19}, {True: 5, Estimate: 5, Lo: 4, Hi: 6}}
	s := Summarise(rows)
	if *s.MedianAbsRelErr != 0.1 || *s.IntervalCoverage != 0.75 {
		t.Errorf("median %v coverage %v", *s.MedianAbsRelErr, *s.IntervalCoverage)
	}
	if w := *s.WeberFraction; !(w > 0.1 && w < 0.2) {
		t.Errorf("Weber fraction %v", w)
	}
	if len(s.PerCount) != 3 || s.PerCount[1].Count != 10 || s.PerCount[1].Frames != 2 {
		t.Errorf("per count %+v", s.PerCount)
	}
}

// An output directory that numsense did not write is refused, and what was in it
// stays (bench -o D D once deleted the input set D).
func TestWriteRefusesForeignDirectory(t *testing.T) {
	set := t.TempDir()
	os.WriteFile(filepath.Join(set, "counts.csv"), []byte("file,count\na.png,3\n"), 0o644)
	rows := []Row{{File: "a.png", True: 3, Estimate: 3, Lo: 2, Hi: 4}}
	if err := Check(set); err == nil {
		t.Fatal("Check accepted the input set as an output directory")
	}
	if err := Write(set, rows, Summarise(rows)); err == nil || !strings.Contains(err.Error(), set) {
		t.Fatalf("Write into the input set: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(set, "counts.csv")); !bytes.Contains(b, []byte("a.png,3")) {
		t.Fatal("the input set was changed")
	}
	out := filepath.Join(t.TempDir(), "res")
	for i := 0; i < 2; i++ { // the second run replaces the first
		if err := Write(out, rows, Summarise(rows)); err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
	}
	for _, f := range []string{"frames.csv", "summary.json", "estimates.png"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
}

// Frames of an empty table (true count 0) are not judged silently as unlabelled:
// the summary says how many there were and how many came out empty (issue 13, low).
func TestSummariseEmptyTable(t *testing.T) {
	rows := []Row{{True: 4, Estimate: 4, Lo: 3, Hi: 5, State: "estimating"}, {True: 0, State: "empty"}, {True: 0, Estimate: 2, Lo: 1, Hi: 3, State: "estimating"}}
	s := Summarise(rows)
	if s.EmptyTable != 2 || s.EmptyEstimated != 1 || s.Labelled != 1 {
		t.Errorf("empty table %d, estimated empty %d, labelled %d; want 2, 1, 1", s.EmptyTable, s.EmptyEstimated, s.Labelled)
	}
	var b bytes.Buffer
	Print(&b, s)
	if !strings.Contains(b.String(), "empty table (true count 0): 2 frames, 1 of them estimated empty") {
		t.Errorf("the summary does not mention the empty-table frames:\n%s", b.String())
	}
}
