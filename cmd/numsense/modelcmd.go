package main

import (
	"fmt"
	"image"
	"image/png"
	"io"
	"math"
	"sort"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/camera/frontend"
	"github.com/numsense/numsense/cmd/numsense/internal/config"
	"github.com/numsense/numsense/display"
	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/atomicfile"
	"github.com/numsense/numsense/model/decoder"
	"github.com/numsense/numsense/model/estimate"
	"github.com/numsense/numsense/model/floatnet"
	"github.com/numsense/numsense/model/lab/experiment"
	"github.com/numsense/numsense/model/population"
	"github.com/numsense/numsense/model/unitmap"
)

func init() {
	register(command{name: "model", summary: "model files: new, info, export", run: cmdModel})
	register(command{name: "infer", summary: "run one image through the network and summarise relu5", run: cmdInfer})
}

const modelUsage = `Usage:
  numsense model new --seed N -o FILE       draw an untrained network and quantise it
  numsense model info [FILE]                describe a model file (default: the embedded model)
  numsense model export --format onnx -o FILE [--model FILE]
                                            write the int8 network as ONNX`

func cmdModel(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, modelUsage)
		return errUsage
	}
	switch args[0] {
	case "new":
		return cmdModelNew(args[1:], stdout, stderr)
	case "info":
		return cmdModelInfo(args[1:], stdout, stderr)
	case "export":
		return cmdModelExport(args[1:], stdout, stderr)
	case "-h", "--help", "-help", "help":
		fmt.Fprintln(stdout, modelUsage)
		return nil
	}
	fmt.Fprintf(stderr, "numsense model: unknown subcommand %q\n%s\n", args[0], modelUsage)
	return errUsage
}

// checkSections decodes every section of f that numsense reads (the unit map, its
// classes and the decoders): a section that is present but corrupt is an error
// naming it, not a model without it.
func checkSections(f *model.File) error {
	var um *unitmap.Map
	if b, ok := f.Sections[estimate.SectionUnits]; ok {
		um = &unitmap.Map{}
		if err := um.UnmarshalBinary(b); err != nil {
			return fmt.Errorf("section %q: %w", estimate.SectionUnits, err)
		}
	}
	for _, sec := range []string{estimate.SectionDecoder, estimate.SectionLikelihood, estimate.SectionReadout} {
		if b, ok := f.Sections[sec]; ok {
			if _, err := decoder.Unmarshal(b); err != nil {
				return fmt.Errorf("section %q: %w", sec, err)
			}
		}
	}
	if b, ok := f.Sections[estimate.SectionClasses]; ok {
		if um == nil {
			return fmt.Errorf("section %q without a section %q", estimate.SectionClasses, estimate.SectionUnits)
		}
		if _, err := unitmap.UnmarshalClasses(b, um); err != nil {
			return fmt.Errorf("section %q: %w", estimate.SectionClasses, err)
		}
	}
	return nil
}

// newQuantized draws the untrained network of seed and quantises it on the same dot
// stimuli numsense calibrate uses for that seed, so both give the same int8 network.
func newQuantized(seed uint64) (*model.QNet, error) {
	imgs, err := experiment.CalibrationImages(experiment.Derive(seed, 1), experiment.DefaultCalibImages)
	if err != nil {
		return nil, err
	}
	q, err := floatnet.Quantize(floatnet.New(seed), imgs)
	if err != nil {
		return nil, err
	}
	q.FromSeed = true // the file stores the seed, not the weights
	return q, nil
}

func cmdModelNew(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("model new", "model new --seed N -o FILE", `
Draws the untrained AlexNet conv1-5 of a seed (He-normal weights, zero bias; the same
seed gives the same network bit for bit on every machine), quantises it to int8 on
dot stimuli and writes a model file. The file has no number-unit map yet: run
numsense calibrate --model FILE to add one.`, stderr)
	seed := fs.Uint64("seed", 1, "random seed of the weights")
	out := fs.String("o", "", "output model file")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fmt.Fprintln(stderr, "numsense model new: -o FILE is required")
		return errUsage
	}
	if err := model.FileKind.Check(*out); err != nil {
		return fmt.Errorf("-o: %w", err)
	}
	q, err := newQuantized(*seed)
	if err != nil {
		return err
	}
	if err := model.Save(*out, &model.File{Q: q, Seed: *seed, Sections: map[string][]byte{}}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (seed %d)\n", *out, *seed)
	return nil
}

func cmdModelInfo(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("model info", "model info [FILE]", `
Describes a model file: architecture, seed, layers with their MACs, weights and
quantisation scales, the networks of a population with their seeds, each network's
number-unit map, the views and the decoder. Without FILE, the calibrated model
embedded in the binary.`, stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	path := fs.Arg(0)
	f, err := loadModelFile(path)
	if err != nil {
		return err
	}
	if path == "" {
		path = "embedded model"
	}
	fmt.Fprintf(stdout, "%s\n%s", path, f.Q.Info())
	if len(f.Population) > 0 {
		fmt.Fprintf(stdout, "population: %d networks (the layers above are network 0's; all have the same architecture)\n", len(f.Networks()))
		for k, q := range f.Networks() {
			seed := q.Seed
			if k == 0 {
				seed = f.Seed
			}
			fmt.Fprintf(stdout, "  network %d: seed %d\n", k, seed)
		}
	}
	names := make([]string, 0, len(f.Sections))
	for k := range f.Sections {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		fmt.Fprintf(stdout, "section %-20s %8d bytes\n", k, len(f.Sections[k]))
	}
	if err := checkSections(f); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if _, ok := f.Sections[estimate.SectionUnits]; !ok {
		fmt.Fprintln(stdout, "no number-unit map: run numsense calibrate")
		return nil
	}
	for k := range f.Networks() {
		sec := estimate.SectionUnitsOf(k)
		b, ok := f.Sections[sec]
		if !ok {
			return fmt.Errorf("%s: network %d has no number-unit map (section %s)", path, k, sec)
		}
		var um unitmap.Map
		if err := um.UnmarshalBinary(b); err != nil {
			return fmt.Errorf("%s: section %s: %w", path, sec, err)
		}
		if len(f.Population) > 0 {
			fmt.Fprintf(stdout, "network %d ", k)
		}
		fmt.Fprintf(stdout, "number units: %d of %d relu5 units selective (%.1f%%), %d non-selective, %d constant\n",
			len(um.Units), um.LayerUnits, 100*float64(len(um.Units))/float64(um.LayerUnits), um.NonSelective, um.Constant)
		counts := make([]int, len(um.Numerosities))
		for _, u := range um.Units {
			counts[u.PN]++
		}
		fmt.Fprint(stdout, "preferred numerosities:")
		for i, n := range um.Numerosities {
			fmt.Fprintf(stdout, " %d:%d", n, counts[i])
		}
		fmt.Fprintln(stdout)
	}
	m, err := estimate.FromFile(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	views := "the silhouette alone"
	if len(m.Views) > 0 {
		views = fmt.Sprintf("%d views (%s), responses averaged", len(m.Views), population.Names(m.Views))
	}
	fmt.Fprintf(stdout, "decoder: %s over %d units of %d network(s); %s\n", m.Decoder.Name(), m.Decoder.Units(), len(f.Networks()), views)
	return nil
}

func cmdInfer(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("infer", "infer [--model FILE] [--raw] [--npy FILE] [--silhouette FILE] IMAGE", `
Runs one PNG or JPEG image through the pipeline and prints a summary of relu5 (the
analysed layer, 13x13x256 = 43,264 units): active units, mean and largest response,
the most active channels and, with a calibrated model, the estimate from the number
units. A photo goes through the camera front end first; --raw feeds a 227x227 image
(such as a dot stimulus from numsense stimuli) to the network as it is.
--silhouette writes the 227x227 binary image the network saw as a PNG file: what to
look at first when an estimate is far off.`, stderr)
	modelPath := fs.String("model", "", "model file (default: the embedded model)")
	raw := fs.Bool("raw", false, "the image is already the network's 227x227 input")
	npy := fs.String("npy", "", "also write relu5 (float32, shape 256x13x13) to this .npy file")
	silPath := fs.String("silhouette", "", "also write the 227x227 binary image the network saw to this PNG file")
	roi := fs.String("roi", "", "region of interest x,y,w,h in image pixels, as camera.roi")
	zoom := fs.Bool("zoom", true, "zoom the view around the objects, as camera.zoom (--zoom=false: off)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "numsense infer: give one IMAGE")
		return errUsage
	}
	if *npy != "" {
		if err := model.NPYKind.Check(*npy); err != nil {
			return fmt.Errorf("--npy: %w", err)
		}
	}
	if *silPath != "" {
		if err := display.PNGKind.Check(*silPath); err != nil {
			return fmt.Errorf("--silhouette: %w", err)
		}
	}
	var fr camera.Frame
	if err := camera.ReadFrame(fs.Arg(0), &fr); err != nil {
		return err
	}
	f, err := loadModelFile(*modelPath)
	if err != nil {
		return err
	}
	if err := checkSections(f); err != nil {
		name := *modelPath
		if name == "" {
			name = "embedded model"
		}
		return fmt.Errorf("%s: %w", name, err)
	}
	var in *image.Gray
	if *raw {
		g, err := fr.Gray()
		if err != nil || g.Bounds().Dx() != model.InputSize || g.Bounds().Dy() != model.InputSize {
			return fmt.Errorf("%s: --raw needs a %dx%d image", fs.Arg(0), model.InputSize, model.InputSize)
		}
		in = g
	} else {
		r, err := config.ParseROI(*roi)
		if err != nil {
			return fmt.Errorf("--roi: %w", err)
		}
		fe := frontend.New(frontEndOpts(r, *zoom))
		res, err := fe.Process(&fr)
		if err != nil {
			return fmt.Errorf("%s: %w", fs.Arg(0), err)
		}
		in = res.Image
		fmt.Fprintf(stdout, "front end: scene %s, foreground %.1f%%, zoom %.2fx\n", res.State, 100*res.Foreground, res.Zoom)
	}
	if *silPath != "" {
		if err := atomicfile.Write(*silPath, func(w io.Writer) error { return png.Encode(w, in) }); err != nil {
			return fmt.Errorf("--silhouette: %w", err)
		}
		fmt.Fprintf(stdout, "wrote %s\n", *silPath)
	}
	eng := model.NewEngine(f.Q, 0)
	defer eng.Close()
	if err := eng.Run(in); err != nil {
		return err
	}
	r5 := make([]float32, model.Relu5Units)
	eng.Relu5Float(r5)
	active, sum, mx := 0, 0.0, float32(0)
	ch := make([]float64, 256)
	for i, v := range r5 {
		if v > 0 {
			active++
		}
		sum += float64(v)
		mx = max(mx, v)
		ch[i/169] += float64(v)
	}
	fmt.Fprintf(stdout, "relu5: %d of %d units active (%.1f%%), mean %.4g, max %.4g\n", active, len(r5), 100*float64(active)/float64(len(r5)), sum/float64(len(r5)), mx)
	order := make([]int, 256)
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return ch[order[a]] > ch[order[b]] })
	fmt.Fprint(stdout, "most active channels:")
	for _, c := range order[:8] {
		fmt.Fprintf(stdout, " %d (%.3g)", c, ch[c]/169)
	}
	fmt.Fprintln(stdout)
	if *npy != "" {
		if err := model.WriteNPY(*npy, []int{256, 13, 13}, r5); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s\n", *npy)
	}
	if _, calibrated := f.Sections[estimate.SectionUnits]; calibrated {
		m, err := estimate.FromFile(f)
		if err != nil {
			return err
		}
		est, err := estimate.New(m, estimate.Options{})
		if err != nil {
			return err
		}
		defer est.Close()
		res, err := est.Silhouette(in)
		if err != nil {
			return err
		}
		if !math.IsNaN(res.Value) {
			fmt.Fprintf(stdout, "estimate: about %d (%.1f, 68%% interval %.1f-%.1f) from %d number units\n", res.Shown, res.Value, res.Lo, res.Hi, est.Units())
		}
	}
	return nil
}
