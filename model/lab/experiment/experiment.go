package experiment

import (
	"errors"
	"fmt"
	"image"
	"math"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/accuracy"
	"github.com/numsense/numsense/model/floatnet"
	"github.com/numsense/numsense/model/lab/numunits"
	"github.com/numsense/numsense/model/lab/stimulus"
	"github.com/numsense/numsense/model/rng"
	"github.com/numsense/numsense/model/unitmap"
)

// Paper-scale defaults (Kim et al. 2021; docs/protocol.md §4, §7).
const (
	// DefaultImages is the number of images per numerosity and set in each draw.
	DefaultImages = 50
	// DefaultCalibImages is the number of dot images the activation ranges are
	// calibrated on: one per numerosity, the three sets in turn. The count does
	// not depend on Images, so the quantised network depends on the seeds only.
	DefaultCalibImages = 16
)

// Cost of one float32 reference forward pass, in int8 engine frames: the unit
// of Progress. Measured on the 2-core amd64 host (about 0.9 s against 15 ms wall time,
// CPU time); only the ETA depends on it.
const floatCost = 60

// Network is what Run needs of the int8 network; *model.Engine implements it.
type Network interface {
	Run(img *image.Gray) error
	Relu5() []int8
	Relu5Scale() float32
	Relu5ZeroPoint() int32
}

// Config describes one experiment on one network.
type Config struct {
	// NetSeed draws the network's weights (model.NewNet). Ignored when QNet is set.
	NetSeed uint64
	// QNet, if set, is the quantised network to analyse (e.g. loaded from a model
	// file); otherwise the network of NetSeed is quantised on CalibImages images.
	QNet *model.QNet
	// StimSeed seeds every stimulus draw (see Seeds for how each draw's seed is
	// derived).
	StimSeed uint64
	// Images is the number of images per numerosity and set of sets 1-3 in the
	// selection draw T and the validation draw V (default DefaultImages).
	Images int
	// AreaImages is the number of images per (numerosity, area level) of the
	// area-varying set, in T and in V (0: as Images; negative: no area set and
	// no congruency test).
	AreaImages int
	// CalibImages is the number of quantisation calibration images (default
	// DefaultCalibImages).
	CalibImages int
	// FloatImages, if positive, runs the first FloatImages images of every cell
	// of T through the float32 reference as well and compares the float and the
	// int8 selections on those same images.
	FloatImages int
	// Tasks runs the comparison and congruency tasks (they need T and V
	// responses of the selective and non-selective units).
	Tasks bool
	// Task configures the tasks; a zero Seed is replaced by the derived task seed.
	Task numunits.TaskOpts
	// Network, if set, is run instead of an engine of QNet (tests use a cheap
	// stand-in; the float comparison and calibration still need QNet or NetSeed).
	Network Network
	// Threads is the number of engine threads (0: all cores).
	Threads int
	// floatForward replaces the float reference in tests.
	floatForward func(*image.Gray, *floatnet.Acts) error
	// Progress, if set, receives the work done, in engine frames (see Work).
	Progress *Progress
}

func (c Config) withDefaults() Config {
	if c.Images <= 0 {
		c.Images = DefaultImages
	}
	if c.AreaImages == 0 {
		c.AreaImages = c.Images
	}
	if c.CalibImages <= 0 {
		c.CalibImages = DefaultCalibImages
	}
	if c.FloatImages > c.Images {
		c.FloatImages = c.Images
	}
	return c
}

// Work returns the amount of work Run reports to Config.Progress, in int8 engine
// frames (a float forward pass counts floatCost frames, a task repetition taskWork).
func Work(c Config) int {
	c = c.withDefaults()
	L, S := len(stimulus.Numerosities), len(stimulus.Sets)
	w := 2 * L * S * c.Images
	if c.QNet == nil && c.Network == nil {
		w += floatCost * c.CalibImages
	}
	if c.FloatImages > 0 {
		w += floatCost * L * S * c.FloatImages
	}
	if c.AreaImages > 0 {
		w += 2 * L * stimulus.AreaLevels * c.AreaImages
	}
	if c.Tasks {
		w += taskWork * taskReps(c)
	}
	return w
}

// taskWork is the cost of one task repetition (one SVM fit and test) in engine
// frames, measured with 100 pairs per sample numerosity (2-3 s each).
const taskWork = 200

func taskReps(c Config) int {
	r := c.Task.Reps
	if r <= 0 {
		r = 10
	}
	n := 3 * r // selective, non-selective, pixels
	if c.AreaImages > 0 {
		n += 7 * r // 3 cues x 2 pools + pixels
	}
	return n
}

// Seeds are the seeds of every random stream of a run, all derived from
// Config.StimSeed (and NetSeed) by Derive, so that one pair of numbers
// reproduces everything.
type Seeds struct {
	Net       uint64 `json:"net"`       // network weights
	Stim      uint64 `json:"stim"`      // Config.StimSeed
	Calib     uint64 `json:"calib"`     // quantisation calibration images
	T         uint64 `json:"t"`         // sets 1-3, selection draw
	V         uint64 `json:"v"`         // sets 1-3, validation draw
	AreaT     uint64 `json:"area_t"`    // area-varying set, training draw
	AreaV     uint64 `json:"area_v"`    // area-varying set, test draw
	Task      uint64 `json:"task"`      // pairs, unit draws and SVM order
	Stability uint64 `json:"stability"` // shuffled control of the PN stability test
}

// Derive is rng.Derive, the project's one seed derivation.
var Derive = rng.Derive

func seedsFor(c Config) Seeds {
	s := c.StimSeed
	return Seeds{Net: c.NetSeed, Stim: s, Calib: Derive(s, 1), T: Derive(s, 2), V: Derive(s, 3),
		AreaT: Derive(s, 4), AreaV: Derive(s, 5), Task: Derive(s, 6), Stability: Derive(s, 7)}
}

// cellSeed is the seed of the generator of one cell (set, numerosity index) of
// a draw: the first k images of a cell are the same whatever Images is.
func cellSeed(draw uint64, set stimulus.Set, numIdx, level int) uint64 {
	return Derive(draw, uint64(int(set)*10000+numIdx*100+level))
}

// Result is everything one run finds on one network.
type Result struct {
	Config Config // with defaults filled in (Progress and QNet cleared)
	Seeds  Seeds
	Q      *model.QNet

	// ANOVA is the two-way ANOVA of relu5 on the T draw (int8 responses,
	// dequantised). It is large (about 14 MB); drop it when only summaries are
	// needed.
	ANOVA *numunits.Result
	Sel   numunits.Selection
	Map   *unitmap.Map

	// Fractions of all relu5 units.
	SelectiveFraction, NonSelectiveFraction, ConstantFraction float64
	// PNDist is the fraction of selective units preferring each numerosity.
	PNDist []float64
	// Stability compares PN on T with the argmax on V.
	Stability numunits.Stability
	// Curves are the PN-averaged tuning curves on T, the draw the PNs were
	// chosen on (Kim's procedure; min-max rescaled; NaN rows for empty
	// classes), Fits their Gaussian fits within Kim's bounds
	// (numunits.KimBounds), Weber the summary of this network. CV holds the
	// cross-validated counterparts.
	Curves [][]float64
	Fits   []numunits.CurveFit
	Weber  numunits.Weber

	// T and V hold the responses of the selective and non-selective units to
	// sets 1-3 of each draw; AreaT and AreaV to the area-varying set (nil when
	// not drawn). Rows are in drawing order: set, numerosity, image.
	T, V, AreaT, AreaV *numunits.Responses
	// PixT, PixV, PixAreaT, PixAreaV are the same images as pixels (for the
	// pixel controls; nil unless Tasks).
	PixT, PixV, PixAreaT, PixAreaV *numunits.Pixels

	Tasks *Tasks           // nil unless Config.Tasks
	Float *FloatComparison // nil unless Config.FloatImages > 0

	// CV is the cross-validated tuning analysis (PN from T, curves, fits and
	// shapes on V); nil when no unit is selective. Classes group the unit
	// map's units by their CV shape (the model file's "unit-classes").
	CV      *CrossValidated
	Classes *unitmap.Classes
	// Fig5 is the analysis of monotonic units, backtracking and summation
	// (Kim Fig. 5); nil without the area-varying set, without relu4 (a
	// stand-in network that has none) or without selective units.
	Fig5 *Fig5

	// Durations of the stages.
	Timing map[string]time.Duration
}

// FloatComparison compares the unit selections of the int8 engine and the
// float32 reference on the same images (the first Images of every T cell).
type FloatComparison struct {
	Images        int // per cell
	Int8Selected  int
	FloatSelected int
	Both          int
	// Jaccard is |both| / |either| of the two selective sets.
	Jaccard float64
	// PNAgreement is the fraction of the units selected by both with the same PN.
	PNAgreement float64
	// Relu5Corr is the mean over images of the Pearson correlation of the int8
	// (dequantised) and float relu5 vectors.
	Relu5Corr float64
}

// Tasks holds the comparison and congruency task results (Kim 2021; docs/protocol.md §7, §8).
type Tasks struct {
	// Units and NonUnits are the units drawn per repetition from the selective
	// and the non-selective pool (256, or the pool size if smaller).
	Units, NonUnits int
	Selective       *numunits.TaskResult
	NonSelective    *numunits.TaskResult // nil if the pool has fewer than 2 units
	Pixels          *numunits.TaskResult
	// PriorBaseline is the accuracy of guessing from the sample numerosity alone
	// (76.7 % for 16 levels): the pixel control's real floor.
	PriorBaseline float64
	// Congruency per cue (area, density, size); nil without the area set.
	Congruency []Congruency
	// CongruencyPixels is the pixel control, trained and tested on the area cue.
	CongruencyPixels *numunits.TaskResult
}

// Congruency is the congruent-train / incongruent-test result for one cue.
type Congruency struct {
	Cue                     numunits.Cue
	Selective, NonSelective *numunits.TaskResult
}

// Run runs the experiment of c on one network: the network, the T draw with the
// ANOVA, the selection and tuning analyses, the float comparison, the V draw, the
// area-varying draws and the tasks, each stage timed in Result.Timing.
func Run(c Config) (*Result, error) {
	c = c.withDefaults()
	r := &runner{c: c, prog: c.Progress, nums: stimulus.Numerosities, img: stimulus.NewImage(),
		res: &Result{Seeds: seedsFor(c), Timing: map[string]time.Duration{}}}
	if err := r.stage("network", r.network); err != nil {
		return nil, err
	}
	if r.close != nil {
		defer r.close()
	}
	for _, st := range []struct {
		name string
		f    func() error
		on   bool
	}{
		{"T draw", r.drawT, true},
		{"selection", r.selectUnits, true},
		{"float reference", r.floatReference, c.FloatImages > 0},
		{"V draw", r.drawV, true},
		{"cross-validation", r.crossValidate, true},
		{"area draws", r.drawArea, c.AreaImages > 0},
		{"tuned units on the area set", r.tunedOnArea, c.AreaImages > 0},
		{"Fig. 5", r.fig5, c.AreaImages > 0},
		{"tasks", r.tasks, c.Tasks},
	} {
		if !st.on || (st.name == "Fig. 5" && !r.fig5Ready()) {
			continue
		}
		if err := r.stage(st.name, st.f); err != nil {
			return nil, err
		}
	}
	cfg := r.c
	cfg.Progress, cfg.QNet, cfg.Network, cfg.floatForward = nil, nil, nil, nil
	r.res.Config = cfg
	return r.res, nil
}

// runner holds one Run's state between its stages.
type runner struct {
	c     Config
	prog  *Progress
	res   *Result
	nums  []int
	img   *image.Gray
	net   *floatnet.Net // the float network, when it was drawn here
	eng   Network
	close func()
	scale float32
	zp    int32
	codes []int8               // T-draw relu5 codes, image-major (until the float comparison)
	infoT []numunits.ImageInfo // T-draw images
	pool  []int                // selective and non-selective units, ascending
	buf   []float32            // one dequantised relu5
	sub   []float32            // its pool units
	an    *numunits.ANOVA
	buf4  []float32 // one dequantised relu4 (nil without relu4)
	mean4 *numunits.MeanAccumulator
	meanV []float64 // V-draw means of every relu5 unit (until crossValidate)
	// Area-varying draws' monotonic regressions of relu4 and relu5 (until fig5).
	mono4T, mono4V, mono5T, mono5V *numunits.MonotonicAccumulator
	c5                             *numunits.Conv
}

func (r *runner) stage(name string, f func() error) error {
	t0 := time.Now()
	err := f()
	r.res.Timing[name] += time.Since(t0)
	return err
}

// network draws and quantises the network (or takes c.QNet) and starts its engine
// (or takes c.Network).
func (r *runner) network() error {
	c, res := r.c, r.res
	q := c.QNet
	if q == nil && c.Network == nil {
		r.net = floatnet.New(c.NetSeed)
		calib, err := CalibrationImages(res.Seeds.Calib, c.CalibImages)
		if err != nil {
			return err
		}
		q, err = floatnet.Quantize(r.net, calib)
		if err != nil {
			return fmt.Errorf("experiment: quantise network %d: %w", c.NetSeed, err)
		}
		q.FromSeed = true // a model file stores the seed, not the weights
		r.prog.Add(floatCost * c.CalibImages)
	} else if q != nil {
		res.Seeds.Net = q.Seed
	}
	res.Q = q
	r.eng = c.Network
	if r.eng == nil {
		e := model.NewEngine(q, c.Threads)
		r.close = func() { e.Close() }
		r.eng = e
	}
	r.scale, r.zp = r.eng.Relu5Scale(), r.eng.Relu5ZeroPoint()
	r.buf = make([]float32, model.Relu5Units)
	if _, ok := r.eng.(Relu4Network); ok {
		r.buf4 = make([]float32, model.Relu4Units)
	}
	return nil
}

// drawT runs the T draw of sets 1-3 into the ANOVA and keeps every image's codes.
func (r *runner) drawT() error {
	L, S, U, n := len(r.nums), len(stimulus.Sets), model.Relu5Units, r.c.Images
	var err error
	if r.an, err = numunits.NewANOVA(L, S, U); err != nil {
		return err
	}
	r.codes = make([]int8, L*S*n*U)
	if r.buf4 != nil {
		r.mean4 = numunits.NewMeanAccumulator(L, model.Relu4Units)
	}
	if r.c.Tasks {
		r.res.PixT = numunits.NewPixels(stimulus.Size * stimulus.Size)
	}
	row := 0
	err = forCells(r.res.Seeds.T, n, false, r.img, func(si, ni, _ int, info stimulus.Info) error {
		if err := r.eng.Run(r.img); err != nil {
			return err
		}
		copy(r.codes[row*U:(row+1)*U], r.eng.Relu5())
		if err := r.an.AddInt8(si, ni, r.eng.Relu5(), r.scale, r.zp); err != nil {
			return err
		}
		if r4 := relu4Of(r.eng, r.buf4); r4 != nil {
			if err := r.mean4.Add(ni, r4); err != nil {
				return err
			}
		}
		ii := imageInfo(si, ni, info)
		r.infoT = append(r.infoT, ii)
		if r.res.PixT != nil {
			if err := r.res.PixT.Append(ii, r.img.Pix); err != nil {
				return err
			}
		}
		row++
		r.prog.Add(1)
		return nil
	})
	if err != nil {
		return fmt.Errorf("experiment: T draw: %w", err)
	}
	return nil
}

// selectUnits classifies the units by the ANOVA of T, analyses the tuning of the
// selective ones and stores the T responses of the unit pool.
func (r *runner) selectUnits() error {
	res, U, L := r.res, model.Relu5Units, len(r.nums)
	ar, err := r.an.Result()
	if err != nil {
		return err
	}
	r.an = nil
	res.ANOVA = ar
	res.Sel = ar.Select(numunits.DefaultAlpha)
	if res.Map, err = numunits.NewUnitMap(ar, res.Sel, r.nums); err != nil {
		return err
	}
	res.SelectiveFraction = float64(len(res.Sel.Selective)) / float64(U)
	res.NonSelectiveFraction = float64(len(res.Sel.NonSelective)) / float64(U)
	res.ConstantFraction = float64(res.Sel.Constant) / float64(U)
	res.PNDist = numunits.PNDistribution(res.Sel.PN, res.Sel.Selective, L)
	res.Curves = numunits.TuningCurves(ar.Mean, L, res.Sel.Selective, res.Sel.PN)
	res.Fits = numunits.FitTuningCurves(res.Curves, r.nums, numunits.BoundsKim)
	res.Weber = numunits.WeberFechner(res.Fits, r.nums)
	r.pool = append(append([]int(nil), res.Sel.Selective...), res.Sel.NonSelective...)
	slices.Sort(r.pool)
	r.sub = make([]float32, len(r.pool))
	res.T = numunits.NewResponses(r.pool)
	for i, ii := range r.infoT {
		if err := res.T.AppendLayerInt8(ii, r.codes[i*U:(i+1)*U], r.scale, r.zp); err != nil {
			return err
		}
	}
	if r.c.FloatImages == 0 {
		r.codes = nil
	}
	return nil
}

// floatReference compares the int8 selection with the float network's on the first
// FloatImages of every T cell.
func (r *runner) floatReference() error {
	fwd := r.c.floatForward
	if fwd == nil {
		if r.net == nil {
			if r.res.Q == nil {
				return errors.New("experiment: the float comparison needs the network (QNet or NetSeed)")
			}
			r.net = floatnet.New(r.res.Q.Seed)
		}
		fwd = r.net.Forward
	}
	var err error
	r.res.Float, err = compareFloat(fwd, r.res.Seeds.T, r.c.Images, r.c.FloatImages, r.codes, r.scale, r.zp, r.prog)
	r.codes = nil
	return err
}

// drawPool runs the cells of one draw and stores the pool units' responses (and the
// pixels, for the tasks); each image's dequantised relu5 also goes to each.
func (r *runner) drawPool(seed uint64, n int, area bool, each func(ni int, info stimulus.Info, relu5 []float32) error) (*numunits.Responses, *numunits.Pixels, error) {
	resp := numunits.NewResponses(r.pool)
	var px *numunits.Pixels
	if r.c.Tasks {
		px = numunits.NewPixels(stimulus.Size * stimulus.Size)
	}
	err := forCells(seed, n, area, r.img, func(si, ni, _ int, info stimulus.Info) error {
		if err := r.eng.Run(r.img); err != nil {
			return err
		}
		dequant(r.eng.Relu5(), r.scale, r.zp, r.buf)
		if each != nil {
			if err := each(ni, info, r.buf); err != nil {
				return err
			}
		}
		ii := imageInfo(si, ni, info)
		if err := resp.Append(ii, pick(r.pool, r.buf, r.sub)); err != nil {
			return err
		}
		if px != nil {
			if err := px.Append(ii, r.img.Pix); err != nil {
				return err
			}
		}
		r.prog.Add(1)
		return nil
	})
	return resp, px, err
}

// drawV runs the independent V draw of sets 1-3 and measures PN stability.
func (r *runner) drawV() error {
	res := r.res
	macc := numunits.NewMeanAccumulator(len(r.nums), model.Relu5Units)
	var err error
	res.V, res.PixV, err = r.drawPool(res.Seeds.V, r.c.Images, false, func(ni int, _ stimulus.Info, relu5 []float32) error {
		return macc.Add(ni, relu5)
	})
	if err != nil {
		return fmt.Errorf("experiment: V draw: %w", err)
	}
	r.meanV = macc.Means()
	if len(res.Sel.Selective) >= 2 {
		pnT := make([]int, len(res.Sel.Selective))
		for k, u := range res.Sel.Selective {
			pnT[k] = res.Sel.PN[u]
		}
		res.Stability, err = numunits.PNStability(pnT, macc.PN(res.Sel.Selective), r.nums, rng.New(res.Seeds.Stability))
		if err != nil {
			return err
		}
	}
	return nil
}

// drawArea runs the area-varying set's training and test draws; with relu4 it
// also regresses every relu4 and relu5 unit on log area and log N (Fig. 5).
func (r *runner) drawArea() error {
	var err error
	res := r.res
	var monoT, monoV func(int, stimulus.Info, []float32) error
	if r.buf4 != nil {
		r.mono4T, r.mono5T = numunits.NewMonotonicAccumulator(model.Relu4Units), numunits.NewMonotonicAccumulator(model.Relu5Units)
		r.mono4V, r.mono5V = numunits.NewMonotonicAccumulator(model.Relu4Units), numunits.NewMonotonicAccumulator(model.Relu5Units)
		monoT, monoV = r.monotonic(r.mono4T, r.mono5T), r.monotonic(r.mono4V, r.mono5V)
	}
	if res.AreaT, res.PixAreaT, err = r.drawPool(res.Seeds.AreaT, r.c.AreaImages, true, monoT); err != nil {
		return fmt.Errorf("experiment: area-varying draw 1: %w", err)
	}
	if res.AreaV, res.PixAreaV, err = r.drawPool(res.Seeds.AreaV, r.c.AreaImages, true, monoV); err != nil {
		return fmt.Errorf("experiment: area-varying draw 2: %w", err)
	}
	return nil
}

// monotonic returns the per-image step of drawArea feeding relu4 into m4 and
// relu5 into m5.
func (r *runner) monotonic(m4, m5 *numunits.MonotonicAccumulator) func(int, stimulus.Info, []float32) error {
	return func(ni int, info stimulus.Info, relu5 []float32) error {
		n := r.nums[ni]
		if err := m5.Add(info.TotalArea, n, relu5); err != nil {
			return err
		}
		return m4.Add(info.TotalArea, n, relu4Of(r.eng, r.buf4))
	}
}

// tasks runs the comparison and congruency tasks on the stored responses.
func (r *runner) tasks() error {
	o := r.c.Task
	if o.Seed == 0 {
		o.Seed = r.res.Seeds.Task
	}
	r.c.Task = o
	var err error
	r.res.Tasks, err = runTasks(r.res, o, r.prog)
	return err
}

func dequant(q []int8, scale float32, zp int32, dst []float32) {
	for i, v := range q {
		dst[i] = scale * float32(int32(v)-zp)
	}
}

// pick copies the pool units of a whole layer into dst and returns it.
func pick(pool []int, layer, dst []float32) []float32 {
	for k, u := range pool {
		dst[k] = layer[u]
	}
	return dst
}

func imageInfo(set, numIdx int, in stimulus.Info) numunits.ImageInfo {
	return numunits.ImageInfo{NumIdx: numIdx, Set: set, TotalArea: in.TotalArea, MeanDist: in.MeanDist,
		MeanDotArea: in.MeanDotArea, AreaLevel: in.AreaLevel}
}

// forCells draws every image of one draw into img and calls f: for sets 1-3
// (area false) per set, numerosity index and image; for the area-varying set
// (area true) per numerosity index, area level and image (set index 3). Each
// cell has its own generator, seeded by cellSeed.
func forCells(draw uint64, perCell int, area bool, img *image.Gray, f func(set, numIdx, i int, info stimulus.Info) error) error {
	nums := stimulus.Numerosities
	if area {
		for ni, n := range nums {
			for k := 1; k <= stimulus.AreaLevels; k++ {
				g := stimulus.New(cellSeed(draw, stimulus.AreaVarying, ni, k))
				for i := 0; i < perCell; i++ {
					info, err := g.DrawArea(n, k, img)
					if err != nil {
						return err
					}
					if err := f(int(stimulus.AreaVarying), ni, i, info); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	for si, s := range stimulus.Sets {
		for ni, n := range nums {
			g := stimulus.New(cellSeed(draw, s, ni, 0))
			for i := 0; i < perCell; i++ {
				info, err := g.Draw(s, n, img)
				if err != nil {
					return err
				}
				if err := f(si, ni, i, info); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// CalibrationImages draws the count images the activations are calibrated on:
// image i has numerosity Numerosities[i mod 16] from set Sets[i mod 3].
func CalibrationImages(seed uint64, count int) ([]*image.Gray, error) {
	g := stimulus.New(seed)
	nums := stimulus.Numerosities
	out := make([]*image.Gray, count)
	for i := range out {
		out[i] = stimulus.NewImage()
		s := stimulus.Sets[i%len(stimulus.Sets)]
		if _, err := g.Draw(s, nums[i%len(nums)], out[i]); err != nil {
			return nil, fmt.Errorf("experiment: calibration image %d: %w", i, err)
		}
	}
	return out, nil
}

// compareFloat runs the first m images of every T cell through the float
// reference and compares selections with the int8 codes of the same images.
func compareFloat(forward func(*image.Gray, *floatnet.Acts) error, seedT uint64, n, m int, codes []int8, scale float32, zp int32, prog *Progress) (*FloatComparison, error) {
	L, S, U := len(stimulus.Numerosities), len(stimulus.Sets), model.Relu5Units
	ai, err := numunits.NewANOVA(L, S, U)
	if err != nil {
		return nil, err
	}
	af, _ := numunits.NewANOVA(L, S, U)
	type job struct {
		set, ni, row int
		img          *image.Gray
	}
	var jobs []job
	row := 0
	img := stimulus.NewImage()
	err = forCells(seedT, n, false, img, func(si, ni, i int, _ stimulus.Info) error {
		if i < m {
			cp := stimulus.NewImage()
			copy(cp.Pix, img.Pix)
			jobs = append(jobs, job{si, ni, row, cp})
		}
		row++
		return nil
	})
	if err != nil {
		return nil, err
	}
	workers := max(1, runtime.GOMAXPROCS(0))
	acts := make([]*floatnet.Acts, workers)
	for i := range acts {
		acts[i] = floatnet.NewActs()
	}
	deq := make([]float32, U)
	corr := 0.0
	for b := 0; b < len(jobs); b += workers {
		e := min(len(jobs), b+workers)
		var wg sync.WaitGroup
		errs := make([]error, e-b)
		for k := b; k < e; k++ {
			wg.Add(1)
			go func(k int) {
				defer wg.Done()
				errs[k-b] = forward(jobs[k].img, acts[k-b])
			}(k)
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return nil, err
		}
		// Add in job order: the float sums do not depend on scheduling.
		for k := b; k < e; k++ {
			j := jobs[k]
			q := codes[j.row*U : (j.row+1)*U]
			if err := ai.AddInt8(j.set, j.ni, q, scale, zp); err != nil {
				return nil, err
			}
			relu5 := floatnet.Floats(acts[k-b].Relu5)
			if err := af.Add(j.set, j.ni, relu5); err != nil {
				return nil, err
			}
			for u, v := range q {
				deq[u] = scale * float32(int32(v)-zp)
			}
			corr += accuracy.Pearson(deq, relu5)
		}
		prog.Add(floatCost * (e - b))
	}
	ri, err := ai.Result()
	if err != nil {
		return nil, err
	}
	rf, err := af.Result()
	if err != nil {
		return nil, err
	}
	si, sf := ri.Select(numunits.DefaultAlpha), rf.Select(numunits.DefaultAlpha)
	fc := &FloatComparison{Images: m, Int8Selected: len(si.Selective), FloatSelected: len(sf.Selective),
		Relu5Corr: corr / float64(len(jobs))}
	inF := make(map[int]bool, len(sf.Selective))
	for _, u := range sf.Selective {
		inF[u] = true
	}
	same := 0
	for _, u := range si.Selective {
		if inF[u] {
			fc.Both++
			if si.PN[u] == sf.PN[u] {
				same++
			}
		}
	}
	if union := fc.Int8Selected + fc.FloatSelected - fc.Both; union > 0 {
		fc.Jaccard = float64(fc.Both) / float64(union)
	} else {
		fc.Jaccard = math.NaN()
	}
	fc.PNAgreement = math.NaN()
	if fc.Both > 0 {
		fc.PNAgreement = float64(same) / float64(fc.Both)
	}
	return fc, nil
}

// ErrTooFewUnits is returned by the tasks when the selective pool has fewer
// than 2 units.
var ErrTooFewUnits = errors.New("experiment: fewer than 2 number-selective units")

func runTasks(res *Result, o numunits.TaskOpts, prog *Progress) (*Tasks, error) {
	nums := stimulus.Numerosities
	want := o.Units
	if want <= 0 {
		want = 256
	}
	reps := o.Reps
	if reps <= 0 {
		reps = 10
	}
	tk := &Tasks{PriorBaseline: numunits.PriorBaseline(len(nums))}
	sel, non := res.Sel.Selective, res.Sel.NonSelective
	if len(sel) < 2 {
		return nil, ErrTooFewUnits
	}
	tk.Units = min(want, len(sel))
	tk.NonUnits = min(want, len(non))
	os, on := o, o
	os.Units, on.Units = tk.Units, tk.NonUnits
	var err error
	if tk.Selective, err = numunits.Compare(res.T, res.V, sel, nums, os); err != nil {
		return nil, fmt.Errorf("experiment: comparison task, selective units: %w", err)
	}
	prog.Add(taskWork * reps)
	if len(non) >= 2 {
		if tk.NonSelective, err = numunits.Compare(res.T, res.V, non, nums, on); err != nil {
			return nil, fmt.Errorf("experiment: comparison task, non-selective units: %w", err)
		}
	}
	prog.Add(taskWork * reps)
	if tk.Pixels, err = numunits.ComparePixels(res.PixT, res.PixV, nums, o); err != nil {
		return nil, fmt.Errorf("experiment: comparison task, pixels: %w", err)
	}
	prog.Add(taskWork * reps)
	if res.AreaT == nil {
		return tk, nil
	}
	for _, cue := range []numunits.Cue{numunits.CueArea, numunits.CueDensity, numunits.CueSize} {
		cg := Congruency{Cue: cue}
		if cg.Selective, err = numunits.Congruency(res.AreaT, res.AreaV, sel, nums, cue, os); err != nil {
			return nil, fmt.Errorf("experiment: congruency (%s), selective units: %w", cue, err)
		}
		prog.Add(taskWork * reps)
		if len(non) >= 2 {
			if cg.NonSelective, err = numunits.Congruency(res.AreaT, res.AreaV, non, nums, cue, on); err != nil {
				return nil, fmt.Errorf("experiment: congruency (%s), non-selective units: %w", cue, err)
			}
		}
		prog.Add(taskWork * reps)
		tk.Congruency = append(tk.Congruency, cg)
	}
	if tk.CongruencyPixels, err = numunits.CongruencyPixels(res.PixAreaT, res.PixAreaV, nums, numunits.CueArea, o); err != nil {
		return nil, fmt.Errorf("experiment: congruency, pixels: %w", err)
	}
	prog.Add(taskWork * reps)
	return tk, nil
}
