package decoder

import (
	"errors"
	"math"
)

// Readout is the ridge-regression decoder (see the package comment): log2 n is a
// linear function of the standardised unit responses.
type Readout struct {
	k      int
	mean   []float64 // per-unit mean over the training samples
	scale  []float64 // per-unit 1/sd
	w      []float64 // weights on the standardised responses
	b      float64   // intercept (mean log2 n)
	Sigma  float64   // residual sd of log2 n on held-out samples: the interval half-width
	Lambda float64   // ridge penalty used in fitting
}

// NewReadout fits the ridge regression on train by conjugate gradients on the normal
// equations (XᵀX + λ·m·I)w = Xᵀy, with m the number of samples, and sets Sigma from
// heldOut.
func NewReadout(train, heldOut []Sample, lambda float64) (*Readout, error) {
	if len(train) < 2 || len(heldOut) < 2 {
		return nil, errors.New("decoder: readout needs at least 2 training and 2 held-out samples")
	}
	k := len(train[0].R)
	m := len(train)
	d := &Readout{k: k, mean: make([]float64, k), scale: make([]float64, k), w: make([]float64, k), Lambda: lambda}
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
		sd := math.Sqrt(d.scale[u] / float64(m-1))
		if sd > 1e-9 {
			d.scale[u] = 1 / sd
		} else {
			d.scale[u] = 0 // a constant unit carries no information
		}
	}
	// X as a dense m×k matrix of standardised responses.
	x := make([]float64, m*k)
	for i, s := range train {
		for u, v := range s.R {
			x[i*k+u] = (float64(v) - d.mean[u]) * d.scale[u]
		}
		y[i] -= d.b
	}
	reg := lambda * float64(m)
	apply := func(v, out []float64) { // out = XᵀX v + reg v
		t := make([]float64, m)
		for i := 0; i < m; i++ {
			row := x[i*k : i*k+k]
			s := 0.0
			for u, a := range row {
				s += a * v[u]
			}
			t[i] = s
		}
		for u := range out {
			out[u] = reg * v[u]
		}
		for i := 0; i < m; i++ {
			row := x[i*k : i*k+k]
			ti := t[i]
			for u, a := range row {
				out[u] += a * ti
			}
		}
	}
	rhs := make([]float64, k)
	for i := 0; i < m; i++ {
		row := x[i*k : i*k+k]
		for u, a := range row {
			rhs[u] += a * y[i]
		}
	}
	// Conjugate gradients from w = 0.
	res := append([]float64(nil), rhs...)
	p := append([]float64(nil), rhs...)
	ap := make([]float64, k)
	rr := dot(res, res)
	tol := 1e-10 * rr
	for it := 0; it < 500 && rr > tol; it++ {
		apply(p, ap)
		alpha := rr / dot(p, ap)
		for u := range d.w {
			d.w[u] += alpha * p[u]
			res[u] -= alpha * ap[u]
		}
		nr := dot(res, res)
		beta := nr / rr
		rr = nr
		for u := range p {
			p[u] = res[u] + beta*p[u]
		}
	}
	// Interval half-width from held-out residuals.
	ss := 0.0
	for _, s := range heldOut {
		e := d.predict(s.R) - math.Log2(float64(s.N))
		ss += e * e
	}
	d.Sigma = math.Sqrt(ss / float64(len(heldOut)))
	return d, nil
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

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

// Decode implements Decoder.
func (d *Readout) Decode(r []float32) Estimate {
	l := d.predict(r)
	clamp := func(x float64) float64 { return math.Min(MaxN, math.Max(1, x)) }
	return Estimate{Value: clamp(math.Exp2(l)), Lo: clamp(math.Exp2(l - d.Sigma)), Hi: clamp(math.Exp2(l + d.Sigma))}
}

// Clone implements Decoder (Readout keeps no scratch, so the copy shares everything).
func (d *Readout) Clone() Decoder { c := *d; return &c }

// MarshalBinary implements Decoder.
func (d *Readout) MarshalBinary() ([]byte, error) {
	w := &writer{b: []byte{'N', 'S', 'D', 'C', kindReadout, 1}}
	w.u32(uint32(d.k))
	w.f64(d.b)
	w.f64(d.Sigma)
	w.f64(d.Lambda)
	w.f64s(d.mean)
	w.f64s(d.scale)
	w.f64s(d.w)
	return w.b, nil
}

func readReadout(r *reader) Decoder {
	d := &Readout{}
	d.k = r.count(maxUnits)
	d.b = r.f64()
	d.Sigma = r.f64()
	d.Lambda = r.f64()
	d.mean = r.f64s(d.k)
	d.scale = r.f64s(d.k)
	d.w = r.f64s(d.k)
	if r.err == nil && (d.k == 0 || !finite(d.b, d.Sigma, d.Lambda) || d.Sigma < 0) {
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
