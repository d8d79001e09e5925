// Command pagecount runs what the web page costs the exhibit, N times, so that an
// instruction counter such as arm-insn ($ARM_INSN in the bench scripts) can measure one of each (the
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
	"github.com/numsense/numsense/display/web/internal/testpic"
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
		s := testpic.Silhouette()
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

// frame is the benchmarks' 640x480 YUYV picture.
func frame() *web.YUYV {
	pix, stride, r := testpic.YUYV()
	return &web.YUYV{Pix: pix, Stride: stride, Rect: r}
}
