package experiment

import (
	"fmt"
	"image"
	"math"
	"path/filepath"
	"slices"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/camera/frontend"
	"github.com/numsense/numsense/model/accuracy"
	"github.com/numsense/numsense/model/decoder"
	"github.com/numsense/numsense/model/lab/stimulus"
	"github.com/numsense/numsense/model/population"
)

// StudySeedStream is the Derive stream of the population study's training draw
// (the test draw is the next stream, its synthetic scenes the one after: not the
// scenes calibrate sets interval widths on).
const StudySeedStream = 3000

// StudyOpts configure PopulationStudy.
type StudyOpts struct {
	Seed       uint64              // the study's draws: Derive(Seed, StudySeedStream) and the next two streams
	Images     int                 // images per numerosity and set of each draw
	TrainViews []population.View   // views of the training images that are samples too (as CalibrateOpts.TrainViews)
	ViewSets   [][]population.View // the views averaged over, one line of the figure each
	Scenes     int                 // synthetic scenes per count (0: none)
	Dice       string              // labelled photos ("": none)
	Threads    int
	Progress   *Progress
	// Network replaces the engines (tests only; see CalibrateOpts.Network).
	Network Network
}

// StudyPoint is how well the first Networks networks, their responses averaged
// over Views, read one set of pictures.
type StudyPoint struct {
	Networks int    `json:"networks"`
	Views    string `json:"views"`
	Passes   int    `json:"passes"`
	Set      string `json:"set"` // "held-out stimuli", "synthetic scenes" or "dice photos"
	DecoderEval
}

// Study sets of pictures.
const (
	StudyStimuli = "held-out stimuli"
	StudyScenes  = "synthetic scenes"
	StudyDice    = "dice photos"
)

// StudyWork is the Progress total of PopulationStudy for k networks.
func StudyWork(o StudyOpts, k, dicePhotos int) int {
	L, S := len(stimulus.Numerosities), len(stimulus.Sets)
	views := len(unionViews(o.ViewSets))
	return k*max(1, len(o.TrainViews))*L*S*o.Images + k*views*(L*S*o.Images+max(o.Scenes, 0)*sceneCounts+PhotoScenes(max(o.Scenes, 0))+dicePhotos)
}

// PopulationStudy measures what a larger population adds: for the first 1, 2,
// ... len(results) networks (each with the number units it selected in its own
// experiment) it fits the readout as Calibrate does (training draw of o.Images
// per cell under o.TrainViews, ridge penalty and interval on its held-out images)
// and reads a test draw of dot stimuli, synthetic scenes and the dice photos with
// the responses averaged over each view set. Both draws are new (o.Seed), so no
// network selected its units on them. It returns the median relative error,
// Weber fraction and log bias of every (networks, views, set); the coverage of
// the held-out stimuli only (the intervals of camera pictures are set by
// Calibrate on scenes).
func PopulationStudy(results []*Result, o StudyOpts) ([]StudyPoint, error) {
	if len(results) == 0 || len(o.ViewSets) == 0 || o.Images < 2 {
		return nil, fmt.Errorf("experiment: population study: %d networks, %d view sets, %d images", len(results), len(o.ViewSets), o.Images)
	}
	co := CalibrateOpts{Threads: o.Threads, Network: o.Network}
	units := make([]int, len(results)+1) // units of the first k networks
	for k, r := range results {
		units[k+1] = units[k] + len(r.Map.Units)
	}
	train := o.TrainViews
	if len(train) == 0 {
		train = []population.View{population.Identity}
	}
	var fit, held []decoder.Sample
	for _, tv := range train {
		rd, err := co.readerOf(results, []population.View{tv})
		if err != nil {
			return nil, err
		}
		s, err := drawSamples(Derive(o.Seed, StudySeedStream), o.Images, rd, nil, o.Progress)
		rd.Close()
		if err != nil {
			return nil, fmt.Errorf("experiment: population study, training draw: %w", err)
		}
		f, h, err := splitHeld(s, o.Images)
		if err != nil {
			return nil, err
		}
		fit = append(fit, f...)
		if tv == population.Identity || held == nil {
			held = h
		}
	}
	ds := make([]*decoder.Readout, len(results)+1)
	for k := 1; k <= len(results); k++ {
		d, err := fitOn(prefix(fit, units[k]), prefix(held, units[k]), prefix(held, units[k]))
		if err != nil {
			return nil, fmt.Errorf("experiment: population study, %d networks: %w", k, err)
		}
		ds[k] = d.Readout
	}
	fit, held = nil, nil
	views := unionViews(o.ViewSets)
	sets, err := o.testPictures()
	if err != nil {
		return nil, err
	}
	var out []StudyPoint
	for _, set := range sets {
		// l[v][k][i]: the log2 estimate of the first k networks on view v of picture i.
		l := make([][][]float64, len(views))
		for vi, v := range views {
			rd, err := co.readerOf(results, []population.View{v})
			if err != nil {
				return nil, err
			}
			l[vi] = make([][]float64, len(results)+1)
			err = set.each(func(img *image.Gray) error {
				r, err := rd.Read(img)
				if err != nil {
					return err
				}
				for k := 1; k <= len(results); k++ {
					l[vi][k] = append(l[vi][k], ds[k].Log2(r[:units[k]]))
				}
				o.Progress.Add(rd.Passes())
				return nil
			})
			rd.Close()
			if err != nil {
				return nil, fmt.Errorf("experiment: population study, %s: %w", set.name, err)
			}
		}
		for k := 1; k <= len(results); k++ {
			for _, vs := range o.ViewSets {
				out = append(out, set.point(k, vs, views, l, ds[k]))
			}
		}
	}
	return out, nil
}

// prefix returns the samples with the responses of the first k units only (the
// same memory).
func prefix(s []decoder.Sample, k int) []decoder.Sample {
	out := make([]decoder.Sample, len(s))
	for i, x := range s {
		out[i] = decoder.Sample{N: x.N, R: x.R[:k]}
	}
	return out
}

// unionViews lists every view of the sets once, in order of appearance.
func unionViews(sets [][]population.View) []population.View {
	var out []population.View
	for _, vs := range sets {
		for _, v := range vs {
			if !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
	}
	return out
}

// studySet is a set of test pictures: their silhouettes and true counts.
type studySet struct {
	name   string
	counts []int
	each   func(func(*image.Gray) error) error
}

// point evaluates the first k networks' readout d on the set with the log2
// estimates averaged over the views vs (l as in PopulationStudy).
func (s studySet) point(k int, vs, views []population.View, l [][][]float64, d *decoder.Readout) StudyPoint {
	idx := make([]int, len(vs))
	for j, v := range vs {
		idx[j] = slices.Index(views, v)
	}
	var smp []accuracy.Sample
	for i, n := range s.counts {
		m := 0.0
		for _, vi := range idx {
			m += l[vi][k][i]
		}
		m /= float64(len(idx))
		e := math.Min(decoder.MaxN, math.Max(1, math.Exp2(m)))
		lo := math.Min(decoder.MaxN, math.Max(1, math.Exp2(m-d.SigmaStimuli)))
		hi := math.Min(decoder.MaxN, math.Max(1, math.Exp2(m+d.SigmaStimuli)))
		smp = append(smp, accuracy.Sample{True: n, Estimate: e, Lo: lo, Hi: hi})
	}
	ev := evalOf("readout", accuracy.Of(smp))
	if s.name != StudyStimuli {
		ev.Coverage = math.NaN()
	}
	return StudyPoint{Networks: k, Views: population.Names(vs), Passes: k * len(vs), Set: s.name, DecoderEval: ev}
}

// testPictures returns the study's test sets: a new draw of the dot stimuli, the
// synthetic scenes and the dice photos through the camera front end.
func (o StudyOpts) testPictures() ([]studySet, error) {
	var sets []studySet
	dots := studySet{name: StudyStimuli}
	seed := Derive(o.Seed, StudySeedStream+1)
	img := stimulus.NewImage()
	if err := forCells(seed, o.Images, false, img, func(_, ni, _ int, _ stimulus.Info) error {
		dots.counts = append(dots.counts, stimulus.Numerosities[ni])
		return nil
	}); err != nil {
		return nil, err
	}
	dots.each = func(f func(*image.Gray) error) error {
		return forCells(seed, o.Images, false, img, func(_, _, _ int, _ stimulus.Info) error { return f(img) })
	}
	sets = append(sets, dots)
	if o.Scenes > 0 {
		sil, counts, err := sceneSilhouettes(Derive(o.Seed, StudySeedStream+2), o.Scenes)
		if err != nil {
			return nil, err
		}
		sets = append(sets, stored(StudyScenes, sil, counts))
	}
	if o.Dice != "" {
		sil, counts, err := photoSilhouettes(o.Dice)
		if err != nil {
			return nil, err
		}
		sets = append(sets, stored(StudyDice, sil, counts))
	}
	return sets, nil
}

// stored is a set of silhouettes kept in memory.
func stored(name string, sil []*image.Gray, counts []int) studySet {
	return studySet{name: name, counts: counts, each: func(f func(*image.Gray) error) error {
		for _, s := range sil {
			if err := f(s); err != nil {
				return err
			}
		}
		return nil
	}}
}

// sceneSilhouettes renders the synthetic scenes of SceneSamples and keeps the
// front end's silhouettes (not empty) with their counts.
func sceneSilhouettes(seed uint64, perCount int) ([]*image.Gray, []int, error) {
	k := &keeper{}
	ss, err := SceneSamples(k, seed, perCount, nil)
	if err != nil {
		return nil, nil, err
	}
	counts := make([]int, len(ss))
	for i, s := range ss {
		counts[i] = s.N
	}
	return k.sil, counts, nil
}

// photoSilhouettes takes the labelled photos of dir through the front end.
func photoSilhouettes(dir string) ([]*image.Gray, []int, error) {
	rows, err := camera.ReadCounts(filepath.Join(dir, camera.CountsFile))
	if err != nil {
		return nil, nil, err
	}
	fe := frontend.New(nil)
	var frame camera.Frame
	var sil []*image.Gray
	var counts []int
	for _, row := range rows {
		img, err := camera.ReadImage(row.Path)
		if err != nil {
			return nil, nil, err
		}
		frame.SetImage(img)
		fe.Reset()
		res, err := fe.Process(&frame)
		if err != nil {
			return nil, nil, fmt.Errorf("experiment: %s: %w", row.Path, err)
		}
		c := stimulus.NewImage()
		copy(c.Pix, res.Image.Pix)
		sil, counts = append(sil, c), append(counts, row.Count)
	}
	return sil, counts, nil
}

// keeper is a UnitReader that keeps copies of the silhouettes it is given and
// reads no units.
type keeper struct{ sil []*image.Gray }

func (k *keeper) Read(img *image.Gray) ([]float32, error) {
	c := stimulus.NewImage()
	copy(c.Pix, img.Pix)
	k.sil = append(k.sil, c)
	return nil, nil
}
func (k *keeper) Passes() int { return 0 }
func (k *keeper) Close()      {}
