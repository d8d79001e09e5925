package web

import (
	"image"
	"testing"

	"github.com/numsense/numsense/display/web/internal/testpic"
)

// testFrame is a 640x480 YUYV frame (the exhibit's default camera mode), as the
// preview gets it.
func testFrame() *YUYV {
	pix, stride, r := testpic.YUYV()
	return &YUYV{Pix: pix, Stride: stride, Rect: r}
}

// testSilhouette is a 227x227 binary image with a dozen discs.
func testSilhouette() *image.Gray { return testpic.Silhouette() }

// BenchmarkPreview is one preview of a 640x480 YUYV frame: the copy the exhibit's
// loop makes, then (on the encoder goroutine) the 2x shrink to 320x240, the JPEG
// and the base64 data URL.
func BenchmarkPreview(b *testing.B) {
	f := testFrame()
	e := NewEncoder(400, 300)
	var p picture
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		p.set(f)
		url, err := e.preview(&p)
		if err != nil {
			b.Fatal(err)
		}
		n = len(url)
	}
	b.ReportMetric(float64(n), "url_bytes")
}

// BenchmarkSilhouette is one silhouette: the copy on the loop, the 1-bit PNG and the
// data URL.
func BenchmarkSilhouette(b *testing.B) {
	s := testSilhouette()
	e := NewEncoder(400, 300)
	var c image.Gray
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		c.Pix = append(c.Pix[:0], s.Pix...)
		c.Stride, c.Rect = s.Stride, s.Rect
		url, err := e.Silhouette(&c)
		if err != nil {
			b.Fatal(err)
		}
		n = len(url)
	}
	b.ReportMetric(float64(n), "url_bytes")
}

// BenchmarkPublish is the estimate event the loop formats for every frame.
func BenchmarkPublish(b *testing.B) {
	s, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	e := testEstimate()
	b.ReportAllocs()
	for b.Loop() {
		s.Publish(e, nil)
	}
}
