package model

import (
	"fmt"
	"math"
	"math/bits"
	"strings"

	"github.com/numsense/numsense/model/kernel"
)

// QConv is one quantised convolution + ReLU: per-output-channel symmetric int8
// weights, int32 biases, and the input/output activation quantisation
// (real = scale * (q - zp)).
type QConv struct {
	W        []int8    // [out][KDim] (KDim = in/groups*k*k, order c, ky, kx), values in [-127, 127]
	WScale   []float32 // per output channel: real weight = WScale[c] * W
	Bias     []int32   // per output channel, in units of InScale*WScale[c] (zero point not folded)
	InScale  float32
	InZP     int32
	OutScale float32 // ReLU output
	OutZP    int32   // -128 (ReLU output)

	// Derived by prepare (not stored): padded weight rows, folded bias, multipliers.
	a     []int8 // [out][Kpad]; W itself where Kpad = KDim (W must not change after prepare)
	bias  []int32
	qm    []int32
	shift []int
}

// QLRN is one integer LRN (norm1 or norm2). Input and output are ReLU-range int8
// (zero point -128). With u = q_in + 128 (0..255) and S = sum of u^2 over the 5
// channels of the window, the output is
//
//	q_out = min(127, ((u * Table[lrnIndex(S)] + 2^(Shift-1)) >> Shift) - 128)
//
// where Table holds round(2^Shift * InScale/OutScale / (k + alpha/n*InScale^2*S)^beta)
// evaluated at the centre of each index bucket (exact S below 1024, then 512
// buckets per power of two: relative bucket width <= 1/512).
type QLRN struct {
	InScale  float32
	InZP     int32 // -128
	OutScale float32
	OutZP    int32 // -128
	Shift    uint32
	Table    []int32
}

// QNet is the quantised network: everything an Engine needs, and everything a model
// file stores. Several Engines may share one QNet; it must not be modified while they
// run.
type QNet struct {
	Seed  uint64 // seed of the float network it was quantised from
	Calib string // how the activation ranges were calibrated
	Conv  [NumConv]QConv
	Norm  [2]QLRN // after conv1 and conv2
	// FromSeed says that the int8 weights and their scales are those of
	// DrawWeights(Seed) quantised by QuantizeWeights, as numsense calibrate draws
	// them: a model file then stores the seed and a checksum instead of 2.3 MB of
	// weights, and reading it draws them again (docs/model-format.md).
	FromSeed bool
}

// LRN fixed-point table geometry: exact S below lrnExact, then 2^lrnMantBits
// buckets per power of two (relative bucket width <= 2^-9).
const (
	lrnMantBits = 9
	lrnExact    = 1 << (lrnMantBits + 1) // 1024
	lrnMaxS     = 5 * 255 * 255          // largest window sum of u^2
	lrnMaxBit   = 24                     // upper bound of Shift
)

// lrnIndex maps a window sum S (0..lrnMaxS) to a table index: S itself below
// lrnExact, else lrnExact + 2^lrnMantBits*(bitlen(S)-lrnMantBits-2) + the
// lrnMantBits bits after the leading one.
func lrnIndex(s uint32) int {
	if s < lrnExact {
		return int(s)
	}
	e := bits.Len32(s)
	m := s >> uint(e-lrnMantBits-1)
	return lrnExact + (e-lrnMantBits-2)<<lrnMantBits + int(m-1<<lrnMantBits)
}

// lrnTableLen is the table length covering S up to lrnMaxS (5,632).
var lrnTableLen = lrnIndex(lrnMaxS) + 1

// lrnBucket returns the representative S (centre) of table index i.
func lrnBucket(i int) float64 {
	if i < lrnExact {
		return float64(i)
	}
	i -= lrnExact
	e := i>>lrnMantBits + lrnMantBits + 2
	m := uint32(i&(1<<lrnMantBits-1) + 1<<lrnMantBits)
	lo := float64(m << uint(e-lrnMantBits-1))
	hi := float64((m+1)<<uint(e-lrnMantBits-1)) - 1
	return (lo + hi) / 2
}

// NewQLRN builds the integer LRN for input scale inScale and output scale outScale
// (both ReLU-range, zero point -128), with the package's LRN parameters.
func NewQLRN(inScale, outScale float32) QLRN {
	ratio := float64(inScale) / float64(outScale)
	shift := uint32(lrnMaxBit)
	for shift > 1 && 255*int64(math.Round(ratio*float64(int64(1)<<shift)))+int64(1)<<(shift-1) >= math.MaxInt32 {
		shift--
	}
	t := make([]int32, lrnTableLen)
	s2 := float64(float64(inScale) * float64(inScale))
	for i := range t {
		f := ratio / LRNDenom(float64(s2*lrnBucket(i)))
		t[i] = int32(math.Round(float64(f * float64(int64(1)<<shift))))
	}
	return QLRN{InScale: inScale, InZP: -128, OutScale: outScale, OutZP: -128, Shift: shift, Table: t}
}

// lrnInt8 runs the integer LRN on pixels [j0, j1) of x (c channels of plane pixels,
// CHW), writing y; s is scratch of at least j1-j0 int32.
func (l *QLRN) lrnInt8(x, y []int8, c, plane, j0, j1 int, s []int32) {
	s = s[:j1-j0]
	for i := range s {
		s[i] = 0
	}
	addSq := func(ch int, sign int32) {
		row := x[ch*plane+j0 : ch*plane+j1]
		for i, q := range row {
			u := int32(q) + 128
			s[i] += sign * u * u
		}
	}
	addSq(0, 1)
	if c > 1 {
		addSq(1, 1)
	}
	t := l.Table
	sh := l.Shift
	half := int32(1) << (sh - 1)
	for ch := 0; ch < c; ch++ {
		if ch+2 < c {
			addSq(ch+2, 1)
		}
		src := x[ch*plane+j0 : ch*plane+j1]
		dst := y[ch*plane+j0 : ch*plane+j1]
		for i, q := range src {
			u := int32(q) + 128
			v := (u*t[lrnIndex(uint32(s[i]))]+half)>>sh - 128
			if v > 127 {
				v = 127
			}
			dst[i] = int8(v)
		}
		if ch >= 2 {
			addSq(ch-2, -1)
		}
	}
}

// Prepare validates q and computes the operands the kernels need (padded weight
// rows, folded biases, fixed-point multipliers). Decode and NewEngine call it; a
// program that builds a QNet itself (the float reference's Quantize) calls it once.
func (q *QNet) Prepare() error { return q.prepare() }

// prepare validates q and computes the derived kernel operands.
func (q *QNet) prepare() error {
	if err := q.validate(); err != nil {
		return err
	}
	for li, l := range Arch {
		c := &q.Conv[li]
		kd, kp := l.KDim(), kernel.PadK(l.KDim())
		// Rows that need no padding (conv2-5: every row but conv1's) are W itself,
		// not a copy: 2.3 MB less per network (a population holds several).
		c.a = c.W[: l.Out*kd : l.Out*kd]
		if kp != kd {
			c.a = make([]int8, l.Out*kp)
		}
		c.bias = make([]int32, l.Out)
		c.qm = make([]int32, l.Out)
		c.shift = make([]int, l.Out)
		for o := 0; o < l.Out; o++ {
			if kp != kd {
				copy(c.a[o*kp:o*kp+kd], c.W[o*kd:(o+1)*kd])
			}
			var sw int64
			for _, v := range c.W[o*kd : (o+1)*kd] {
				sw += int64(v)
			}
			c.bias[o] = int32(int64(c.Bias[o]) - int64(c.InZP)*sw)
			m := float64(float64(c.InScale)*float64(c.WScale[o])) / float64(c.OutScale)
			c.qm[o], c.shift[o] = kernel.QuantizeMultiplier(m)
		}
	}
	return nil
}

func finitePos(f float32) bool { return f > 0 && !math.IsInf(float64(f), 0) && !math.IsNaN(float64(f)) }

// validate checks every size and range of q against Arch.
func (q *QNet) validate() error {
	for li, l := range Arch {
		c := &q.Conv[li]
		if len(c.W) != l.Out*l.KDim() {
			return fmt.Errorf("%s: %d weights, want %d", l.Name, len(c.W), l.Out*l.KDim())
		}
		if len(c.WScale) != l.Out || len(c.Bias) != l.Out {
			return fmt.Errorf("%s: %d scales and %d biases, want %d", l.Name, len(c.WScale), len(c.Bias), l.Out)
		}
		for _, v := range c.W {
			if v == -128 {
				return fmt.Errorf("%s: weight -128 (weights must be in [-127, 127])", l.Name)
			}
		}
		for o, s := range c.WScale {
			if !finitePos(s) {
				return fmt.Errorf("%s: weight scale %d is %g", l.Name, o, s)
			}
		}
		// |bias| must leave room for K products of at most 127*255.
		for o, b := range c.Bias {
			if b > 1<<30 || b < -(1<<30) {
				return fmt.Errorf("%s: bias %d out of range (%d)", l.Name, o, b)
			}
		}
		if !finitePos(c.InScale) || !finitePos(c.OutScale) {
			return fmt.Errorf("%s: activation scales %g, %g", l.Name, c.InScale, c.OutScale)
		}
		if c.InZP < -128 || c.InZP > 127 || c.OutZP != -128 {
			return fmt.Errorf("%s: zero points %d, %d (output must be -128)", l.Name, c.InZP, c.OutZP)
		}
		if m := float64(c.InScale) * float64(c.WScale[0]) / float64(c.OutScale); m > 1<<20 {
			return fmt.Errorf("%s: requantisation multiplier %g too large", l.Name, m)
		}
	}
	if q.Conv[Conv1].InScale != 1 || q.Conv[Conv1].InZP != -128 {
		return fmt.Errorf("conv1: input quantisation must be scale 1, zero point -128")
	}
	for i := range q.Norm {
		n := &q.Norm[i]
		if !finitePos(n.InScale) || !finitePos(n.OutScale) || n.InZP != -128 || n.OutZP != -128 {
			return fmt.Errorf("norm%d: bad quantisation (scales %g, %g; zero points %d, %d)", i+1, n.InScale, n.OutScale, n.InZP, n.OutZP)
		}
		if n.Shift < 1 || n.Shift > lrnMaxBit {
			return fmt.Errorf("norm%d: shift %d out of range 1..%d", i+1, n.Shift, lrnMaxBit)
		}
		if len(n.Table) != lrnTableLen {
			return fmt.Errorf("norm%d: table has %d entries, want %d", i+1, len(n.Table), lrnTableLen)
		}
		for _, t := range n.Table {
			if t < 0 || 255*int64(t)+int64(1)<<(n.Shift-1) > math.MaxInt32 {
				return fmt.Errorf("norm%d: table entry %d out of range", i+1, t)
			}
		}
	}
	// The activation chain must agree.
	chain := []struct {
		name string
		a, b float32
	}{
		{"conv1 out / norm1 in", q.Conv[Conv1].OutScale, q.Norm[0].InScale},
		{"norm1 out / conv2 in", q.Norm[0].OutScale, q.Conv[Conv2].InScale},
		{"conv2 out / norm2 in", q.Conv[Conv2].OutScale, q.Norm[1].InScale},
		{"norm2 out / conv3 in", q.Norm[1].OutScale, q.Conv[Conv3].InScale},
		{"conv3 out / conv4 in", q.Conv[Conv3].OutScale, q.Conv[Conv4].InScale},
		{"conv4 out / conv5 in", q.Conv[Conv4].OutScale, q.Conv[Conv5].InScale},
	}
	for _, c := range chain {
		if c.a != c.b {
			return fmt.Errorf("scales do not chain at %s: %g != %g", c.name, c.a, c.b)
		}
	}
	for li := Conv2; li < NumConv; li++ {
		if q.Conv[li].InZP != -128 {
			return fmt.Errorf("%s: input zero point %d, want -128", Arch[li].Name, q.Conv[li].InZP)
		}
	}
	return nil
}

// Info returns a multi-line table of the layers: shapes, groups, MACs, weight
// counts and activation scales, with totals.
func (q *QNet) Info() string {
	var b strings.Builder
	fmt.Fprintf(&b, "architecture %s, seed %d\ncalibration: %s\n", ArchID, q.Seed, q.Calib)
	fmt.Fprintf(&b, "%-6s %-14s %-14s %-7s %6s %12s %10s %10s %10s\n", "layer", "input", "output", "kernel", "groups", "MACs", "weights", "in scale", "out scale")
	var tm int64
	var tw int
	for li, l := range Arch {
		c := &q.Conv[li]
		fmt.Fprintf(&b, "%-6s %-14s %-14s %-7s %6d %12d %10d %10.4g %10.4g\n", l.Name,
			fmt.Sprintf("%dx%dx%d", l.InSize, l.InSize, l.In), fmt.Sprintf("%dx%dx%d", l.OutSize, l.OutSize, l.Out),
			fmt.Sprintf("%dx%d/%d", l.K, l.K, l.Stride), l.Groups, l.MACs(), l.NumWeights(), c.InScale, c.OutScale)
		tm += l.MACs()
		tw += l.NumWeights()
	}
	for i, n := range q.Norm {
		fmt.Fprintf(&b, "norm%d: LRN n=%d alpha=%g beta=%g k=%g, integer table %d entries, shift %d, scales %.4g -> %.4g\n",
			i+1, LRNSize, LRNAlpha, LRNBeta, LRNK, len(n.Table), n.Shift, n.InScale, n.OutScale)
	}
	fmt.Fprintf(&b, "total: %d MACs (%.1f M), %d int8 weights\n", tm, float64(tm)/1e6, tw)
	return b.String()
}

// String is Info.
func (q *QNet) String() string { return q.Info() }
