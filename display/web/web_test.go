package web

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/numsense/numsense/model/unitmap"
)

func newTestServer(t *testing.T, o Options) (*Server, *httptest.Server) {
	t.Helper()
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	h := httptest.NewServer(s.Handler())
	t.Cleanup(func() { s.Close(); h.Close() })
	return s, h
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// TestHandlers: the page and its assets are served from the binary, read-only, with
// a content security policy that allows nothing from elsewhere.
func TestHandlers(t *testing.T) {
	s, h := newTestServer(t, Options{Preview: true})
	for path, want := range map[string]string{
		"/":                 `<script src="/static/app.js">`,
		"/static/app.js":    `new EventSource("/api/stream")`,
		"/static/style.css": "grid-template-areas",
		"/lang.json":        `"i_see_about"`,
		"/api/info":         `"grouping":"pn"`,
	} {
		resp, body := get(t, h.URL+path)
		if resp.StatusCode != 200 || !strings.Contains(body, want) {
			t.Errorf("GET %s: %d, body lacks %q", path, resp.StatusCode, want)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "http") {
			t.Errorf("GET %s: content security policy %q", path, csp)
		}
	}
	if resp, _ := get(t, h.URL+"/static/nope.js"); resp.StatusCode != 404 {
		t.Errorf("a missing asset: %d", resp.StatusCode)
	}
	if resp, _ := get(t, h.URL+"/static/../web.go"); resp.StatusCode == 200 {
		t.Error("a file outside the assets was served")
	}
	for _, m := range []string{"POST", "PUT", "DELETE", "PATCH"} {
		req, _ := http.NewRequest(m, h.URL+"/api/stream", strings.NewReader("x"))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("%s: %d, want 405", m, resp.StatusCode)
		}
	}
	// The page's HTML names no host: every asset is this server's.
	_, page := get(t, h.URL+"/")
	_, js := get(t, h.URL+"/static/app.js")
	_, css := get(t, h.URL+"/static/style.css")
	for name, text := range map[string]string{"index.html": page, "app.js": js, "style.css": css} {
		for _, bad := range []string{"http://", "https://", "//cdn", "@import"} {
			if strings.Contains(text, bad) && !(bad == "http://" && strings.Contains(text, "http://www.w3.org/2000/svg") && strings.Count(text, "http://") == 1) {
				t.Errorf("%s refers to %q: every asset must be embedded", name, bad)
			}
		}
	}

	s.SetInfo(Info{Numerosities: []int{1, 2, 4}, Units: 3, Decoder: "readout", Source: "synthetic:1", Classes: &unitmap.Classes{
		Numerosities: []int{1, 2, 4},
		Classes: []unitmap.Class{{Shape: unitmap.Decreasing, PN: -1, Units: []int{0}, Curve: []float32{1, 0.5, 0}},
			{Shape: unitmap.Tuned, PN: 1, Units: []int{1}, Curve: []float32{0, 1, 0}}}}})
	_, body := get(t, h.URL+"/api/info")
	var in infoJSON
	if err := json.Unmarshal([]byte(body), &in); err != nil {
		t.Fatal(err)
	}
	if in.Grouping != "classes" || len(in.Groups) != 2 || in.Groups[1].PN != 2 || in.Groups[0].Shape != "decreasing" || !in.Preview || len(in.Groups[1].Curve) != 3 {
		t.Errorf("/api/info with classes: %s", body)
	}
}

// event is one Server-Sent Event.
type event struct{ name, data string }

// readEvents reads events from an open stream until ctx ends or the stream does.
func readEvents(body io.Reader, out chan<- event) {
	defer close(out)
	sc := bufio.NewScanner(body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var ev event
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			ev.name = line[7:]
		case strings.HasPrefix(line, "data: "):
			ev.data = line[6:]
		case line == "" && ev.name != "":
			out <- ev
			ev = event{}
		}
	}
}

func openStream(t *testing.T, ctx context.Context, url string) chan event {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", url+"/api/stream", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("stream: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	ch := make(chan event, 1000)
	go func() { readEvents(resp.Body, ch); resp.Body.Close() }()
	return ch
}

// next returns the next event named name, failing after a few seconds.
func next(t *testing.T, ch chan event, name string) event {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case ev, ok := <-ch:
			if !ok {
				t.Fatalf("the stream ended before a %q event", name)
			}
			if ev.name == name {
				return ev
			}
		case <-timeout:
			t.Fatalf("no %q event", name)
		}
	}
}

// TestStream: a new page gets the info and the latest estimate at once, then every
// estimate, the silhouette and (while the preview is on) the camera picture; when
// the server closes, the last estimate comes marked stopped and the stream ends.
func TestStream(t *testing.T) {
	s, h := newTestServer(t, Options{Preview: true, PreviewFPS: 10})
	e := testEstimate()
	s.Publish(e, nil) // before anyone watches
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch := openStream(t, ctx, h.URL)
	if ev := next(t, ch, "info"); !strings.Contains(ev.data, `"numerosities"`) {
		t.Errorf("info: %s", ev.data)
	}
	var got struct {
		N         int       `json:"n"`
		State     string    `json:"state"`
		Shown     int       `json:"shown"`
		TrueCount *int      `json:"true_count"`
		Activity  []float64 `json:"activity"`
		Class     []float64 `json:"class_activity"`
	}
	if err := json.Unmarshal([]byte(next(t, ch, "estimate").data), &got); err != nil {
		t.Fatal(err)
	}
	if got.N != 1 || got.Shown != 12 || got.State != "estimating" || got.TrueCount == nil || *got.TrueCount != 12 || len(got.Activity) != 16 || len(got.Class) != 5 {
		t.Errorf("the latest estimate on connecting: %+v", got)
	}
	for !s.Watching() {
		time.Sleep(time.Millisecond)
	}
	e.Shown, e.TrueCount = 7, -1
	s.Publish(e, testSilhouette())
	json.Unmarshal([]byte(next(t, ch, "estimate").data), &got)
	if got.N != 2 || got.Shown != 7 || got.TrueCount != nil {
		t.Errorf("second estimate: %+v", got)
	}
	sil := next(t, ch, "silhouette")
	img := decodeURL(t, sil.data, "data:image/png;base64,")
	if img.Bounds().Dx() != 227 || gray(img.At(25, 25)) != 255 || gray(img.At(0, 0)) != 0 {
		t.Errorf("silhouette %v: centre of the first disc %d, corner %d", img.Bounds(), gray(img.At(25, 25)), gray(img.At(0, 0)))
	}
	if !s.WantPreview() {
		t.Fatal("a page is watching and the preview is on, but no preview is wanted")
	}
	s.OfferPreview(testFrame())
	if s.WantPreview() {
		t.Error("a second preview wanted at once (PreviewFPS 10)")
	}
	prev := decodeURL(t, next(t, ch, "preview").data, "data:image/jpeg;base64,")
	if prev.Bounds().Dx() != 320 || prev.Bounds().Dy() != 240 {
		t.Errorf("preview of 640x480 is %v, want 320x240", prev.Bounds())
	}
	s.Close()
	json.Unmarshal([]byte(next(t, ch, "estimate").data), &got)
	if got.State != "stopped" || got.Shown != 7 {
		t.Errorf("on close: %+v, want the last estimate marked stopped", got)
	}
	for range ch { // the stream ends
	}
}

// TestPreviewOff: with the preview off no picture is ever wanted, taken or sent.
func TestPreviewOff(t *testing.T) {
	s, h := newTestServer(t, Options{Preview: false})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch := openStream(t, ctx, h.URL)
	if ev := next(t, ch, "info"); !strings.Contains(ev.data, `"preview":false`) {
		t.Errorf("info: %s", ev.data)
	}
	for !s.Watching() {
		time.Sleep(time.Millisecond)
	}
	if s.WantPreview() {
		t.Error("preview wanted while off")
	}
	s.OfferPreview(testFrame())
	s.Publish(testEstimate(), nil)
	next(t, ch, "estimate")
	time.Sleep(100 * time.Millisecond)
	for len(ch) > 0 {
		if ev := <-ch; ev.name == "preview" {
			t.Fatal("a preview was sent while off")
		}
	}
}

// TestSlowClient: a page that stops reading never slows the publisher, and when it
// reads again it gets the latest estimate, not a backlog.
func TestSlowClient(t *testing.T) {
	s, h := newTestServer(t, Options{WriteTimeout: time.Hour})
	req, _ := http.NewRequest("GET", h.URL+"/api/stream", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	for !s.Watching() {
		time.Sleep(time.Millisecond)
	}
	// Big estimates fill the connection's buffers quickly: the client reads nothing.
	e := testEstimate()
	e.Activity = make([]float64, 1000)
	for i := range e.Activity {
		e.Activity[i] = 0.123
	}
	const n = 4000 // 4000 events of 6 KB: far more than the connection buffers hold
	var slowest time.Duration
	for i := 0; i < n; i++ {
		e.Shown = i
		start := time.Now()
		s.Publish(e, nil)
		slowest = max(slowest, time.Since(start))
	}
	if slowest > time.Second {
		t.Fatalf("a publish took %v with a stalled client", slowest)
	}
	if s.hub.dropped.Load() == 0 {
		t.Error("nothing was dropped for a client that did not read")
	}
	e.Activity = nil
	e.Shown = 4242
	s.Publish(e, nil)
	ch := make(chan event, 1<<16)
	go readEvents(resp.Body, ch)
	deadline := time.After(10 * time.Second)
	for {
		select {
		case ev := <-ch:
			if ev.name == "estimate" && strings.Contains(ev.data, `"shown":4242`) {
				return
			}
		case <-deadline:
			t.Fatal("the stalled client never got the latest estimate")
		}
	}
}

// TestMaxClients: streams beyond the cap are refused with 503, and a closed stream
// frees its place.
func TestMaxClients(t *testing.T) {
	s, h := newTestServer(t, Options{MaxClients: 2})
	ctx1, cancel1 := context.WithCancel(context.Background())
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	openStream(t, ctx1, h.URL)
	openStream(t, ctx2, h.URL)
	for s.hub.count() < 2 {
		time.Sleep(time.Millisecond)
	}
	resp, _ := get(t, h.URL+"/api/stream")
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("third stream: %d, want 503", resp.StatusCode)
	}
	cancel1()
	for s.hub.count() > 1 {
		time.Sleep(time.Millisecond)
	}
	openStream(t, ctx2, h.URL)
}

// TestPublishAllocs: what the exhibit's loop does per frame (the estimate, the
// silhouette's copy and, when due, the frame's copy) allocates nothing once warm.
func TestPublishAllocs(t *testing.T) {
	s, err := New(Options{Preview: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.img.close() // the encoder goroutine allocates (image/jpeg): keep it out of the count
	e, sil, f := testEstimate(), testSilhouette(), testFrame()
	s.hub.n.Store(1) // as if a page watched
	step := func() {
		s.Publish(e, sil)
		s.img.offerPreview(f)
	}
	step()
	if a := testing.AllocsPerRun(50, step); a != 0 {
		t.Errorf("%v allocations per frame", a)
	}
}

func decodeURL(t *testing.T, url, prefix string) image.Image {
	t.Helper()
	b64, ok := strings.CutPrefix(url, prefix)
	if !ok {
		t.Fatalf("not a %s URL: %.40q", prefix, url)
	}
	data, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func gray(c color.Color) uint8 { return color.GrayModel.Convert(c).(color.Gray).Y }

var _ = jpeg.Decode // image.Decode needs both formats
var _ = png.Decode

// TestEncoderLayouts: every frame layout the exhibit offers comes out as the same
// picture: shrunk by the smallest whole factor that fits the box, bright where the
// frame is bright, and red where it is red.
func TestEncoderLayouts(t *testing.T) {
	w, h := 640, 480
	// Left half bright red, right half dark grey.
	rgba := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{60, 60, 60, 255}
			if x < w/2 {
				c = color.RGBA{230, 30, 30, 255}
			}
			rgba.SetRGBA(x, y, c)
		}
	}
	ycc := image.NewYCbCr(rgba.Rect, image.YCbCrSubsampleRatio420)
	yuyv := &YUYV{Pix: make([]byte, 2*w*h), Stride: 2 * w, Rect: rgba.Rect}
	g := image.NewGray(rgba.Rect)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := rgba.RGBAAt(x, y)
			Y, cb, cr := color.RGBToYCbCr(c.R, c.G, c.B)
			ycc.Y[ycc.YOffset(x, y)] = Y
			ycc.Cb[ycc.COffset(x, y)], ycc.Cr[ycc.COffset(x, y)] = cb, cr
			yuyv.Pix[y*yuyv.Stride+2*x] = Y
			if x%2 == 0 {
				yuyv.Pix[y*yuyv.Stride+2*x+1] = cb
			} else {
				yuyv.Pix[y*yuyv.Stride+2*x+1] = cr
			}
			g.Pix[y*g.Stride+x] = Y
		}
	}
	paletted := image.NewPaletted(rgba.Rect, color.Palette{color.RGBA{230, 30, 30, 255}, color.RGBA{60, 60, 60, 255}})
	for y := 0; y < h; y++ {
		for x := w / 2; x < w; x++ {
			paletted.Pix[y*paletted.Stride+x] = 1
		}
	}
	e := NewEncoder(400, 300)
	for name, img := range map[string]image.Image{"RGBA": rgba, "YCbCr 4:2:0": ycc, "YUYV": yuyv, "Gray": g, "Paletted (drawn)": paletted} {
		url, err := e.Preview(img)
		if err != nil {
			t.Fatal(err)
		}
		out := decodeURL(t, string(url), "data:image/jpeg;base64,")
		if out.Bounds() != image.Rect(0, 0, 320, 240) {
			t.Errorf("%s: %v, want 320x240", name, out.Bounds())
			continue
		}
		lr, lg, _, _ := out.At(80, 120).RGBA()
		rr, _, _, _ := out.At(240, 120).RGBA()
		if name == "Gray" {
			if gray(out.At(80, 120)) < gray(out.At(240, 120))+10 {
				t.Errorf("%s: left %d not brighter than right %d", name, gray(out.At(80, 120)), gray(out.At(240, 120)))
			}
			continue
		}
		if lr>>8 < 180 || lg>>8 > 80 || rr>>8 > 90 {
			t.Errorf("%s: left (%d,%d) is not red or right %d is not dark", name, lr>>8, lg>>8, rr>>8)
		}
	}
	// A 1920x1080 frame is shrunk by 5 to 384x216; a tiny one is kept.
	big := image.NewGray(image.Rect(0, 0, 1920, 1080))
	url, _ := e.Preview(big)
	if b := decodeURL(t, string(url), "data:image/jpeg;base64,").Bounds(); b != image.Rect(0, 0, 384, 216) {
		t.Errorf("1920x1080 preview %v", b)
	}
	url, _ = e.Preview(image.NewGray(image.Rect(0, 0, 100, 80)))
	if b := decodeURL(t, string(url), "data:image/jpeg;base64,").Bounds(); b != image.Rect(0, 0, 100, 80) {
		t.Errorf("100x80 preview %v", b)
	}
}

// TestLang: a language file replaces the strings it names; unknown keys and values
// that are not strings are errors naming the file and the key.
func TestLang(t *testing.T) {
	en := English()
	for _, k := range []string{"i_see_about", "state.estimating", "state.camera lost", "units_sub.pn", "units_sub.classes", "class.tuned"} {
		if en[k] == "" {
			t.Errorf("English lacks %q", k)
		}
	}
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(text), 0o644)
		return p
	}
	de, err := LoadLang(write("de.json", `{"lang": "de", "i_see_about": "Ich sehe etwa"}`))
	if err != nil || de["i_see_about"] != "Ich sehe etwa" || de["state.empty"] != en["state.empty"] {
		t.Errorf("German: %v %q %q", err, de["i_see_about"], de["state.empty"])
	}
	for name, text := range map[string]string{"unknown.json": `{"i_see_abut": "x"}`, "number.json": `{"title": 3}`, "array.json": `["x"]`} {
		p := write(name, text)
		if _, err := LoadLang(p); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := New(Options{Lang: filepath.Join(dir, "missing.json")}); err == nil || !strings.Contains(err.Error(), "missing.json") {
		t.Errorf("a missing language file: %v", err)
	}
	// Every English string is used by the page: by name, or built from a prefix
	// and a state or class shape.
	page := string(mustAsset("assets/app.js")) + string(mustAsset("assets/index.html"))
	for k := range en {
		prefix, _, dynamic := strings.Cut(k, ".")
		if dynamic && strings.Contains(page, `t("`+prefix+`." + `) || strings.Contains(page, `"`+k+`"`) || strings.Contains(page, "T."+k) {
			continue
		}
		t.Errorf("the page does not use %q: drop it from lang/en.json", k)
	}
}
