package exhibit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"sync"
	"time"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/cmd/numsense/internal/sdnotify"
	"github.com/numsense/numsense/display"
	"github.com/numsense/numsense/display/web"
	"github.com/numsense/numsense/model/estimate"
)

// Options are what the exhibit runs with. Estimator, Source and Display are
// required; Run closes Source, Display and Page, the caller closes the Estimator.
type Options struct {
	Estimator *estimate.Estimator
	Source    camera.Source
	Display   display.Display
	// Tracker configures the fusion of stable frames and the hysteresis.
	Tracker estimate.TrackerOpts
	// JSON, if set, receives one JSON line per estimate (AppendJSONLine).
	JSON io.Writer
	// Listen, if set, is the address of the HTTP API (/api/estimate, /metrics,
	// /healthz), e.g. 127.0.0.1:8080; Ready, if set, is called with the bound
	// address.
	Listen string
	Ready  func(addr string)
	// Page, if set, is the web page (display/web), served at / beside the API and
	// given every estimate, its silhouette and a preview of the frame.
	Page *web.Server
	// Frames stops the exhibit after this many estimates (0: until ctx is done or
	// the recording ends).
	Frames int
	// A camera.Recording as Source is replayed frame by frame: every frame in
	// order, as fast as the pipeline goes, each JSON line naming its frame, and a
	// failing file ends Run with its error. Realtime plays it like a live camera
	// instead (the source paces the frames, see camera.Opts.Realtime, and the loop
	// takes the newest, skipping what it is too slow for).
	Realtime bool
	// FuseStills treats the pictures of an image directory as frames of one scene
	// (fused while stable, as a camera's); by default each is a scene of its own.
	FuseStills bool
	// Log receives the service's log lines (nil: discarded).
	Log io.Writer
	// Background, if set, is the file that keeps the learned empty table across
	// restarts (frontend.Opts.Learn; see background.go).
	Background string
}

// tick is how often the loop looks at the camera's state when no frame comes.
const tick = 500 * time.Millisecond

// loop is one run of the exhibit.
type loop struct {
	o       Options
	logf    func(format string, a ...any)
	disp    *display.Async
	page    *page // nil without Options.Page
	closed  bool
	nums    []int
	reading display.Reading
	tr      *estimate.Tracker
	st      *status
	latest  *latest
	work    camera.Frame
	res     estimate.Result
	line    []byte
	lastSeq uint64
	srcErr  error // the source's state at the last take
	missed  error // the first source error since the take before
	n       int
	rec     camera.Recording // the source, if it replays files
	stills  bool             // each frame is a scene of its own
	wd      time.Duration    // systemd watchdog interval (0: none)
	wdLast  time.Time
	keep    keeper // the learned empty table's file
}

// Run runs the exhibit until ctx is done, the recording ends or o.Frames estimates
// were made. It returns nil then; an error when the exhibit cannot start or a
// recording fails (a corrupt or truncated file: see camera.Recording).
func Run(ctx context.Context, o Options) error {
	if o.Estimator == nil || o.Source == nil || o.Display == nil {
		return errors.New("exhibit: Run needs an estimator, a source and a display")
	}
	defer o.Source.Close()
	if o.Page != nil {
		defer o.Page.Close()
	}
	x := newLoop(o)
	defer x.closeDisplay()
	defer x.keep.wg.Wait()
	x.logf("source %s, model with %d number units, decoder %s", o.Source.Name(), o.Estimator.Units(), o.Estimator.DecoderName())
	tr, err := o.Estimator.NewTracker(o.Tracker)
	if err != nil {
		return err
	}
	defer tr.Close()
	x.tr = tr
	x.loadBackground()
	if o.Listen != "" {
		srv, err := x.serveHTTP()
		if err != nil {
			return err
		}
		defer srv.Close()
	}
	stopCapture := x.startCapture(ctx)
	defer stopCapture()
	sdnotify.Ready()
	x.wd, _ = sdnotify.WatchdogInterval()
	for {
		if !x.waitFrame(ctx) {
			return x.stop("")
		}
		x.feedWatchdog() // alive: a frame came, or a tick while the camera is retried
		fresh := x.takeFrame()
		x.reportLost()
		if !fresh {
			if x.ended() {
				return x.stop(fmt.Sprintf("the recording has ended after %d frames", x.n))
			}
			if err := x.failed(); err != nil {
				x.stop("")
				return err
			}
			continue // a tick without a new frame, or the camera is still lost
		}
		if x.stills {
			x.tr.Reset() // unrelated pictures: no fusion, no held value
		}
		if !x.estimate() {
			continue
		}
		x.publish()
		x.keepBackground()
		if x.n++; o.Frames > 0 && x.n >= o.Frames {
			return x.stop("")
		}
	}
}

func newLoop(o Options) *loop {
	x := &loop{o: o, st: newStatus(), nums: o.Estimator.Numerosities()}
	x.rec, _ = o.Source.(camera.Recording)
	x.stills = x.rec != nil && x.rec.Stills() && !o.FuseStills
	x.latest = newLatest(x.rec != nil && !o.Realtime)
	x.keep.path = o.Background
	log := o.Log
	if log == nil {
		log = io.Discard
	}
	x.logf = func(format string, a ...any) { fmt.Fprintf(log, "numsense: "+format+"\n", a...) }
	var once sync.Once
	x.disp = display.NewAsync(o.Display, func(err error) {
		once.Do(func() { x.logf("display: %v (retrying in the background; reported once)", err) })
	})
	x.reading = display.Reading{State: display.Starting, Numerosities: x.nums}
	x.disp.Show(x.reading)
	if o.Page != nil {
		x.page = newPage(o.Page, o.Estimator, o.Source)
	}
	return x
}

func (x *loop) serveHTTP() (*http.Server, error) {
	var pg http.Handler
	if x.o.Page != nil {
		pg = x.o.Page.Handler()
	}
	srv, addr, err := x.st.serve(x.o.Listen, pg)
	if err != nil {
		return nil, err
	}
	if pg != nil {
		x.logf("serving the page at http://%s/ and /api/estimate, /metrics, /healthz", addr)
	} else {
		x.logf("serving /api/estimate, /metrics and /healthz on http://%s", addr)
	}
	if x.o.Ready != nil {
		x.o.Ready(addr)
	}
	return srv, nil
}

// startCapture reads the source on its own goroutine; the returned function stops
// it and waits for it.
func (x *loop) startCapture(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		capture(ctx, x.o.Source, x.latest, x.rec != nil)
	}()
	return func() { cancel(); wg.Wait() }
}

// waitFrame waits for a new frame or the next tick; false when ctx is done. It does
// not wait once the source has ended.
func (x *loop) waitFrame(ctx context.Context) bool {
	if x.ended() || x.failed() != nil {
		return ctx.Err() == nil
	}
	t := time.NewTimer(tick)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
	case <-x.latest.ready:
	}
	return true
}

// takeFrame swaps the newest frame into x.work; false if there is none newer.
// It also keeps the source's error for reportLost and ended.
func (x *loop) takeFrame() bool {
	seq, err, missed := x.latest.take(&x.work, x.lastSeq)
	x.srcErr, x.missed = err, missed
	if seq == x.lastSeq {
		return false
	}
	x.lastSeq = seq
	return true
}

// ended reports whether the source has no more frames (the end of a recording).
func (x *loop) ended() bool { return errors.Is(x.srcErr, io.EOF) }

// failed returns the error that ended a recording (nil for a live camera, whose
// errors are retried).
func (x *loop) failed() error {
	if x.rec == nil || x.ended() {
		return nil
	}
	return x.srcErr
}

// reportLost says, once in a row, that the camera failed since the last frame
// (perhaps only briefly): on the log, the display, the JSON lines and the API. A
// recording is not a camera: its failure ends the run instead (failed).
func (x *loop) reportLost() {
	if x.rec != nil || x.missed == nil || errors.Is(x.missed, io.EOF) || !x.st.setLost(x.missed) {
		return
	}
	x.logf("%v", x.missed)
	x.reading = display.Reading{State: display.CameraLost, Numerosities: x.nums, Time: time.Now()}
	x.disp.Show(x.reading)
	if x.page != nil {
		x.page.lost()
	}
	if x.o.JSON != nil {
		x.line = AppendJSONLine(x.line[:0], &estimate.Result{State: estimate.CameraLost, Time: time.Now(), Count: -1}, 0)
		x.o.JSON.Write(x.line)
	}
}

// estimate runs the tracker on x.work; false (logged and counted) if it failed.
func (x *loop) estimate() bool {
	var err error
	x.res, err = x.tr.Update(&x.work)
	if err != nil {
		x.st.errors.Inc()
		x.logf("frame %d: %v", x.work.Seq, err)
		return false
	}
	return true
}

// publish shows x.res on the display, the JSON lines and the API.
func (x *loop) publish() {
	latency := time.Since(x.work.Time)
	if x.work.Time.IsZero() {
		latency = x.res.Took
	}
	x.st.publish(&x.res, latency)
	toReading(&x.reading, &x.res, x.nums)
	x.disp.Show(x.reading)
	if x.page != nil {
		x.page.publish(&x.res, &x.work, latency)
	}
	if x.o.JSON != nil {
		x.line = AppendJSONLine(x.line[:0], &x.res, latency)
		x.o.JSON.Write(x.line)
	}
}

// captureStuck is how long the capture goroutine may stay inside one call of the
// source before the exhibit counts it as hung: longer than a live source ever
// blocks while it retries (V4L2 gives up waiting after Retries x Timeout, 10 s by
// default, and waits at most MaxBackoff, 30 s, before reopening).
var captureStuck = 2 * time.Minute

// feedWatchdog tells systemd the service is alive, at half the watchdog interval:
// on every turn of the loop (a frame, or a tick while a lost camera is retried),
// as long as the capture goroutine has come back from the source within
// captureStuck. A loop that stops turning, or a source call that never returns,
// stops the feeding, and systemd restarts the service.
func (x *loop) feedWatchdog() {
	if x.wd > 0 && time.Since(x.wdLast) > x.wd/2 && time.Since(x.latest.lastBeat()) < captureStuck {
		sdnotify.Watchdog()
		x.wdLast = time.Now()
	}
}

// stop ends the run: systemd is told, the display shows "stopped".
func (x *loop) stop(why string) error {
	if why != "" {
		x.logf("%s", why)
	}
	sdnotify.Stopping()
	if x.o.Page != nil {
		x.o.Page.Close() // before the HTTP server: the pages get "stopped"
	}
	x.closeDisplay()
	return nil
}

func (x *loop) closeDisplay() {
	if !x.closed {
		x.closed = true
		if err := x.disp.Close(); err != nil {
			x.logf("display: %v", err)
		}
	}
}

// toReading fills a display reading from an estimate, reusing r's Activity slice.
func toReading(r *display.Reading, res *estimate.Result, nums []int) {
	r.Value = res.Value
	r.Lo, r.Hi = int(math.Floor(res.Lo)), int(math.Ceil(res.Hi))
	if res.Shown > 0 {
		r.Value = float64(res.Shown)
	}
	r.Numerosities = nums
	if cap(r.Activity) < len(nums) {
		r.Activity = make([]float64, len(nums))
	}
	r.Activity = r.Activity[:len(nums)]
	copy(r.Activity, res.Activity[:len(nums)])
	r.Time = res.Time
	r.Silhouette = res.Silhouette
	r.TrueCount, r.TrueKnown = res.Count, res.Count >= 0
	switch res.State {
	case estimate.Estimating:
		r.State = display.Estimating
	case estimate.Unstable:
		r.State = display.Unstable
	case estimate.Empty:
		r.State = display.Empty
	case estimate.CameraLost:
		r.State = display.CameraLost
	default:
		r.State = display.Starting
	}
}
