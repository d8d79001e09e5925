package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/cmd/numsense/internal/config"
)

func init() {
	register(command{name: "record", summary: "save camera frames as PNG files, to make bench sets", run: cmdRecord})
}

func cmdRecord(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("record", "record --source DEV -o DIR [--every 1s] [--max N]", `
Saves frames from a source as PNG files named by their capture time, so that a real
exhibit's table can become a bench set: add the true counts to DIR/counts.csv
("file,count") and run numsense bench DIR. When the source knows the truth
(synthetic scenes, labelled recordings) counts.csv is written too. Stops at --max
frames, at the end of a recording, or on SIGINT/SIGTERM.

DIR must be new, empty, or an earlier recording, which is continued. Frames are
only added, never replaced; counts.csv is rewritten only if record wrote it (true
counts typed in by hand are left alone), and no other directory is written into.
Nothing is deleted, and no output of numsense (bench -o, reproduce -o) may replace
a recording.`, stderr)
	def := config.Default().Camera
	source := fs.String("source", "auto", "frame source (see numsense run --help)")
	out := fs.String("o", "", "recording directory: new, empty, or an earlier recording to continue")
	every := fs.Duration("every", time.Second, "time between saved frames (0: every frame)")
	maxN := fs.Int("max", 0, "stop after this many frames (0: no limit)")
	w := fs.Int("width", def.Width, "camera frame width")
	h := fs.Int("height", def.Height, "camera frame height")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fmt.Fprintln(stderr, "numsense record: -o DIR is required")
		return errUsage
	}
	if *every < 0 || *maxN < 0 {
		return fmt.Errorf("--every and --max must not be negative")
	}
	c := def
	c.Width, c.Height = *w, *h
	src, err := openSource(*source, &c)
	if err != nil {
		return err
	}
	defer src.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return camera.Record(ctx, src, *out, *every, *maxN, stdout)
}
