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
	"github.com/numsense/numsense/model/lab/stimulus"
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
	Threads     int
	Progress    io.Writer // progress bar / lines (nil: none)
	Command     string    // recorded in the report
	// Network replaces the int8 engine (tests only); with it the float
	// comparison and the decoders use FloatForward-free paths.
	Network experiment.Network
}

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
	Decoders *experiment.Decoders
	Photos   []experiment.PhotoEstimate
	// Population is the population study: error and Weber fraction against the
	// number of networks and views (nil without it).
	Population []experiment.StudyPoint
	Monkey     []numunits.MonkeyRow
	Elapsed    time.Duration
	Results    map[string]any
}

func (o Options) config(k int) experiment.Config {
	c := experiment.Config{NetSeed: o.Seed + uint64(k), StimSeed: experiment.Derive(o.Seed, 1000+uint64(k)),
		Images: o.Images, AreaImages: o.AreaImages, CalibImages: o.CalibImages, Tasks: true, Task: o.Task, Threads: o.Threads, Network: o.Network}
	if k == 0 {
		c.FloatImages = o.FloatImages
	}
	return c
}

// Run runs every network and writes the report into dir: report.md, PNG
// figures, CSV tables and results.json, as one output directory that appears
// complete or not at all (model/atomicfile). A dir that is not numsense's to
// replace is refused before the work starts.
func Run(o Options, dir string) (*Summary, error) {
	if err := atomicfile.CheckDir(dir); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	o.defaults()
	t0 := time.Now()
	sum := &Summary{Options: o}
	sum.Monkey = numunits.MonkeyReference()
	if o.Monkey != "" {
		m, err := numunits.LoadMonkey(o.Monkey)
		if err != nil {
			return nil, err
		}
		sum.Monkey = m
	}
	total := 0
	for k := 0; k < o.Networks; k++ {
		total += experiment.Work(o.config(k))
	}
	photos := 0
	if o.Dice != "" {
		rows, err := camera.ReadCounts(filepath.Join(o.Dice, camera.CountsFile))
		if err != nil {
			return nil, err
		}
		photos = len(rows)
	}
	so, studyNets, err := o.study()
	if err != nil {
		return nil, err
	}
	if studyNets > 0 {
		total += experiment.StudyWork(so, studyNets, photos)
	}
	prog := experiment.NewProgress(o.Progress, "reproduce", total+photos)
	var results []*experiment.Result
	for k := 0; k < o.Networks; k++ {
		c := o.config(k)
		c.Progress = prog
		tk := time.Now()
		r, err := experiment.Run(c)
		if err != nil {
			return nil, fmt.Errorf("report: network %d (seed %d): %w", k, c.NetSeed, err)
		}
		if k == 0 {
			if sum.Decoders, err = experiment.FitDecoders(r); err != nil {
				return nil, err
			}
			if o.Dice != "" {
				net := o.Network
				if net == nil {
					e := newEngine(r, o.Threads)
					defer e.Close()
					net = e
				}
				ev, est, err := experiment.EvalDice(o.Dice, experiment.NetworkReader(net, r.Map), []decoder.Decoder{sum.Decoders.Likelihood, sum.Decoders.Readout}, prog)
				if err != nil {
					return nil, err
				}
				sum.Decoders.SetDice(ev)
				sum.Photos = est
			}
		}
		sum.Nets = append(sum.Nets, summarise(k, r, time.Since(tk).Seconds()))
		if k < studyNets {
			results = append(results, r)
		}
	}
	if studyNets > 0 {
		so.Progress = prog
		if sum.Population, err = experiment.PopulationStudy(results, so); err != nil {
			return nil, err
		}
	}
	prog.Finish()
	sum.Agg = aggregate(sum.Nets)
	sum.Elapsed = time.Since(t0)
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
	files := map[string][]byte{}
	a := s.Agg
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
	b, e = figTuning(a, false)
	add("tuning_linear.png", b, e)
	b, e = figTuning(a, true)
	add("tuning_log.png", b, e)
	b, e = figSigma(a, s.Monkey, false)
	add("sigma_linear.png", b, e)
	b, e = figSigma(a, s.Monkey, true)
	add("sigma_log.png", b, e)
	b, e = figDistance(a)
	add("comparison_distance.png", b, e)
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

func (s *Summary) tables() map[string][][]string {
	a := s.Agg
	nums := stimulus.Numerosities
	t := map[string][][]string{}
	nets := [][]string{{"network", "net_seed", "stim_seed", "selected", "non_selective", "constant", "selective_fraction",
		"r2_lin_mean", "r2_log_mean", "pn_stability_same", "comparison_selective", "comparison_nonselective", "comparison_pixels",
		"incongruent_area", "incongruent_density", "incongruent_size", "seconds"}}
	for _, n := range s.Nets {
		row := []string{strconv.Itoa(n.Index), strconv.FormatUint(n.Seeds.Net, 10), strconv.FormatUint(n.Seeds.Stim, 10),
			strconv.Itoa(n.Selected), strconv.Itoa(n.NonSelective), strconv.Itoa(n.Constant), f(n.SelectiveFraction),
			f(n.Weber.R2LinMean), f(n.Weber.R2LogMean), f(n.Stability.Same)}
		acc := func(r *numunits.TaskResult) string {
			if r == nil {
				return "NaN"
			}
			return f(r.Mean)
		}
		if n.Tasks != nil {
			row = append(row, acc(n.Tasks.Selective), acc(n.Tasks.NonSelective), acc(n.Tasks.Pixels))
			for i := 0; i < 3; i++ {
				if i < len(n.Tasks.Congruency) {
					row = append(row, acc(n.Tasks.Congruency[i].Selective))
				} else {
					row = append(row, "NaN")
				}
			}
		} else {
			row = append(row, "NaN", "NaN", "NaN", "NaN", "NaN", "NaN")
		}
		row = append(row, f(n.Seconds))
		nets = append(nets, row)
	}
	t["networks.csv"] = nets
	pn := [][]string{{"numerosity", "pn_fraction_mean", "pn_fraction_sd", "monkey_pn_fraction", "sigma_lin", "sigma_log", "monkey_sigma_lin", "monkey_sigma_log"}}
	for i, n := range nums {
		mk := []string{"", "", ""}
		for _, r := range s.Monkey {
			if r.N == n {
				mk = []string{f(r.PNFraction), f(r.SigmaLin), f(r.SigmaLog)}
			}
		}
		pn = append(pn, []string{strconv.Itoa(n), f(a.PNDist[i].Mean), f(a.PNDist[i].SD), mk[0], f(a.Weber.SigmaLin[i]), f(a.Weber.SigmaLog[i]), mk[1], mk[2]})
	}
	t["pn_sigma.csv"] = pn
	tc := [][]string{{"pn"}}
	for _, n := range nums {
		tc[0] = append(tc[0], "n"+strconv.Itoa(n))
	}
	for p, row := range a.Curves {
		r := []string{strconv.Itoa(nums[p])}
		for _, v := range row {
			r = append(r, f(v))
		}
		tc = append(tc, r)
	}
	t["tuning_curves.csv"] = tc
	fits := [][]string{{"network", "pn", "a_lin", "b_lin", "c_lin", "sigma_lin", "r2_lin", "a_log", "b_log", "c_log", "sigma_log", "r2_log"}}
	for _, n := range s.Nets {
		for _, ft := range n.Fits {
			fits = append(fits, []string{strconv.Itoa(n.Index), strconv.Itoa(nums[ft.PN]),
				f(ft.Lin.A), f(ft.Lin.B), f(ft.Lin.C), f(ft.Lin.Sigma), f(ft.Lin.R2),
				f(ft.Log.A), f(ft.Log.B), f(ft.Log.C), f(ft.Log.Sigma), f(ft.Log.R2)})
		}
	}
	t["gauss_fits.csv"] = fits
	if len(a.Distances) > 0 {
		d := [][]string{{"distance", "selective_mean", "selective_sd", "nonselective_mean", "nonselective_sd", "pixels_mean", "pixels_sd"}}
		for i, x := range a.Distances {
			d = append(d, []string{strconv.Itoa(x), f(a.DistSel[i].Mean), f(a.DistSel[i].SD), f(a.DistNon[i].Mean), f(a.DistNon[i].SD), f(a.DistPix[i].Mean), f(a.DistPix[i].SD)})
		}
		t["comparison_distance.csv"] = d
	}
	if len(a.Cues) > 0 {
		c := [][]string{{"cue", "selective_mean", "selective_sd", "nonselective_mean", "nonselective_sd", "selective_p_above_chance"}}
		for i, cue := range a.Cues {
			c = append(c, []string{cue, f(a.IncongSel[i].Mean), f(a.IncongSel[i].SD), f(a.IncongNon[i].Mean), f(a.IncongNon[i].SD), f(a.IncongSelP[i])})
		}
		c = append(c, []string{"pixels(area)", f(a.IncongPix.Mean), f(a.IncongPix.SD), "", "", ""})
		t["congruency.csv"] = c
	}
	if d := s.Decoders; d != nil {
		rows := [][]string{{"set", "decoder", "samples", "coverage_68", "median_rel_error"}}
		for _, e := range d.Stimuli {
			rows = append(rows, []string{"held-out stimuli (V)", e.Decoder, strconv.Itoa(e.Samples), f(e.Coverage), f(e.MedRelErr)})
		}
		for _, e := range d.Dice {
			rows = append(rows, []string{"dice photos", e.Decoder, strconv.Itoa(e.Samples), f(e.Coverage), f(e.MedRelErr)})
		}
		t["decoders.csv"] = rows
	}
	if len(s.Photos) > 0 {
		rows := [][]string{{"file", "count", "decoder", "estimate", "lo", "hi"}}
		for _, p := range s.Photos {
			rows = append(rows, []string{p.File, strconv.Itoa(p.Count), p.Decoder, f(p.Value), f(p.Lo), f(p.Hi)})
		}
		t["dice_estimates.csv"] = rows
	}
	if len(s.Population) > 0 {
		rows := [][]string{{"set", "networks", "views", "passes", "samples", "median_rel_error", "weber_fraction", "log_bias", "coverage_68"}}
		for _, p := range s.Population {
			rows = append(rows, []string{p.Set, strconv.Itoa(p.Networks), p.Views, strconv.Itoa(p.Passes), strconv.Itoa(p.Samples),
				f(p.MedRelErr), f(p.WeberFraction), f(p.LogBias), f(p.Coverage)})
		}
		t["population.csv"] = rows
	}
	if fc := s.Nets[0].Float; fc != nil {
		t["int8_float.csv"] = [][]string{{"images_per_cell", "int8_selected", "float_selected", "both", "jaccard", "pn_agreement", "relu5_corr"},
			{strconv.Itoa(fc.Images), strconv.Itoa(fc.Int8Selected), strconv.Itoa(fc.FloatSelected), strconv.Itoa(fc.Both), f(fc.Jaccard), f(fc.PNAgreement), f(fc.Relu5Corr)}}
	}
	return t
}

func (s *Summary) results() map[string]any {
	a := s.Agg
	o := s.Options
	r := map[string]any{
		"networks": o.Networks, "images": o.Images, "area_images": o.AreaImages, "seed": o.Seed,
		"elapsed_seconds":              s.Elapsed.Seconds(),
		"selective_fraction":           msJSON(a.SelectiveFraction),
		"nonselective_fraction":        msJSON(a.NonSelFraction),
		"constant_fraction":            msJSON(a.ConstantFraction),
		"all_networks_have_selective":  a.AllSelected,
		"r2_lin":                       map[string]any{"mean": num(a.Weber.R2LinMean), "sd": num(a.Weber.R2LinSD)},
		"r2_log":                       map[string]any{"mean": num(a.Weber.R2LogMean), "sd": num(a.Weber.R2LogSD)},
		"r2_log_gt_lin_paired_t_p":     num(a.Weber.PairedTP),
		"r2_log_gt_lin_signrank_p":     num(a.Weber.SignRankP),
		"sigma_lin_slope":              num(a.Weber.LineLin.Slope),
		"sigma_lin_slope_p":            num(a.Weber.LineLin.P),
		"sigma_lin_r":                  num(a.Weber.LineLin.R),
		"sigma_log_slope":              num(a.Weber.LineLog.Slope),
		"sigma_log_slope_p":            num(a.Weber.LineLog.P),
		"sigma_log_r":                  num(a.Weber.LineLog.R),
		"pn_stability_same":            msJSON(a.StabilitySame),
		"comparison_prior_baseline":    a.Prior,
		"comparison_distance_slope":    num(a.DistLineSel.Slope),
		"comparison_distance_slope_p":  num(a.DistLineSel.P),
		"comparison_d2_above_chance_p": num(a.D2P),
		"comparison_sel_gt_nonsel_p":   num(a.SelOverNonP),
	}
	if a.CompSel.N > 0 {
		r["comparison_accuracy"] = map[string]any{"selective": msJSON(a.CompSel), "nonselective": msJSON(a.CompNon), "pixels": msJSON(a.CompPix)}
		r["comparison_selective"] = num(a.CompSel.Mean)
		r["comparison_nonselective"] = num(a.CompNon.Mean)
		r["comparison_pixels"] = num(a.CompPix.Mean)
	}
	if len(a.Cues) > 0 {
		inc := map[string]any{}
		for i, c := range a.Cues {
			inc[c] = map[string]any{"selective": msJSON(a.IncongSel[i]), "nonselective": msJSON(a.IncongNon[i]), "selective_p_above_chance": num(a.IncongSelP[i])}
		}
		inc["pixels_area"] = msJSON(a.IncongPix)
		r["incongruent_by_cue"] = inc
		// The headline: selective units on area-incongruent trials (the cue the
		// paper's pixel control is tested on), mean over networks.
		r["incongruent_accuracy"] = num(a.IncongSel[0].Mean)
		r["incongruent_accuracy_p"] = num(a.IncongSelP[0])
	}
	if fc := s.Nets[0].Float; fc != nil {
		r["int8_float_jaccard"] = num(fc.Jaccard)
		r["int8_float_pn_agreement"] = num(fc.PNAgreement)
		r["int8_float_relu5_corr"] = num(fc.Relu5Corr)
		r["int8_float_images_per_cell"] = fc.Images
	}
	if d := s.Decoders; d != nil {
		r["decoders"] = map[string]any{"held_out_stimuli": d.Stimuli, "dice": d.Dice, "chosen": d.Chosen, "reason": d.Reason}
	}
	if len(s.Population) > 0 {
		pts := make([]map[string]any, len(s.Population))
		for i, p := range s.Population {
			pts[i] = map[string]any{"set": p.Set, "networks": p.Networks, "views": p.Views, "passes": p.Passes, "samples": p.Samples,
				"median_rel_error": num(p.MedRelErr), "weber_fraction": num(p.WeberFraction), "log_bias": num(p.LogBias), "coverage_68": num(p.Coverage)}
		}
		r["population"] = pts
		r["human_weber_range"] = []float64{HumanWeberLow, HumanWeberHigh}
	}
	return r
}

func newEngine(r *experiment.Result, threads int) *model.Engine { return model.NewEngine(r.Q, threads) }
