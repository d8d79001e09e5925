//go:build browser

// The exhibit's web page in a real browser: `make test-browser` (part of make check,
// on the host only) builds numsense, runs it on the synthetic camera and drives
// headless Chromium to the page. Screenshots go to $NUMSENSE_SCREENSHOTS (make
// screenshots: docs/), else to a temporary directory.

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"image/png"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/atomicfile"
	"github.com/numsense/numsense/model/defaultmodel"
	"github.com/numsense/numsense/model/estimate"
	"github.com/numsense/numsense/model/unitmap"
)

// chromiumPath finds Chromium, or fails the test saying how to install it: the
// browser test is never skipped.
func chromiumPath(t *testing.T) string {
	if p := os.Getenv("NUMSENSE_CHROMIUM"); p != "" {
		if st, err := os.Stat(p); err != nil || st.IsDir() || st.Mode()&0o111 == 0 {
			t.Fatalf("NUMSENSE_CHROMIUM=%s is not an executable file: name a Chromium binary, or unset it and install chromium (`make chromium`, or as root apt-get install chromium)", p)
		}
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("chromium not found: the browser test needs it. Install it with `make chromium` (as root: apt-get install chromium), " +
		"or name the binary in NUMSENSE_CHROMIUM")
	return ""
}

// exhibitProc is a running `numsense run`.
type exhibitProc struct {
	cmd  *exec.Cmd
	addr string
	log  *strings.Builder
	done chan error
}

// startExhibit runs bin with the synthetic camera, no display and the page on addr
// (and the model file, if not ""), and waits until /healthz answers.
func startExhibit(t *testing.T, bin, addr, model string) *exhibitProc {
	t.Helper()
	args := []string{"run", "--source", "synthetic", "--display", "none", "--listen", addr, "--duration", "5m"}
	if model != "" {
		args = append(args, "--model", model)
	}
	cmd := exec.Command(bin, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &exhibitProc{cmd: cmd, addr: addr, log: &strings.Builder{}, done: make(chan error, 1)}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			p.log.WriteString(sc.Text() + "\n")
		}
		p.done <- cmd.Wait()
	}()
	t.Cleanup(func() { p.stop() })
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return p
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("numsense run did not become healthy on %s:\n%s", addr, p.log.String())
	return nil
}

func (p *exhibitProc) stop() {
	if p.cmd.ProcessState != nil {
		return
	}
	p.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
	}
}

// apiShown is /api/estimate's state and shown value.
func apiShown(t *testing.T, addr string) (string, int) {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/api/estimate")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e struct {
		State string `json:"state"`
		Shown int    `json:"shown"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&e); err != nil {
		t.Fatal(err)
	}
	return e.State, e.Shown
}

// embeddedClasses is the number of unit classes of the embedded model (section
// "unit-classes", written by numsense calibrate from the cross-validated shapes).
func embeddedClasses(t *testing.T) int {
	f, err := defaultmodel.Load()
	if err != nil {
		t.Fatal(err)
	}
	var m unitmap.Map
	if err := m.UnmarshalBinary(f.Sections[estimate.SectionUnits]); err != nil {
		t.Fatal(err)
	}
	c, err := unitmap.UnmarshalClasses(f.Sections[estimate.SectionClasses], &m)
	if err != nil {
		t.Fatalf("the embedded model's unit classes: %v", err)
	}
	if len(c.Classes) == 0 {
		t.Fatal("the embedded model has no unit classes")
	}
	return len(c.Classes)
}

// noClassesModel writes the embedded model without its unit classes, as a model
// file calibrated before they existed is.
func noClassesModel(t *testing.T, path string) {
	f, err := defaultmodel.Load()
	if err != nil {
		t.Fatal(err)
	}
	delete(f.Sections, estimate.SectionClasses)
	if err := model.Save(path, f); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserPage: the page with the embedded model (one bar and one response
// curve per unit class of the cross-validated analysis), its screenshots, and
// reconnection.
func TestBrowserPage(t *testing.T) {
	n := embeddedClasses(t)
	b := newBrowserRun(t, "")
	b.checkNumber()
	b.checkPictures()
	if got := b.num(`document.querySelectorAll("#bars rect.bar").length`); got != n {
		t.Errorf("%d class bars, want %d", got, n)
	}
	if got := b.num(`document.querySelectorAll("#curves polyline.curve").length`); got != n {
		t.Errorf("%d response curves, want %d", got, n)
	}
	if !strings.Contains(b.str(`document.getElementById("unitsub").textContent`), "class") {
		t.Error("the units panel does not speak of classes")
	}
	shots := os.Getenv("NUMSENSE_SCREENSHOTS")
	if shots == "" {
		shots = b.dir
	}
	b.screenshots(filepath.Join(shots, "page-1920x1080.png"), filepath.Join(shots, "page-390x844.png"))

	// Reconnection: the exhibit stops (the page says so), a new one starts on the same
	// address, and the page follows it by itself, without a reload.
	b.ex.stop()
	deadline := time.Now().Add(15 * time.Second)
	for {
		st, _ := b.pageState()
		if st == "stopped" || st == "offline" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the page did not notice the exhibit stopping (state %q)", st)
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.ex = startExhibit(t, b.bin, b.addr, "")
	b.waitState("estimating", 60*time.Second)
}

// TestBrowserPageNoClasses: a model without unit classes gets the fallback
// grouping by preferred numerosity, says so, and shows no response curves.
func TestBrowserPageNoClasses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "noclasses.nsm")
	noClassesModel(t, path)
	b := newBrowserRun(t, path)
	b.checkNumber()
	if n := b.num(`document.querySelectorAll("#bars rect.bar.pn").length`); n != 16 {
		t.Errorf("%d bars by preferred numerosity, want 16", n)
	}
	if b.str(`document.getElementById("unitsub").textContent`) == "" || b.str(`getComputedStyle(document.querySelector(".curves")).display`) != "none" {
		t.Error("without unit classes the page must say so and show no response curves")
	}
}

// browserRun is numsense run with the page open in headless Chromium.
type browserRun struct {
	t              *testing.T
	dir, bin, addr string
	ex             *exhibitProc
	ctx            context.Context
}

func newBrowserRun(t *testing.T, model string) *browserRun {
	chromium := chromiumPath(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "numsense")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ex := startExhibit(t, bin, addr, model)

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium), chromedp.UserDataDir(filepath.Join(dir, "profile")),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true), chromedp.WindowSize(1920, 1080),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	t.Cleanup(cancel)
	b := &browserRun{t: t, dir: dir, bin: bin, addr: addr, ex: ex, ctx: ctx}
	b.do("open the page", chromedp.EmulateViewport(1920, 1080), chromedp.Navigate("http://"+addr+"/"))
	b.waitState("estimating", 60*time.Second)
	return b
}

func (b *browserRun) do(what string, a ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, a...); err != nil {
		b.t.Fatalf("%s: %v\nnumsense log:\n%s", what, err, b.ex.log.String())
	}
}

func (b *browserRun) str(expr string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		b.t.Fatalf("%s: %v\nnumsense log:\n%s", expr, err, b.ex.log.String())
	}
	return v
}

func (b *browserRun) num(expr string) int {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](expr))
	if err != nil {
		b.t.Fatalf("%s: %v", expr, err)
	}
	return v
}

func (b *browserRun) shot() []byte {
	b.t.Helper()
	img, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot: %v", err)
	}
	return img
}

// pageState reads the state pill and the number on the page.
func (b *browserRun) pageState() (string, string) {
	return b.str(`document.getElementById("state").dataset.state`), b.str(`document.getElementById("shown").textContent`)
}

func (b *browserRun) waitState(want string, within time.Duration) {
	b.t.Helper()
	deadline := time.Now().Add(within)
	for {
		st, shown := b.pageState()
		if st == want {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("the page never showed %q (state %q, number %q)\nnumsense log:\n%s", want, st, shown, b.ex.log.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// checkNumber: the number on the page is /api/estimate's shown value, within one
// update: read the API, the page, the API again; the page must equal one of the two.
func (b *browserRun) checkNumber() {
	t := b.t
	matched := 0
	for i := 0; i < 60 && matched < 5; i++ {
		s1, x := apiShown(t, b.addr)
		st, p := b.pageState()
		s2, y := apiShown(t, b.addr)
		if s1 != "estimating" || s2 != "estimating" || st != "estimating" {
			time.Sleep(150 * time.Millisecond)
			continue
		}
		n, err := strconv.Atoi(p)
		if err != nil || (n != x && n != y) {
			t.Fatalf("the page shows %q, /api/estimate %d then %d", p, x, y)
		}
		matched++
		time.Sleep(150 * time.Millisecond)
	}
	if matched < 5 {
		t.Fatalf("only %d comparisons while estimating", matched)
	}
}

// checkPictures: both pictures arrive and the synthetic scene's true count is shown.
func (b *browserRun) checkPictures() {
	t := b.t
	var sil, prev, truth string
	deadline := time.Now().Add(20 * time.Second)
	for {
		sil = b.str(`document.getElementById("silhouette").getAttribute("src") || ""`)
		prev = b.str(`document.getElementById("preview").getAttribute("src") || ""`)
		truth = b.str(`document.getElementById("truth").hidden ? "" : document.getElementById("truecount").textContent`)
		if strings.HasPrefix(sil, "data:image/png;base64,") && strings.HasPrefix(prev, "data:image/jpeg;base64,") && truth != "" || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if !strings.HasPrefix(sil, "data:image/png;base64,") || !strings.HasPrefix(prev, "data:image/jpeg;base64,") {
		t.Errorf("pictures missing: silhouette %.40q, preview %.40q", sil, prev)
	}
	if _, err := strconv.Atoi(truth); err != nil {
		t.Errorf("the synthetic camera's true count is not shown (%q)", truth)
	}
}

// screenshots checks the layouts and saves the wall-screen and phone screenshots:
// at 1920x1080 everything fits without scrolling; at 390x844 nothing is wider than
// the screen.
func (b *browserRun) screenshots(wide, phone string) {
	t := b.t
	b.do("wall screen", chromedp.EmulateViewport(1920, 1080))
	time.Sleep(800 * time.Millisecond) // a few frames, and the charts resized
	if h, w := b.num(`document.documentElement.scrollHeight`), b.num(`document.documentElement.scrollWidth`); h > 1080 || w > 1920 {
		t.Errorf("at 1920x1080 the page is %dx%d: it must fit the wall screen", w, h)
	}
	save(t, wide, b.shot(), 1920, 1080)
	b.do("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile))
	time.Sleep(800 * time.Millisecond)
	if w := b.num(`document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("at 390x844 the page is %d pixels wide: it must not scroll sideways", w)
	}
	save(t, phone, b.shot(), 780, 1688)
	b.do("wall screen again", chromedp.EmulateViewport(1920, 1080))
}

// save writes a screenshot after checking that it is a PNG of the expected size.
func save(t *testing.T, path string, b []byte, w, h int) {
	t.Helper()
	img, err := png.Decode(strings.NewReader(string(b)))
	if err != nil {
		t.Fatalf("%s: not a PNG: %v", path, err)
	}
	if s := img.Bounds().Size(); s.X != w || s.Y != h {
		t.Errorf("%s: %dx%d, want %dx%d", path, s.X, s.Y, w, h)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := atomicfile.WriteFile(path, b); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s", path)
}
