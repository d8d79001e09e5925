// Command framecount runs whole int8 frames of the default network (the embedded,
// already calibrated seed-1 model of model/defaultmodel) on one engine thread, so
// that an instruction counter such as arm-insn ($ARM_INSN in the bench scripts) can measure what one
// frame costs: every stage, including im2col, requantisation, LRN and pooling, not
// only the GEMMs. Start-up (decoding the model, NewEngine, drawing the stimulus) is
// the same for any -frames, so the difference between two runs divided by the
// difference in frames is the per-frame count; with -func, the same difference
// gives one symbol's share.
//
// usage: framecount [-frames N] [-n DOTS] [-seed S]
//
// The input is a fixed dot image (model/internal/dots: N discs of radius 7 placed
// from seed S).
// It prints the frame count and a checksum of relu5, so a change of result shows.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/defaultmodel"
	"github.com/numsense/numsense/model/internal/dots"
)

func main() {
	frames := flag.Int("frames", 1, "number of frames to run (0: start-up only)")
	dots := flag.Int("n", 12, "number of dots in the stimulus (1..30)")
	seed := flag.Uint64("seed", 1, "stimulus seed")
	flag.Parse()
	if flag.NArg() != 0 || *frames < 0 {
		fmt.Fprintln(os.Stderr, "usage: framecount [-frames N] [-n DOTS] [-seed S]")
		os.Exit(2)
	}
	if err := run(*frames, *dots, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "framecount:", err)
		os.Exit(1)
	}
}

func run(frames, n int, seed uint64) error {
	f, err := defaultmodel.Load()
	if err != nil {
		return err
	}
	if n < 1 || n > 30 {
		return fmt.Errorf("-n %d: want 1..30 dots", n)
	}
	img := dots.Random(seed, n)
	e := model.NewEngine(f.Q, 1)
	defer e.Close()
	for i := 0; i < frames; i++ {
		if err := e.Run(img); err != nil {
			return err
		}
	}
	var sum int64
	for i, v := range e.Relu5() {
		sum += int64(i%7+1) * int64(v)
	}
	fmt.Printf("frames=%d macs_per_frame=%d relu5_checksum=%d\n", frames, model.TotalMACs(), sum)
	return nil
}
