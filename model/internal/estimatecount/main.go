// Command estimatecount runs whole estimates of the default model (model/defaultmodel:
// every network of its population on every view, the gather, the average over the
// views and the decoder) on one thread, so that an instruction counter such as
// shared/tools/arm-insn can measure what one estimate costs. As with framecount,
// start-up is the same for any -estimates, so the difference between two runs
// divided by the difference in estimates is the per-estimate count.
//
// usage: estimatecount [-estimates N] [-n DOTS] [-seed S] [-model FILE] [-frontend]
//
// The input is a fixed dot image (model/internal/dots), given to the estimator as the
// silhouette (Estimator.Silhouette: what follows the camera front end). With
// -frontend each estimate starts from a 640x480 YUYV camera frame of the synthetic
// camera instead, front end included. It prints the estimate, the number of network
// passes per estimate and a checksum, so a change of result shows.
package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/defaultmodel"
	"github.com/numsense/numsense/model/estimate"
	"github.com/numsense/numsense/model/internal/dots"
)

func main() {
	n := flag.Int("estimates", 1, "number of estimates to run (0: start-up only)")
	dotsN := flag.Int("n", 12, "number of dots in the stimulus (1..30)")
	seed := flag.Uint64("seed", 1, "stimulus seed")
	path := flag.String("model", "", "model file (default: the embedded model)")
	fe := flag.Bool("frontend", false, "start from a 640x480 YUYV synthetic camera frame (front end included)")
	flag.Parse()
	if flag.NArg() != 0 || *n < 0 || *dotsN < 1 || *dotsN > 30 {
		fmt.Fprintln(os.Stderr, "usage: estimatecount [-estimates N] [-n DOTS] [-seed S] [-model FILE] [-frontend]")
		os.Exit(2)
	}
	if err := run(*n, *dotsN, *seed, *path, *fe); err != nil {
		fmt.Fprintln(os.Stderr, "estimatecount:", err)
		os.Exit(1)
	}
}

func run(n, dotsN int, seed uint64, path string, fe bool) error {
	f, err := defaultmodel.Load()
	if path != "" {
		f, err = model.Load(path)
	}
	if err != nil {
		return err
	}
	m, err := estimate.FromFile(f)
	if err != nil {
		return err
	}
	e, err := estimate.New(m, estimate.Options{Threads: 1})
	if err != nil {
		return err
	}
	defer e.Close()
	img := dots.Random(seed, dotsN)
	var frame camera.Frame
	if fe {
		src := camera.NewSynthetic(&camera.Opts{Width: 640, Height: 480, Synthetic: camera.SyntheticOpts{Seed: seed, Counts: []int{dotsN}, Hand: -1}})
		if err := src.Next(context.Background(), &frame); err != nil {
			return err
		}
		src.Close()
	}
	var r estimate.Result
	for i := 0; i < n; i++ {
		if fe {
			r, err = e.Frame(&frame)
		} else {
			r, err = e.Silhouette(img)
		}
		if err != nil {
			return err
		}
	}
	views := max(1, len(e.Views()))
	fmt.Printf("estimates=%d networks=%d views=%d passes=%d value=%.4f checksum=%d\n", n, e.Networks(), views,
		e.Networks()*views, r.Value, int64(math.Round(r.Value*1e6)+math.Round(r.Lo*1e3)))
	return nil
}
