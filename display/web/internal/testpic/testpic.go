// Package testpic makes the pictures the web page's benchmarks and instruction counts
// run on, so that both measure the same work.
package testpic

import "image"

// YUYV returns a 640x480 packed 4:2:2 frame (Y0 U Y1 V, the default camera mode) as
// its bytes and row stride: a gradient with dark squares and some colour.
func YUYV() (pix []byte, stride int, r image.Rectangle) {
	w, h := 640, 480
	stride = 2 * w
	pix = make([]byte, stride*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := 120 + (x+y)/20
			if (x/60+y/60)%3 == 0 && x%60 > 15 && y%60 > 15 {
				v = 40
			}
			pix[y*stride+2*x] = byte(v)
			if x%2 == 0 {
				pix[y*stride+2*x+1] = byte(128 + x/40)
			} else {
				pix[y*stride+2*x+1] = byte(128 - y/40)
			}
		}
	}
	return pix, stride, image.Rect(0, 0, w, h)
}

// Silhouette returns a 227x227 binary image with a dozen discs.
func Silhouette() *image.Gray {
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
