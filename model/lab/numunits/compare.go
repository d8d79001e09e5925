package numunits

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/stat"

	"github.com/numsense/numsense/model/lab/svm"
	"github.com/numsense/numsense/model/rng"
)

// Pair is one trial of the numerosity comparison task: two image indices
// and the label "the test image has more items than the sample".
type Pair struct {
	Sample, Test int
	Label        bool
}

// MakePairs draws perSample pairs for every numerosity index 0..levels-1
// (Kim et al.: 100 per sample numerosity): the test numerosity is uniform over
// the other levels-1 indices; sample and test images are drawn uniformly, with
// replacement, from all images (all sets pooled) of their numerosity.
func MakePairs(info []ImageInfo, levels, perSample int, r *rng.Rand) ([]Pair, error) {
	pool := make([][]int, levels)
	for i, in := range info {
		if in.NumIdx < 0 || in.NumIdx >= levels {
			return nil, fmt.Errorf("numunits: MakePairs: image %d has numerosity index %d outside [0,%d)", i, in.NumIdx, levels)
		}
		pool[in.NumIdx] = append(pool[in.NumIdx], i)
	}
	for n, p := range pool {
		if len(p) == 0 {
			return nil, fmt.Errorf("numunits: MakePairs: no image of numerosity index %d", n)
		}
	}
	pairs := make([]Pair, 0, levels*perSample)
	for s := 0; s < levels; s++ {
		for k := 0; k < perSample; k++ {
			t := r.IntN(levels - 1)
			if t >= s {
				t++
			}
			pairs = append(pairs, Pair{
				Sample: pool[s][r.IntN(len(pool[s]))],
				Test:   pool[t][r.IntN(len(pool[t]))],
				Label:  t > s,
			})
		}
	}
	return pairs, nil
}

// TaskOpts configures the comparison and congruency tasks. Zero fields take
// the paper's values.
type TaskOpts struct {
	PairsPerSample int    // pairs per sample numerosity; 0 means 100
	Units          int    // units drawn per repetition; 0 means 256
	Reps           int    // repetitions (unit draws); 0 means 10
	Seed           uint64 // seeds pairs and unit draws (the same seed gives the same pairs for any pool)
	SVM            svm.Opts
	// PN, if set, holds the preferred numerosity index of every layer unit
	// (Selection.PN); Compare then also computes the correct- versus
	// error-trial tuning (TaskResult.NDCorrect, NDError).
	PN []int
}

func (o TaskOpts) withDefaults() TaskOpts {
	if o.PairsPerSample <= 0 {
		o.PairsPerSample = 100
	}
	if o.Units <= 0 {
		o.Units = 256
	}
	if o.Reps <= 0 {
		o.Reps = 10
	}
	return o
}

// DistanceAcc is the accuracy at one numerical distance d = N_sample - N_test
// (sample > test pairs only).
type DistanceAcc struct {
	D              int
	Correct, Total int
}

// Acc returns Correct/Total (NaN when Total is 0).
func (d DistanceAcc) Acc() float64 { return float64(d.Correct) / float64(d.Total) }

// TaskResult is the outcome of a comparison or congruency task.
type TaskResult struct {
	Levels int
	// Acc is the test accuracy of each repetition; Mean and SD summarise it.
	Acc      []float64
	Mean, SD float64
	// Correct and Total count test trials over all repetitions on the
	// Levels x Levels grid (row sample index, column test index).
	Correct, Total []int
	// Distance is the accuracy per numerical distance (sample > test pairs
	// only), ascending in D.
	Distance []DistanceAcc
	// TrainPairs and TestPairs are the pair counts of the last repetition.
	TrainPairs, TestPairs int
	// NotConverged counts repetitions whose SVM hit MaxEpochs.
	NotConverged int

	// Correct- versus error-trial tuning (only with TaskOpts.PN): for each
	// drawn unit, its mean response to the sample image against
	// ND = N_sample - PN, over correct and over error test trials, each curve
	// divided by its own maximum, averaged over units and repetitions, then
	// both divided by the correct curve at ND = 0. Index k is ND = NDMin + k;
	// NaN where no trial.
	NDMin              int
	NDCorrect, NDError []float64
	// ND0Correct and ND0Error are the per-unit normalised values at ND = 0
	// (units with both curves defined there), for a rank-sum test.
	ND0Correct, ND0Error []float64
	ndCount              [2][]int
}

// repData is one repetition's classifier data; units, testCols and testResp
// are set for unit features (layer indices, their columns in testResp).
type repData struct {
	train, test svm.Data
	units       []int
	testCols    []int
	testResp    *Responses
}

// ndAcc accumulates one repetition's per-unit sample responses by ND.
type ndAcc struct {
	span     int
	sum      [2][]float64 // [correct, error][unit*(2*span+1) + ND+span]
	cnt      [2][]int
	units, w int
}

func newNDAcc(units int, nums []int) *ndAcc {
	span := nums[len(nums)-1] - nums[0]
	w := 2*span + 1
	a := &ndAcc{span: span, units: units, w: w}
	for c := 0; c < 2; c++ {
		a.sum[c] = make([]float64, units*w)
		a.cnt[c] = make([]int, units*w)
	}
	return a
}

func (a *ndAcc) add(unit, nd int, v float64, correct bool) {
	c := 1
	if correct {
		c = 0
	}
	a.sum[c][unit*a.w+nd+a.span] += v
	a.cnt[c][unit*a.w+nd+a.span]++
}

// finish normalises each unit's curves by their maxima and adds them to the
// running sums in res (divided by counts at the end of run).
func (a *ndAcc) finish(res *TaskResult) {
	if res.NDCorrect == nil {
		res.NDMin = -a.span
		res.NDCorrect = make([]float64, a.w)
		res.NDError = make([]float64, a.w)
		res.ndCount = [2][]int{make([]int, a.w), make([]int, a.w)}
	}
	out := [2][]float64{res.NDCorrect, res.NDError}
	curve := make([]float64, a.w)
	for u := 0; u < a.units; u++ {
		var at0 [2]float64
		for c := 0; c < 2; c++ {
			mx := math.Inf(-1)
			for k := range curve {
				curve[k] = math.NaN()
				if n := a.cnt[c][u*a.w+k]; n > 0 {
					curve[k] = a.sum[c][u*a.w+k] / float64(n)
					mx = math.Max(mx, curve[k])
				}
			}
			at0[c] = math.NaN()
			if !(mx > 0) {
				continue
			}
			for k, v := range curve {
				if !math.IsNaN(v) {
					out[c][k] += v / mx
					res.ndCount[c][k]++
				}
			}
			at0[c] = curve[a.span] / mx
		}
		if !math.IsNaN(at0[0]) && !math.IsNaN(at0[1]) {
			res.ND0Correct = append(res.ND0Correct, at0[0])
			res.ND0Error = append(res.ND0Error, at0[1])
		}
	}
}

// Matrix returns the accuracy of (sample i, test j), NaN where no trial.
func (t *TaskResult) Matrix(i, j int) float64 {
	k := i*t.Levels + j
	return float64(t.Correct[k]) / float64(t.Total[k])
}

// AccAt returns the accuracy at distance d, NaN if no such pairs.
func (t *TaskResult) AccAt(d int) float64 {
	for _, x := range t.Distance {
		if x.D == d {
			return x.Acc()
		}
	}
	return math.NaN()
}

// trialSource builds pairs and classifier data for one repetition.
type trialSource struct {
	levels    int
	trainInfo []ImageInfo
	testInfo  []ImageInfo
	keepTrain func(p Pair) bool // nil keeps all
	keepTest  func(p Pair) bool
	data      func(r *rng.Rand, train, test []Pair) (repData, error)
	pn        []int
	reps      int
	perSample int
	seed      uint64
	svmOpts   svm.Opts
	nums      []int
}

func filterPairs(p []Pair, keep func(Pair) bool) []Pair {
	if keep == nil {
		return p
	}
	var out []Pair
	for _, x := range p {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

// run runs every repetition (pairs, features, SVM, test) and summarises.
func (ts *trialSource) run() (*TaskResult, error) {
	L := ts.levels
	res := &TaskResult{Levels: L, Correct: make([]int, L*L), Total: make([]int, L*L)}
	dist := map[int]*DistanceAcc{}
	for rep := 0; rep < ts.reps; rep++ {
		if err := ts.repetition(rep, res, dist); err != nil {
			return nil, err
		}
	}
	res.finish(dist)
	return res, nil
}

// repetition draws the pairs and units of repetition rep, trains the SVM on the
// training pairs and scores it on the test pairs into res and dist.
func (ts *trialSource) repetition(rep int, res *TaskResult, dist map[int]*DistanceAcc) error {
	// Separate streams: pairs depend only on (seed, rep), so different unit
	// pools see the same trials.
	pr := rng.New(ts.seed ^ (0x9e3779b97f4a7c15 * uint64(2*rep+1)))
	ur := rng.New(ts.seed ^ (0xbf58476d1ce4e5b9 * uint64(2*rep+2)))
	train, test, err := ts.pairs(pr)
	if err != nil {
		return fmt.Errorf("numunits: repetition %d: %w", rep, err)
	}
	rd, err := ts.data(ur, train, test)
	if err != nil {
		return err
	}
	y := make([]bool, len(train))
	for i, p := range train {
		y[i] = p.Label
	}
	o := ts.svmOpts
	o.Seed ^= uint64(rep) * 0x94d049bb133111eb
	m, err := svm.Train(rd.train, y, o)
	if err != nil {
		return fmt.Errorf("numunits: repetition %d: %w", rep, err)
	}
	if !m.Conv {
		res.NotConverged++
	}
	ok := ts.score(m, rd, test, res, dist)
	res.Acc = append(res.Acc, float64(ok)/float64(len(test)))
	res.TrainPairs, res.TestPairs = len(train), len(test)
	return nil
}

// pairs draws one repetition's training and test pairs and filters them.
func (ts *trialSource) pairs(r *rng.Rand) (train, test []Pair, err error) {
	trainAll, err := MakePairs(ts.trainInfo, ts.levels, ts.perSample, r)
	if err != nil {
		return nil, nil, fmt.Errorf("training pairs: %w", err)
	}
	testAll, err := MakePairs(ts.testInfo, ts.levels, ts.perSample, r)
	if err != nil {
		return nil, nil, fmt.Errorf("test pairs: %w", err)
	}
	train, test = filterPairs(trainAll, ts.keepTrain), filterPairs(testAll, ts.keepTest)
	if len(test) == 0 {
		return nil, nil, errors.New("no test pairs left after filtering")
	}
	return train, test, nil
}

// score tests m on the test pairs: the accuracy grid, the distance effect and,
// with PNs, the correct- versus error-trial tuning. It returns the correct count.
func (ts *trialSource) score(m *svm.Model, rd repData, test []Pair, res *TaskResult, dist map[int]*DistanceAcc) int {
	L := ts.levels
	var nd *ndAcc
	if ts.pn != nil && rd.units != nil {
		nd = newNDAcc(len(rd.units), ts.nums)
	}
	ok := 0
	for i, p := range test {
		c := m.Predict(rd.test, i) == p.Label
		if nd != nil {
			row := rd.testResp.Row(p.Sample)
			si := ts.testInfo[p.Sample].NumIdx
			for k, u := range rd.units {
				nd.add(k, ts.nums[si]-ts.nums[ts.pn[u]], float64(row[rd.testCols[k]]), c)
			}
		}
		si, ti := ts.testInfo[p.Sample].NumIdx, ts.testInfo[p.Test].NumIdx
		res.Total[si*L+ti]++
		if c {
			ok++
			res.Correct[si*L+ti]++
		}
		if si > ti {
			d := ts.nums[si] - ts.nums[ti]
			da := dist[d]
			if da == nil {
				da = &DistanceAcc{D: d}
				dist[d] = da
			}
			da.Total++
			if c {
				da.Correct++
			}
		}
	}
	if nd != nil {
		nd.finish(res)
	}
	return ok
}

// finish sorts the distance effect, summarises the accuracies and normalises
// the correct- and error-trial tuning.
func (res *TaskResult) finish(dist map[int]*DistanceAcc) {
	for _, d := range dist {
		res.Distance = append(res.Distance, *d)
	}
	sort.Slice(res.Distance, func(a, b int) bool { return res.Distance[a].D < res.Distance[b].D })
	res.Mean, res.SD = meanSD(res.Acc)
	if len(res.Acc) > 1 {
		res.SD = stat.StdDev(res.Acc, nil)
	}
	if res.NDCorrect == nil {
		return
	}
	span := -res.NDMin
	for k := range res.NDCorrect {
		res.NDCorrect[k] /= float64(res.ndCount[0][k])
		res.NDError[k] /= float64(res.ndCount[1][k])
	}
	ref := res.NDCorrect[span]
	for k := range res.NDCorrect {
		res.NDCorrect[k] /= ref
		res.NDError[k] /= ref
	}
	for k := range res.ND0Correct {
		res.ND0Correct[k] /= ref
		res.ND0Error[k] /= ref
	}
	res.ndCount = [2][]int{}
}

// unitData returns the data builder drawing o.Units of pool (layer unit
// indices) without replacement each repetition.
func unitData(train, test *Responses, pool []int, units int) (func(*rng.Rand, []Pair, []Pair) (repData, error), error) {
	if len(pool) < units {
		return nil, fmt.Errorf("numunits: %d units in the pool, %d needed per draw", len(pool), units)
	}
	if _, err := train.Columns(pool); err != nil {
		return nil, fmt.Errorf("training responses: %w", err)
	}
	if _, err := test.Columns(pool); err != nil {
		return nil, fmt.Errorf("test responses: %w", err)
	}
	return func(r *rng.Rand, trp, tep []Pair) (repData, error) {
		perm := r.Perm(len(pool))
		drawn := make([]int, units)
		for k := range drawn {
			drawn[k] = pool[perm[k]]
		}
		ctr, _ := train.Columns(drawn)
		cte, _ := test.Columns(drawn)
		return repData{
			train: &pairUnits{r: train, cols: ctr, pairs: trp}, test: &pairUnits{r: test, cols: cte, pairs: tep},
			units: drawn, testCols: cte, testResp: test,
		}, nil
	}, nil
}

func pixelData(train, test *Pixels) (func(*rng.Rand, []Pair, []Pair) (repData, error), error) {
	if train.S.Cols != test.S.Cols {
		return nil, fmt.Errorf("numunits: training images have %d pixels, test images %d", train.S.Cols, test.S.Cols)
	}
	return func(_ *rng.Rand, trp, tep []Pair) (repData, error) {
		return repData{train: &pairPixels{s: train.S, pairs: trp}, test: &pairPixels{s: test.S, pairs: tep}}, nil
	}, nil
}

// Compare runs the numerosity comparison task of Kim et al. 2021 (docs/protocol.md §7): per
// repetition, draw o.Units units of pool (layer unit indices stored in both
// train and test) without replacement, draw pairs from the training images
// (T) and the test images (V), train a linear SVM on [sample; test]
// responses and test it. nums are the numerosity values of the indices.
func Compare(train, test *Responses, pool []int, nums []int, o TaskOpts) (*TaskResult, error) {
	o = o.withDefaults()
	data, err := unitData(train, test, pool, o.Units)
	if err != nil {
		return nil, err
	}
	if o.PN != nil {
		for _, u := range pool {
			if u < 0 || u >= len(o.PN) || o.PN[u] < 0 || o.PN[u] >= len(nums) {
				return nil, fmt.Errorf("numunits: Compare: unit %d has no valid PN in TaskOpts.PN", u)
			}
		}
	}
	ts := trialSource{levels: len(nums), nums: nums, trainInfo: train.Info, testInfo: test.Info,
		data: data, reps: o.Reps, perSample: o.PairsPerSample, seed: o.Seed, svmOpts: o.SVM, pn: o.PN}
	return ts.run()
}

// ComparePixels is the pixel control of the comparison task: a linear SVM on
// the sample image's pixels only, as coded by the authors. Its baseline is not
// 50 %: the sample numerosity alone predicts the label with 76.7 % accuracy
// for 16 levels. o.Units is ignored; each repetition draws new pairs.
func ComparePixels(train, test *Pixels, nums []int, o TaskOpts) (*TaskResult, error) {
	o = o.withDefaults()
	data, err := pixelData(train, test)
	if err != nil {
		return nil, err
	}
	ts := trialSource{levels: len(nums), nums: nums, trainInfo: train.Info, testInfo: test.Info,
		data: data, reps: o.Reps, perSample: o.PairsPerSample, seed: o.Seed, svmOpts: o.SVM}
	return ts.run()
}

// PriorBaseline returns the accuracy of always answering the majority label
// given only the sample numerosity index, for levels levels and test levels
// uniform over the others: mean over i of max(i, levels-1-i)/(levels-1)
// (0.767 for 16 levels).
func PriorBaseline(levels int) float64 {
	s := 0.0
	for i := 0; i < levels; i++ {
		s += float64(max(i, levels-1-i)) / float64(levels-1)
	}
	return s / float64(levels)
}

// Cue is a low-level stimulus feature of the congruency test (docs/protocol.md §8).
type Cue int

// The cues of the congruency test.
const (
	// CueArea: congruent if the larger numerosity has at least the total
	// area of the smaller, or both share an area level.
	CueArea Cue = iota
	// CueDensity: congruent if the larger numerosity has at most the mean
	// inter-dot distance of the smaller (it is denser).
	CueDensity
	// CueSize: congruent if the larger numerosity has at least the mean dot
	// area of the smaller.
	CueSize
)

// String names the cue.
func (c Cue) String() string {
	switch c {
	case CueArea:
		return "area"
	case CueDensity:
		return "density"
	case CueSize:
		return "size"
	}
	return fmt.Sprintf("Cue(%d)", int(c))
}

// Congruent reports whether the cue agrees with numerosity for images a and b
// of different numerosities. defined is false when the cue cannot be
// evaluated (equal numerosities, or a NaN feature such as the mean distance
// of a one-dot image); such pairs belong to neither class.
func Congruent(a, b ImageInfo, c Cue) (congruent, defined bool) {
	if a.NumIdx == b.NumIdx {
		return false, false
	}
	big, small := a, b
	if b.NumIdx > a.NumIdx {
		big, small = b, a
	}
	var x, y float64
	switch c {
	case CueArea:
		if big.AreaLevel > 0 && big.AreaLevel == small.AreaLevel {
			return true, true
		}
		x, y = big.TotalArea, small.TotalArea
	case CueDensity:
		// Denser means a smaller mean distance: compare reversed.
		x, y = small.MeanDist, big.MeanDist
	case CueSize:
		x, y = big.MeanDotArea, small.MeanDotArea
	default:
		return false, false
	}
	if math.IsNaN(x) || math.IsNaN(y) {
		return false, false
	}
	return x >= y, true
}

func congruencyFilters(train, test []ImageInfo, c Cue) (func(Pair) bool, func(Pair) bool) {
	keepTrain := func(p Pair) bool {
		cg, ok := Congruent(train[p.Sample], train[p.Test], c)
		return ok && cg
	}
	keepTest := func(p Pair) bool {
		cg, ok := Congruent(test[p.Sample], test[p.Test], c)
		return ok && !cg
	}
	return keepTrain, keepTest
}

// Congruency runs the abstract-number test of Kim et al. 2021 (docs/protocol.md §8) for one
// cue: pairs are drawn as in Compare from the area-varying images (train =
// T, test = V), the SVM is trained on the pairs congruent for the cue and
// tested on the incongruent test pairs. Chance is 50 %.
func Congruency(train, test *Responses, pool []int, nums []int, c Cue, o TaskOpts) (*TaskResult, error) {
	o = o.withDefaults()
	data, err := unitData(train, test, pool, o.Units)
	if err != nil {
		return nil, err
	}
	kt, ke := congruencyFilters(train.Info, test.Info, c)
	ts := trialSource{levels: len(nums), nums: nums, trainInfo: train.Info, testInfo: test.Info,
		keepTrain: kt, keepTest: ke,
		data: data, reps: o.Reps, perSample: o.PairsPerSample, seed: o.Seed, svmOpts: o.SVM}
	return ts.run()
}

// CongruencyPixels is Congruency with the sample image's pixels as features.
// The authors train and test the pixel classifier on the area cue in every
// panel; pass CueArea to match.
func CongruencyPixels(train, test *Pixels, nums []int, c Cue, o TaskOpts) (*TaskResult, error) {
	o = o.withDefaults()
	data, err := pixelData(train, test)
	if err != nil {
		return nil, err
	}
	kt, ke := congruencyFilters(train.Info, test.Info, c)
	ts := trialSource{levels: len(nums), nums: nums, trainInfo: train.Info, testInfo: test.Info,
		keepTrain: kt, keepTest: ke,
		data: data, reps: o.Reps, perSample: o.PairsPerSample, seed: o.Seed, svmOpts: o.SVM}
	return ts.run()
}
