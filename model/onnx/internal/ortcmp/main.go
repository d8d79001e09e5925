// Command ortcmp is the Go half of the ONNX Runtime side-by-side (ort-compare.sh,
// ort-ratio.sh): it writes the exported models, the input frame and the engine's
// activations, compares ONNX Runtime's outputs with them, and times the engine.
//
//	ortcmp stages                                          the stage names after the input
//	ortcmp prepare -dir D [-model FILE] [-seed S] [-n N] [-stages a,b]   models, input and our stages into D
//	ortcmp compare -dir D [-check]                         per-stage table from D/*.ort.u8
//	ortcmp time [-model FILE] [-runs 30] [-threads 1,2]    median engine time per frame
//	ortcmp explain -dir D [-model FILE] [-seed S]          conv differences against a float requantisation model
//	ortcmp diff [-limit L] OURS PEER                       one output against ours: equal share, largest difference
//	ortcmp kernel                                          the Gemm and Requantize kernels and SIMD features in use
//
// Files in D: input.u8 (the frame, raw uint8 227x227), for every stage S after the
// input: S.onnx (frame to S), S.alone.onnx (the stage before S to S),
// S.in.u8 (our stage before S, the input of S.alone.onnx), S.ours.u8 (our S); the
// script adds S.ort.u8 and S.alone.ort.u8. Activations are uint8 = int8 code + 128.
package main

import (
	"errors"
	"flag"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"math"

	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/defaultmodel"
	"github.com/numsense/numsense/model/floatnet"
	"github.com/numsense/numsense/model/internal/dots"
	"github.com/numsense/numsense/model/onnx"
	"github.com/numsense/numsense/model/onnx/internal/ref"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: ortcmp stages|prepare|compare|time|explain|diff|kernel [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "prepare":
		err = prepare(os.Args[2:])
	case "compare":
		err = compare(os.Args[2:])
	case "time":
		err = timing(os.Args[2:])
	case "stages":
		fmt.Println(strings.Join(onnx.Stages()[1:], " "))
	case "explain":
		err = explain(os.Args[2:])
	case "diff":
		err = diffFiles(os.Args[2:])
	case "kernel":
		fmt.Println(kernelLine())
	default:
		err = fmt.Errorf("unknown subcommand %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "ortcmp:", err)
		os.Exit(1)
	}
}

// loadQNet reads a model file, or takes the embedded calibrated model (the network
// numsense run and numsense model export use) when path is empty and seed is 1; another
// seed draws a fresh network, quantised on 16 dot images (one per numerosity of the
// papers; not the stimuli numsense calibrate uses, so not bit for bit its network).
func loadQNet(path string, seed uint64) (*model.QNet, error) {
	if path != "" {
		f, err := model.Load(path)
		if err != nil {
			return nil, err
		}
		return f.Q, nil
	}
	if seed == 1 {
		f, err := defaultmodel.Load()
		if err != nil {
			return nil, err
		}
		return f.Q, nil
	}
	var calib []*image.Gray
	for i, n := range []int{1, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30} {
		calib = append(calib, dots.Random(seed*1000+uint64(i), n))
	}
	return floatnet.Quantize(floatnet.New(seed), calib)
}

// frame is the input picture: n dots of radius 7 placed from seed 7.
func frame(n int) (*image.Gray, error) {
	if n < 1 || n > 30 {
		return nil, fmt.Errorf("-n %d: want 1..30 dots", n)
	}
	return dots.Random(7, n), nil
}

func u8(x []int8) []byte {
	b := make([]byte, len(x))
	for i, v := range x {
		b[i] = byte(int(v) + 128)
	}
	return b
}

func prepare(args []string) error {
	fs := flag.NewFlagSet("prepare", flag.ContinueOnError)
	dir := fs.String("dir", "", "output directory")
	path := fs.String("model", "", "model file (default: seed network quantised on stimuli)")
	seed := fs.Uint64("seed", 1, "network seed for the default model")
	n := fs.Int("n", 12, "numerosity of the standard-set stimulus used as input")
	only := fs.String("stages", "", "comma-separated stages to write models for (default all)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" {
		return errors.New("prepare: -dir is required")
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return err
	}
	q, err := loadQNet(*path, *seed)
	if err != nil {
		return err
	}
	img, err := frame(*n)
	if err != nil {
		return err
	}
	st, err := ref.Run(q, img)
	if err != nil {
		return err
	}
	names := onnx.Stages()
	write := func(name string, data []byte) error { return os.WriteFile(filepath.Join(*dir, name), data, 0o644) }
	if err := write("input.u8", u8(st[0])); err != nil {
		return err
	}
	for k := 1; k < len(names); k++ {
		s := names[k]
		if *only != "" && !slices.Contains(strings.Split(*only, ","), s) {
			continue
		}
		if err := onnx.WriteFile(filepath.Join(*dir, s+".onnx"), q, onnx.Opts{Outputs: []string{s}}); err != nil {
			return err
		}
		if err := onnx.WriteFile(filepath.Join(*dir, s+".alone.onnx"), q, onnx.Opts{Input: names[k-1], Outputs: []string{s}}); err != nil {
			return err
		}
		if err := write(s+".in.u8", u8(st[k-1])); err != nil {
			return err
		}
		if err := write(s+".ours.u8", u8(st[k])); err != nil {
			return err
		}
	}
	fmt.Printf("prepared %s: seed %d, dot image n=%d, %d stages\n", *dir, q.Seed, *n, len(names)-1)
	return nil
}

// diff summarises ORT against ours: share of equal values, largest |difference| in
// quantisation steps, and how many differ by more than one step.
type diff struct {
	n, equal, over1, maxAbs, sumAbs int
}

func cmp(ours, ort []byte) diff {
	d := diff{n: len(ours)}
	for i, a := range ours {
		x := int(a) - int(ort[i])
		if x < 0 {
			x = -x
		}
		if x == 0 {
			d.equal++
		}
		d.sumAbs += x
		if x > 1 {
			d.over1++
		}
		d.maxAbs = max(d.maxAbs, x)
	}
	return d
}

// limit is the largest |difference| -check accepts for stage s run alone: convs
// requantise in float in ORT (one step at rounding ties and float error), LRN is
// float in ORT and a table in ours (two steps), max-pool is exact.
func limit(s string) int {
	switch {
	case strings.HasPrefix(s, "relu"):
		return 1
	case strings.HasPrefix(s, "norm"):
		return 2
	}
	return 0
}

// diffFiles compares two activation files value by value (ort-arm.sh: the arm64
// ONNX Runtime's output against ours) and fails if they differ by more than -limit
// steps (negative: no limit).
func diffFiles(args []string) error {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	lim := fs.Int("limit", -1, "largest |difference| in steps accepted (negative: any)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return errors.New("diff: want two files, ours and the peer's")
	}
	ours, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	peer, err := os.ReadFile(fs.Arg(1))
	if err != nil {
		return err
	}
	if len(ours) != len(peer) || len(ours) == 0 {
		return fmt.Errorf("diff: %s has %d bytes, %s %d", fs.Arg(0), len(ours), fs.Arg(1), len(peer))
	}
	d := cmp(ours, peer)
	fmt.Printf("values=%d equal_pct=%.4f max_abs=%d mean_abs=%.4f\n", d.n, 100*float64(d.equal)/float64(d.n), d.maxAbs, float64(d.sumAbs)/float64(d.n))
	if *lim >= 0 && d.maxAbs > *lim {
		return fmt.Errorf("diff: %s and %s differ by %d steps, more than %d", fs.Arg(0), fs.Arg(1), d.maxAbs, *lim)
	}
	return nil
}

func compare(args []string) error {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	dir := fs.String("dir", "", "directory written by prepare, with the ORT outputs")
	check := fs.Bool("check", false, "fail if a stage run alone differs by more than its limit")
	if err := fs.Parse(args); err != nil {
		return err
	}
	read := func(name string) ([]byte, error) { return os.ReadFile(filepath.Join(*dir, name)) }
	fmt.Printf("%-6s %-8s %8s %9s %7s %8s %8s\n", "stage", "mode", "values", "equal%", "max|d|", "mean|d|", ">1 step")
	var bad []string
	for _, s := range onnx.Stages()[1:] {
		ours, err := read(s + ".ours.u8")
		if err != nil {
			return err
		}
		for _, mode := range []string{"alone", "chained"} {
			name := s + ".ort.u8"
			if mode == "alone" {
				name = s + ".alone.ort.u8"
			}
			ort, err := read(name)
			if err != nil {
				return err
			}
			if len(ort) != len(ours) {
				return fmt.Errorf("%s: %d bytes, ours has %d", name, len(ort), len(ours))
			}
			d := cmp(ours, ort)
			fmt.Printf("%-6s %-8s %8d %9.4f %7d %8.4f %8d\n", s, mode, d.n, 100*float64(d.equal)/float64(d.n), d.maxAbs, float64(d.sumAbs)/float64(d.n), d.over1)
			if mode == "alone" && d.maxAbs > limit(s) {
				bad = append(bad, fmt.Sprintf("%s alone: max |d| %d > %d", s, d.maxAbs, limit(s)))
			}
		}
	}
	if *check && len(bad) > 0 {
		return fmt.Errorf("outside the expected limits: %s", strings.Join(bad, "; "))
	}
	return nil
}

func timing(args []string) error {
	fs := flag.NewFlagSet("time", flag.ContinueOnError)
	path := fs.String("model", "", "model file (default: seed network quantised on stimuli)")
	seed := fs.Uint64("seed", 1, "network seed for the default model")
	runs := fs.Int("runs", 30, "timed runs per thread count (median reported)")
	threads := fs.String("threads", "1,2", "comma-separated thread counts")
	n := fs.Int("n", 12, "numerosity of the input stimulus")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *runs < 1 {
		return errors.New("time: -runs must be at least 1")
	}
	q, err := loadQNet(*path, *seed)
	if err != nil {
		return err
	}
	img, err := frame(*n)
	if err != nil {
		return err
	}
	var engines []*model.Engine
	for _, t := range strings.Split(*threads, ",") {
		th, err := strconv.Atoi(strings.TrimSpace(t))
		if err != nil || th < 1 {
			return fmt.Errorf("time: bad thread count %q", t)
		}
		e := model.NewEngine(q, th)
		defer e.Close()
		for i := 0; i < 3; i++ {
			if err := e.Run(img); err != nil {
				return err
			}
		}
		engines = append(engines, e)
	}
	// The engines take turns, so that a change in the machine's load hits every
	// thread count alike. A turn is two frames back to back: the first finds the
	// workers asleep (the other engine ran for milliseconds, longer than they poll)
	// and is reported as cold; the second, with the workers awake, as a frame of a
	// steady stream (the median of these is the figure compared).
	ts := make([][]float64, len(engines))
	cold := make([][]float64, len(engines))
	for i := 0; i < *runs; i++ {
		for k, e := range engines {
			for j := 0; j < 2; j++ {
				t0 := time.Now()
				if err := e.Run(img); err != nil {
					return err
				}
				ms := float64(time.Since(t0).Nanoseconds()) / 1e6
				if j == 0 {
					cold[k] = append(cold[k], ms)
				} else {
					ts[k] = append(ts[k], ms)
				}
			}
		}
	}
	for k, e := range engines {
		t, c := ts[k], cold[k]
		slices.Sort(t)
		slices.Sort(c)
		fmt.Printf("ours_%dt_median_ms=%.3f min_ms=%.3f max_ms=%.3f cold_median_ms=%.3f runs=%d\n", e.Threads(), t[len(t)/2], t[0], t[len(t)-1], c[len(c)/2], *runs)
	}
	return nil
}

// explain models ORT's QLinearConv requantisation, float32(acc) * float32(x_scale *
// w_scale / y_scale) rounded half to even, for every conv stage run alone, and
// reports how often that model reproduces ORT exactly, and for the values where
// ours and ORT differ, how far the exact real value acc*M lies from a rounding
// boundary (k + 1/2).
func explain(args []string) error {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	dir := fs.String("dir", "", "directory written by prepare, with the ORT outputs")
	path := fs.String("model", "", "model file given to prepare")
	seed := fs.Uint64("seed", 1, "network seed given to prepare")
	if err := fs.Parse(args); err != nil {
		return err
	}
	q, err := loadQNet(*path, *seed)
	if err != nil {
		return err
	}
	read := func(name string) ([]byte, error) { return os.ReadFile(filepath.Join(*dir, name)) }
	fmt.Printf("%-6s %10s %12s %10s %22s\n", "stage", "differ", "float model", "= ORT %", "max |acc*M - (k+1/2)|")
	for li, s := range []string{"relu1", "relu2", "relu3", "relu4", "relu5"} {
		in, err := read(s + ".in.u8")
		if err != nil {
			return err
		}
		ours, err := read(s + ".ours.u8")
		if err != nil {
			return err
		}
		ort, err := read(s + ".alone.ort.u8")
		if err != nil {
			return err
		}
		x := make([]int8, len(in))
		for i, b := range in {
			x[i] = int8(int(b) - 128)
		}
		c := &q.Conv[li]
		acc := ref.ConvAcc(q, li, x)
		p := model.Arch[li].Pixels()
		if len(acc) != len(ort) || len(ours) != len(ort) {
			return fmt.Errorf("%s: sizes %d, %d, %d", s, len(acc), len(ours), len(ort))
		}
		same, differ := 0, 0
		worst := 0.0
		for i, a := range acc {
			oc := i / p
			s32 := float32(c.InScale*c.WScale[oc]) / c.OutScale
			v := math.RoundToEven(float64(float32(a) * s32))
			v = max(0, min(255, v+float64(c.OutZP+128)))
			if byte(v) == ort[i] {
				same++
			}
			if ours[i] != ort[i] {
				differ++
				r := float64(a) * ref.Multiplier(c, oc)
				worst = max(worst, math.Abs(r-math.Floor(r)-0.5))
			}
		}
		fmt.Printf("%-6s %10d %12d %10.4f %22.6f\n", s, differ, same, 100*float64(same)/float64(len(acc)), worst)
	}
	fmt.Printf("\n%-6s %10s %14s %14s %22s\n", "stage", "differ", "ours != exact", "ORT != exact", "max |y/s - (k+1/2)|")
	for ni, s := range []string{"norm1", "norm2"} {
		in, err := read(s + ".in.u8")
		if err != nil {
			return err
		}
		ours, err := read(s + ".ours.u8")
		if err != nil {
			return err
		}
		ort, err := read(s + ".alone.ort.u8")
		if err != nil {
			return err
		}
		n := &q.Norm[ni]
		c := model.Arch[ni].Out
		plane := len(in) / c
		differ, oursOff, ortOff := 0, 0, 0
		worst := 0.0
		for ch := 0; ch < c; ch++ {
			for j := 0; j < plane; j++ {
				i := ch*plane + j
				// ONNX LRN in float64 on the dequantised input, then y/scale.
				sum := 0.0
				for k := max(0, ch-model.LRNSize/2); k <= min(c-1, ch+model.LRNSize/2); k++ {
					v := float64(n.InScale) * float64(int(in[k*plane+j])-int(n.InZP)-128)
					sum += v * v
				}
				x := float64(n.InScale) * float64(int(in[i])-int(n.InZP)-128)
				y := x / math.Pow(model.LRNK+model.LRNAlpha/model.LRNSize*sum, model.LRNBeta) / float64(n.OutScale)
				exact := byte(max(0, min(255, math.RoundToEven(y)+float64(n.OutZP+128))))
				if ours[i] != exact {
					oursOff++
				}
				if ort[i] != exact {
					ortOff++
				}
				if ours[i] != ort[i] {
					differ++
					worst = max(worst, math.Abs(y-math.Floor(y)-0.5))
				}
			}
		}
		fmt.Printf("%-6s %10d %14d %14d %22.6f\n", s, differ, oursOff, ortOff, worst)
	}
	return nil
}
