package decoder

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/numsense/numsense/model/accuracy"
)

// MaxN is the largest numerosity a decoder reports; estimates range over 1..MaxN.
const MaxN = 30

// Estimate is a decoded numerosity.
type Estimate struct {
	Value  float64 // point estimate (posterior median or readout), in 1..MaxN
	Lo, Hi float64 // 68 % interval, Lo <= Value <= Hi
}

// Decoder reads the selected units' responses of one frame (or of several frames
// averaged) and returns an estimate. Decode must not allocate. A Decoder is not safe
// for concurrent use; Clone gives an independent copy sharing the fitted parameters.
//
// A decoder has two interval widths: Decode gives the 68 % interval of camera
// pictures (widened where synthetic camera scenes need it: what the front end and
// the layout of real tables add), ForSilhouettes a copy with the interval measured
// on held-out stimuli, for exact silhouettes such as the dot stimuli. Until the
// widening both are the held-out one.
type Decoder interface {
	Name() string
	// Units is how many responses Decode reads.
	Units() int
	Decode(r []float32) Estimate
	Clone() Decoder
	// ForSilhouettes returns an independent copy whose interval is the one measured
	// on held-out stimuli.
	ForSilhouettes() Decoder
	MarshalBinary() ([]byte, error)
}

// Sample is one calibration stimulus: its numerosity and the selected units' responses.
type Sample struct {
	N int
	R []float32
}

// Tuning is what the likelihood decoder knows of each unit: its mean response and the
// standard deviation at each calibration numerosity.
type Tuning struct {
	Numerosities []int       // ascending, e.g. 1,2,4,...,30
	Mean, SD     [][]float64 // [unit][level]
}

// TuningFrom computes per-unit means and standard deviations per numerosity from
// samples whose N are all in levels.
func TuningFrom(levels []int, samples []Sample) (Tuning, error) {
	if len(samples) == 0 {
		return Tuning{}, errors.New("decoder: no calibration samples")
	}
	k := len(samples[0].R)
	idx := map[int]int{}
	for i, n := range levels {
		idx[n] = i
	}
	t := Tuning{Numerosities: append([]int(nil), levels...), Mean: make([][]float64, k), SD: make([][]float64, k)}
	sum := make([][]float64, k)
	sq := make([][]float64, k)
	for u := 0; u < k; u++ {
		t.Mean[u] = make([]float64, len(levels))
		t.SD[u] = make([]float64, len(levels))
		sum[u] = make([]float64, len(levels))
		sq[u] = make([]float64, len(levels))
	}
	cnt := make([]int, len(levels))
	for _, s := range samples {
		li, ok := idx[s.N]
		if !ok {
			return Tuning{}, fmt.Errorf("decoder: sample numerosity %d is not a calibration level", s.N)
		}
		if len(s.R) != k {
			return Tuning{}, fmt.Errorf("decoder: sample has %d responses, want %d", len(s.R), k)
		}
		cnt[li]++
		for u, v := range s.R {
			sum[u][li] += float64(v)
			sq[u][li] += float64(v) * float64(v)
		}
	}
	for li, c := range cnt {
		if c < 2 {
			return Tuning{}, fmt.Errorf("decoder: numerosity %d has %d samples, need at least 2", levels[li], c)
		}
	}
	for u := 0; u < k; u++ {
		for li, c := range cnt {
			m := sum[u][li] / float64(c)
			v := (sq[u][li] - float64(c)*m*m) / float64(c-1)
			t.Mean[u][li] = m
			t.SD[u][li] = math.Sqrt(math.Max(v, 0))
		}
	}
	return t, nil
}

// GridSize is the number of points of the log2 axis over which the likelihood decoder
// spreads its posterior, from 1 to MaxN.
const GridSize = 128

// gridX returns the log2 n of grid point g.
func gridX(g int) float64 { return float64(g) * math.Log2(MaxN) / (GridSize - 1) }

// grid interpolates a per-unit curve from the calibration levels onto the grid,
// linearly in log2 n (constant beyond the outermost levels).
func grid(levels []int, curve []float64, out []float64) {
	for g := range out {
		x := gridX(g)
		n := math.Exp2(x)
		j := sort.Search(len(levels), func(i int) bool { return float64(levels[i]) >= n })
		switch {
		case j == 0:
			out[g] = curve[0]
		case j == len(levels):
			out[g] = curve[len(levels)-1]
		default:
			x0, x1 := math.Log2(float64(levels[j-1])), math.Log2(float64(levels[j]))
			w := (x - x0) / (x1 - x0)
			out[g] = (1-w)*curve[j-1] + w*curve[j]
		}
	}
}

// percentiles returns the median and the 16th and 84th percentiles of a distribution
// p over the grid, each grid point owning a cell of the log2 axis around it, as
// numerosities (2^x).
func percentiles(p []float64) (med, lo, hi float64) {
	step := math.Log2(MaxN) / (GridSize - 1)
	q := func(target float64) float64 {
		c := 0.0
		for g, v := range p {
			if c+v >= target && v > 0 {
				return gridX(g) - step/2 + step*(target-c)/v
			}
			c += v
		}
		return math.Log2(MaxN)
	}
	clamp := func(x float64) float64 { return math.Min(MaxN, math.Max(1, math.Exp2(x))) }
	return clamp(q(0.5)), clamp(q(0.16)), clamp(q(0.84))
}

// Evaluate decodes every sample and returns the accuracy figures of the estimates
// against the samples' N (model/accuracy).
func Evaluate(d Decoder, samples []Sample) accuracy.Figures {
	est := make([]accuracy.Sample, len(samples))
	for i, s := range samples {
		e := d.Decode(s.R)
		est[i] = accuracy.Sample{True: s.N, Estimate: e.Value, Lo: e.Lo, Hi: e.Hi}
	}
	return accuracy.Of(est)
}

// Coverage is the share of samples whose N lies inside the decoder's interval, and
// the median absolute relative error of its estimates (both of Evaluate).
func Coverage(d Decoder, samples []Sample) (coverage, medRelErr float64) {
	f := Evaluate(d, samples)
	return f.Coverage, f.MedianRelErr
}

// Unmarshal decodes a decoder written by MarshalBinary of either kind.
func Unmarshal(data []byte) (Decoder, error) {
	if len(data) < 6 || string(data[:4]) != "NSDC" {
		return nil, errors.New("decoder: not a decoder section (bad magic)")
	}
	kind, ver := data[4], data[5]
	if ver != 1 && ver != version {
		return nil, fmt.Errorf("decoder: unsupported version %d", ver)
	}
	r := &reader{b: data[6:]}
	var d Decoder
	switch kind {
	case kindLikelihood:
		d = readLikelihood(r, ver)
	case kindReadout:
		d = readReadout(r, ver)
	default:
		return nil, fmt.Errorf("decoder: unknown kind %d", kind)
	}
	if r.err != nil {
		return nil, fmt.Errorf("decoder: %w", r.err)
	}
	if len(r.b) != 0 {
		return nil, fmt.Errorf("decoder: %d trailing bytes", len(r.b))
	}
	return d, nil
}

const (
	kindLikelihood = 1
	kindReadout    = 2
	maxUnits       = 1 << 17
	// version is what MarshalBinary writes: 2 adds the held-out stimuli's interval
	// (Readout.SigmaStimuli, Likelihood.TauStimuli) after the camera's; version 1,
	// which has one interval, is still read (both widths the same).
	version = 2
)

type writer struct{ b []byte }

func (w *writer) u32(v uint32) { w.b = binary.LittleEndian.AppendUint32(w.b, v) }
func (w *writer) f64(v float64) {
	w.b = binary.LittleEndian.AppendUint64(w.b, math.Float64bits(v))
}
func (w *writer) f64s(v []float64) {
	for _, x := range v {
		w.f64(x)
	}
}

func (w *writer) f32s(v []float64) {
	for _, x := range v {
		w.b = binary.LittleEndian.AppendUint32(w.b, math.Float32bits(float32(x)))
	}
}

type reader struct {
	b   []byte
	err error
}

func (r *reader) u32() uint32 {
	if r.err != nil || len(r.b) < 4 {
		r.fail()
		return 0
	}
	v := binary.LittleEndian.Uint32(r.b)
	r.b = r.b[4:]
	return v
}

func (r *reader) f64() float64 {
	if r.err != nil || len(r.b) < 8 {
		r.fail()
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(r.b))
	r.b = r.b[8:]
	return v
}

// f64s reads n floats, refusing n larger than what is left (no huge allocation).
func (r *reader) f64s(n int) []float64 {
	if r.err != nil || n < 0 || n > len(r.b)/8 {
		r.fail()
		return nil
	}
	v := make([]float64, n)
	for i := range v {
		v[i] = r.f64()
	}
	return v
}

// f32s reads n float32 values as float64.
func (r *reader) f32s(n int) []float64 {
	if r.err != nil || n < 0 || n > len(r.b)/4 {
		r.fail()
		return nil
	}
	v := make([]float64, n)
	for i := range v {
		v[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(r.b)))
		r.b = r.b[4:]
	}
	return v
}

func (r *reader) fail() {
	if r.err == nil {
		r.err = errors.New("truncated or corrupt data")
	}
}

// count reads a count and checks it against a limit.
func (r *reader) count(limit int) int {
	v := r.u32()
	if int64(v) > int64(limit) {
		r.fail()
		return 0
	}
	return int(v)
}

func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}
