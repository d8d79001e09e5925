package numunits

import (
	"math"
	"testing"

	"github.com/numsense/numsense/model/rng"
)

// synthImages draws perN images per numerosity index for the area-varying
// design: area level k uniform in 1..8, total area 120*pi*k, a random mean
// distance (NaN for one dot) and mean dot area = total/N.
func synthImages(r *rng.Rand, perN int) []ImageInfo {
	var info []ImageInfo
	for i, n := range Numerosities {
		for k := 0; k < perN; k++ {
			lvl := 1 + r.IntN(8)
			in := ImageInfo{NumIdx: i, Set: k % 3, AreaLevel: lvl, TotalArea: 120 * math.Pi * float64(lvl),
				MeanDist: 60 + 40*r.Float64()}
			if n == 1 {
				in.MeanDist = math.NaN()
			}
			in.MeanDotArea = in.TotalArea / float64(n)
			info = append(info, in)
		}
	}
	return info
}

// synthResponses stores units layer indices 1000..1000+units-1 whose response
// is f(unit, image) + N(0, noise^2), clipped at 0.
func synthResponses(r *rng.Rand, info []ImageInfo, units int, noise float64, f func(u int, in ImageInfo) float64) *Responses {
	idx := make([]int, units)
	for u := range idx {
		idx[u] = 1000 + u
	}
	res := NewResponses(idx)
	row := make([]float32, units)
	for _, in := range info {
		for u := range row {
			row[u] = float32(math.Max(0, f(u, in)+noise*r.Normal()))
		}
		if err := res.Append(in, row); err != nil {
			panic(err)
		}
	}
	return res
}

// logTuned is a unit with log-Gaussian numerosity tuning, PN index u%16.
func logTuned(u int, in ImageInfo) float64 {
	pn := Numerosities[u%len(Numerosities)]
	z := (math.Log2(float64(Numerosities[in.NumIdx])) - math.Log2(float64(pn))) / 0.6
	return 10 * math.Exp(-z*z/2)
}

func taskSizes() (perN, pairs, reps int) {
	if testing.Short() {
		return 12, 25, 2
	}
	return 30, 60, 3
}

func TestCompareDistanceEffect(t *testing.T) {
	perN, pairs, reps := taskSizes()
	r := rng.New(1)
	T := synthResponses(r, synthImages(r, perN), 64, 2, logTuned)
	V := synthResponses(r, synthImages(r, perN), 64, 2, logTuned)
	o := TaskOpts{PairsPerSample: pairs, Units: 48, Reps: reps, Seed: 3}
	res, err := Compare(T, V, T.Units, Numerosities, o)
	if err != nil {
		t.Fatal(err)
	}
	if res.Mean < 0.75 {
		t.Errorf("mean accuracy %.3f with tuned units, want >= 0.75", res.Mean)
	}
	near, far := pool(res, 1, 6), pool(res, 16, 29)
	t.Logf("tuned units: accuracy %.3f, %.3f at d <= 6, %.3f at d >= 16", res.Mean, near, far)
	if !(far > near+0.1) {
		t.Errorf("no distance effect: accuracy %.3f at d <= 6, %.3f at d >= 16", near, far)
	}
	total := 0
	for i := range res.Total {
		total += res.Total[i]
		if i/res.Levels == i%res.Levels && res.Total[i] != 0 {
			t.Errorf("pairs with equal numerosities at %d", i)
		}
	}
	if total != reps*pairs*len(Numerosities) || len(res.Acc) != reps {
		t.Errorf("%d test trials over %d reps, want %d", total, len(res.Acc), reps*pairs*len(Numerosities))
	}
	// Untuned units: chance.
	noise := synthResponses(r, T.Info, 64, 2, func(int, ImageInfo) float64 { return 5 })
	noiseV := synthResponses(r, V.Info, 64, 2, func(int, ImageInfo) float64 { return 5 })
	res, err = Compare(noise, noiseV, noise.Units, Numerosities, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("untuned units: accuracy %.3f", res.Mean)
	if res.Mean < 0.35 || res.Mean > 0.65 {
		t.Errorf("untuned units: accuracy %.3f, want chance", res.Mean)
	}
	if _, err := Compare(T, V, []int{5}, Numerosities, TaskOpts{Units: 1}); err == nil {
		t.Error("unit not stored: no error")
	}
	if _, err := Compare(T, V, T.Units, Numerosities, TaskOpts{Units: 65}); err == nil {
		t.Error("pool smaller than the draw: no error")
	}
}

// pool returns the accuracy over distances lo..hi.
func pool(res *TaskResult, lo, hi int) float64 {
	c, n := 0, 0
	for _, d := range res.Distance {
		if d.D >= lo && d.D <= hi {
			c += d.Correct
			n += d.Total
		}
	}
	return float64(c) / float64(n)
}

func TestMakePairs(t *testing.T) {
	r := rng.New(2)
	info := synthImages(r, 5)
	p, err := MakePairs(info, 16, 50, r)
	if err != nil {
		t.Fatal(err)
	}
	perTest := make([]int, 16)
	for k, x := range p {
		s, tt := info[x.Sample].NumIdx, info[x.Test].NumIdx
		if s != k/50 || s == tt || x.Label != (tt > s) {
			t.Fatalf("pair %d: sample %d test %d label %v", k, s, tt, x.Label)
		}
		perTest[tt]++
	}
	for i, c := range perTest {
		if c < 25 || c > 80 { // expected 50 each
			t.Errorf("test numerosity %d drawn %d times, want about 50", i, c)
		}
	}
	if _, err := MakePairs(info[:10], 16, 5, r); err == nil {
		t.Error("missing numerosities accepted")
	}
}

func TestPriorBaseline(t *testing.T) {
	near(t, "76.7% baseline", PriorBaseline(16), 0.7666666666666667, 1e-12)
	near(t, "2 levels", PriorBaseline(2), 1, 0)
}

func TestComparePixels(t *testing.T) {
	perN, pairs, reps := taskSizes()
	r := rng.New(4)
	const px = 900
	mk := func() *Pixels {
		p := NewPixels(px)
		img := make([]uint8, px)
		for _, in := range synthImages(r, perN) {
			clear(img)
			for _, k := range r.Perm(px)[:10*Numerosities[in.NumIdx]] {
				img[k] = 1
			}
			if err := p.Append(in, img); err != nil {
				t.Fatal(err)
			}
		}
		return p
	}
	res, err := ComparePixels(mk(), mk(), Numerosities, TaskOpts{PairsPerSample: pairs, Reps: reps, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("pixel control: accuracy %.3f", res.Mean)
	// The sample image alone can at best learn the prior (76.7 %).
	if res.Mean < 0.6 || res.Mean > 0.86 {
		t.Errorf("pixel control accuracy %.3f, want near the 0.767 prior baseline", res.Mean)
	}
	if err := NewPixels(4).Append(ImageInfo{}, make([]uint8, 5)); err == nil {
		t.Error("wrong image size accepted")
	}
}

func TestCongruentFlags(t *testing.T) {
	small := ImageInfo{NumIdx: 2, TotalArea: 500, MeanDist: 80, MeanDotArea: 125, AreaLevel: 2}
	big := ImageInfo{NumIdx: 5, TotalArea: 400, MeanDist: 70, MeanDotArea: 40, AreaLevel: 1}
	for _, c := range []struct {
		a, b      ImageInfo
		cue       Cue
		cong, def bool
	}{
		{small, big, CueArea, false, true},   // larger N has less area
		{big, small, CueArea, false, true},   // order does not matter
		{small, big, CueDensity, true, true}, // larger N is denser
		{small, big, CueSize, false, true},   // larger N has smaller dots
		{small, small, CueArea, false, false},
	} {
		cg, def := Congruent(c.a, c.b, c.cue)
		if cg != c.cong || def != c.def {
			t.Errorf("%v %+v vs %+v: (%v, %v), want (%v, %v)", c.cue, c.a, c.b, cg, def, c.cong, c.def)
		}
	}
	// Same area level: area-congruent although the total area is smaller.
	b2 := big
	b2.AreaLevel = 2
	if cg, _ := Congruent(small, b2, CueArea); !cg {
		t.Error("shared area level not congruent")
	}
	// Equal total area: congruent (>=).
	b3 := big
	b3.TotalArea = 500
	if cg, _ := Congruent(small, b3, CueArea); !cg {
		t.Error("equal total area not congruent")
	}
	one := ImageInfo{NumIdx: 0, MeanDist: math.NaN(), TotalArea: 100, MeanDotArea: 100}
	if _, def := Congruent(one, big, CueDensity); def {
		t.Error("density with a one-dot image should be undefined")
	}
	if cg, def := Congruent(one, big, CueArea); !cg || !def {
		t.Error("one dot, area 100 vs 400: want congruent")
	}
}

func TestCongruency(t *testing.T) {
	perN, pairs, reps := taskSizes()
	r := rng.New(6)
	tInfo, vInfo := synthImages(r, perN), synthImages(r, perN)
	o := TaskOpts{PairsPerSample: pairs, Units: 48, Reps: reps, Seed: 7}
	// Number units generalise to incongruent pairs.
	T := synthResponses(r, tInfo, 64, 2, logTuned)
	V := synthResponses(r, vInfo, 64, 2, logTuned)
	res, err := Congruency(T, V, T.Units, Numerosities, CueArea, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("number units, area-incongruent: %.3f (%d train, %d test pairs)", res.Mean, res.TrainPairs, res.TestPairs)
	if res.Mean < 0.7 {
		t.Errorf("number units on area-incongruent pairs: %.3f, want >= 0.7", res.Mean)
	}
	if res.TrainPairs >= pairs*16 || res.TestPairs >= pairs*16 {
		t.Errorf("no filtering: %d train, %d test pairs", res.TrainPairs, res.TestPairs)
	}
	// Units that code total area only are fooled by incongruent pairs.
	area := func(u int, in ImageInfo) float64 { return in.TotalArea / 100 * (1 + 0.02*float64(u)) }
	TA := synthResponses(r, tInfo, 64, 0.5, area)
	VA := synthResponses(r, vInfo, 64, 0.5, area)
	res, err = Congruency(TA, VA, TA.Units, Numerosities, CueArea, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("area units, area-incongruent: %.3f", res.Mean)
	if res.Mean > 0.4 {
		t.Errorf("area units on area-incongruent pairs: %.3f, want well below chance", res.Mean)
	}
}

func TestCompareCorrectVersusError(t *testing.T) {
	perN, pairs, reps := taskSizes()
	r := rng.New(11)
	// Noisy units so that errors occur.
	T := synthResponses(r, synthImages(r, perN), 64, 6, logTuned)
	V := synthResponses(r, synthImages(r, perN), 64, 6, logTuned)
	pn := make([]int, 1000+64)
	for u := range pn {
		pn[u] = -1
	}
	for k, u := range T.Units {
		pn[u] = k % len(Numerosities)
	}
	o := TaskOpts{PairsPerSample: pairs, Units: 16, Reps: reps, Seed: 3, PN: pn}
	res, err := Compare(T, V, T.Units, Numerosities, o)
	if err != nil {
		t.Fatal(err)
	}
	span := -res.NDMin
	if span != 29 || len(res.NDCorrect) != 59 || len(res.NDError) != 59 {
		t.Fatalf("ND axis %d..%d", res.NDMin, res.NDMin+len(res.NDCorrect)-1)
	}
	if res.NDCorrect[span] != 1 {
		t.Errorf("correct curve at ND=0 is %g, want 1 (the reference)", res.NDCorrect[span])
	}
	if argmax(res.NDCorrect) != span {
		t.Errorf("correct-trial tuning peaks at ND=%d, want 0", argmax(res.NDCorrect)+res.NDMin)
	}
	if len(res.ND0Correct) == 0 || len(res.ND0Correct) != len(res.ND0Error) {
		t.Errorf("%d/%d per-unit ND=0 values", len(res.ND0Correct), len(res.ND0Error))
	}
	mc, me := meanOf(res.ND0Correct), meanOf(res.ND0Error)
	t.Logf("accuracy %.3f; ND=0: correct %.3f, error %.3f (curve %.3f), p %.3g", res.Mean, mc, me, res.NDError[span],
		RankSum(res.ND0Correct, res.ND0Error, Greater))
	if !(me < mc) {
		t.Errorf("error trials respond as strongly at ND=0 (%.3f) as correct trials (%.3f)", me, mc)
	}
	bad := append([]int(nil), pn...)
	bad[T.Units[0]] = -1
	if _, err := Compare(T, V, T.Units, Numerosities, TaskOpts{PN: bad}); err == nil {
		t.Error("unit without PN accepted")
	}
}

func meanOf(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}
