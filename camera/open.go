package camera

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/numsense/numsense/model/quote"
)

// Opts configures Open. The zero value of a field means its default.
type Opts struct {
	// Width and Height are the wanted frame size of live cameras (default 640x480; a
	// V4L2 camera gets the nearest size it lists) and of synthetic scenes (default 320x240).
	Width, Height int
	// FPS is the frame rate asked of rpicam-vid (default 10).
	FPS int
	// Rate is the playback rate of recordings in frames per second (0: as fast as
	// Next is called, unless Realtime).
	Rate float64
	// Realtime plays recordings at the rate they declare (the .y4m F header, the AVI
	// main header) or, without one, at FPS. Rate, when set, overrides both.
	Realtime bool
	// Loop restarts recordings at the end instead of returning io.EOF.
	Loop bool
	// Buffers is the number of V4L2 capture buffers (default 3, range 2..4): few, so
	// the newest frame is never far behind.
	Buffers int
	// Timeout is how long a live camera may stay silent before Next gives up waiting
	// (default 2s); ErrCameraLost follows after Retries silent waits in a row.
	Timeout time.Duration
	// Retries is the number of consecutive failures (timeouts, I/O errors) after which a
	// live camera is closed and reopened (default 5).
	Retries int
	// Backoff is the first wait before reopening a lost camera (default 500ms); it
	// doubles after each failed attempt up to MaxBackoff (default 30s).
	Backoff, MaxBackoff time.Duration
	// Controls are V4L2 control values (IDs from linux/v4l2-controls.h) applied in
	// order after every (re)open, e.g. exposure auto = manual before exposure absolute.
	Controls []Control
	// Synthetic configures synthetic scenes.
	Synthetic SyntheticOpts
	// OpenDevice opens a V4L2 device (default: github.com/blackjack/webcam). Tests
	// substitute a fake.
	OpenDevice func(path string) (Device, error)
	// Command is the rpicam-vid command line (default "rpicam-vid"); the options
	// -t 0 -n --width W --height H --framerate F --codec yuv420 -o - are appended.
	// Tests substitute a fake writer of I420 frames.
	Command []string
	// Logf receives diagnostics (reopen attempts, format choices); nil discards them.
	Logf func(format string, args ...any)
}

// Control is one V4L2 control value.
type Control struct {
	ID    uint32
	Value int32
}

// Well-known V4L2 control IDs (linux/v4l2-controls.h).
const (
	CtrlAutoWhiteBalance   = 0x0098090C
	CtrlPowerLineFrequency = 0x00980918 // 1 = 50 Hz, 2 = 60 Hz
	CtrlExposureAuto       = 0x009A0901 // 1 = manual
	CtrlExposureAbsolute   = 0x009A0902 // in 100 µs units
	CtrlFocusAuto          = 0x009A090C
)

// playRate is the pacing of a recording that declares recorded frames per second
// (0: none): Rate, else with Realtime the recorded rate or FPS, else none.
func (o *Opts) playRate(recorded float64) float64 {
	switch {
	case o.Rate > 0:
		return o.Rate
	case !o.Realtime:
		return 0
	case recorded > 0:
		return recorded
	}
	return float64(o.FPS)
}

func (o *Opts) withDefaults(liveW, liveH int) Opts {
	var r Opts
	if o != nil {
		r = *o
	}
	if r.Width <= 0 || r.Height <= 0 {
		r.Width, r.Height = liveW, liveH
	}
	if r.FPS <= 0 {
		r.FPS = 10
	}
	if r.Buffers <= 0 {
		r.Buffers = 3
	}
	r.Buffers = min(max(r.Buffers, 2), 4)
	if r.Timeout <= 0 {
		r.Timeout = 2 * time.Second
	}
	if r.Retries <= 0 {
		r.Retries = 5
	}
	if r.Backoff <= 0 {
		r.Backoff = 500 * time.Millisecond
	}
	if r.MaxBackoff <= 0 {
		r.MaxBackoff = 30 * time.Second
	}
	if r.Logf == nil {
		r.Logf = func(string, ...any) {}
	}
	return r
}

// Open opens a frame source from a spec:
//
//	"auto"                    the first USB (V4L2) camera that opens, else synthetic scenes
//	""  or "synthetic"        synthetic scenes, seed 1
//	"synthetic:SEED"          synthetic scenes with that seed
//	"scenes:SEED"             the photo-realistic scenes of camera/scene, one frame each,
//	                          as numsense scenes --seed SEED writes them
//	"/dev/video0", "v4l2:/dev/video0", "video0"
//	                          a V4L2 (UVC) camera
//	"usb-…-video-index0"      a camera by its /dev/v4l/by-id name (stable across replugs)
//	"rpicam"                  a Pi camera module through rpicam-vid
//	a directory               its PNG/JPEG images in name order (counts.csv read as truth)
//	a glob ("shots/*.png")    the matching images in name order
//	a .png/.jpg file          that one image
//	a .y4m file               YUV4MPEG2 video (mono and 4:2:0 variants)
//	a .mjpeg/.mjpg file       concatenated JPEGs
//	a .avi file               MJPEG AVI
//
// A live camera that does not exist gives an error wrapping ErrNoDevice.
func Open(spec string, o *Opts) (Source, error) {
	s := strings.TrimSpace(spec)
	switch {
	case s == "auto":
		return openAuto(o)
	case s == "" || s == "synthetic":
		return NewSynthetic(o), nil
	case strings.HasPrefix(s, "synthetic:"):
		seed, err := strconv.ParseUint(strings.TrimPrefix(s, "synthetic:"), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("camera: source %s: bad seed: %v", quote.Short(spec), err)
		}
		oo := o.withDefaults(0, 0)
		oo.Synthetic.Seed = seed
		return NewSynthetic(&oo), nil
	case strings.HasPrefix(s, "scenes:"):
		seed, err := strconv.ParseUint(strings.TrimPrefix(s, "scenes:"), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("camera: source %q: bad seed: %v", spec, err)
		}
		return OpenScenes(seed, 0, o)
	case s == "rpicam" || strings.HasPrefix(s, "rpicam:"):
		return OpenRpicam(o)
	case strings.HasPrefix(s, "v4l2:"):
		return OpenV4L2(strings.TrimPrefix(s, "v4l2:"), o)
	case strings.HasPrefix(s, "/dev/"):
		return OpenV4L2(s, o)
	case strings.HasPrefix(s, "video") && isDigits(s[5:]):
		return OpenV4L2("/dev/"+s, o)
	}
	if strings.ContainsAny(s, "*?[") {
		return OpenImages(s, o)
	}
	st, err := os.Stat(s)
	if err != nil {
		// Not a file: perhaps a /dev/v4l/by-id or by-path name.
		for _, d := range []string{"/dev/v4l/by-id", "/dev/v4l/by-path"} {
			if _, e := os.Stat(filepath.Join(d, s)); e == nil {
				return OpenV4L2(filepath.Join(d, s), o)
			}
		}
		return nil, fmt.Errorf("camera: source %s: %w (not a file, directory, glob, camera or known source)", quote.Short(spec), ErrNoDevice)
	}
	if st.IsDir() {
		return OpenImages(s, o)
	}
	switch strings.ToLower(filepath.Ext(s)) {
	case ".y4m":
		return OpenY4M(s, o)
	case ".mjpeg", ".mjpg":
		return OpenMJPEG(s, o)
	case ".avi":
		return OpenAVI(s, o)
	case ".png", ".jpg", ".jpeg":
		return OpenImages(s, o)
	}
	if st.Mode()&os.ModeDevice != 0 {
		return OpenV4L2(s, o)
	}
	return nil, fmt.Errorf("camera: source %s: unknown file type %s (want a directory, .png, .jpg, .y4m, .mjpeg or .avi)", quote.Short(spec), quote.Short(filepath.Ext(s)))
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// openAuto opens the first V4L2 camera that lists formats and opens, else the
// synthetic scene (the default on a machine without a camera).
func openAuto(o *Opts) (Source, error) {
	devs, _ := ListVideoDevices()
	for _, d := range devs {
		if d.Err != "" || len(d.Formats) == 0 {
			continue
		}
		src, err := OpenV4L2(d.Path, o)
		if err == nil {
			return src, nil
		}
		if o != nil && o.Logf != nil {
			o.Logf("camera %s: %v", d.Path, err)
		}
	}
	return NewSynthetic(o), nil
}
