package numunits

import (
	"fmt"
	"math"

	"github.com/numsense/numsense/model/rng"
)

// Conv is the wiring of a stride-1 convolution between two layers of the same
// spatial size, all that backtracking needs: conv5 maps relu4 (384 channels,
// 13x13) onto relu5 (256 channels) with 3x3 kernels, padding 1 and two groups.
// Units are numbered channel-major (c*Size*Size + y*Size + x), as model's relu4
// and relu5.
type Conv struct {
	Size    int // spatial size of both layers
	K, Pad  int // kernel size and padding
	In, Out int // channels of the input and the output layer
	Groups  int
	// W are the real weights, [Out][In/Groups][K][K].
	W []float32
}

// KDim is the number of weights of one output channel.
func (c *Conv) KDim() int { return c.In / c.Groups * c.K * c.K }

func (c *Conv) check() error {
	if c.Size < 1 || c.K < 1 || c.Groups < 1 || c.In%c.Groups != 0 || c.Out%c.Groups != 0 || len(c.W) != c.Out*c.KDim() {
		return fmt.Errorf("numunits: conv wiring %dx%d, %d->%d channels in %d groups, %d weights: inconsistent",
			c.Size, c.Size, c.In, c.Out, c.Groups, len(c.W))
	}
	return nil
}

// inputs calls f(j, k) for every input unit j that output unit u sees, with k
// the index of its weight in the output channel's kernel row.
func (c *Conv) inputs(u int, f func(j, k int)) {
	plane := c.Size * c.Size
	ch, y, x := u/plane, u%plane/c.Size, u%c.Size
	inG := c.In / c.Groups
	g := ch / (c.Out / c.Groups)
	for ci := 0; ci < inG; ci++ {
		for ky := 0; ky < c.K; ky++ {
			yy := y + ky - c.Pad
			if yy < 0 || yy >= c.Size {
				continue
			}
			for kx := 0; kx < c.K; kx++ {
				xx := x + kx - c.Pad
				if xx < 0 || xx >= c.Size {
					continue
				}
				f((g*inG+ci)*plane+yy*c.Size+xx, (ci*c.K+ky)*c.K+kx)
			}
		}
	}
}

// kernel returns output unit u's weight row, or a permutation of it when r is
// not nil (the shuffled control).
func (c *Conv) kernel(u int, r *rng.Rand) []float32 {
	kd := c.KDim()
	ch := u / (c.Size * c.Size)
	w := c.W[ch*kd : (ch+1)*kd]
	if r == nil {
		return w
	}
	p := append([]float32(nil), w...)
	r.Shuffle(len(p), func(a, b int) { p[a], p[b] = p[b], p[a] })
	return p
}

// BackWeights are the weights that reach one output unit from the decreasing
// and from the increasing units of the layer below.
type BackWeights struct {
	// Dec and Inc are the mean weights from decreasing and from increasing
	// inputs (NaN when the unit has none); NDec and NInc count those inputs.
	Dec, Inc   float64
	NDec, NInc int
}

// DecMinusInc is Dec - Inc, Kim's backtracking statistic (Fig. 5): positive
// when the unit draws more on decreasing than on increasing inputs.
func (b BackWeights) DecMinusInc() float64 { return b.Dec - b.Inc }

// Backtrack follows the listed output units back through c to the input units
// classified in class (Increasing, Decreasing or neither, per input unit) and
// averages their weights, through the real grouped wiring (docs/protocol.md
// §13.9). With shuffle set, every unit's kernel row is randomly permuted first:
// Kim's control, under which Dec - Inc should not depend on PN.
func Backtrack(c *Conv, class []Shape, units []int, shuffle *rng.Rand) ([]BackWeights, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	if len(class) != c.In*c.Size*c.Size {
		return nil, fmt.Errorf("numunits: Backtrack: %d input classes, want %d", len(class), c.In*c.Size*c.Size)
	}
	out := make([]BackWeights, len(units))
	for i, u := range units {
		if u < 0 || u >= c.Out*c.Size*c.Size {
			return nil, fmt.Errorf("numunits: Backtrack: output unit %d outside the layer", u)
		}
		w := c.kernel(u, shuffle)
		var b BackWeights
		c.inputs(u, func(j, k int) {
			switch class[j] {
			case Decreasing:
				b.Dec += float64(w[k])
				b.NDec++
			case Increasing:
				b.Inc += float64(w[k])
				b.NInc++
			}
		})
		b.Dec /= float64(b.NDec)
		b.Inc /= float64(b.NInc)
		out[i] = b
	}
	return out, nil
}

// Drives are the mean drives an output unit receives per numerosity: the
// weighted sums of its inputs' mean tuning curves (sum_j w_j * mean_j(N)),
// from its decreasing inputs, from its increasing inputs and from all inputs.
// Because the convolution is linear, All is exactly the unit's mean
// pre-activation over the images the input means came from.
type Drives struct {
	Dec, Inc, All []float64
}

// UnitDrives computes the Drives of the listed output units; mean holds the
// input layer's mean responses per numerosity index, unit-major (levels per
// unit). With shuffle set the kernels are permuted as in Backtrack.
func UnitDrives(c *Conv, class []Shape, mean []float64, levels int, units []int, shuffle *rng.Rand) ([]Drives, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	if n := c.In * c.Size * c.Size; len(class) != n || len(mean) != n*levels {
		return nil, fmt.Errorf("numunits: UnitDrives: %d classes and %d means for %d input units of %d levels", len(class), len(mean), n, levels)
	}
	out := make([]Drives, len(units))
	for i, u := range units {
		w := c.kernel(u, shuffle)
		d := Drives{Dec: make([]float64, levels), Inc: make([]float64, levels), All: make([]float64, levels)}
		c.inputs(u, func(j, k int) {
			wk := float64(w[k])
			m := mean[j*levels : (j+1)*levels]
			var dst []float64
			switch class[j] {
			case Decreasing:
				dst = d.Dec
			case Increasing:
				dst = d.Inc
			}
			for l, v := range m {
				d.All[l] += wk * v
				if dst != nil {
					dst[l] += wk * v
				}
			}
		})
		out[i] = d
	}
	return out, nil
}

// subtract removes from v its projection on the unit vector b.
func subtract(v, b []float64) {
	dot := 0.0
	for i := range v {
		dot += v[i] * b[i]
	}
	for i := range v {
		v[i] -= dot * b[i]
	}
}

// Corr is the Pearson correlation of x and y (NaN when either is constant).
func Corr(x, y []float64) float64 {
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= float64(len(x))
	my /= float64(len(y))
	var sxy, sxx, syy float64
	for i := range x {
		a, b := x[i]-mx, y[i]-my
		sxy += a * b
		sxx += a * a
		syy += b * b
	}
	if !(sxx > 0) || !(syy > 0) {
		return math.NaN()
	}
	return sxy / math.Sqrt(sxx*syy)
}

// RegressR2 is the R^2 of the least-squares fit of y on an intercept and the
// given regressors (regressors that add nothing, such as a zero drive, are
// dropped). NaN when y is constant.
func RegressR2(y []float64, regressors ...[]float64) float64 {
	n := len(y)
	my := 0.0
	for _, v := range y {
		my += v
	}
	my /= float64(n)
	res := make([]float64, n)
	tot := 0.0
	for i, v := range y {
		res[i] = v - my
		tot += res[i] * res[i]
	}
	if !(tot > 0) {
		return math.NaN()
	}
	// Gram-Schmidt on the centred regressors; project the residual out of each.
	var basis [][]float64
	for _, x := range regressors {
		q := make([]float64, n)
		mx := 0.0
		for _, v := range x {
			mx += v
		}
		mx /= float64(n)
		norm0 := 0.0
		for i, v := range x {
			q[i] = v - mx
			norm0 += q[i] * q[i]
		}
		for _, b := range basis {
			subtract(q, b)
		}
		norm := 0.0
		for _, v := range q {
			norm += v * v
		}
		if !(norm > 1e-20*norm0) || norm0 == 0 {
			continue
		}
		s := 1 / math.Sqrt(norm)
		for i := range q {
			q[i] *= s
		}
		basis = append(basis, q)
		subtract(res, q)
	}
	sse := 0.0
	for _, v := range res {
		sse += v * v
	}
	return 1 - sse/tot
}
