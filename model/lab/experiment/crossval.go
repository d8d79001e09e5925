package experiment

import (
	"fmt"

	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/lab/numunits"
	"github.com/numsense/numsense/model/rng"
)

// Relu4Network is a Network that also exposes relu4, as *model.Engine does; the
// Fig. 5 analyses (monotonic relu4 units, backtracking, the summation model) run
// only when the network is one.
type Relu4Network interface {
	Network
	Relu4() []int8
	Relu4Scale() float32
	Relu4ZeroPoint() int32
}

// Conv5Weighted is implemented by a stand-in network without a QNet: its real
// conv5 weights, [256][192][3][3].
type Conv5Weighted interface {
	Conv5Weights() []float32
}

// CrossValidated holds the tuning analyses with the preferred numerosity chosen
// on the selection draw T and everything else measured on the independent
// validation draw V (and, beside them, the T-draw curves fitted within the
// range bounds, which separates the effect of the bounds from that of choosing
// the PN on the data that is plotted).
type CrossValidated struct {
	// CurvesV are the PN classes' average curves on V (PN from T, min-max
	// rescaled as Kim's), FitsV their Gaussian fits within numunits.RangeBounds
	// and WeberV the summary.
	CurvesV [][]float64
	FitsV   []numunits.CurveFit
	WeberV  numunits.Weber
	// FitsTRange and WeberTRange fit the T-draw curves (Result.Curves) within
	// the range bounds.
	FitsTRange  []numunits.CurveFit
	WeberTRange numunits.Weber
	// FallRightT and FallRightV are numunits.FallRight of the T and V curves.
	FallRightT, FallRightV []float64
	// Shapes is every selective unit's shape (in the order of Sel.Selective);
	// Counts sums them up; ShapeByPN[p][s] counts the units of T-draw PN p with
	// shape s (indexed by numunits.Shape).
	Shapes    []numunits.UnitShape
	Counts    numunits.ShapeCounts
	ShapeByPN [][4]int
	// TunedP is the binomial p value of Counts.Tuned among Counts.Inner
	// against the rate alpha that monotonic units pass the tuned test at.
	TunedP float64

	// The units that tested tuned on V, measured on a third draw that chose
	// nothing: the area-varying set (both its draws pooled; nil without it).
	// CurvesTunedW are their PN classes' curves (PN from T), FitsTunedW the
	// fits within range bounds and WeberTunedW the Weber-Fechner summary: the
	// tuning widths of units known to be tuned, free of the selection on T and
	// of the test on V. PeakW counts the tuned units whose mean there is still
	// higher at their PN than at both ends.
	CurvesTunedW [][]float64
	FitsTunedW   []numunits.CurveFit
	WeberTunedW  numunits.Weber
	PeakW        int
}

// Fig5 holds the analyses of Kim et al.'s Fig. 5 on one network: monotonic
// units in relu4 and relu5, the weights that carry them into the selective
// relu5 units, and the summation of their drives.
type Fig5 struct {
	// Relu4 and Relu5 are the monotonic units on the area-varying T draw
	// (Stoianov & Zorzi criteria), with their agreement on the V draw.
	Relu4, Relu5 MonotonicCounts
	// Relu4Class is every relu4 unit's class on the area-varying T draw.
	Relu4Class []numunits.Shape
	// Back and BackShuffled are the backtracked weights of every selective
	// relu5 unit (order of Sel.Selective), through the real and through
	// shuffled kernels.
	Back, BackShuffled []numunits.BackWeights
	// Summation fits, per selective unit, of its V-draw mean curve by the
	// drives of its relu4 inputs (their T-draw mean curves through conv5's
	// weights, numunits.UnitDrives). R2Mono: a weighted sum (two free weights
	// and a constant) of the drive from its decreasing and the drive from its
	// increasing inputs, Kim's summation model fitted to the real curve;
	// R2MonoShuffled the same through shuffled kernels (three parameters for
	// 16 points: they fit any smooth monotonic curve). CorrSum: the Pearson
	// correlation of the curve with the sum of the two drives through the real
	// weights, sign included (positive when the wiring predicts which way the
	// curve goes); CorrSumShuffled its control; CorrAll: the correlation with
	// the drive from all inputs (the mean pre-activation).
	R2Mono, R2MonoShuffled, CorrSum, CorrSumShuffled, CorrAll []float64
}

// MonotonicCounts counts a layer's monotonic units.
type MonotonicCounts struct {
	Units, Increasing, Decreasing int
	// Classified and Same: units classified on the T draw, and those of them
	// with the same class on the V draw.
	Classified, Same int
}

// crossValidate classifies the selective units on V and analyses the tuning with
// PN from T and curves from V.
func (r *runner) crossValidate() error {
	res, L := r.res, len(r.nums)
	sel := res.Sel.Selective
	if len(sel) == 0 {
		return nil
	}
	cv := &CrossValidated{}
	cv.CurvesV = numunits.TuningCurves(r.meanV, L, sel, res.Sel.PN)
	r.meanV = nil
	cv.FitsV = numunits.FitTuningCurves(cv.CurvesV, r.nums, numunits.BoundsRange)
	cv.WeberV = numunits.WeberFechner(cv.FitsV, r.nums)
	cv.FitsTRange = numunits.FitTuningCurves(res.Curves, r.nums, numunits.BoundsRange)
	cv.WeberTRange = numunits.WeberFechner(cv.FitsTRange, r.nums)
	cv.FallRightT, cv.FallRightV = numunits.FallRight(res.Curves), numunits.FallRight(cv.CurvesV)
	var err error
	if cv.Shapes, err = numunits.ClassifyShapes(res.V, sel, res.Sel.PN, r.nums, res.Sel.Alpha); err != nil {
		return err
	}
	pn := make([]int, len(sel))
	cv.ShapeByPN = make([][4]int, L)
	for k, u := range sel {
		pn[k] = res.Sel.PN[u]
		cv.ShapeByPN[pn[k]][cv.Shapes[k].Shape]++
	}
	cv.Counts = numunits.CountShapes(cv.Shapes, pn, L, res.Sel.Alpha)
	cv.TunedP = numunits.BinomUpper(cv.Counts.Tuned, cv.Counts.Inner, res.Sel.Alpha)
	res.CV = cv
	if res.Classes, err = numunits.NewClasses(res.Map, cv.Shapes); err != nil {
		return err
	}
	return nil
}

// tunedOnArea measures the units that tested tuned on V on the area-varying
// draws (a third sample, independent of T and V).
func (r *runner) tunedOnArea() error {
	res, L := r.res, len(r.nums)
	cv := res.CV
	if cv == nil || res.AreaT == nil {
		return nil
	}
	var tuned, pn []int
	for k, u := range res.Sel.Selective {
		if cv.Shapes[k].Shape == numunits.Tuned {
			tuned = append(tuned, u)
			pn = append(pn, res.Sel.PN[u])
		}
	}
	mean, err := numunits.LevelMeans([]*numunits.Responses{res.AreaT, res.AreaV}, tuned, L)
	if err != nil {
		return err
	}
	pos := make([]int, len(tuned))
	for k := range pos {
		pos[k] = k
		m := mean[k*L : (k+1)*L]
		if p := pn[k]; m[p] > m[0] && m[p] > m[L-1] {
			cv.PeakW++
		}
	}
	cv.CurvesTunedW = numunits.TuningCurves(mean, L, pos, pn)
	cv.FitsTunedW = numunits.FitTuningCurves(cv.CurvesTunedW, r.nums, numunits.BoundsRange)
	cv.WeberTunedW = numunits.WeberFechner(cv.FitsTunedW, r.nums)
	return nil
}

// fig5Ready reports whether the Fig. 5 analyses can run: relu4 was seen on the T
// and the area draws and conv5's weights are known.
func (r *runner) fig5Ready() bool {
	return r.mono4T != nil && r.mean4 != nil && r.res.CV != nil && r.conv5() != nil
}

// conv5 returns the wiring of conv5 with real weights (nil when unknown).
func (r *runner) conv5() *numunits.Conv {
	if r.c5 != nil {
		return r.c5
	}
	l := model.Arch[model.Conv5]
	c := &numunits.Conv{Size: l.OutSize, K: l.K, Pad: l.Pad, In: l.In, Out: l.Out, Groups: l.Groups}
	switch {
	case r.res.Q != nil && r.c.Network == nil:
		q := &r.res.Q.Conv[model.Conv5]
		kd := l.KDim()
		c.W = make([]float32, len(q.W))
		for o := 0; o < l.Out; o++ {
			for k := 0; k < kd; k++ {
				c.W[o*kd+k] = q.WScale[o] * float32(q.W[o*kd+k])
			}
		}
	default:
		w, ok := r.eng.(Conv5Weighted)
		if !ok {
			return nil
		}
		c.W = w.Conv5Weights()
	}
	r.c5 = c
	return c
}

// fig5 classifies relu4 and relu5 units as monotonic on the area-varying set,
// backtracks the selective relu5 units to the monotonic relu4 units through
// conv5's weights, and fits each selective unit's V-draw curve by the drives of
// its monotonic inputs.
func (r *runner) fig5() error {
	res := r.res
	f := &Fig5{}
	m4, err := monotonicCounts(r.mono4T, r.mono4V, &f.Relu4)
	if err != nil {
		return fmt.Errorf("experiment: relu4 monotonic units: %w", err)
	}
	if _, err := monotonicCounts(r.mono5T, r.mono5V, &f.Relu5); err != nil {
		return fmt.Errorf("experiment: relu5 monotonic units: %w", err)
	}
	r.mono4T, r.mono4V, r.mono5T, r.mono5V = nil, nil, nil, nil
	f.Relu4Class = m4.Class
	c := r.conv5()
	sel := res.Sel.Selective
	sh := rng.New(Derive(res.Seeds.Stim, Fig5SeedStream))
	if f.Back, err = numunits.Backtrack(c, m4.Class, sel, nil); err != nil {
		return err
	}
	if f.BackShuffled, err = numunits.Backtrack(c, m4.Class, sel, sh); err != nil {
		return err
	}
	mean4 := r.mean4.Means()
	r.mean4 = nil
	L := len(r.nums)
	drives, err := numunits.UnitDrives(c, m4.Class, mean4, L, sel, nil)
	if err != nil {
		return err
	}
	shuffled, err := numunits.UnitDrives(c, m4.Class, mean4, L, sel, sh)
	if err != nil {
		return err
	}
	n := len(sel)
	f.R2Mono, f.R2MonoShuffled, f.CorrSum, f.CorrSumShuffled, f.CorrAll = make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	sum := func(d numunits.Drives) []float64 {
		s := make([]float64, L)
		for l := range s {
			s[l] = d.Dec[l] + d.Inc[l]
		}
		return s
	}
	for k := range sel {
		y := res.CV.Shapes[k].MeanV
		f.R2Mono[k] = numunits.RegressR2(y, drives[k].Dec, drives[k].Inc)
		f.R2MonoShuffled[k] = numunits.RegressR2(y, shuffled[k].Dec, shuffled[k].Inc)
		f.CorrSum[k] = numunits.Corr(y, sum(drives[k]))
		f.CorrSumShuffled[k] = numunits.Corr(y, sum(shuffled[k]))
		f.CorrAll[k] = numunits.Corr(y, drives[k].All)
	}
	res.Fig5 = f
	return nil
}

// Fig5SeedStream is the Derive stream of the shuffled-weights control.
const Fig5SeedStream = 9

// monotonicCounts classifies on draw t, checks the classes on draw v and fills mc.
func monotonicCounts(t, v *numunits.MonotonicAccumulator, mc *MonotonicCounts) (numunits.Monotonic, error) {
	mt, err := t.Result()
	if err != nil {
		return mt, err
	}
	mv, err := v.Result()
	if err != nil {
		return mt, err
	}
	mc.Units, mc.Increasing, mc.Decreasing = mt.Units, mt.Increasing, mt.Decreasing
	mc.Classified, mc.Same = numunits.Agreement(mt.Class, mv.Class)
	return mt, nil
}

// relu4Of returns the network's relu4 dequantised into dst, or nil when the
// network has no relu4.
func relu4Of(n Network, dst []float32) []float32 {
	e, ok := n.(Relu4Network)
	if !ok {
		return nil
	}
	dequant(e.Relu4(), e.Relu4Scale(), e.Relu4ZeroPoint(), dst)
	return dst
}
