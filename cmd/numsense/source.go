package main

import (
	"fmt"
	"os"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/cmd/numsense/internal/config"
)

// cameraOpts maps the configuration to camera options. Recordings play at the
// configured frame rate and synthetic scenes are paced like a camera.
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

// openSource opens a frame source. "auto" is the first V4L2 camera that opens, else
// the synthetic scene (the default on a machine without a camera).
func openSource(spec string, c *config.Camera) (camera.Source, error) {
	o := cameraOpts(c)
	if spec != "auto" {
		return camera.Open(spec, o)
	}
	devs, _ := camera.ListVideoDevices()
	for _, d := range devs {
		if d.Err != "" || len(d.Formats) == 0 {
			continue
		}
		src, err := camera.Open(d.Path, o)
		if err == nil {
			return src, nil
		}
		fmt.Fprintf(os.Stderr, "numsense: camera %s: %v\n", d.Path, err)
	}
	return camera.Open("synthetic", o)
}
