// Package rng is numsense's own deterministic random number generator.
//
// Every random draw of the project (network weights, stimuli, synthetic scenes,
// classifier sampling) comes from here, so that one seed gives the same numbers bit
// for bit on amd64, arm64 and 32-bit arm. The uniform source is xoshiro256** seeded
// through splitmix64. Normal deviates use the Marsaglia polar method with a logarithm
// written in plain Go (math.Log has an amd64 assembly version that may differ from the
// portable one in the last bit), and every product that a compiler could fuse into an
// FMA instruction on arm64 is rounded explicitly with a float64 conversion.
package rng

import "math"

// Rand is a xoshiro256** generator. The zero value is not usable; call New.
// A Rand is not safe for concurrent use.
type Rand struct {
	s       [4]uint64
	spare   float64
	hasNext bool
}

// Derive mixes a base seed and a stream number into an independent seed (the
// splitmix64 finaliser): the one way numsense derives the seeds of the parts of a
// run (stimulus draws, scenes, networks) from the seed a user gives.
func Derive(base, stream uint64) uint64 {
	z := base + 0x9e3779b97f4a7c15*(stream+1)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// New returns a generator seeded from seed by splitmix64.
func New(seed uint64) *Rand {
	r := &Rand{}
	r.Seed(seed)
	return r
}

// Seed resets the generator to the state New(seed) would give.
func (r *Rand) Seed(seed uint64) {
	x := seed
	for i := range r.s {
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		r.s[i] = z ^ (z >> 31)
	}
	r.hasNext = false
}

func rotl(x uint64, k uint) uint64 { return (x << k) | (x >> (64 - k)) }

// Uint64 returns 64 uniformly distributed bits.
func (r *Rand) Uint64() uint64 {
	s := &r.s
	result := rotl(s[1]*5, 7) * 9
	t := s[1] << 17
	s[2] ^= s[0]
	s[3] ^= s[1]
	s[1] ^= s[2]
	s[0] ^= s[3]
	s[2] ^= t
	s[3] = rotl(s[3], 45)
	return result
}

// Float64 returns a uniform deviate in [0, 1) with 53 random bits.
func (r *Rand) Float64() float64 {
	return float64(r.Uint64()>>11) * (1.0 / (1 << 53))
}

// IntN returns a uniform integer in [0, n) without modulo bias. It panics if n <= 0.
func (r *Rand) IntN(n int) int {
	if n <= 0 {
		panic("rng: IntN with n <= 0")
	}
	bound := uint64(n)
	threshold := -bound % bound
	for {
		v := r.Uint64()
		if v >= threshold {
			return int(v % bound)
		}
	}
}

// IntRange returns a uniform integer in [lo, hi] (both included), like MATLAB's randi([lo hi]).
func (r *Rand) IntRange(lo, hi int) int { return lo + r.IntN(hi-lo+1) }

// Perm returns a random permutation of 0..n-1 (Fisher-Yates).
func (r *Rand) Perm(n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	r.Shuffle(n, func(i, j int) { p[i], p[j] = p[j], p[i] })
	return p
}

// Shuffle permutes n elements through swap (Fisher-Yates).
func (r *Rand) Shuffle(n int, swap func(i, j int)) {
	for i := n - 1; i > 0; i-- {
		swap(i, r.IntN(i+1))
	}
}

// Normal returns a standard normal deviate N(0, 1) by the Marsaglia polar method.
// The result is identical on every architecture for the same state.
func (r *Rand) Normal() float64 {
	if r.hasNext {
		r.hasNext = false
		return r.spare
	}
	for {
		u := float64(2*r.Float64()) - 1
		v := float64(2*r.Float64()) - 1
		s := float64(float64(u*u) + float64(v*v))
		if s >= 1 || s == 0 {
			continue
		}
		f := math.Sqrt(float64(-2*Log(s)) / s)
		r.spare = float64(v * f)
		r.hasNext = true
		return float64(u * f)
	}
}

// Log is the natural logarithm of x > 0, computed in plain Go with every
// rounding explicit, so that it gives the same bits on every architecture.
// It is accurate to about 1 ulp; Normal uses it. Log(x) for x <= 0 or NaN is NaN.
func Log(x float64) float64 {
	if !(x > 0) || math.IsInf(x, 1) {
		if x == 0 {
			return math.Inf(-1)
		}
		if math.IsInf(x, 1) {
			return x
		}
		return math.NaN()
	}
	m, e := math.Frexp(x) // x = m * 2^e, m in [0.5, 1)
	if m < math.Sqrt2/2 {
		m *= 2
		e--
	}
	// m in [sqrt(1/2), sqrt(2)): log(m) = 2 atanh(t), t = (m-1)/(m+1), |t| < 0.172.
	t := float64(m-1) / float64(m+1)
	t2 := float64(t * t)
	// atanh(t)/t = sum t^(2k)/(2k+1); 12 terms reach below 1e-18 relative for |t| < 0.172.
	sum := 0.0
	for k := 12; k >= 0; k-- {
		sum = float64(sum*t2) + 1/float64(2*k+1)
	}
	const ln2Hi = 6.93147180369123816490e-01 // high bits of ln 2
	const ln2Lo = 1.90821492927058770002e-10 // ln 2 - ln2Hi
	fe := float64(e)
	return float64(fe*ln2Hi) + (float64(2*float64(t*sum)) + float64(fe*ln2Lo))
}
