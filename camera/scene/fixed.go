package scene

import "math/bits"

// Integer helpers. Everything that decides a pixel is computed in integers, so
// that a scene is the same bits on amd64, arm64 and 32-bit arm (floating-point
// expressions may be fused into multiply-adds on arm64, and some math functions
// have per-architecture versions).
//
// Conventions: lengths in Q8 (1/256 pixel) as int32 or int64; unit vectors and
// rotations in Q14; fractions and weights in Q12 (4096 = 1); colours in Q4 (0..4080
// for 0..255).

const (
	q8  = 256
	q12 = 4096
	q14 = 16384
)

// isqrt returns floor(sqrt(x)).
func isqrt(x uint64) uint64 {
	if x < 2 {
		return x
	}
	r := uint64(1) << ((bits.Len64(x) + 1) / 2) // >= sqrt(x)
	for {
		s := (r + x/r) >> 1
		if s >= r {
			return r
		}
		r = s
	}
}

// hyp returns sqrt(u*u + v*v) in the units of u and v.
func hyp(u, v int64) int64 {
	return int64(isqrt(uint64(u*u + v*v)))
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

func clamp64(v, lo, hi int64) int64 {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// unit is a direction or rotation (cos, sin) in Q14.
type unit struct{ c, s int64 }

// rational returns the unit vector of angle 2 atan(t), t in Q14 (|t| <= Q14: -90..90
// degrees): ((1-t²)/(1+t²), 2t/(1+t²)), exact in integers.
func rational(t int64) unit {
	t2 := t * t / q14
	d := q14 + t2
	return unit{c: (q14 - t2) * q14 / d, s: 2 * t * q14 / d}
}

// rot rotates (x, y) by a.
func (a unit) rot(x, y int64) (int64, int64) {
	return (x*a.c - y*a.s) / q14, (x*a.s + y*a.c) / q14
}

// inv rotates (x, y) by -a.
func (a unit) inv(x, y int64) (int64, int64) {
	return (x*a.c + y*a.s) / q14, (-x*a.s + y*a.c) / q14
}

// mul composes two rotations.
func (a unit) mul(b unit) unit {
	return unit{c: (a.c*b.c - a.s*b.s) / q14, s: (a.s*b.c + a.c*b.s) / q14}
}

// hash mixes integer coordinates and a seed into 32 random bits.
func hash(x, y int32, s uint32) uint32 {
	h := uint32(x)*0x8da6b343 ^ uint32(y)*0xd8163841 ^ s*0xcb1ab31f
	h ^= h >> 15
	h *= 0x2c1b3c6d
	h ^= h >> 12
	h *= 0x297a2d39
	h ^= h >> 15
	return h
}

// smooth is 3f²-2f³ for f in Q12.
func smooth(f int64) int64 {
	return (f * f / q12) * (3*q12 - 2*f) / q12
}

// noise is value noise in [0, Q12) at (u, v) given in cells with 12 fractional
// bits: random values on the integer lattice, interpolated with smooth weights.
func noise(u, v int64, s uint32) int64 {
	ix, iy := u>>12, v>>12
	fx, fy := smooth(u&(q12-1)), smooth(v&(q12-1))
	h := func(dx, dy int64) int64 { return int64(hash(int32(ix+dx), int32(iy+dy), s) >> 20) }
	a, b, c, d := h(0, 0), h(1, 0), h(0, 1), h(1, 1)
	top := a + (b-a)*fx/q12
	bot := c + (d-c)*fx/q12
	return top + (bot-top)*fy/q12
}

// fbm sums octaves of noise at pixel position (x, y) in Q8 with cells of cell
// pixels, halving the cell and the weight per octave; the result is centred on 0,
// in [-Q12/2, Q12/2).
func fbm(x, y int64, cell int64, octaves int, s uint32) int64 {
	var sum, wsum int64
	w := int64(q12)
	for o := 0; o < octaves; o++ {
		c := max(cell>>o, 1)
		sum += (noise(x*16/c, y*16/c, s+uint32(o)*0x9e37) - q12/2) * w
		wsum += w
		w /= 2
	}
	return sum / wsum
}

// wave is a sine-like periodic function of phase p (one period per Q12), in
// [-Q12, Q12]: a parabola per half period with the usual correction towards the
// sine (error under 0.1 %).
func wave(p int64) int64 {
	t := p & (q12 - 1)
	neg := t >= q12/2
	if neg {
		t -= q12 / 2
	}
	y := t * (q12/2 - t) / (q12 * q12 / 16 / q12) // 4t(h-t)/h² in Q12, h = Q12/2
	y = y + 225*(y*y/q12-y)/1000
	if neg {
		return -y
	}
	return y
}

// pow2 holds 2^(i/64) in Q16 for i in 0..64, by repeated multiplication.
var pow2 = func() (t [65]int64) {
	t[0] = 1 << 16
	for i := 1; i <= 64; i++ {
		t[i] = (t[i-1]*66250 + 1<<15) >> 16 // 2^(1/64) = 1.0108893
	}
	return
}()

// logUniform returns a value in [lo, hi] (integers, lo > 0) spread evenly on a log
// scale, in steps of 2^(1/64).
func logUniform(r intner, lo, hi int64) int64 {
	if hi <= lo {
		return lo
	}
	// number of 1/64-octave steps from lo to hi
	steps := 0
	for v := lo; v < hi && steps < 64*20; steps++ {
		v = lo * stepMul(steps+1) >> 16
	}
	k := r.IntN(steps + 1)
	return min(lo*stepMul(k)>>16, hi)
}

// stepMul is 2^(k/64) in Q16.
func stepMul(k int) int64 {
	m := int64(1) << 16
	for ; k >= 64; k -= 64 {
		m *= 2
	}
	return m * pow2[k] >> 16
}

// intner is what the layout needs of a random generator (model/rng.Rand).
type intner interface {
	IntN(n int) int
	IntRange(lo, hi int) int
}

// chance reports true with probability p/100.
func chance(r intner, p int) bool { return r.IntN(100) < p }

// pick returns a uniformly chosen element of xs.
func pick[T any](r intner, xs []T) T { return xs[r.IntN(len(xs))] }
