// Command pagecount runs what the web page costs the exhibit, N times, so that an
// instruction counter such as shared/tools/arm-insn can measure one of each (the
// difference between two runs divided by the difference in N; start-up cancels):
//
//	-what preview     a 640x480 YUYV frame (the default camera mode) copied, shrunk
//	                  to 320x240, encoded as JPEG and as a data URL
//	-what silhouette  a 227x227 silhouette copied and encoded as a 1-bit PNG data URL
//	-what estimate    one estimate event formatted (no page connected)
//
// usage: pagecount [-what preview|silhouette|estimate] [-n N]
// It prints the size of the last result, so that a change of output shows.
package main

import (
	"flag"
	"fmt"
	"image"
	"os"
	"time"

	"github.com/numsense/numsense/display/web"
)

func main() {
	what := flag.String("what", "preview", "preview, silhouette or estimate")
	n := flag.Int("n", 1, "how many (0: start-up only)")
	flag.Parse()
	if flag.NArg() != 0 || *n < 0 {
		fmt.Fprintln(os.Stderr, "usage: pagecount [-what preview|silhouette|estimate] [-n N]")
		os.Exit(2)
	}
	size, err := run(*what, *n)
	if err != nil {
		fmt.Fprintln(os.Stderr, "pagecount:", err)
		os.Exit(1)
	}
	fmt.Printf("%s x %d: %d bytes\n", *what, *n, size)
}

func run(what string, n int) (int, error) {
	enc := web.NewEncoder(400, 300)
	switch what {
	case "preview":
		f := frame()
		size := 0
		for i := 0; i < n; i++ {
			url, err := enc.Preview(f)
			if err != nil {
				return 0, err
			}
			size = len(url)
		}
		return size, nil
	case "silhouette":
		s := silhouette()
		var c image.Gray
		size := 0
		for i := 0; i < n; i++ {
			c.Pix = append(c.Pix[:0], s.Pix...) // the loop's copy
			c.Stride, c.Rect = s.Stride, s.Rect
			url, err := enc.Silhouette(&c)
			if err != nil {
				return 0, err
			}
			size = len(url)
		}
		return size, nil
	case "estimate":
		srv, err := web.New(web.Options{})
		if err != nil {
			return 0, err
		}
		defer srv.Close()
		act := make([]float64, 16)
		for i := range act {
			act[i] = float64(i) / 16
		}
		e := &web.Estimate{Time: time.Unix(1e9, 0), State: "estimating", Value: 11.6, Shown: 12, Lo: 9.1, Hi: 15.2,
			Fused: 3, TrueCount: 12, Latency: 31 * time.Millisecond, Activity: act, ClassActivity: act}
		for i := 0; i < n; i++ {
			srv.Publish(e, nil)
		}
		return 0, nil
	}
	return 0, fmt.Errorf("-what %q: want preview, silhouette or estimate", what)
}

// frame is a 640x480 YUYV picture: a gradient with dark squares, some colour.
func frame() *web.YUYV {
	w, h := 640, 480
	f := &web.YUYV{Pix: make([]byte, 2*w*h), Stride: 2 * w, Rect: image.Rect(0, 0, w, h)}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := 120 + (x+y)/20
			if (x/60+y/60)%3 == 0 && x%60 > 15 && y%60 > 15 {
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

// silhouette is a 227x227 binary image with a dozen discs.
func silhouette() *image.Gray {
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
