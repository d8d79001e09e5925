package decoder

import (
	"errors"
	"math"

	"github.com/numsense/numsense/model/accuracy"
)

// Likelihood is the tempered Gaussian-likelihood decoder (see the package comment).
type Likelihood struct {
	k       int
	mu      []float64 // [grid point][unit]
	invSD   []float64 // [grid point][unit]
	logSD   []float64 // [grid point]: sum over units of log sd
	tuning  Tuning    // what the tables were built from (what MarshalBinary stores)
	minFrac float64   // the sd floor as a fraction of the median sd
	// Tau is the temperature applied to the summed log-likelihood by Decode
	// (camera pictures), TauStimuli that of ForSilhouettes (fitted on held-out
	// stimuli by FitTau, which sets both).
	Tau, TauStimuli float64
	MinSD           float64   // floor applied to every sd
	ll, pst         []float64 // scratch, GridSize each
}

// NewLikelihood builds the decoder from the units' tuning. Standard deviations are
// floored at minSDFrac times the median of all positive sds (dead or saturated cells
// would otherwise dominate). tau = 1 until FitTau is called.
func NewLikelihood(t Tuning, minSDFrac float64) (*Likelihood, error) {
	k := len(t.Mean)
	if k == 0 {
		return nil, errors.New("decoder: no units")
	}
	var pos []float64
	for u := range t.SD {
		for _, s := range t.SD[u] {
			if s > 0 {
				pos = append(pos, s)
			}
		}
	}
	floor := 1e-6
	if len(pos) > 0 {
		floor = math.Max(floor, minSDFrac*accuracy.Median(pos))
	}
	d := &Likelihood{k: k, Tau: 1, TauStimuli: 1, MinSD: floor, tuning: t, minFrac: minSDFrac}
	d.mu = make([]float64, GridSize*k)
	d.invSD = make([]float64, GridSize*k)
	d.logSD = make([]float64, GridSize)
	mu := make([]float64, GridSize)
	sd := make([]float64, GridSize)
	for u := 0; u < k; u++ {
		grid(t.Numerosities, t.Mean[u], mu)
		grid(t.Numerosities, t.SD[u], sd)
		for n := 0; n < GridSize; n++ {
			s := math.Max(sd[n], floor)
			d.mu[n*k+u] = mu[n]
			d.invSD[n*k+u] = 1 / s
			d.logSD[n] += math.Log(s)
		}
	}
	d.alloc()
	return d, nil
}

func (d *Likelihood) alloc() {
	d.ll = make([]float64, GridSize)
	d.pst = make([]float64, GridSize)
}

// Name implements Decoder.
func (d *Likelihood) Name() string { return "likelihood" }

// Units implements Decoder.
func (d *Likelihood) Units() int { return d.k }

// logLik fills d.ll with the untempered log-likelihood at each grid point.
func (d *Likelihood) logLik(r []float32) {
	k := d.k
	r = r[:k]
	for n := 0; n < GridSize; n++ {
		mu := d.mu[n*k : n*k+k]
		is := d.invSD[n*k : n*k+k]
		s := 0.0
		for u, v := range r {
			z := (float64(v) - mu[u]) * is[u]
			s += z * z
		}
		d.ll[n] = -0.5*s - d.logSD[n]
	}
}

// posterior turns d.ll into d.pst at temperature tau.
func (d *Likelihood) posterior(tau float64) {
	m := math.Inf(-1)
	for _, v := range d.ll {
		m = math.Max(m, v)
	}
	z := 0.0
	for i, v := range d.ll {
		d.pst[i] = math.Exp(tau * (v - m))
		z += d.pst[i]
	}
	for i := range d.pst {
		d.pst[i] /= z
	}
}

// Decode implements Decoder. r must hold at least Units() responses.
func (d *Likelihood) Decode(r []float32) Estimate {
	d.logLik(r)
	d.posterior(d.Tau)
	med, lo, hi := percentiles(d.pst)
	return Estimate{Value: med, Lo: lo, Hi: hi}
}

// Posterior returns the last Decode's posterior over the grid (point g is n = 2^(g·log2(MaxN)/(GridSize-1))). The slice
// is owned by the decoder and overwritten by the next Decode.
func (d *Likelihood) Posterior() []float64 { return d.pst }

// FitTau chooses the temperature (both Tau and TauStimuli) so that the 68 %
// intervals of the held-out samples contain their numerosity as close to 68 % of
// the time as the grid allows (bisection on log τ; coverage falls as τ grows).
func (d *Likelihood) FitTau(heldOut []Sample) error {
	if len(heldOut) == 0 {
		return errors.New("decoder: no held-out samples to fit the temperature")
	}
	lls := make([][]float64, len(heldOut))
	for i, s := range heldOut {
		if len(s.R) < d.k {
			return errors.New("decoder: held-out sample with too few responses")
		}
		d.logLik(s.R)
		lls[i] = append([]float64(nil), d.ll...)
	}
	cover := func(tau float64) float64 {
		in := 0
		for i, s := range heldOut {
			copy(d.ll, lls[i])
			d.posterior(tau)
			_, lo, hi := percentiles(d.pst)
			if float64(s.N) >= lo && float64(s.N) <= hi {
				in++
			}
		}
		return float64(in) / float64(len(heldOut))
	}
	lo, hi := math.Log(1e-9), math.Log(1e3)
	for it := 0; it < 50; it++ {
		mid := (lo + hi) / 2
		if cover(math.Exp(mid)) > 0.68 {
			lo = mid
		} else {
			hi = mid
		}
	}
	d.Tau = math.Exp((lo + hi) / 2)
	d.TauStimuli = d.Tau
	return nil
}

// Clone implements Decoder: the copy shares the fitted tables and has its own scratch.
func (d *Likelihood) Clone() Decoder {
	c := *d
	c.alloc()
	return &c
}

// ForSilhouettes implements Decoder.
func (d *Likelihood) ForSilhouettes() Decoder {
	c := *d
	c.Tau = c.TauStimuli
	c.alloc()
	return &c
}

// MarshalBinary implements Decoder. It stores the tuning (float32) and the
// temperature; the interpolated tables are rebuilt when the decoder is read.
func (d *Likelihood) MarshalBinary() ([]byte, error) {
	t := d.tuning
	w := &writer{b: []byte{'N', 'S', 'D', 'C', kindLikelihood, version}}
	w.u32(uint32(d.k))
	w.u32(uint32(len(t.Numerosities)))
	for _, n := range t.Numerosities {
		w.u32(uint32(n))
	}
	w.f64(d.Tau)
	w.f64(d.TauStimuli)
	w.f64(d.minFrac)
	for u := 0; u < d.k; u++ {
		w.f32s(t.Mean[u])
		w.f32s(t.SD[u])
	}
	return w.b, nil
}

func readLikelihood(r *reader, ver byte) Decoder {
	k := r.count(maxUnits)
	nl := r.count(64)
	t := Tuning{Numerosities: make([]int, nl), Mean: make([][]float64, 0, min(k, len(r.b)/8+1)), SD: make([][]float64, 0, min(k, len(r.b)/8+1))}
	prev := 0
	for i := range t.Numerosities {
		t.Numerosities[i] = r.count(MaxN)
		if r.err == nil && t.Numerosities[i] <= prev {
			r.err = errors.New("calibration numerosities not ascending in 1..30")
		}
		prev = t.Numerosities[i]
	}
	tau := r.f64()
	tauStim := tau
	if ver >= 2 {
		tauStim = r.f64()
	}
	frac := r.f64()
	for u := 0; u < k && r.err == nil; u++ {
		m, s := r.f32s(nl), r.f32s(nl)
		t.Mean = append(t.Mean, m)
		t.SD = append(t.SD, s)
	}
	if r.err != nil {
		return nil
	}
	if k == 0 || nl < 2 || !finite(tau, tauStim, frac) || tau <= 0 || tauStim <= 0 || frac < 0 {
		r.err = errors.New("invalid likelihood decoder parameters")
		return nil
	}
	for u := range t.Mean {
		if !finite(t.Mean[u]...) || !finite(t.SD[u]...) {
			r.err = errors.New("invalid likelihood decoder tuning")
			return nil
		}
	}
	d, err := NewLikelihood(t, frac)
	if err != nil {
		r.err = err
		return nil
	}
	d.Tau, d.TauStimuli = tau, tauStim
	return d
}
