package frontend

import (
	"runtime"
	"testing"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/camera/scene"
)

// yuyvScene makes a 640x480 YUYV frame: a shaded light table with dark and coloured squares.
func yuyvScene(w, h int, shift int) *camera.Frame {
	f := &camera.Frame{Format: camera.YUYV, Width: w, Height: h, Stride: 2 * w, Pix: make([]byte, 2*w*h), Count: -1}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			Y, U, V := 200-x/16, 128, 128
			cx, cy := (x+shift)%80, y%80
			if cx > 30 && cx < 50 && cy > 30 && cy < 50 {
				if (x/80+y/80)%2 == 0 {
					Y = 40
				} else {
					Y, U, V = 190, 40, 150 // yellow-ish: pale in luma, strong in chroma
				}
			}
			i := y*f.Stride + 2*x
			f.Pix[i] = byte(Y)
			if x%2 == 0 {
				f.Pix[i+1] = byte(U)
			} else {
				f.Pix[i+1] = byte(V)
			}
		}
	}
	return f
}

// BenchmarkFrontEndYUYV640x480 reports, besides wall time, cpu-ms/frame: the CPU time
// of the benchmark's (locked) thread per frame, the figure the 3 ms target is about.
func BenchmarkFrontEndYUYV640x480(b *testing.B) {
	f := yuyvScene(640, 480, 0)
	fe := New(nil)
	if _, err := fe.Process(f); err != nil {
		b.Fatal(err)
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ReportAllocs()
	b.SetBytes(int64(len(f.Pix)))
	c0 := threadCPU()
	n := 0
	for b.Loop() {
		if _, err := fe.Process(f); err != nil {
			b.Fatal(err)
		}
		n++
	}
	if c := threadCPU() - c0; c > 0 && n > 0 {
		b.ReportMetric(1e3*c/float64(n), "cpu-ms/frame")
	}
}

// BenchmarkFrontEndScene640x480 is BenchmarkFrontEndYUYV640x480 on photo-realistic
// pictures of camera/scene (seed 1): a dense grid of 40 dice touching each other and
// 22 coins in a grid, as a camera's I420 frames; cpu-ms/frame is over both.
func BenchmarkFrontEndScene640x480(b *testing.B) {
	g, err := scene.New(scene.Opts{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	var frames [2]camera.Frame
	for k, i := range []int{572, 10} {
		_, img, err := g.Image(i)
		if err != nil {
			b.Fatal(err)
		}
		frames[k].SetImage(img)
	}
	fe := New(nil)
	for k := range frames {
		if _, err := fe.Process(&frames[k]); err != nil {
			b.Fatal(err)
		}
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ReportAllocs()
	c0 := threadCPU()
	n := 0
	for b.Loop() {
		if _, err := fe.Process(&frames[n%2]); err != nil {
			b.Fatal(err)
		}
		n++
	}
	if c := threadCPU() - c0; c > 0 && n > 0 {
		b.ReportMetric(1e3*c/float64(n), "cpu-ms/frame")
	}
}
