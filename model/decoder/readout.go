package decoder

import (
	"errors"
	"math"
)

// Readout is the ridge-regression decoder (see the package comment): log2 n is a
// linear function of the standardised unit responses.
type Readout struct {
	k     int
	mean  []float64 // per-unit mean over the training samples
	scale []float64 // per-unit 1/sd
	w     []float64 // weights on the standardised responses
	b     float64   // intercept (mean log2 n)
	// Sigma is the interval half-width on the log2 axis of Decode (camera
	// pictures); SigmaStimuli that of ForSilhouettes: the residual sd of log2 n on
	// held-out samples. NewReadout sets both to the latter.
	Sigma, SigmaStimuli float64
	Lambda              float64 // ridge penalty used in fitting
}

// NewReadout fits the ridge regression on train by conjugate gradients on the normal
// equations (XᵀX + λ·m·I)w = Xᵀy, with X the standardised responses and m the number
// of samples, and sets Sigma from heldOut. The stages: standardise the responses,
// solve, measure the held-out residuals.
func NewReadout(train, heldOut []Sample, lambda float64) (*Readout, error) {
	if len(train) < 2 || len(heldOut) < 2 {
		return nil, errors.New("decoder: readout needs at least 2 training and 2 held-out samples")
	}
	k := len(train[0].R)
	d := &Readout{k: k, w: make([]float64, k), Lambda: lambda}
	y, err := d.standardise(train)
	if err != nil {
		return nil, err
	}
	d.ridgeCG(train, y, lambda*float64(len(train)))
	d.Sigma = d.rmsError(heldOut)
	d.SigmaStimuli = d.Sigma
	return d, nil
}

// standardise sets the per-unit mean and 1/sd of the training responses (0 for a
// constant unit, which carries no information) and the intercept, and returns the
// centred targets log2 n - intercept.
func (d *Readout) standardise(train []Sample) ([]float64, error) {
	k, m := d.k, len(train)
	d.mean, d.scale = make([]float64, k), make([]float64, k)
	y := make([]float64, m)
	for i, s := range train {
		if len(s.R) != k || s.N < 1 {
			return nil, errors.New("decoder: inconsistent training sample")
		}
		y[i] = math.Log2(float64(s.N))
		d.b += y[i]
		for u, v := range s.R {
			d.mean[u] += float64(v)
		}
	}
	d.b /= float64(m)
	for u := range d.mean {
		d.mean[u] /= float64(m)
	}
	for _, s := range train {
		for u, v := range s.R {
			x := float64(v) - d.mean[u]
			d.scale[u] += x * x
		}
	}
	for u := range d.scale {
		if sd := math.Sqrt(d.scale[u] / float64(m-1)); sd > 1e-9 {
			d.scale[u] = 1 / sd
		} else {
			d.scale[u] = 0
		}
	}
	for i := range y {
		y[i] -= d.b
	}
	return y, nil
}

// ridgeCG solves (XᵀX + reg·I)w = Xᵀy for the standardised responses of train,
// x_iu = (r_iu - mean_u)·scale_u, by conjugate gradients from w = 0 (at most 500
// iterations, to a residual of 1e-10 of the start's). X is never formed: X·v and
// Xᵀ·t are computed from the float32 responses (x_iu·v_u = r_iu·(scale_u·v_u) -
// mean_u·scale_u·v_u), so a fit needs no memory beyond the samples.
func (d *Readout) ridgeCG(train []Sample, y []float64, reg float64) {
	k, m := d.k, len(train)
	t := make([]float64, m)
	sv := make([]float64, k)
	// xt sets out = Xᵀ t (for t summing to st).
	xt := func(t []float64, st float64, out []float64) {
		clear(out)
		for i, s := range train {
			ti := t[i]
			for u, r := range s.R[:k] {
				out[u] += float64(r) * ti
			}
		}
		for u := range out {
			out[u] = d.scale[u] * (out[u] - d.mean[u]*st)
		}
	}
	tmp := make([]float64, k)
	apply := func(v, out []float64) { // out = XᵀX v + reg v
		c := 0.0
		for u := range sv {
			sv[u] = d.scale[u] * v[u]
			c += d.mean[u] * sv[u]
		}
		st := 0.0
		for i, s := range train {
			a := 0.0
			for u, r := range s.R[:k] {
				a += float64(r) * sv[u]
			}
			t[i] = a - c
			st += t[i]
		}
		xt(t, st, tmp)
		for u := range out {
			out[u] = tmp[u] + reg*v[u]
		}
	}
	sy := 0.0
	for _, v := range y {
		sy += v
	}
	res := make([]float64, k) // Xᵀy - A w, with w = 0
	xt(y, sy, res)
	w := d.w
	p := append([]float64(nil), res...)
	ap := make([]float64, k)
	rr := dot(res, res)
	tol := 1e-10 * rr
	for it := 0; it < 500 && rr > tol; it++ {
		apply(p, ap)
		alpha := rr / dot(p, ap)
		for u := range w {
			w[u] += alpha * p[u]
			res[u] -= alpha * ap[u]
		}
		nr := dot(res, res)
		beta := nr / rr
		rr = nr
		for u := range p {
			p[u] = res[u] + beta*p[u]
		}
	}
}

// rmsError is the root mean square of the log2 errors on samples: the interval
// half-width.
func (d *Readout) rmsError(samples []Sample) float64 {
	ss := 0.0
	for _, s := range samples {
		e := d.predict(s.R) - math.Log2(float64(s.N))
		ss += e * e
	}
	return math.Sqrt(ss / float64(len(samples)))
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

// Log2 is the readout's unclamped estimate of log2 n for responses r (Decode
// returns 2^Log2 clamped to 1..MaxN with its interval). It allocates nothing.
func (d *Readout) Log2(r []float32) float64 { return d.predict(r) }

func (d *Readout) predict(r []float32) float64 {
	s := d.b
	r = r[:d.k]
	for u, v := range r {
		s += (float64(v) - d.mean[u]) * d.scale[u] * d.w[u]
	}
	return s
}

// Name implements Decoder.
func (d *Readout) Name() string { return "readout" }

// Units implements Decoder.
func (d *Readout) Units() int { return d.k }

// Decode implements Decoder.
func (d *Readout) Decode(r []float32) Estimate {
	l := d.predict(r)
	clamp := func(x float64) float64 { return math.Min(MaxN, math.Max(1, x)) }
	return Estimate{Value: clamp(math.Exp2(l)), Lo: clamp(math.Exp2(l - d.Sigma)), Hi: clamp(math.Exp2(l + d.Sigma))}
}

// Clone implements Decoder (Readout keeps no scratch, so the copy shares everything).
func (d *Readout) Clone() Decoder { c := *d; return &c }

// ForSilhouettes implements Decoder.
func (d *Readout) ForSilhouettes() Decoder { c := *d; c.Sigma = c.SigmaStimuli; return &c }

// MarshalBinary implements Decoder.
func (d *Readout) MarshalBinary() ([]byte, error) {
	w := &writer{b: []byte{'N', 'S', 'D', 'C', kindReadout, version}}
	w.u32(uint32(d.k))
	w.f64(d.b)
	w.f64(d.Sigma)
	w.f64(d.SigmaStimuli)
	w.f64(d.Lambda)
	w.f64s(d.mean)
	w.f64s(d.scale)
	w.f64s(d.w)
	return w.b, nil
}

func readReadout(r *reader, ver byte) Decoder {
	d := &Readout{}
	d.k = r.count(maxUnits)
	d.b = r.f64()
	d.Sigma = r.f64()
	d.SigmaStimuli = d.Sigma
	if ver >= 2 {
		d.SigmaStimuli = r.f64()
	}
	d.Lambda = r.f64()
	d.mean = r.f64s(d.k)
	d.scale = r.f64s(d.k)
	d.w = r.f64s(d.k)
	if r.err == nil && (d.k == 0 || !finite(d.b, d.Sigma, d.SigmaStimuli, d.Lambda) || d.Sigma < 0 || d.SigmaStimuli < 0) {
		r.err = errors.New("invalid readout decoder parameters")
	}
	if r.err == nil {
		for u := range d.w {
			if !finite(d.mean[u], d.scale[u], d.w[u]) {
				r.err = errors.New("invalid readout decoder weights")
				break
			}
		}
	}
	return d
}
