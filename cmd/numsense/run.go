package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"

	"github.com/numsense/numsense/cmd/numsense/internal/config"
	"github.com/numsense/numsense/cmd/numsense/internal/exhibit"
	"github.com/numsense/numsense/display"
	"github.com/numsense/numsense/display/web"
	"github.com/numsense/numsense/model/estimate"
	"github.com/numsense/numsense/model/quote"
)

// defaultConfigPath is read when it exists and no --config is given.
const defaultConfigPath = "/etc/numsense/numsense.toml"

// defaultPNG is the png display's file when none is named.
const defaultPNG = "numsense-display.png"

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

With --listen the exhibit also serves its web page at /: the camera picture, what
the network sees, the estimate with its interval and the number units at work, live
(Server-Sent Events at /api/stream), for a wall screen or a phone. Everything
served is read-only. Display "web" needs no I2C: the page is the screen (served on
127.0.0.1:8080 unless --listen says otherwise), for a browser in kiosk mode.

With --json on a terminal, the terminal display writes plain lines (to standard
error) so that it does not draw over the JSON; redirect standard output to keep the
full-screen display. With --display png and no --png, the file is
numsense-display.png in the current directory.

Sources (--source): auto, synthetic[:SEED], scenes:SEED (the photo-realistic
scenes of numsense scenes, one per frame), /dev/videoN or v4l2:PATH (USB camera),
rpicam (Pi Camera Module via rpicam-vid), a directory or glob of PNG/JPEG files,
a .y4m, .mjpeg or .avi file.

A recording (a directory, glob or file) is replayed frame by frame: with --pace max
(the default) every frame is processed, in order, as fast as the pipeline goes, and
the same input gives the same JSON lines apart from "time" and "latency_ms"; with
--pace realtime it plays at its recorded rate (.y4m and .avi headers) or camera.fps
and, like a camera, frames the pipeline is too slow for are skipped. Each JSON line
names its frame ("frame": its number from 1, "file": the file). The pictures of a
directory are separate scenes, each estimated on its own (--stills stream fuses
them like a camera's frames). The run ends at the end of the recording (exit 0) or
at the first file that cannot be read (exit 1, naming it).`, stderr)
	cfgPath := fs.String("config", "", "TOML configuration file (default "+defaultConfigPath+" if it exists)")
	source := fs.String("source", "", "frame source (overrides camera.source)")
	drv := fs.String("display", "", "display driver: auto, ssd1306, sh1106, hd44780, ht16k33, terminal, png, web, none (overrides display.driver)")
	pngPath := fs.String("png", "", "with --display png: the file to keep rewriting (overrides display.png; default "+defaultPNG+")")
	jsonOut := fs.Bool("json", false, "write one JSON object per estimate to standard output (overrides run.json)")
	listen := fs.String("listen", "", "serve the web page (/), /api/estimate, /metrics and /healthz on this address, e.g. 127.0.0.1:8080 (overrides run.listen; no password: a LAN address lets the whole network see them, see docs/reliability.md)")
	modelPath := fs.String("model", "", "model file (overrides model.path; default: the embedded calibrated model)")
	threads := fs.Int("threads", -1, "network worker threads, 0 = all cores (overrides model.threads)")
	roi := fs.String("roi", "", "region of interest x,y,w,h in camera pixels (overrides camera.roi)")
	zoom := fs.Bool("zoom", true, "zoom the view around the objects so they come out as large as the calibration dots (overrides camera.zoom)")
	frames := fs.Int("frames", 0, "stop after this many estimates (0: run until stopped, or to the end of a recording)")
	duration := fs.Duration("duration", 0, "stop after this long, e.g. 90s or 10m (0: run until stopped, or to the end of a recording)")
	pace := fs.String("pace", "max", "recordings: max (every frame, in order, as fast as possible) or realtime (at the recorded rate, skipping frames like a camera)")
	stills := fs.String("stills", "scenes", "image directories: scenes (each picture estimated on its own) or stream (fused like camera frames)")
	dec := fs.String("decoder", "", "decoder: likelihood or readout (default: the one chosen at calibration)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		fmt.Fprintf(stderr, "numsense run: unexpected argument %s\n", quote.Short(fs.Arg(0)))
		return errUsage
	}
	if *frames < 0 {
		return fmt.Errorf("--frames: %d is negative", *frames)
	}
	if *duration < 0 {
		return fmt.Errorf("--duration: %v is negative", *duration)
	}
	if *pace != "max" && *pace != "realtime" {
		return fmt.Errorf("--pace: %s is not max or realtime", quote.Short(*pace))
	}
	if *stills != "scenes" && *stills != "stream" {
		return fmt.Errorf("--stills: %s is not scenes or stream", quote.Short(*stills))
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
	} else if set["display"] && *drv == "png" && cfg.Display.PNG == "" {
		cfg.Display.PNG = defaultPNG // as numsense display test does
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
	return runExhibit(ctx, cfg, replay{frames: *frames, realtime: *pace == "realtime", fuseStills: *stills == "stream"}, *dec, stdout, stderr)
}

// replay holds the run flags that are not configuration keys.
type replay struct {
	frames     int
	realtime   bool // --pace realtime
	fuseStills bool // --stills stream
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

// runExhibit opens what the configuration names (model, display, camera) and runs
// the exhibit service on them.
func runExhibit(ctx context.Context, cfg config.Config, rp replay, dec string, stdout, stderr io.Writer) error {
	logf := func(format string, a ...any) { fmt.Fprintf(stderr, "numsense: "+format+"\n", a...) }
	roi, _ := config.ParseROI(cfg.Camera.ROI)
	est, err := loadEstimatorOpts(cfg.Model.Path, dec, cfg.Model.Threads, roi, cfg.Camera.Zoom, learnFrames(&cfg.Camera))
	if err != nil {
		return err
	}
	defer est.Close()
	// Loading the model leaves garbage the size of the model file and more (the
	// sections' copies, the weights drawn from the seeds as floats); give it back
	// before the engines are made, which keeps the peak resident set of a run with
	// the embedded population about 8 MB lower (docs/performance.md 4.5).
	debug.FreeOSMemory()
	// When JSON lines go to standard output, the terminal display moves to standard
	// error; if standard output is a terminal too, the display writes plain lines
	// there, so that the full-screen layout does not draw over the JSON.
	dispOut, plain := stdout, false
	if cfg.Run.JSON {
		dispOut, plain = stderr, display.IsTerminal(stdout)
	}
	if cfg.Display.Driver == "web" && cfg.Run.Listen == "" {
		cfg.Run.Listen = config.WebListen
	}
	var page *web.Server
	if cfg.Run.Listen != "" {
		if page, err = web.New(web.Options{Lang: cfg.Web.Lang, Preview: cfg.Web.Preview, PreviewFPS: float64(cfg.Web.PreviewFPS)}); err != nil {
			return err
		}
	}
	if cfg.Display.Driver == "png" {
		// A wrong target stops the run at once (the display would otherwise fall
		// back to the terminal and only report it).
		if err := display.PNGKind.Check(cfg.Display.PNG); err != nil {
			return fmt.Errorf("display.png: %w", err)
		}
	}
	disp := openDisplay(cfg.Display, dispOut, plain, func(err error) { logf("display: %v", err) })
	src, err := openSourceRealtime(cfg.Camera.Source, &cfg.Camera, rp.realtime)
	if err != nil {
		disp.Close()
		if page != nil {
			page.Close()
		}
		return err
	}
	o := exhibit.Options{Estimator: est, Source: src, Display: disp, Listen: cfg.Run.Listen, Page: page, Frames: rp.frames, Log: stderr,
		Realtime: rp.realtime, FuseStills: rp.fuseStills, Background: backgroundFile(&cfg),
		Tracker: estimate.TrackerOpts{StableFrames: cfg.Run.StableFrames, Hysteresis: cfg.Run.Hysteresis}}
	if cfg.Run.JSON {
		o.JSON = stdout
	}
	return exhibit.Run(ctx, o)
}

// learnFrames is how many empty, still frames a fixed camera waits before it
// learns the table (camera.learn, camera.learn_seconds at camera.fps); 0: never.
func learnFrames(c *config.Camera) int {
	if !c.Learn {
		return 0
	}
	return max(int(math.Round(c.LearnSeconds*float64(c.FPS))), 1)
}

// backgroundFile is where the learned table is kept across restarts: in
// run.state_dir, else in $STATE_DIRECTORY (set by systemd's StateDirectory=);
// "" when neither is set or the table is not learned.
func backgroundFile(c *config.Config) string {
	dir := c.Run.StateDir
	if dir == "" {
		dir = os.Getenv("STATE_DIRECTORY")
	}
	if dir == "" || !c.Camera.Learn {
		return ""
	}
	return filepath.Join(dir, exhibit.BackgroundFile)
}
