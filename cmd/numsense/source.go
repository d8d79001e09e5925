package main

import (
	"fmt"
	"os"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/cmd/numsense/internal/config"
)

// cameraOpts maps the configuration to camera options. Recordings play as fast as
// they are read (see openSourceRealtime) and synthetic scenes are paced like a
// camera.
func cameraOpts(c *config.Camera) *camera.Opts {
	if c == nil {
		d := config.Default()
		c = &d.Camera
	}
	o := &camera.Opts{Width: c.Width, Height: c.Height, FPS: c.FPS}
	o.Synthetic.FPS = float64(c.FPS)
	o.Synthetic.Seed = 1
	return o
}

// openSource opens a frame source (camera.Open; "auto" is the first USB camera that
// opens, else the synthetic scene). Diagnostics go to standard error.
func openSource(spec string, c *config.Camera) (camera.Source, error) {
	return openSourceRealtime(spec, c, false)
}

// openSourceRealtime is openSource with recordings paced at their recorded rate
// (else camera.fps) when realtime is set.
func openSourceRealtime(spec string, c *config.Camera, realtime bool) (camera.Source, error) {
	o := cameraOpts(c)
	o.Realtime = realtime
	o.Logf = func(format string, a ...any) { fmt.Fprintf(os.Stderr, "numsense: "+format+"\n", a...) }
	return camera.Open(spec, o)
}
