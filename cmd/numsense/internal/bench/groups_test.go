package bench

import (
	"bytes"
	"image"
	"image/png"
	"strings"
	"testing"
)

// TestGroups breaks rows down by their text labels (numbers are not labels),
// values in numeric order, with the share of frames with objects found empty.
func TestGroups(t *testing.T) {
	lab := func(kind, size, cover string) map[string]string {
		return map[string]string{"kind": kind, "size": size, "cover": cover}
	}
	rows := []Row{
		{True: 10, Estimate: 10, Lo: 8, Hi: 12, State: "estimating", Labels: lab("coins", "10-25%", "0.5")},
		{True: 10, Estimate: 0, State: "empty", Labels: lab("coins", "2-5%", "0.1")},
		{True: 4, Estimate: 5, Lo: 4, Hi: 6, State: "estimating", Labels: lab("dice", "2-5%", "0.2")},
		{True: -1, Estimate: 3, State: "estimating", Labels: lab("dice", "2-5%", "0.2")},
	}
	s := Summarise(rows)
	if s.EmptyWithObjects == nil || *s.EmptyWithObjects != 1.0/3 {
		t.Errorf("empty with objects %v, want 1/3", s.EmptyWithObjects)
	}
	var got []string
	for _, g := range s.Groups {
		got = append(got, g.Label+"="+g.Value)
	}
	if want := "kind=coins kind=dice size=2-5% size=10-25%"; strings.Join(got, " ") != want {
		t.Fatalf("groups %v, want %s", got, want)
	}
	g := s.Groups[0]
	if g.Frames != 2 || *g.MedianAbsRelErr != 0.5 || *g.IntervalCoverage != 0.5 || *g.EmptyWithObjects != 0.5 {
		t.Errorf("coins: %+v", g)
	}
	var b bytes.Buffer
	Print(&b, s)
	if !strings.Contains(b.String(), "by kind:") || !strings.Contains(b.String(), "reported empty: 33.3%") {
		t.Errorf("printed summary lacks the groups:\n%s", b.String())
	}
}

// TestWorstSheet keeps the views of the SheetFrames worst labelled frames only and
// draws them.
func TestWorstSheet(t *testing.T) {
	var w worst
	var rows []Row
	img := image.NewGray(image.Rect(0, 0, 64, 48))
	sil := image.NewGray(image.Rect(0, 0, 227, 227))
	sil.Pix[0] = 255
	for i := 0; i < 60; i++ {
		// errors grow with i for even rows; odd rows are exact
		est := 10.0
		if i%2 == 0 {
			est = 10 + float64(i)/4
		}
		rows = append(rows, Row{File: "f", True: 10, Estimate: est})
		w.offer(rows, len(rows)-1, img, sil)
	}
	kept := 0
	for i, r := range rows {
		if r.view == nil {
			continue
		}
		kept++
		if i%2 == 1 || i < 60-2*SheetFrames {
			t.Errorf("row %d (estimate %v) kept", i, r.Estimate)
		}
		if r.view.sil.Pix[0] != 255 || &r.view.sil.Pix[0] == &sil.Pix[0] {
			t.Error("the silhouette was not copied")
		}
	}
	if kept != SheetFrames {
		t.Errorf("%d views kept, want %d", kept, SheetFrames)
	}
	var b bytes.Buffer
	if err := writeSheet(&b, rows); err != nil {
		t.Fatal(err)
	}
	p, err := png.Decode(&b)
	if err != nil {
		t.Fatal(err)
	}
	if sz := p.Bounds().Size(); sz.X != sheetCols*cellW || sz.Y != SheetFrames/sheetCols*cellH {
		t.Errorf("sheet %v", sz)
	}
}
