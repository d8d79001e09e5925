// Package experimenttest provides a cheap stand-in for the int8 network with known
// number units, so that the analysis pipeline, the calibrate and the reproduce
// commands can be tested under emulation, where one real int8 frame takes seconds.
package experimenttest

import (
	"image"
	"math"

	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/floatnet"
	"github.com/numsense/numsense/model/lab/stimulus"
)

// StandIn is a cheap stand-in for the int8 network with known ground truth,
// so the analysis pipeline can be tested under emulation. Unit u is of kind
// Kind(u): one unit in 16 is number-tuned, 5 in 16 are dead, 2 in 16 follow the
// total area and the rest are noise:
//
//	0  number-tuned: a Gaussian of log2(count of 4-connected dot components)
//	   around PN PN(u), plus a little pixel noise;
//	1  dead (always 0);
//	2  total-area driven (total area differs systematically between sets);
//	3  noise: a pseudo-random function of the image bytes and the unit,
//	   unrelated to numerosity or set.
//
// It also has a relu4 (Relu4Kind: one unit in 8 increases with log2 of the
// component count, one in 8 decreases, one in 8 follows the total area, the rest
// are dead) and pseudo-random conv5 weights without structure (Conv5Weights),
// so that the Fig. 5 analyses run end to end.
type StandIn struct {
	every int // only every every-th unit is alive (NewSparse)
	relu4 []int8
	relu5 []int8
	cells [169]int
	lab   []int32
	stack []int32
}

// New returns a stand-in network.
func New() *StandIn {
	return NewSparse(1)
}

// NewSparse returns a stand-in whose units are alive only at indices u that are
// multiples of every, each behaving as unit u/every of New (Kind(u/every),
// PN(u/every)); all others are dead. It is every times cheaper to run and to
// analyse, for tests of plumbing under emulation.
func NewSparse(every int) *StandIn {
	f := &StandIn{every: max(every, 1), relu4: make([]int8, model.Relu4Units), relu5: make([]int8, model.Relu5Units),
		lab: make([]int32, stimulus.Size*stimulus.Size)}
	for i := range f.relu4 {
		f.relu4[i] = -128
	}
	for i := range f.relu5 {
		f.relu5[i] = -128
	}
	return f
}

// Relu4Kind returns the kind of relu4 unit u: 0 increasing, 1 decreasing, 2
// area-driven, 3 dead.
func Relu4Kind(u int) int { return min(u%8, 3) }

// Relu4 implements experiment.Relu4Network.
func (f *StandIn) Relu4() []int8 { return f.relu4 }

// Relu4Scale implements experiment.Relu4Network.
func (f *StandIn) Relu4Scale() float32 { return 0.5 }

// Relu4ZeroPoint implements experiment.Relu4Network.
func (f *StandIn) Relu4ZeroPoint() int32 { return -128 }

// Conv5Weights implements experiment.Conv5Weighted: deterministic pseudo-random
// weights, uniform in [-0.06, 0.06], [256][192][3][3].
func (f *StandIn) Conv5Weights() []float32 {
	l := model.Arch[model.Conv5]
	w := make([]float32, l.NumWeights())
	for i := range w {
		z := (uint64(i) + 1) * 0x9e3779b97f4a7c15
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z ^= z >> 31
		w[i] = float32((float64(z%20001)/10000 - 1) * 0.06)
	}
	return w
}

// Kind returns the kind of unit u (see StandIn).
func Kind(u int) int {
	switch r := u % 16; {
	case r == 0:
		return 0
	case r <= 5:
		return 1
	case r <= 7:
		return 2
	}
	return 3
}

// PN is the numerosity index unit u is tuned to (kind 0).
func PN(u int) int { return (u / 16) % len(stimulus.Numerosities) }

// Relu5 implements experiment.Network.
func (f *StandIn) Relu5() []int8 { return f.relu5 }

// Relu5Scale implements experiment.Network.
func (f *StandIn) Relu5Scale() float32 { return 0.5 }

// Relu5ZeroPoint implements experiment.Network.
func (f *StandIn) Relu5ZeroPoint() int32 { return -128 }
func (f *StandIn) components(img *image.Gray) (n, area int) {
	const S = stimulus.Size
	for i := range f.lab {
		f.lab[i] = 0
	}
	for i := range f.cells {
		f.cells[i] = 0
	}
	for p := 0; p < S*S; p++ {
		if img.Pix[p] == 0 {
			continue
		}
		area++
		f.cells[(p/S*13/S)*13+p%S*13/S]++
		if f.lab[p] != 0 {
			continue
		}
		n++
		f.lab[p] = 1
		f.stack = append(f.stack[:0], int32(p))
		for len(f.stack) > 0 {
			q := int(f.stack[len(f.stack)-1])
			f.stack = f.stack[:len(f.stack)-1]
			x, y := q%S, q/S
			for _, d := range [4][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
				xx, yy := x+d[0], y+d[1]
				if xx < 0 || yy < 0 || xx >= S || yy >= S {
					continue
				}
				r := yy*S + xx
				if img.Pix[r] != 0 && f.lab[r] == 0 {
					f.lab[r] = 1
					f.stack = append(f.stack, int32(r))
				}
			}
		}
	}
	return n, area
}

// Run implements experiment.Network.
func (f *StandIn) Run(img *image.Gray) error {
	n, area := f.components(img)
	var h uint64 = 1469598103934665603
	for _, p := range img.Pix {
		h = (h ^ uint64(p)) * 1099511628211
	}
	x := math.Log2(float64(max(n, 1)))
	var tuned [16]float64
	for i, pn := range stimulus.Numerosities {
		d := x - math.Log2(float64(pn))
		tuned[i] = 200 * math.Exp(-d*d/(2*0.15*0.15))
	}
	up := x / math.Log2(30)
	for u := 0; u < len(f.relu4); u += f.every {
		c := float64(f.cells[u%169])
		var v float64
		switch Relu4Kind(u / f.every) {
		case 0:
			v = 150*up + 0.02*c
		case 1:
			v = 150*(1-up) + 0.02*c
		case 2:
			v = float64(area)/40 + 0.02*c
		}
		f.relu4[u] = int8(max(-128, min(127, math.Round(v/0.5)-128)))
	}
	for u := 0; u < len(f.relu5); u += f.every {
		c := float64(f.cells[u%169])
		var v float64
		switch Kind(u / f.every) {
		case 0:
			v = tuned[PN(u/f.every)] + 0.02*c
		case 1:
			v = 0
		case 2:
			v = float64(area)/20 + 0.02*c
		case 3:
			z := (h ^ uint64(u)*0x9e3779b97f4a7c15) * 0xbf58476d1ce4e5b9
			v = float64((z^(z>>31))%4000) / 100
		}
		q := math.Round(v/0.5) - 128
		f.relu5[u] = int8(max(-128, min(127, q)))
	}
	return nil
}

// Float is a float reference for the stand-in: its dequantised codes.
func Float() func(*image.Gray, *floatnet.Acts) error {
	return func(img *image.Gray, a *floatnet.Acts) error {
		f := New()
		if err := f.Run(img); err != nil {
			return err
		}
		r5 := floatnet.Floats(a.Relu5)
		for u, q := range f.relu5 {
			r5[u] = 0.5 * float32(int32(q)+128)
		}
		return nil
	}
}
