// Command scenefigures measures the embedded model (or -model) on synthetic camera
// scenes that chose and set nothing: per scenes per count 1..30 of the default
// layout and as many of the varied one (camera.NewSynthetic, seeds
// experiment.Derive(-seed, experiment.SceneSeedStream) and that +1, as calibration
// derives its own from seed 1), each taken through the whole pipeline
// (estimate.Estimator.Frame: front end, networks, decoder) on the last of its
// settle frames. It prints, per layout, the median relative error, 68 % coverage,
// log bias and Weber fraction of model/accuracy (docs/science.md, "The merged
// pipeline"):
//
//	go run ./model/lab/experiment/internal/scenefigures -seed 2 -per 5
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/accuracy"
	"github.com/numsense/numsense/model/defaultmodel"
	"github.com/numsense/numsense/model/estimate"
	"github.com/numsense/numsense/model/lab/experiment"
)

func main() {
	seed := flag.Uint64("seed", 2, "seed the scenes' seeds are derived from (calibration uses 1)")
	per := flag.Int("per", 5, "scenes per count and layout")
	path := flag.String("model", "", "model file (default: the embedded model)")
	flag.Parse()
	if err := run(*seed, *per, *path); err != nil {
		fmt.Fprintln(os.Stderr, "scenefigures:", err)
		os.Exit(1)
	}
}

func run(seed uint64, per int, path string) error {
	if per < 1 || flag.NArg() != 0 {
		return fmt.Errorf("usage: scenefigures [-seed S] [-per N] [-model FILE]")
	}
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
	est, err := estimate.New(m, estimate.Options{})
	if err != nil {
		return err
	}
	defer est.Close()
	const settle, maxCount = 3, 30
	base := experiment.Derive(seed, experiment.SceneSeedStream)
	for k, varied := range []bool{false, true} {
		var counts []int
		for i := 0; i < per; i++ {
			for n := 1; n <= maxCount; n++ {
				counts = append(counts, n)
			}
		}
		o := &camera.Opts{Width: 640, Height: 480}
		o.Synthetic = camera.SyntheticOpts{Seed: base + uint64(k), Every: settle, Counts: counts, Hand: -1, Varied: varied}
		src := camera.NewSynthetic(o)
		var fr camera.Frame
		var ss []accuracy.Sample
		empty := 0
		for i := 0; i < len(counts)*settle; i++ {
			if err := src.Next(context.Background(), &fr); err != nil {
				return err
			}
			if i%settle != settle-1 {
				continue
			}
			r, err := est.Frame(&fr)
			if err != nil {
				return err
			}
			if r.State == estimate.Empty {
				empty++
				continue
			}
			ss = append(ss, accuracy.Sample{True: fr.Count, Estimate: r.Value, Lo: r.Lo, Hi: r.Hi})
		}
		src.Close()
		a := accuracy.Of(ss)
		layout := "default"
		if varied {
			layout = "varied"
		}
		fmt.Printf("%-7s layout: %d scenes (%d empty), median |rel err| %.3f, 68 %% coverage %.3f, log bias %+.3f, Weber fraction %.3f\n",
			layout, len(counts), empty, a.MedianRelErr, a.Coverage, a.LogBias, a.WeberFraction)
	}
	return nil
}
