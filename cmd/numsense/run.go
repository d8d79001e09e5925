package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/cmd/numsense/internal/config"
	"github.com/numsense/numsense/cmd/numsense/internal/sdnotify"
	"github.com/numsense/numsense/display"
	"github.com/numsense/numsense/model/estimate"
)

// defaultConfigPath is read when it exists and no --config is given.
const defaultConfigPath = "/etc/numsense/numsense.toml"

func init() {
	register(command{name: "run", summary: "the exhibit: camera -> front end -> network -> decoder -> display", run: cmdRun})
}

func cmdRun(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("run", "run [flags]", `
Runs the exhibit: frames from the camera go through the front end, the int8 network
and the decoder, and the estimate is shown on the display, always for the newest
frame. While the scene is stable successive frames are fused; the shown value is
held with hysteresis so that it does not flicker.

Configuration comes from --config (default `+defaultConfigPath+` when it
exists, else the built-in defaults: see numsense config default); flags override it.
With no camera and no display attached (camera.source and display.driver "auto") it
runs on the synthetic scene and the terminal display. SIGINT or SIGTERM stops it
cleanly: the display shows "stopped" and the exit status is 0.

Sources (--source): auto, synthetic[:SEED], /dev/videoN or v4l2:PATH (USB camera),
rpicam (Pi Camera Module via rpicam-vid), a directory or glob of PNG/JPEG files,
a .y4m, .mjpeg or .avi file.`, stderr)
	cfgPath := fs.String("config", "", "TOML configuration file (default "+defaultConfigPath+" if it exists)")
	source := fs.String("source", "", "frame source (overrides camera.source)")
	drv := fs.String("display", "", "display driver: auto, ssd1306, sh1106, hd44780, ht16k33, terminal, png, none (overrides display.driver)")
	pngPath := fs.String("png", "", "with --display png: the file to keep rewriting (overrides display.png)")
	jsonOut := fs.Bool("json", false, "write one JSON object per estimate to standard output (overrides run.json)")
	listen := fs.String("listen", "", "serve /api/estimate, /metrics and /healthz on this address, e.g. 127.0.0.1:8080 (overrides run.listen)")
	modelPath := fs.String("model", "", "model file (overrides model.path; default: the embedded calibrated model)")
	threads := fs.Int("threads", -1, "network worker threads, 0 = all cores (overrides model.threads)")
	roi := fs.String("roi", "", "region of interest x,y,w,h in camera pixels (overrides camera.roi)")
	zoom := fs.Bool("zoom", true, "zoom the view around the objects so they come out as large as the calibration dots (overrides camera.zoom)")
	frames := fs.Int("frames", 0, "stop after this many estimates (0: run until stopped)")
	duration := fs.Duration("duration", 0, "stop after this long (0: run until stopped)")
	dec := fs.String("decoder", "", "decoder: likelihood or readout (default: the one chosen at calibration)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		fmt.Fprintf(stderr, "numsense run: unexpected argument %q\n", fs.Arg(0))
		return errUsage
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["source"] {
		cfg.Camera.Source = *source
	}
	if set["display"] {
		cfg.Display.Driver = *drv
	}
	if set["png"] {
		cfg.Display.PNG = *pngPath
	}
	if set["json"] {
		cfg.Run.JSON = *jsonOut
	}
	if set["listen"] {
		cfg.Run.Listen = *listen
	}
	if set["model"] {
		cfg.Model.Path = *modelPath
	}
	if set["threads"] {
		cfg.Model.Threads = *threads
	}
	if set["roi"] {
		cfg.Camera.ROI = *roi
	}
	if set["zoom"] {
		cfg.Camera.Zoom = *zoom
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("flags: %w", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *duration)
		defer cancel()
	}
	return runLoop(ctx, cfg, runOpts{frames: *frames, decoder: *dec, stdout: stdout, stderr: stderr})
}

// loadConfig reads path, or the default file when path is empty and it exists.
func loadConfig(path string) (config.Config, error) {
	if path == "" {
		if _, err := os.Stat(defaultConfigPath); err != nil {
			return config.Default(), nil
		}
		path = defaultConfigPath
	}
	return config.Load(path)
}

type runOpts struct {
	frames         int
	decoder        string // "" (the model's choice), "likelihood" or "readout"
	stdout, stderr io.Writer
	// hooks for tests
	openSource  func(config.Camera) (camera.Source, error)
	openDisplay func(config.Display, io.Writer, func(error)) display.Display
	ready       func(addr string)
}

// runLoop is numsense run after configuration: it returns when ctx is done, the
// recording ends or opts.frames estimates were made.
func runLoop(ctx context.Context, cfg config.Config, o runOpts) error {
	logf := func(format string, a ...any) { fmt.Fprintf(o.stderr, "numsense: "+format+"\n", a...) }
	roi, _ := config.ParseROI(cfg.Camera.ROI)
	est, err := loadEstimatorOpts(cfg.Model.Path, o.decoder, cfg.Model.Threads, roi, cfg.Camera.Zoom)
	if err != nil {
		return err
	}
	defer est.Close()

	// The display: when JSON lines go to standard output, the terminal display moves to
	// standard error.
	dispOut := o.stdout
	if cfg.Run.JSON {
		dispOut = o.stderr
	}
	openDisp := o.openDisplay
	if openDisp == nil {
		openDisp = openDisplay
	}
	var dispErrOnce sync.Once
	disp := display.NewAsync(openDisp(cfg.Display, dispOut, func(err error) { logf("display: %v", err) }), func(err error) {
		dispErrOnce.Do(func() { logf("display: %v (retrying in the background; reported once)", err) })
	})
	closed := false
	closeDisplay := func() {
		if !closed {
			closed = true
			if err := disp.Close(); err != nil {
				logf("display: %v", err)
			}
		}
	}
	defer closeDisplay()
	nums := est.Numerosities()
	reading := display.Reading{State: display.Starting, Numerosities: nums}
	disp.Show(reading)

	openSrc := o.openSource
	if openSrc == nil {
		openSrc = func(c config.Camera) (camera.Source, error) { return openSource(c.Source, &c) }
	}
	src, err := openSrc(cfg.Camera)
	if err != nil {
		return err
	}
	defer src.Close()
	logf("source %s, model with %d number units, decoder %s", src.Name(), est.Units(), est.DecoderName())

	tr, err := est.NewTracker(estimate.TrackerOpts{StableFrames: cfg.Run.StableFrames, Hysteresis: cfg.Run.Hysteresis})
	if err != nil {
		return err
	}
	defer tr.Close()

	st := newRunState(nums)
	if cfg.Run.Listen != "" {
		srv, addr, err := serveHTTP(cfg.Run.Listen, st)
		if err != nil {
			return err
		}
		defer srv.Close()
		logf("serving /api/estimate, /metrics and /healthz on http://%s", addr)
		if o.ready != nil {
			o.ready(addr)
		}
	}

	// Capture runs on its own goroutine and keeps only the newest frame.
	cap := newLatest()
	capCtx, capStop := context.WithCancel(ctx)
	var capDone sync.WaitGroup
	capDone.Add(1)
	go func() {
		defer capDone.Done()
		capture(capCtx, src, cap)
	}()
	defer func() { capStop(); capDone.Wait() }()

	sdnotify.Ready()
	wdInterval, _ := sdnotify.WatchdogInterval()
	var lastWatchdog time.Time
	var work camera.Frame
	var line []byte
	var lastSeq uint64
	n := 0
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	var res estimate.Result
	for {
		select {
		case <-ctx.Done():
			sdnotify.Stopping()
			closeDisplay()
			return nil
		case <-tick.C:
		case <-cap.ready:
		}
		seq, cerr, missed := cap.take(&work, lastSeq)
		if missed != nil && !errors.Is(missed, io.EOF) && st.setLost(missed) {
			// The camera failed since the last frame (perhaps only briefly): say so.
			logf("%v", missed)
			reading = display.Reading{State: display.CameraLost, Numerosities: nums, Time: time.Now()}
			disp.Show(reading)
			if cfg.Run.JSON {
				line = appendJSONLine(line[:0], estimate.Result{State: estimate.CameraLost, Time: time.Now(), Count: -1}, 0)
				o.stdout.Write(line)
			}
		}
		if seq == lastSeq {
			if errors.Is(cerr, io.EOF) {
				logf("the recording has ended after %d frames", n)
				closeDisplay()
				return nil
			}
			continue // a tick without a new frame, or the camera is still lost
		}
		lastSeq = seq
		res, err = tr.Update(&work)
		if err != nil {
			st.errors.Inc()
			logf("frame %d: %v", work.Seq, err)
			continue
		}
		latency := time.Since(work.Time)
		if work.Time.IsZero() {
			latency = res.Took
		}
		st.publish(&res, latency)
		toReading(&reading, &res, nums)
		disp.Show(reading)
		if cfg.Run.JSON {
			line = appendJSONLine(line[:0], res, latency)
			o.stdout.Write(line)
		}
		if wdInterval > 0 && time.Since(lastWatchdog) > wdInterval/2 {
			sdnotify.Watchdog()
			lastWatchdog = time.Now()
		}
		n++
		if o.frames > 0 && n >= o.frames {
			closeDisplay()
			return nil
		}
	}
}

// latest is the newest captured frame, handed from the capture goroutine to the loop
// by swapping buffers (no copies, no allocation). err is the state of the source
// (nil after a good frame); missed keeps the first error since the loop last looked,
// so that a short outage is reported even if the loop was busy during it.
type latest struct {
	mu     sync.Mutex
	frame  camera.Frame
	seq    uint64
	err    error
	missed error
	ready  chan struct{}
}

func newLatest() *latest { return &latest{ready: make(chan struct{}, 1)} }

func (l *latest) put(f *camera.Frame, err error) {
	l.mu.Lock()
	if err == nil {
		l.frame, *f = *f, l.frame
		l.seq++
	}
	l.err = err
	if err != nil && l.missed == nil {
		l.missed = err
	}
	l.mu.Unlock()
	select {
	case l.ready <- struct{}{}:
	default:
	}
}

// take swaps the newest frame into dst if it is newer than seen, and returns its
// sequence number, the source's current error and the first error since the last
// take.
func (l *latest) take(dst *camera.Frame, seen uint64) (seq uint64, err, missed error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.seq != seen {
		l.frame, *dst = *dst, l.frame
	}
	missed, l.missed = l.missed, nil
	return l.seq, l.err, missed
}

// capture reads frames until ctx is done or the source ends. A failing live source
// is retried with backoff (the source reopens the device itself).
func capture(ctx context.Context, src camera.Source, l *latest) {
	var f camera.Frame
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := src.Next(ctx, &f)
		if ctx.Err() != nil {
			return
		}
		l.put(&f, err)
		if err == nil {
			backoff = 100 * time.Millisecond
			continue
		}
		if errors.Is(err, io.EOF) {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
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

// appendJSONLine writes one estimate as a JSON object and a newline, without
// allocating (the per-frame path).
func appendJSONLine(b []byte, r estimate.Result, latency time.Duration) []byte {
	b = append(b, `{"time":"`...)
	b = r.Time.UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","value":`...)
	b = strconv.AppendFloat(b, round3(r.Value), 'f', -1, 64)
	b = append(b, `,"shown":`...)
	b = strconv.AppendInt(b, int64(r.Shown), 10)
	b = append(b, `,"interval":[`...)
	b = strconv.AppendFloat(b, round3(r.Lo), 'f', -1, 64)
	b = append(b, ',')
	b = strconv.AppendFloat(b, round3(r.Hi), 'f', -1, 64)
	b = append(b, `],"state":"`...)
	b = append(b, r.State.String()...)
	b = append(b, `","fused":`...)
	b = strconv.AppendInt(b, int64(r.Fused), 10)
	b = append(b, `,"latency_ms":`...)
	b = strconv.AppendFloat(b, round3(float64(latency)/1e6), 'f', -1, 64)
	if r.Count >= 0 {
		b = append(b, `,"true_count":`...)
		b = strconv.AppendInt(b, int64(r.Count), 10)
	}
	return append(b, "}\n"...)
}

func round3(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return math.Round(v*1000) / 1000
}

// runState is what the HTTP endpoints and the metrics see.
type runState struct {
	mu       sync.Mutex
	last     estimate.Result
	latency  time.Duration
	lastAt   time.Time
	started  time.Time
	lost     error
	nums     []int
	reg      *prometheus.Registry
	value    prometheus.Gauge
	shown    prometheus.Gauge
	lo, hi   prometheus.Gauge
	frames   prometheus.Counter
	errors   prometheus.Counter
	lat      prometheus.Histogram
	stateVec *prometheus.GaugeVec
	states   [5]prometheus.Gauge
}

func newRunState(nums []int) *runState {
	s := &runState{started: time.Now(), nums: nums, reg: prometheus.NewRegistry()}
	g := func(name, help string) prometheus.Gauge {
		v := prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "numsense", Name: name, Help: help})
		s.reg.MustRegister(v)
		return v
	}
	s.value = g("estimate", "The decoded numerosity of the latest frame (0 when the table is empty).")
	s.shown = g("estimate_shown", "The value on the display (held with hysteresis).")
	s.lo = g("interval_low", "Lower end of the 68% interval.")
	s.hi = g("interval_high", "Upper end of the 68% interval.")
	s.frames = prometheus.NewCounter(prometheus.CounterOpts{Namespace: "numsense", Name: "frames_total", Help: "Frames estimated."})
	s.errors = prometheus.NewCounter(prometheus.CounterOpts{Namespace: "numsense", Name: "frame_errors_total", Help: "Frames that failed in the pipeline."})
	s.lat = prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: "numsense", Name: "latency_seconds", Help: "Capture-to-estimate latency.",
		Buckets: prometheus.ExponentialBuckets(0.005, 2, 10)})
	s.stateVec = prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: "numsense", Name: "state", Help: "1 for the current state of the scene."}, []string{"state"})
	s.reg.MustRegister(s.frames, s.errors, s.lat, s.stateVec,
		prometheus.NewGoCollector(), prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}))
	for i := range s.states {
		s.states[i] = s.stateVec.WithLabelValues(estimate.State(i).String())
	}
	s.setState(estimate.Starting)
	return s
}

func (s *runState) setState(st estimate.State) {
	for i, g := range s.states {
		if estimate.State(i) == st {
			g.Set(1)
		} else {
			g.Set(0)
		}
	}
}

func (s *runState) publish(r *estimate.Result, latency time.Duration) {
	s.mu.Lock()
	s.last, s.latency, s.lastAt, s.lost = *r, latency, time.Now(), nil
	s.mu.Unlock()
	s.value.Set(r.Value)
	s.shown.Set(float64(r.Shown))
	s.lo.Set(r.Lo)
	s.hi.Set(r.Hi)
	s.frames.Inc()
	s.lat.Observe(latency.Seconds())
	s.setState(r.State)
}

// setLost records a camera failure; it returns true the first time in a row.
func (s *runState) setLost(err error) bool {
	s.mu.Lock()
	first := s.lost == nil
	s.lost = err
	s.last.State = estimate.CameraLost
	s.mu.Unlock()
	s.setState(estimate.CameraLost)
	return first
}

// serveHTTP starts the API server; it returns the server and the bound address.
func serveHTTP(addr string, s *runState) (*http.Server, string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", fmt.Errorf("run.listen %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/estimate", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		res, lat, at := s.last, s.latency, s.lastAt
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if at.IsZero() && res.State != estimate.CameraLost {
			res = estimate.Result{State: estimate.Starting, Time: time.Now(), Count: -1}
		}
		w.Write(appendJSONLine(nil, res, lat))
	})
	mux.Handle("/metrics", promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		at, lost, started := s.lastAt, s.lost, s.started
		s.mu.Unlock()
		switch {
		case lost != nil:
			http.Error(w, "camera lost: "+lost.Error(), http.StatusServiceUnavailable)
		case at.IsZero() && time.Since(started) > 10*time.Second:
			http.Error(w, "no estimate yet", http.StatusServiceUnavailable)
		case !at.IsZero() && time.Since(at) > 10*time.Second:
			http.Error(w, "no estimate for "+time.Since(at).Round(time.Second).String(), http.StatusServiceUnavailable)
		default:
			fmt.Fprintln(w, "ok")
		}
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	return srv, ln.Addr().String(), nil
}
