// Package config reads numsense's TOML configuration (/etc/numsense/numsense.toml on
// the Pi). Every key has a default (Default), unknown keys are errors, and Validate
// names the key of any invalid value. Command-line flags override file values.
package config

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/numsense/numsense/display/web"
	"github.com/numsense/numsense/model/quote"
)

// Config is the whole configuration. The toml tags are the key names.
type Config struct {
	Camera  Camera  `toml:"camera"`
	Model   Model   `toml:"model"`
	Display Display `toml:"display"`
	Run     Run     `toml:"run"`
	Web     Web     `toml:"web"`
}

// Camera selects and shapes the frame source.
type Camera struct {
	Source string `toml:"source"` // auto | synthetic | device path | rpicam | dir/glob | file
	Width  int    `toml:"width"`
	Height int    `toml:"height"`
	FPS    int    `toml:"fps"`
	Format string `toml:"format"` // auto | yuyv | mjpeg | grey
	ROI    string `toml:"roi"`    // "x,y,w,h" or empty
	Zoom   bool   `toml:"zoom"`   // zoom the view around the objects (front end)
	// Learn makes a fixed camera learn the empty table, once it has been empty and
	// still for LearnSeconds, and use it as the background.
	Learn        bool    `toml:"learn"`
	LearnSeconds float64 `toml:"learn_seconds"`
}

// Model selects the network file and its threads.
type Model struct {
	Path    string `toml:"path"`    // empty: the embedded model
	Threads int    `toml:"threads"` // 0: all cores
}

// Display selects the display driver.
type Display struct {
	Driver  string `toml:"driver"` // auto | ssd1306 | sh1106 | hd44780 | ht16k33 | terminal | png | web | none
	Bus     string `toml:"bus"`
	Address int    `toml:"address"` // 0: the driver's default
	Width   int    `toml:"width"`
	Height  int    `toml:"height"`
	PNG     string `toml:"png"`
}

// Run holds the run loop's settings.
type Run struct {
	JSON         bool    `toml:"json"`
	Listen       string  `toml:"listen"`
	StableFrames int     `toml:"stable_frames"`
	Hysteresis   float64 `toml:"hysteresis"`
	// StateDir keeps the service's state across restarts (the learned table);
	// "": $STATE_DIRECTORY, which systemd sets, else nothing is kept.
	StateDir string `toml:"state_dir"`
}

// Web configures the web page served with run.listen (display/web).
type Web struct {
	Lang       string `toml:"lang"`        // language file; empty: English
	Preview    bool   `toml:"preview"`     // show the camera picture on the page
	PreviewFPS int    `toml:"preview_fps"` // preview refreshes per second
}

// WebListen is where the page is served when display.driver is "web" and run.listen
// is empty: this machine only (a kiosk browser on the Pi itself).
const WebListen = "127.0.0.1:8080"

// Default returns the built-in configuration: what numsense uses with no file.
func Default() Config {
	return Config{
		Camera:  Camera{Source: "auto", Width: 640, Height: 480, FPS: 10, Format: "auto", Zoom: true, Learn: true, LearnSeconds: 3},
		Display: Display{Driver: "auto", Bus: "1", Width: 128, Height: 64},
		Run:     Run{StableFrames: 3, Hysteresis: 0.5},
		Web:     Web{Preview: true, PreviewFPS: 4},
	}
}

// Load reads path over the defaults. A missing key keeps its default; an unknown key
// or an invalid value is an error naming the file and the key.
func Load(path string) (Config, error) {
	c := Default()
	data, err := os.ReadFile(path)
	if err != nil {
		return c, fmt.Errorf("config: %w", err)
	}
	if err := c.parse(path, string(data)); err != nil {
		return c, err
	}
	return c, nil
}

// Parse reads TOML text over the defaults; name is used in error messages.
func Parse(name, text string) (Config, error) {
	c := Default()
	err := c.parse(name, text)
	return c, err
}

func (c *Config) parse(name, text string) error {
	md, err := toml.Decode(text, c)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return fmt.Errorf("config %s: line %d: %s", name, pe.Position.Line, quote.Text(pe.Message))
		}
		return fmt.Errorf("config %s: %s", name, quote.Text(err.Error()))
	}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, 0, 5)
		for _, k := range und[:min(len(und), 5)] {
			keys = append(keys, quote.Text(k.String()))
		}
		if len(und) > 5 {
			keys = append(keys, fmt.Sprintf("and %d more", len(und)-5))
		}
		return fmt.Errorf("config %s: unknown key %s", name, strings.Join(keys, ", "))
	}
	if err := c.Validate(); err != nil {
		return fmt.Errorf("config %s: %w", name, err)
	}
	return nil
}

// KeyError is an invalid value, with the dotted key that holds it.
type KeyError struct {
	Key, Msg string
}

func (e *KeyError) Error() string { return fmt.Sprintf("invalid value for %s: %s", e.Key, e.Msg) }

func bad(key, format string, a ...any) error {
	return &KeyError{Key: key, Msg: fmt.Sprintf(format, a...)}
}

// MaxThreads bounds model.threads and every --threads flag.
const MaxThreads = 256

// Validate checks every value and returns a *KeyError for the first invalid one. It
// reads the language file web.lang names.
func (c *Config) Validate() error {
	if c.Camera.Source == "" {
		return bad("camera.source", "empty (use \"auto\")")
	}
	if len(c.Camera.Source) > 4096 || strings.ContainsAny(c.Camera.Source, "\x00\n") {
		return bad("camera.source", "%s is not a source (a name, path or glob of at most 4096 bytes on one line)", quote.Short(c.Camera.Source))
	}
	if c.Camera.Width < 16 || c.Camera.Width > 8192 {
		return bad("camera.width", "%d is outside 16..8192", c.Camera.Width)
	}
	if c.Camera.Height < 16 || c.Camera.Height > 8192 {
		return bad("camera.height", "%d is outside 16..8192", c.Camera.Height)
	}
	if c.Camera.FPS < 1 || c.Camera.FPS > 120 {
		return bad("camera.fps", "%d is outside 1..120", c.Camera.FPS)
	}
	switch c.Camera.Format {
	case "auto", "yuyv", "mjpeg", "grey":
	default:
		return bad("camera.format", "%s is not one of auto, yuyv, mjpeg, grey", quote.Short(c.Camera.Format))
	}
	if r, err := ParseROI(c.Camera.ROI); err != nil {
		return bad("camera.roi", "%v", err)
	} else if r.W > 0 && (r.X > c.Camera.Width-r.W || r.Y > c.Camera.Height-r.H) {
		return bad("camera.roi", "%s reaches beyond the %dx%d frame (camera.width, camera.height)", quote.Short(c.Camera.ROI), c.Camera.Width, c.Camera.Height)
	}
	if !(c.Camera.LearnSeconds >= 0.5 && c.Camera.LearnSeconds <= 600) {
		return bad("camera.learn_seconds", "%v is outside 0.5..600", c.Camera.LearnSeconds)
	}
	if c.Model.Threads < 0 || c.Model.Threads > MaxThreads {
		return bad("model.threads", "%d is outside 0..%d", c.Model.Threads, MaxThreads)
	}
	switch c.Display.Driver {
	case "auto", "ssd1306", "sh1106", "hd44780", "ht16k33", "terminal", "png", "web", "none":
	default:
		return bad("display.driver", "%s is not one of auto, ssd1306, sh1106, hd44780, ht16k33, terminal, png, web, none", quote.Short(c.Display.Driver))
	}
	if c.Display.Bus == "" {
		return bad("display.bus", "empty (the Pi's header bus is \"1\")")
	}
	if c.Display.Address < 0 || c.Display.Address > 0x77 {
		return bad("display.address", "%#x is outside 0x00..0x77", c.Display.Address)
	}
	if c.Display.Width < 8 || c.Display.Width > 256 {
		return bad("display.width", "%d is outside 8..256", c.Display.Width)
	}
	if c.Display.Height < 8 || c.Display.Height > 256 {
		return bad("display.height", "%d is outside 8..256", c.Display.Height)
	}
	if c.Display.Driver == "png" && c.Display.PNG == "" {
		return bad("display.png", "empty, but display.driver is \"png\"")
	}
	if c.Run.Listen != "" {
		if _, _, err := net.SplitHostPort(c.Run.Listen); err != nil {
			return bad("run.listen", "%s is not host:port", quote.Short(c.Run.Listen))
		}
	}
	if c.Run.StableFrames < 1 || c.Run.StableFrames > 100 {
		return bad("run.stable_frames", "%d is outside 1..100", c.Run.StableFrames)
	}
	if !(c.Run.Hysteresis >= 0 && c.Run.Hysteresis <= 5) {
		return bad("run.hysteresis", "%v is outside 0..5", c.Run.Hysteresis)
	}
	if c.Web.PreviewFPS < 1 || c.Web.PreviewFPS > 10 {
		return bad("web.preview_fps", "%d is outside 1..10", c.Web.PreviewFPS)
	}
	if c.Web.Lang != "" {
		if _, err := web.LoadLang(c.Web.Lang); err != nil {
			return bad("web.lang", "%v", err)
		}
	}
	return nil
}

// ROI is a region of interest in camera pixels.
type ROI struct{ X, Y, W, H int }

// MaxROI bounds every number of a region of interest: 65536, the side of the
// largest picture numsense reads (camera.MaxY4MSide), and small enough that x+w
// cannot overflow.
const MaxROI = 1 << 16

// ParseROI parses "x,y,w,h" (each 0..MaxROI, w and h at least 16); the empty
// string is the whole frame (zero ROI). Config.Validate also checks that the region
// lies inside camera.width x camera.height.
func ParseROI(s string) (ROI, error) {
	if strings.TrimSpace(s) == "" {
		return ROI{}, nil
	}
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return ROI{}, fmt.Errorf("%s is not \"x,y,w,h\"", quote.Short(s))
	}
	var v [4]int
	for i, p := range parts {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 0 || n > MaxROI {
			return ROI{}, fmt.Errorf("%s: %s is not a whole number in 0..%d", quote.Short(s), quote.Short(p), MaxROI)
		}
		v[i] = n
	}
	if v[2] < 16 || v[3] < 16 {
		return ROI{}, fmt.Errorf("%s: width and height must be at least 16", quote.Short(s))
	}
	return ROI{v[0], v[1], v[2], v[3]}, nil
}
