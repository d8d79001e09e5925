package web

import (
	"image"
	"testing"
)

// testFrame is a 640x480 YUYV frame (the exhibit's default camera mode) with a
// gradient and some objects, as the preview gets it.
func testFrame() *YUYV {
	w, h := 640, 480
	f := &YUYV{Pix: make([]byte, 2*w*h), Stride: 2 * w, Rect: image.Rect(0, 0, w, h)}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := 120 + (x+y)/20
			if (x/60+y/60)%3 == 0 && (x%60) > 15 && (y%60) > 15 {
				v = 40
			}
			f.Pix[y*f.Stride+2*x] = byte(v)
			if x%2 == 0 {
				f.Pix[y*f.Stride+2*x+1] = byte(128 + x/40)
			} else {
				f.Pix[y*f.Stride+2*x+1] = byte(128 - y/40)
			}
		}
	}
	return f
}

// testSilhouette is a 227x227 binary image with a dozen discs.
func testSilhouette() *image.Gray {
	s := image.NewGray(image.Rect(0, 0, 227, 227))
	for i := 0; i < 12; i++ {
		cx, cy := 25+(i*53)%180, 25+(i*37+(i/3)*29)%180
		for y := cy - 8; y <= cy+8; y++ {
			for x := cx - 8; x <= cx+8; x++ {
				if (x-cx)*(x-cx)+(y-cy)*(y-cy) <= 64 {
					s.Pix[y*s.Stride+x] = 255
				}
			}
		}
	}
	return s
}

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
