package bench

import (
	"bytes"
	"encoding/base64"
	"html"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReportHTML: report.html holds the summary, the plot and every frame worst
// first, each with its thumbnail and silhouette inlined; it refers to nothing
// outside itself.
func TestReportHTML(t *testing.T) {
	photo := image.NewRGBA(image.Rect(0, 0, 640, 480))
	for i := range photo.Pix {
		photo.Pix[i] = 200
	}
	sil := image.NewGray(image.Rect(0, 0, 227, 227))
	for y := 100; y < 120; y++ {
		for x := 50; x < 70; x++ {
			sil.SetGray(x, y, color.Gray{255})
		}
	}
	pics := picturesOf(photo, sil)
	rows := []Row{
		{File: "good.jpg", True: 10, Estimate: 10.4, Lo: 8, Hi: 13, State: "estimating", Pictures: pics},
		{File: "worst.jpg", True: 20, Estimate: 4.1, Lo: 3, Hi: 6, State: "estimating", Pictures: pics},
		{File: "bad.jpg", True: 5, Estimate: 9, Lo: 7, Hi: 12, State: "estimating", Pictures: pics},
		{File: "empty-but-not.jpg", True: 3, Estimate: 0, State: "empty"},
		{File: "unlabelled.jpg", True: -1, Estimate: 7, Lo: 5, Hi: 9, State: "estimating", Pictures: pics},
	}
	out := filepath.Join(t.TempDir(), "res")
	if err := Write(out, rows, Summarise(rows)); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	order := []string{"empty-but-not.jpg", "worst.jpg", "bad.jpg", "good.jpg", "unlabelled.jpg"}
	last := -1
	for _, name := range order {
		i := strings.Index(page, name)
		if i < last {
			t.Errorf("%s is not in worst-first order %v", name, order)
		}
		last = i
	}
	for _, want := range []string{"median |relative error|", "<svg class=\"plot\"", "class=\"card outside\"", "class=\"card inside\"", "true <b>20</b> · estimate <b>4.1</b> (3.0–6.0)"} {
		if !strings.Contains(page, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if n := strings.Count(page, `src="data:image/jpeg;base64,`); n != 4 {
		t.Errorf("%d thumbnails, want 4", n)
	}
	if regexp.MustCompile(`(src|href)="(https?:)?//`).MatchString(page) || strings.Contains(page, "<script") {
		t.Error("report.html refers to something outside itself or runs a script")
	}
	m := regexp.MustCompile(`class="sil" src="data:image/png;base64,([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no silhouette")
	}
	data, _ := base64.StdEncoding.DecodeString(html.UnescapeString(m[1])) // the attribute escapes "+"
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if r, _, _, _ := img.At(60, 110).RGBA(); r != 0xffff || img.Bounds().Dx() != 227 {
		t.Error("the silhouette is not the network's picture")
	}
}
