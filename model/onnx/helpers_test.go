package onnx

import (
	"math"
	"sort"

	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/onnx/internal/ref"
	"github.com/numsense/numsense/model/rng"
)

// synthQNet makes a QNet with random int8 weights, scales and biases: structurally
// what Quantize makes, without the float network (fast under emulation).
func synthQNet(seed uint64) *model.QNet {
	r := rng.New(seed)
	q := &model.QNet{Seed: seed, Calib: "synthetic test network"}
	for li, l := range model.Arch {
		c := &q.Conv[li]
		c.W = make([]int8, l.Out*l.KDim())
		var u uint64
		for i := range c.W {
			if i%8 == 0 {
				u = r.Uint64()
			}
			c.W[i] = max(-127, int8(u>>(8*(i%8)))) // one draw gives eight weights
		}
		c.WScale = make([]float32, l.Out)
		c.Bias = make([]int32, l.Out)
		for o := range c.WScale {
			c.WScale[o] = float32(0.001 + 0.01*r.Float64())
			c.Bias[o] = int32(r.IntRange(-20000, 20000))
		}
		c.InScale, c.InZP = float32(0.5+r.Float64()), -128
		c.OutScale, c.OutZP = float32(1+r.Float64()), -128
	}
	q.Conv[model.Conv1].InScale = 1
	q.Norm[0] = model.NewQLRN(2.29, 0.545)
	q.Norm[1] = model.NewQLRN(1.67, 0.545)
	return q
}

// randomCodes returns n int8 activation codes like a ReLU output: about half at
// the zero point -128, the rest spread over the range.
func randomCodes(r *rng.Rand, n int) []int8 {
	x := make([]int8, n)
	for i := range x {
		if r.IntN(2) == 0 {
			x[i] = -128
		} else {
			x[i] = int8(r.IntRange(-128, 127))
		}
	}
	return x
}

// fitOutScale sets conv li's output scale so that the 99th percentile of its
// positive outputs on x lands near code 180 of 255: outputs that use the range.
func fitOutScale(q *model.QNet, li int, x []int8) {
	c := &q.Conv[li]
	p := model.Arch[li].Pixels()
	acc := ref.ConvAcc(q, li, x)
	var v []float64
	for i, a := range acc {
		if a > 0 {
			v = append(v, float64(a)*float64(c.InScale)*float64(c.WScale[i/p]))
		}
	}
	sort.Float64s(v)
	hi := 1.0
	if len(v) > 0 {
		hi = v[len(v)*99/100]
	}
	c.OutScale = float32(hi / 180)
	if !(c.OutScale > 0) || math.IsInf(float64(c.OutScale), 0) {
		c.OutScale = 1
	}
}
