package exhibit

import (
	"bufio"
	"context"
	"image"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/display"
	"github.com/numsense/numsense/display/web"
)

// TestRunPage serves the web page beside the API: the page loads, and its stream
// carries the estimates (with the synthetic scene's true count), the silhouette and
// the camera preview; when the run ends the pages are told it stopped.
func TestRunPage(t *testing.T) {
	page, err := web.New(web.Options{Preview: true, PreviewFPS: 10})
	if err != nil {
		t.Fatal(err)
	}
	addrc := make(chan string, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	var errb syncBuf
	go func() {
		o := &camera.Opts{Width: 160, Height: 120}
		o.Synthetic = camera.SyntheticOpts{Seed: 2, Counts: []int{5}, Hand: -1, FPS: 20}
		done <- Run(ctx, Options{Estimator: testEstimator(t), Source: camera.NewSynthetic(o), Display: display.None{},
			Listen: "127.0.0.1:0", Ready: func(a string) { addrc <- a }, Page: page, Log: &errb})
	}()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-done:
		t.Fatalf("run ended early: %v", err)
	}
	resp, err := http.Get("http://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), "/static/app.js") {
		t.Fatalf("GET /: %d %.80s", resp.StatusCode, b)
	}
	resp, err = http.Get("http://" + addr + "/api/stream")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	seen := map[string]string{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	name := ""
	deadline := time.Now().Add(60 * time.Second)
	for sc.Scan() && time.Now().Before(deadline) {
		line := sc.Text()
		if n, ok := strings.CutPrefix(line, "event: "); ok {
			name = n
		} else if d, ok := strings.CutPrefix(line, "data: "); ok {
			if name != "estimate" || strings.Contains(d, `"state":"estimating"`) {
				seen[name] = d
			}
		}
		if len(seen) == 4 {
			break
		}
	}
	if !strings.Contains(seen["estimate"], `"true_count":5`) || !strings.Contains(seen["info"], `"grouping":"classes"`) ||
		!strings.HasPrefix(seen["silhouette"], "data:image/png") || !strings.HasPrefix(seen["preview"], "data:image/jpeg") {
		t.Fatalf("the stream lacks what the page shows: %v", keys(seen))
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	stopped := false
	for sc.Scan() {
		if strings.Contains(sc.Text(), `"state":"stopped"`) {
			stopped = true
		}
	}
	if !stopped {
		t.Error("the page was not told the exhibit stopped")
	}
}

func keys(m map[string]string) []string {
	var k []string
	for n, v := range m {
		k = append(k, n+"="+v[:min(len(v), 60)])
	}
	return k
}

// TestPageView: every frame layout is shown to the preview without a copy, as the
// image type the preview copies as it is.
func TestPageView(t *testing.T) {
	var p page
	w, h := 64, 48
	for _, c := range []struct {
		f    camera.Frame
		want string
	}{
		{camera.Frame{Format: camera.Gray, Width: w, Height: h, Stride: w, Pix: make([]byte, w*h)}, "*image.Gray"},
		{camera.Frame{Format: camera.I420, Width: w, Height: h, Stride: w, Pix: make([]byte, w*h*3/2)}, "*image.YCbCr"},
		{camera.Frame{Format: camera.I420, Width: w, Height: h, Stride: w, Pix: make([]byte, w*h)}, "*image.Gray"}, // luma only
		{camera.Frame{Format: camera.RGBA, Width: w, Height: h, Stride: 4 * w, Pix: make([]byte, 4*w*h)}, "*image.RGBA"},
		{camera.Frame{Format: camera.YUYV, Width: w, Height: h, Stride: 2 * w, Pix: make([]byte, 2*w*h)}, "*web.YUYV"},
		{camera.Frame{Format: camera.YUYV, Width: w, Height: h, Stride: 2 * w, Pix: make([]byte, 10)}, "<nil>"},
	} {
		img := p.view(&c.f)
		got := "<nil>"
		if img != nil {
			got = fmtType(img)
			if img.Bounds() != image.Rect(0, 0, w, h) {
				t.Errorf("%v: bounds %v", c.f.Format, img.Bounds())
			}
		}
		if got != c.want {
			t.Errorf("%v (%d bytes): %s, want %s", c.f.Format, len(c.f.Pix), got, c.want)
		}
	}
	f := camera.Frame{Format: camera.YUYV, Width: w, Height: h, Stride: 2 * w, Pix: make([]byte, 2*w*h)}
	if a := testing.AllocsPerRun(20, func() { p.view(&f) }); a != 0 {
		t.Errorf("view allocates %v times", a)
	}
}

func fmtType(v any) string {
	switch v.(type) {
	case *image.Gray:
		return "*image.Gray"
	case *image.YCbCr:
		return "*image.YCbCr"
	case *image.RGBA:
		return "*image.RGBA"
	case *web.YUYV:
		return "*web.YUYV"
	}
	return "other"
}
