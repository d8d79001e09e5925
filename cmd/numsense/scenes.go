package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/numsense/numsense/camera/scene"
)

func init() {
	register(command{name: "scenes", summary: "write a bench set of photo-realistic table scenes with exact counts", run: cmdScenes})
}

func cmdScenes(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("scenes", "scenes [--n 600] [--seed 1] [--kinds coins,dice] [--size 640x480] -o DIR", `
Renders photo-realistic table scenes (camera/scene) with their exact counts into the
output directory DIR: images/NNNNN.jpg and counts.csv, ready for numsense bench DIR.
Tables: wood, paper, cloth, grey, dark. Objects, one kind per scene and taken in
turn: coins, sweets, dice, leaves, blocks, in many colours, 2-25 % of the picture
width, 1-40 of them, in random, clustered, grid (dense arrays down to touching)
and row layouts; soft shadows, a slight camera tilt, vignetting, sensor noise and
JPEG compression. counts.csv has, after file and count, the labels numsense bench
breaks its figures down by (kind, table, layout, size, array: "dense" when objects
cover at least 40 % of the picture) and the exact extent, cover and JPEG quality.

The set is a pure function of --seed, --n's prefix and --size: scene i is the same
picture on every machine and whatever --n is. It is a test set, never a training
set: nothing is fitted on it. The same scenes are a frame source: --source scenes:SEED.`, stderr)
	out := fs.String("o", "", "output directory (written when complete; an existing one is replaced only if numsense wrote it)")
	n := fs.Int("n", 600, "how many scenes")
	seed := fs.Uint64("seed", 1, "random seed")
	kinds := fs.String("kinds", "", "object kinds, comma-separated (default all: coins,sweets,dice,leaves,blocks)")
	size := fs.String("size", "640x480", "picture size WxH")
	threads := fs.Int("threads", 0, "rendering threads (0: all cores)")
	quiet := fs.Bool("q", false, "no progress")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() != 0 {
		fmt.Fprintln(stderr, "numsense scenes: -o DIR is required, and no arguments")
		return errUsage
	}
	if *n < 1 || *n > 1000000 {
		return fmt.Errorf("--n: %d is outside 1..1000000", *n)
	}
	o := scene.Opts{Seed: *seed}
	if _, err := fmt.Sscanf(*size, "%dx%d", &o.Width, &o.Height); err != nil {
		return fmt.Errorf("--size: %q is not WxH", *size)
	}
	if *kinds != "" {
		for _, k := range strings.Split(*kinds, ",") {
			kk, err := scene.ParseKind(strings.TrimSpace(k))
			if err != nil {
				return fmt.Errorf("--kinds: %w", err)
			}
			o.Kinds = append(o.Kinds, kk)
		}
	}
	if _, err := scene.New(o); err != nil {
		return fmt.Errorf("--size: %w", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var progress func(int)
	if !*quiet {
		progress = func(done int) {
			if done%20 == 0 || done == *n {
				fmt.Fprintf(stderr, "\rscenes: %d of %d", done, *n)
				if done == *n {
					fmt.Fprintln(stderr)
				}
			}
		}
	}
	scenes, err := scene.WriteSet(ctx, *out, o, *n, *threads, progress)
	if err != nil {
		return err
	}
	dense := 0
	for _, s := range scenes {
		if s.Dense() {
			dense++
		}
	}
	fmt.Fprintf(stdout, "wrote %d scenes (%d dense arrays) to %s: images/, counts.csv\n", len(scenes), dense, *out)
	return nil
}
