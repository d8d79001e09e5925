package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/atomicfile"
	"github.com/numsense/numsense/model/decoder"
	"github.com/numsense/numsense/model/lab/experiment"
	"github.com/numsense/numsense/model/lab/numunits"
	"github.com/numsense/numsense/model/population"
)

// Defaults of the reproduction run (numsense reproduce). They finish in under 10
// minutes on a 2-core amd64 host; the paper's scale is Networks 100, Images 50.
const (
	DefaultNetworks    = 3
	DefaultImages      = 10
	DefaultAreaImages  = 4
	DefaultFloatImages = 3
	// DefaultPopulation is how many of the networks the population study reads
	// together (1..DefaultPopulation networks).
	DefaultPopulation = 3
	// MaxStudyImages caps the images per cell of the population study's draws
	// (its memory grows with images x views x units).
	MaxStudyImages = 20
)

// The population study's views: the training views of calibrate's default
// (every view of the square's symmetry group), and the view sets it averages
// over.
var (
	StudyTrainViews = experiment.DefaultTrainViews
	StudyViewSets   = []string{"id", "id,m", "id,m,r90", "id,m,r90,r180"}
)

// Options configure a reproduction run.
type Options struct {
	Networks    int    // independent untrained networks (paper: 100)
	Images      int    // images per numerosity and set in T and V (paper: 50)
	AreaImages  int    // images per (numerosity, area level) of the area-varying set, T and V
	FloatImages int    // images per cell run through the float32 reference on the first network (0: none)
	CalibImages int    // quantisation calibration images per network (0: experiment.DefaultCalibImages)
	Seed        uint64 // network k has seed Seed+k; its stimuli seed Derive(Seed, 1000+k)
	Population  int    // networks the population study reads together (0: DefaultPopulation; <0: no study)
	StudyScenes int    // synthetic scenes per count of the study (0: experiment.DefaultScenesPerCount; <0: none)
	Dice        string // labelled photos to evaluate the decoders on ("" for none)
	Monkey      string // monkey reference CSV ("": the embedded table of numunits.MonkeyReference)
	Task        numunits.TaskOpts
	// SummationTrials is the number of trials of Kim's summation model
	// (0: DefaultSummationTrials; the paper ran 1,000).
	SummationTrials int
	Threads         int
	Progress        io.Writer // progress bar / lines (nil: none)
	// Network replaces the int8 engine (tests only); with it the float
	// comparison and the decoders use FloatForward-free paths.
	Network experiment.Network
}

// DefaultSummationTrials is the default number of trials of the summation model
// (10,000 model neurons each).
const DefaultSummationTrials = 20

func (o *Options) defaults() {
	if o.Networks <= 0 {
		o.Networks = DefaultNetworks
	}
	if o.Images <= 0 {
		o.Images = DefaultImages
	}
	if o.AreaImages == 0 {
		o.AreaImages = DefaultAreaImages
	}
	if o.FloatImages > o.Images {
		o.FloatImages = o.Images
	}
	if o.SummationTrials <= 0 {
		o.SummationTrials = DefaultSummationTrials
	}
	if o.Population == 0 {
		o.Population = DefaultPopulation
	}
}

// study returns the population study's options (k networks: 0 for none).
func (o Options) study() (experiment.StudyOpts, int, error) {
	k := min(o.Population, o.Networks)
	if k <= 0 {
		return experiment.StudyOpts{}, 0, nil
	}
	scenes := o.StudyScenes
	if scenes == 0 {
		scenes = experiment.DefaultScenesPerCount
	}
	so := experiment.StudyOpts{Seed: o.Seed, Images: min(o.Images, MaxStudyImages), Scenes: max(scenes, 0),
		Dice: o.Dice, Threads: o.Threads, Network: o.Network}
	var err error
	if so.TrainViews, err = population.ParseViews(StudyTrainViews); err != nil {
		return so, 0, err
	}
	for _, vs := range StudyViewSets {
		v, err := population.ParseViews(vs)
		if err != nil {
			return so, 0, err
		}
		so.ViewSets = append(so.ViewSets, v)
	}
	return so, k, nil
}

// Summary is the outcome of a reproduction run.
type Summary struct {
	Options  Options
	Nets     []NetSummary
	Agg      Aggregate
	Decoders *DecoderSummary
	Photos   []experiment.PhotoEstimate
	// Population is the population study: error and Weber fraction against the
	// number of networks and views (nil without it).
	Population []experiment.StudyPoint
	Monkey     []numunits.MonkeyRow
	// Elapsed is the computing time: the run's, or the sum of the shards'.
	Elapsed time.Duration
	Results map[string]any
}

func (o Options) config(k int) experiment.Config {
	c := experiment.Config{NetSeed: o.Seed + uint64(k), StimSeed: experiment.Derive(o.Seed, 1000+uint64(k)),
		Images: o.Images, AreaImages: o.AreaImages, CalibImages: o.CalibImages, Tasks: true, Task: o.Task, Threads: o.Threads, Network: o.Network}
	if k == 0 {
		c.FloatImages = o.FloatImages
	}
	return c
}

// summationOpts are the summation model's options of a report with options o.
func (o Options) summationOpts() numunits.SummationOpts {
	return numunits.SummationOpts{Trials: o.SummationTrials, Seed: experiment.Derive(o.Seed, 2000)}
}

// Run runs every network and writes the report into dir: report.md, PNG
// figures, CSV tables and results.json, as one output directory that appears
// complete or not at all (model/atomicfile). A dir that is not numsense's to
// replace is refused before the work starts. It is RunShard of one shard and
// Merge in one process: the report is the same byte for byte (timing aside).
func Run(o Options, dir string) (*Summary, error) {
	if err := atomicfile.CheckDir(dir); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	part, err := runPart(o, 0, 1)
	if err != nil {
		return nil, err
	}
	b, err := part.Encode()
	if err != nil {
		return nil, err
	}
	// The report is made from the encoded part, as Merge makes it from files.
	var back Part
	if err := back.Decode(b); err != nil {
		return nil, err
	}
	return merge([]*Part{&back}, []string{"(this run)"}, dir)
}

// runPart runs the networks of shard i of n (a contiguous slice of
// o.Networks) and returns what the report needs of them.
func runPart(o Options, shard, shards int) (*Part, error) {
	o.defaults()
	if shards < 1 || shard < 0 || shard >= shards || shards > o.Networks {
		return nil, fmt.Errorf("report: shard %d/%d of %d networks: want 0 <= i < N <= networks", shard, shards, o.Networks)
	}
	t0 := time.Now()
	lo, hi := shardRange(shard, shards, o.Networks)
	p := &Part{Version: partVersion, Params: o.params(), Shard: shard, Shards: shards, First: lo}
	p.Monkey = numunits.MonkeyReference()
	if o.Monkey != "" {
		m, err := numunits.LoadMonkey(o.Monkey)
		if err != nil {
			return nil, err
		}
		p.Monkey = m
	}
	photos := 0
	if o.Dice != "" && lo == 0 {
		rows, err := camera.ReadCounts(filepath.Join(o.Dice, camera.CountsFile))
		if err != nil {
			return nil, err
		}
		photos = len(rows)
	}
	// The population study reads networks 0..k-1 together: the shard of network 0
	// runs it, and runs again those of them that other shards summarise.
	so, studyNets, err := o.study()
	if err != nil {
		return nil, err
	}
	if lo != 0 {
		studyNets = 0
	}
	total := photos
	for k := lo; k < max(hi, studyNets); k++ {
		total += experiment.Work(o.config(k))
	}
	if studyNets > 0 {
		total += experiment.StudyWork(so, studyNets, photos)
	}
	prog := experiment.NewProgress(o.Progress, "reproduce", total)
	var results []*experiment.Result
	for k := lo; k < max(hi, studyNets); k++ {
		r, err := p.runNetwork(o, k, k < hi, prog)
		if err != nil {
			return nil, err
		}
		if k < studyNets {
			results = append(results, r)
		}
	}
	if studyNets > 0 {
		so.Progress = prog
		if p.Population, err = experiment.PopulationStudy(results, so); err != nil {
			return nil, err
		}
	}
	prog.Finish()
	p.Seconds = time.Since(t0).Seconds()
	return p, nil
}

// shardRange is the slice [lo, hi) of n networks that shard i of shards runs.
func shardRange(i, shards, n int) (int, int) { return i * n / shards, (i + 1) * n / shards }

// runNetwork runs network k, into p if keep (with the decoders and the photos on
// network 0), and returns its result.
func (p *Part) runNetwork(o Options, k int, keep bool, prog *experiment.Progress) (*experiment.Result, error) {
	c := o.config(k)
	c.Progress = prog
	tk := time.Now()
	r, err := experiment.Run(c)
	if err != nil {
		return nil, fmt.Errorf("report: network %d (seed %d): %w", k, c.NetSeed, err)
	}
	if !keep {
		return r, nil
	}
	if k == 0 {
		d, err := experiment.FitDecoders(r)
		if err != nil {
			return nil, err
		}
		if o.Dice != "" {
			net := o.Network
			if net == nil {
				e := newEngine(r, o.Threads)
				defer e.Close()
				net = e
			}
			ev, est, err := experiment.EvalDice(o.Dice, experiment.NetworkReader(net, r.Map), []decoder.Decoder{d.Likelihood, d.Readout}, prog)
			if err != nil {
				return nil, err
			}
			d.SetDice(ev)
			p.Photos = est
		}
		p.Decoders = summariseDecoders(d)
	}
	p.Nets = append(p.Nets, summarise(k, r, time.Since(tk).Seconds()))
	return r, nil
}

// merge aggregates parts (named by names in errors) and writes the report into dir.
func merge(parts []*Part, names []string, dir string) (*Summary, error) {
	sum, err := combine(parts, names)
	if err != nil {
		return nil, err
	}
	sum.Agg = aggregate(sum.Nets, sum.Options.summationOpts())
	if err := sum.write(dir); err != nil {
		return nil, err
	}
	return sum, nil
}

// write renders every file and puts them in place as one output directory
// (model/atomicfile: complete or not at all, replacing only an earlier output).
func (s *Summary) write(dir string) error {
	files, err := s.render()
	if err != nil {
		return err
	}
	out, err := atomicfile.NewDir(dir, "reproduce")
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	defer out.Abort()
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := out.WriteFile(name, files[name]); err != nil {
			return fmt.Errorf("report: %w", err)
		}
	}
	if err := out.Commit(); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

// render produces every file of the report in memory.
func (s *Summary) render() (map[string][]byte, error) {
	files, err := s.figures()
	if err != nil {
		return nil, err
	}
	for name, rows := range s.tables() {
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		if err := w.WriteAll(rows); err != nil {
			return nil, err
		}
		files[name] = buf.Bytes()
	}
	s.Results = s.results()
	jb, err := json.MarshalIndent(s.Results, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("report: results.json: %w", err)
	}
	files["results.json"] = append(jb, '\n')
	files["report.md"] = []byte(s.markdown())
	return files, nil
}

// figures renders every PNG.
func (s *Summary) figures() (map[string][]byte, error) {
	a := s.Agg
	files := map[string][]byte{}
	var err error
	add := func(name string, b []byte, e error) {
		if err == nil && e != nil {
			err = fmt.Errorf("report: %s: %w", name, e)
		}
		files[name] = b
	}
	b, e := stimulusGrid(s.Options.Seed)
	add("stimuli.png", b, e)
	b, e = figPN(a, s.Monkey)
	add("pn_distribution.png", b, e)
	for _, log := range []bool{false, true} {
		axis := map[bool]string{false: "linear", true: "log"}[log]
		b, e = figTuning(a.Curves, "T draw, Kim's procedure", log)
		add("tuning_"+axis+".png", b, e)
		b, e = figTuning(a.CV.CurvesV, "V draw, cross-validated", log)
		add("tuning_v_"+axis+".png", b, e)
		b, e = figSigma(a.Weber, "T draw, Kim's bounds", log)
		add("sigma_"+axis+".png", b, e)
		b, e = figSigma(a.CV.WeberV, "V draw, all PN classes", log)
		add("sigma_v_"+axis+".png", b, e)
		b, e = figTuning(a.CV.CurvesTunedW, "units tuned on V, area-varying set", log)
		add("tuning_tuned_"+axis+".png", b, e)
		b, e = figSigma(a.CV.WeberTunedW, "units tuned on V, area-varying set", log)
		add("sigma_tuned_"+axis+".png", b, e)
	}
	b, e = figShapes(a.CV)
	add("shapes.png", b, e)
	b, e = figFall(a.CV)
	add("fall_right.png", b, e)
	b, e = figSummation(a, s.Monkey)
	add("summation_model.png", b, e)
	if a.Fig5 != nil {
		b, e = figBacktrack(a.Fig5)
		add("backtracking.png", b, e)
	}
	if len(a.Distances) > 0 {
		b, e = figDistance(a)
		add("comparison_distance.png", b, e)
	}
	if len(a.Cues) > 0 {
		b, e = figCongruency(a)
		add("congruency.png", b, e)
	}
	if len(s.Population) > 0 {
		b, e = figPopulation(s.Population, true)
		add("population_weber.png", b, e)
		b, e = figPopulation(s.Population, false)
		add("population_error.png", b, e)
	}
	return files, err
}

func f(v float64) string {
	if math.IsNaN(v) {
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}

// num returns v for JSON, nil for NaN or Inf.
func num(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return v
}

func msJSON(m MeanSD) map[string]any {
	return map[string]any{"mean": num(m.Mean), "sd": num(m.SD), "n": m.N}
}

func newEngine(r *experiment.Result, threads int) *model.Engine { return model.NewEngine(r.Q, threads) }
