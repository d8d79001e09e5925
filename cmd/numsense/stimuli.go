package main

import (
	"fmt"
	"io"

	"github.com/numsense/numsense/model/lab/stimulus"
)

func init() {
	register(command{name: "stimuli", summary: "write dot stimuli of the papers' sets as PNG files", run: cmdStimuli})
}

func cmdStimuli(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("stimuli", "stimuli [--set standard] [--n 12] [--count 10] [--seed 1] -o DIR", `
Writes dot stimuli as 227x227 PNG files (white dots on black), drawn exactly by the
rules of Kim et al. 2021: the standard set, control set 1 (constant total area and
density), control set 2 (pentagon hull, mixed shapes) and the area-varying set.`, stderr)
	set := fs.String("set", "standard", "stimulus set: standard, control1, control2 or area")
	n := fs.Int("n", 12, "numerosity, 1..30")
	count := fs.Int("count", 10, "how many images")
	seed := fs.Uint64("seed", 1, "random seed (the same seed gives the same images on every machine)")
	out := fs.String("o", "", "output directory (created if missing)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fmt.Fprintln(stderr, "numsense stimuli: -o DIR is required")
		return errUsage
	}
	s, err := stimulus.ParseSet(*set)
	if err != nil {
		return fmt.Errorf("--set: %w", err)
	}
	if *n < 1 || *n > stimulus.MaxN {
		return fmt.Errorf("--n: %d is outside 1..%d", *n, stimulus.MaxN)
	}
	if *count < 1 || *count > 100000 {
		return fmt.Errorf("--count: %d is outside 1..100000", *count)
	}
	paths, err := stimulus.WritePNGs(*out, s, *n, *count, *seed)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d %s images of %d items to %s\n", len(paths), s, *n, *out)
	return nil
}
