package estimate

import (
	"errors"
	"fmt"
	"image"
	"math"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/camera/frontend"
	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/decoder"
	"github.com/numsense/numsense/model/population"
	"github.com/numsense/numsense/model/unitmap"
)

// State is what an estimate is about.
type State int

const (
	// Estimating: objects are in view and still; Value is an estimate.
	Estimating State = iota
	// Unstable: the picture is changing (a hand is placing objects); Value is the last
	// stable estimate, if any.
	Unstable
	// Empty: nothing on the table; Value is 0.
	Empty
	// CameraLost: no frames come from the camera (set by the run loop, not by the
	// pipeline).
	CameraLost
	// Starting: no frame has been read yet.
	Starting
)

// String returns the state's name as used in JSON and metrics.
func (s State) String() string {
	switch s {
	case Estimating:
		return "estimating"
	case Unstable:
		return "unstable"
	case Empty:
		return "empty"
	case CameraLost:
		return "camera lost"
	case Starting:
		return "starting"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// MarshalText implements encoding.TextMarshaler.
func (s State) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Result is one estimate.
type Result struct {
	Time   time.Time // capture time of the (last) frame
	Value  float64   // the decoded numerosity (0 when Empty)
	Shown  int       // Value rounded, held with hysteresis by a Tracker (= round(Value) otherwise)
	Lo, Hi float64   // 68 % interval
	State  State
	Fused  int           // frames whose responses were averaged for this estimate
	Took   time.Duration // processing time of this frame (front end, network, decoder)
	Count  int           // the true count when the source knows it, else -1
	// Seq and Name identify the frame (camera.Frame.Seq and .Name: its number in the
	// stream, from 1, and the file it came from, if any). Image leaves them zero.
	Seq  uint64
	Name string
	// Activity is the mean normalised response (0..1) of the number units grouped by
	// preferred numerosity (Numerosities()): what the display's bar chart shows. With
	// the model's unit classes (section "unit-classes") only the units that tested as
	// tuned to a numerosity on held-out stimuli count there (Estimator.Tuned says
	// which levels have any); without them every unit counts at the PN of its
	// selection draw, as for older model files. With a population, network 0's units
	// (those the unit classes group too).
	Activity [MaxLevels]float64
	// Falling and Rising are the mean normalised responses of the units whose
	// response falls or rises with number (unit classes "decreasing" and
	// "increasing"); 0 without unit classes.
	Falling, Rising float64
	// ClassActivity is the mean normalised response of the units of each class of the
	// model's unit classes (Classes(), model-file section "unit-classes"), 0..1, in the
	// classes' order; all zero when the model has no classes.
	ClassActivity [MaxClasses]float64
	// Silhouette is what the network saw (227x227, objects 255 on 0). Only a Tracker
	// sets it; it belongs to the tracker and is valid until its next Update.
	Silhouette *image.Gray
}

// MaxLevels bounds the number of calibration numerosities (the papers use 16).
const MaxLevels = 16

// MaxClasses bounds the number of unit classes a model may carry (decreasing,
// increasing and one tuned class per numerosity need MaxLevels+2).
const MaxClasses = 32

// Model is what an Estimator needs: the int8 network, its number-unit map and a
// fitted decoder; optionally the other networks of a population with their units,
// the views the responses are averaged over, and the units' classes by tuning
// shape.
type Model struct {
	Net   *model.QNet
	Units *unitmap.Map
	// Population holds networks 1..K-1 of a population model with their number
	// units (model-file sections "units.1", ...); nil for one network.
	Population []population.Member
	// Views are the exact transforms of the silhouette whose responses are averaged
	// before decoding (section "views"); nil: the silhouette alone.
	Views []population.View
	// Decoder reads the units of every network, network 0's first.
	Decoder decoder.Decoder
	// Classes, if set, group the units by their cross-validated tuning shape (section
	// "unit-classes"); they decide what Result.Activity, Falling, Rising and
	// ClassActivity show. nil for a model file without them.
	Classes *unitmap.Classes
}

// Model-file sections an Estimator reads (numsense calibrate writes them).
const (
	SectionUnits      = "units"              // the number-unit map (model/unitmap)
	SectionDecoder    = "decoder"            // the decoder chosen at calibration
	SectionLikelihood = "decoder.likelihood" // both decoders, to compare them
	SectionReadout    = "decoder.readout"
	SectionClasses    = "unit-classes" // unitmap.Classes (optional: older files have none)
	SectionViews      = "views"        // population.MarshalViews (optional: the silhouette alone)
)

// SectionUnitsOf names the number-unit map of network k of a population: "units"
// for network 0, "units.K" for the others.
func SectionUnitsOf(k int) string {
	if k == 0 {
		return SectionUnits
	}
	return SectionUnits + "." + strconv.Itoa(k)
}

// Members returns every network of m with its number units, network 0 first.
func (m *Model) Members() []population.Member {
	return append([]population.Member{{Net: m.Net, Units: m.Units}}, m.Population...)
}

// FromFile takes the networks with their unit maps (sections "units", "units.1",
// ...), the decoder (section "decoder") and, when the file has them, the views
// (section "views") and the unit classes (section "unit-classes") from a model
// file.
func FromFile(f *model.File) (*Model, error) { return FromFileDecoder(f, "") }

// FromFileDecoder is FromFile with another of the file's decoders: "" for the one
// chosen at calibration (section "decoder"), "likelihood" or "readout" for section
// "decoder.NAME".
func FromFileDecoder(f *model.File, name string) (*Model, error) {
	if f == nil || f.Q == nil {
		return nil, errors.New("estimate: model file has no network")
	}
	m := &Model{Net: f.Q}
	for k, q := range f.Networks() {
		um, err := unitsOf(f, k)
		if err != nil {
			return nil, err
		}
		if k == 0 {
			m.Units = um
		} else {
			m.Population = append(m.Population, population.Member{Net: q, Units: um})
		}
	}
	if vb, ok := f.Sections[SectionViews]; ok {
		views, err := population.UnmarshalViews(vb)
		if err != nil {
			return nil, fmt.Errorf("estimate: section %q: %w", SectionViews, err)
		}
		m.Views = views
	}
	sec := SectionDecoder
	if name != "" {
		sec = SectionDecoder + "." + name
	}
	db, ok := f.Sections[sec]
	if !ok {
		return nil, fmt.Errorf("estimate: model file has no decoder section %q: run numsense calibrate", sec)
	}
	dec, err := decoder.Unmarshal(db)
	if err != nil {
		return nil, fmt.Errorf("estimate: section %q: %w", sec, err)
	}
	m.Decoder = dec
	if cb, ok := f.Sections[SectionClasses]; ok {
		if m.Classes, err = unitmap.UnmarshalClasses(cb, m.Units); err != nil {
			return nil, fmt.Errorf("estimate: section %q: %w", SectionClasses, err)
		}
	}
	return m, nil
}

// unitsOf decodes the number-unit map of network k of f.
func unitsOf(f *model.File, k int) (*unitmap.Map, error) {
	sec := SectionUnitsOf(k)
	ub, ok := f.Sections[sec]
	if !ok {
		return nil, fmt.Errorf("estimate: model file has no number-unit map for network %d (section %q): run numsense calibrate", k, sec)
	}
	um := &unitmap.Map{}
	if err := um.UnmarshalBinary(ub); err != nil {
		return nil, fmt.Errorf("estimate: section %q: %w", sec, err)
	}
	return um, nil
}

// Options configure an Estimator. Zero values mean the defaults.
type Options struct {
	// Threads is the number of worker threads of each pipeline, shared out over the
	// engines of the population's networks and views (model/population; default:
	// all cores).
	Threads int
	// Pipelines bounds how many estimates run at once (default 1: one pipeline
	// already uses every core).
	Pipelines int
	// FrontEnd configures the camera front end (nil: its defaults).
	FrontEnd *frontend.Opts
}

// Estimator turns pictures into estimates. It is safe for concurrent use.
type Estimator struct {
	m     *Model
	o     Options
	units int       // number units of all networks
	lo    []float32 // per unit: the minimum of its mean tuning curve
	span  []float32 // per unit: max - min of its mean tuning curve (>0)
	group []int     // per unit: its Activity level, or groupNone, groupFalling, groupRising
	ngrp  [MaxLevels]int
	class [][]int // per class of m.Classes: its units (indices into idx)
	nfall int
	nrise int
	tuned [MaxLevels]bool

	mu     sync.Mutex
	free   []*pipeline
	made   int
	wait   chan struct{}
	closed bool
	all    []*pipeline
}

// New makes an Estimator for m.
func New(m *Model, o Options) (*Estimator, error) {
	if m == nil || m.Net == nil || m.Units == nil || m.Decoder == nil {
		return nil, errors.New("estimate: incomplete model (network, unit map and decoder are all needed)")
	}
	L := len(m.Units.Numerosities)
	if L == 0 || L > MaxLevels {
		return nil, fmt.Errorf("estimate: unit map has %d numerosities, want 1..%d", L, MaxLevels)
	}
	if o.Pipelines <= 0 {
		o.Pipelines = 1
	}
	if o.Threads <= 0 {
		o.Threads = runtime.GOMAXPROCS(0)
	}
	e := &Estimator{m: m, o: o, wait: make(chan struct{}, o.Pipelines)}
	for k, mb := range m.Members() {
		if err := e.addUnits(k, mb, m.Units.Numerosities); err != nil {
			return nil, err
		}
	}
	if n := m.Decoder.Units(); n != e.units {
		return nil, fmt.Errorf("estimate: the decoder reads %d units, the model's networks have %d", n, e.units)
	}
	if len(m.Views) > population.MaxViews {
		return nil, fmt.Errorf("estimate: %d views, at most %d", len(m.Views), population.MaxViews)
	}
	if err := e.groupByClass(m.Classes); err != nil {
		return nil, err
	}
	for _, g := range e.group {
		switch {
		case g >= 0:
			e.ngrp[g]++
			e.tuned[g] = true
		case g == groupFalling:
			e.nfall++
		case g == groupRising:
			e.nrise++
		}
	}
	if c := m.Classes; c != nil {
		if len(c.Classes) > MaxClasses {
			return nil, fmt.Errorf("estimate: %d unit classes, at most %d", len(c.Classes), MaxClasses)
		}
		for i, k := range c.Classes {
			for _, u := range k.Units {
				if u < 0 || u >= len(m.Units.Units) {
					return nil, fmt.Errorf("estimate: unit class %d names unit %d of %d", i, u, len(m.Units.Units))
				}
			}
			e.class = append(e.class, k.Units)
		}
	}
	return e, nil
}

// Groups of units that are not shown at a numerosity level.
const (
	groupNone    = -1
	groupFalling = -2
	groupRising  = -3
)

// groupByClass regroups the units by their classes (nothing to do without any):
// tuned units at their class's PN, decreasing and increasing units apart, the
// others nowhere.
func (e *Estimator) groupByClass(c *unitmap.Classes) error {
	if c == nil {
		return nil
	}
	for k := range e.group {
		e.group[k] = groupNone
	}
	for _, cl := range c.Classes {
		g := groupNone
		switch cl.Shape {
		case unitmap.Tuned:
			g = cl.PN
		case unitmap.Decreasing:
			g = groupFalling
		case unitmap.Increasing:
			g = groupRising
		}
		if g >= MaxLevels {
			return fmt.Errorf("estimate: unit class with PN %d", g)
		}
		for _, u := range cl.Units {
			if u < 0 || u >= len(e.group) {
				return fmt.Errorf("estimate: unit class names unit %d of %d", u, len(e.group))
			}
			e.group[u] = g
		}
	}
	return nil
}

// Tuned reports, per numerosity level, whether any unit counts in
// Result.Activity there: with unit classes, whether units tested as tuned to
// it; without, whether any unit's selection-draw PN is that level.
func (e *Estimator) Tuned() []bool { return e.tuned[:len(e.m.Units.Numerosities)] }

// addUnits checks the number units of network k and, for network 0, adds them to
// the activity chart's tables.
func (e *Estimator) addUnits(k int, mb population.Member, levels []int) error {
	L := len(levels)
	if mb.Net == nil || mb.Units == nil || len(mb.Units.Units) == 0 {
		return fmt.Errorf("estimate: network %d has no network or selects no units", k)
	}
	if len(mb.Units.Numerosities) != L {
		return fmt.Errorf("estimate: the unit maps of networks 0 and %d have different numerosities", k)
	}
	for i, n := range mb.Units.Numerosities {
		if n != levels[i] {
			return fmt.Errorf("estimate: the unit maps of networks 0 and %d have different numerosities", k)
		}
	}
	for _, u := range mb.Units.Units {
		if u.Index < 0 || u.Index >= model.Relu5Units || u.PN < 0 || u.PN >= L || len(u.Mean) != L {
			return fmt.Errorf("estimate: network %d: unit map entry %d is inconsistent with relu5", k, u.Index)
		}
		if k > 0 {
			continue
		}
		mn, mx := float32(math.Inf(1)), float32(math.Inf(-1))
		for _, v := range u.Mean {
			mn, mx = min(mn, v), max(mx, v)
		}
		e.lo = append(e.lo, mn)
		e.span = append(e.span, max(mx-mn, 1e-6))
		e.group = append(e.group, u.PN)
	}
	e.units += len(mb.Units.Units)
	return nil
}

// Numerosities returns the calibration numerosities that label Result.Activity.
func (e *Estimator) Numerosities() []int { return e.m.Units.Numerosities }

// Classes returns the model's unit classes, which label Result.ClassActivity, or nil
// when the model file has none. The caller must not change them.
func (e *Estimator) Classes() *unitmap.Classes { return e.m.Classes }

// Units returns how many number-selective units the decoder reads (of all the
// population's networks).
func (e *Estimator) Units() int { return e.units }

// Networks returns how many networks the estimate reads (1 unless the model is a
// population).
func (e *Estimator) Networks() int { return 1 + len(e.m.Population) }

// Views returns the views the responses are averaged over (nil: the silhouette
// alone). The caller must not change them.
func (e *Estimator) Views() []population.View { return e.m.Views }

// DecoderName names the decoder in use.
func (e *Estimator) DecoderName() string { return e.m.Decoder.Name() }

// pipeline is one front end + the population's engines + decoder with their
// buffers.
type pipeline struct {
	fe    *frontend.FrontEnd
	pop   *population.Reader
	dec   decoder.Decoder // the interval of camera pictures
	exact decoder.Decoder // the interval of exact silhouettes (Silhouette)
	r     []float32       // the number units' responses (the Reader's buffer)
	a     []float32       // their normalised activity, 0..1
	frame camera.Frame
}

func (e *Estimator) newPipeline() (*pipeline, error) {
	pop, err := population.New(e.m.Members(), e.m.Views, e.o.Threads)
	if err != nil {
		return nil, fmt.Errorf("estimate: %w", err)
	}
	p := &pipeline{
		fe:    frontend.New(e.o.FrontEnd),
		pop:   pop,
		dec:   e.m.Decoder.Clone(),
		exact: e.m.Decoder.ForSilhouettes(),
		a:     make([]float32, len(e.group)),
		frame: camera.Frame{Count: -1},
	}
	return p, nil
}

var errClosed = errors.New("estimate: Estimator is closed")

func (e *Estimator) get() (*pipeline, error) {
	for {
		e.mu.Lock()
		if e.closed {
			e.mu.Unlock()
			return nil, errClosed
		}
		if n := len(e.free); n > 0 {
			p := e.free[n-1]
			e.free = e.free[:n-1]
			e.mu.Unlock()
			return p, nil
		}
		if e.made < e.o.Pipelines {
			e.made++
			e.mu.Unlock()
			p, err := e.newPipeline()
			e.mu.Lock()
			if err != nil {
				e.made--
				e.mu.Unlock()
				return nil, err
			}
			e.all = append(e.all, p)
			e.mu.Unlock()
			return p, nil
		}
		e.mu.Unlock()
		<-e.wait
	}
}

func (e *Estimator) put(p *pipeline) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.free = append(e.free, p)
	if e.closed {
		return // Close has closed e.wait: a tracker closed after its estimator
	}
	select {
	case e.wait <- struct{}{}:
	default:
	}
}

// Close stops the engines' workers. Calls after Close return an error.
func (e *Estimator) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil
	}
	e.closed = true
	for _, p := range e.all {
		p.pop.Close()
	}
	close(e.wait)
	return nil
}

// Image estimates the number of objects in a picture (any image.Image: a photo of
// the table). Each call is independent: no fusion over calls.
func (e *Estimator) Image(img image.Image) (Result, error) { return e.ImageSilhouette(img, nil) }

// Frame estimates the number of objects in one camera frame, independently of any
// other frame.
func (e *Estimator) Frame(f *camera.Frame) (Result, error) { return e.FrameSilhouette(f, nil) }

// Silhouette estimates from an already prepared 227x227 binary image (objects 255 on
// 0), such as a dot stimulus, skipping the front end. Its 68 % interval is the one
// measured on held-out stimuli (decoder.Decoder.ForSilhouettes), not the wider one
// of camera pictures.
func (e *Estimator) Silhouette(img *image.Gray) (Result, error) {
	p, err := e.get()
	if err != nil {
		return Result{}, err
	}
	defer e.put(p)
	start := time.Now()
	if err := e.read(p, img); err != nil {
		return Result{}, err
	}
	res := Result{Time: start, State: Estimating, Fused: 1, Count: -1}
	e.decode(p, p.exact, p.r, &res)
	res.Took = time.Since(start)
	return res, nil
}

// run is the per-frame path: front end, network, gather, decode. It allocates nothing.
func (e *Estimator) run(p *pipeline, f *camera.Frame, res *Result) error {
	start := time.Now()
	fr, err := p.fe.Process(f)
	if err != nil {
		return err
	}
	*res = Result{Time: f.Time, Count: f.Count, Seq: f.Seq, Name: f.Name, Fused: 0, Silhouette: fr.Image}
	switch fr.State {
	case frontend.Empty:
		res.State = Empty
	case frontend.Unstable:
		res.State = Unstable
	default:
		res.State = Estimating
	}
	if res.State != Empty {
		if err := e.read(p, fr.Image); err != nil {
			return err
		}
		res.Fused = 1
		e.decode(p, p.dec, p.r, res)
	}
	res.Took = time.Since(start)
	return nil
}

// read runs the population's networks and views on the silhouette and points p.r
// at the number units' responses.
func (e *Estimator) read(p *pipeline, img *image.Gray) error {
	r, err := p.pop.Read(img)
	p.r = r
	return err
}

// decode fills the estimate (by dec) and the activity chart from responses r.
func (e *Estimator) decode(p *pipeline, dec decoder.Decoder, r []float32, res *Result) {
	est := dec.Decode(r)
	res.Value, res.Lo, res.Hi = est.Value, est.Lo, est.Hi
	res.Shown = int(math.Round(est.Value))
	var act [MaxLevels]float64
	var fall, rise float64
	for k, v := range r[:len(e.group)] { // network 0's units
		a := min(max((v-e.lo[k])/e.span[k], 0), 1)
		p.a[k] = a
		switch g := e.group[k]; {
		case g >= 0:
			act[g] += float64(a)
		case g == groupFalling:
			fall += float64(a)
		case g == groupRising:
			rise += float64(a)
		}
	}
	for g, n := range e.ngrp {
		if n > 0 {
			res.Activity[g] = act[g] / float64(n)
		}
	}
	for c, units := range e.class {
		s := 0.0
		for _, k := range units {
			s += float64(p.a[k])
		}
		if len(units) > 0 {
			res.ClassActivity[c] = s / float64(len(units))
		}
	}
	if e.nfall > 0 {
		res.Falling = fall / float64(e.nfall)
	}
	if e.nrise > 0 {
		res.Rising = rise / float64(e.nrise)
	}
}
