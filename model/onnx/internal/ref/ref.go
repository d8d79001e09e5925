// Package ref recomputes every intermediate activation of the numsense int8 engine
// from a model.QNet's public fields, stage by stage, with the engine's arithmetic:
// int32 accumulation with padded taps at the input zero point, the fixed-point
// requantisation of model/kernel, the integer LRN table, max-pool on the codes.
//
// model.Engine exposes only relu4 and relu5; the ONNX side-by-side needs every
// stage, so this package provides them, and its tests check relu4 and relu5 against
// the Engine bit for bit (which pins the earlier stages too).
package ref

import (
	"fmt"
	"image"
	"math/bits"

	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/kernel"
)

// NumStages is the number of stage tensors: input, relu1, norm1, pool1, relu2,
// norm2, pool2, relu3, relu4, relu5 (the order of onnx.Stages).
const NumStages = 10

// Input converts a 227x227 grey image to the engine's input codes p-128.
func Input(img *image.Gray) ([]int8, error) {
	b := img.Bounds()
	if b.Dx() != model.InputSize || b.Dy() != model.InputSize {
		return nil, fmt.Errorf("ref: image is %dx%d, want %dx%d", b.Dx(), b.Dy(), model.InputSize, model.InputSize)
	}
	x := make([]int8, model.InputSize*model.InputSize)
	for y := 0; y < model.InputSize; y++ {
		o := img.PixOffset(b.Min.X, b.Min.Y+y)
		for i, p := range img.Pix[o : o+model.InputSize] {
			x[y*model.InputSize+i] = int8(int32(p) - 128)
		}
	}
	return x, nil
}

// Run returns all stages for img: index 0 is the input, 9 is relu5; each CHW int8.
func Run(q *model.QNet, img *image.Gray) ([NumStages][]int8, error) {
	var s [NumStages][]int8
	x, err := Input(img)
	if err != nil {
		return s, err
	}
	s[0] = x
	for k := 1; k < NumStages; k++ {
		s[k] = Stage(q, k, s[k-1])
	}
	return s, nil
}

// Stage computes stage k (1..9) from stage k-1.
func Stage(q *model.QNet, k int, x []int8) []int8 {
	switch k {
	case 1, 4, 7, 8, 9:
		li := map[int]int{1: model.Conv1, 4: model.Conv2, 7: model.Conv3, 8: model.Conv4, 9: model.Conv5}[k]
		return Conv(q, li, x)
	case 2:
		return LRN(&q.Norm[0], x, model.Arch[model.Conv1].Out)
	case 5:
		return LRN(&q.Norm[1], x, model.Arch[model.Conv2].Out)
	case 3:
		return MaxPool(x, model.Arch[model.Conv1].Out, model.Arch[model.Conv1].OutSize)
	case 6:
		return MaxPool(x, model.Arch[model.Conv2].Out, model.Arch[model.Conv2].OutSize)
	}
	panic(fmt.Sprintf("ref: stage %d", k))
}

// Conv runs conv layer li with fused ReLU on x (CHW codes).
func Conv(q *model.QNet, li int, x []int8) []int8 {
	l := model.Arch[li]
	c := &q.Conv[li]
	p := l.Pixels()
	acc := ConvAcc(q, li, x)
	y := make([]int8, l.Out*p)
	for oc := 0; oc < l.Out; oc++ {
		qm, sh := kernel.QuantizeMultiplier(Multiplier(c, oc))
		kernel.RequantizeRef(acc[oc*p:(oc+1)*p], qm, sh, c.OutZP, int8(max(-128, c.OutZP)), y[oc*p:(oc+1)*p])
	}
	return y
}

// Multiplier is the real requantisation multiplier of output channel oc, computed
// as the engine does (float64 product and quotient of the float32 scales).
func Multiplier(c *model.QConv, oc int) float64 {
	return float64(c.InScale) * float64(c.WScale[oc]) / float64(c.OutScale)
}

// ConvAcc returns the int32 accumulators of conv layer li on x, [out][pixels]:
// Bias + sum of W * (x - InZP), padded taps counting as InZP (real 0).
func ConvAcc(q *model.QNet, li int, x []int8) []int32 {
	l := model.Arch[li]
	c := &q.Conv[li]
	kd, kp := l.KDim(), kernel.PadK(l.KDim())
	og, cg, p := l.OutPerGroup(), l.InPerGroup(), l.Pixels()
	a := make([]int8, og*kp)
	bias := make([]int32, og)
	col := make([]int8, p*kp)
	acc := make([]int32, l.Out*p)
	zp := int8(c.InZP)
	for g := 0; g < l.Groups; g++ {
		for o := 0; o < og; o++ {
			oc := g*og + o
			row := c.W[oc*kd : (oc+1)*kd]
			copy(a[o*kp:], row)
			sw := int32(0)
			for _, v := range row {
				sw += int32(v)
			}
			bias[o] = c.Bias[oc] - c.InZP*sw
		}
		for j := 0; j < p; j++ {
			oy, ox := j/l.OutSize, j%l.OutSize
			r := col[j*kp : j*kp+kd]
			i := 0
			for ch := g * cg; ch < (g+1)*cg; ch++ {
				for ky := 0; ky < l.K; ky++ {
					for kx := 0; kx < l.K; kx++ {
						iy, ix := oy*l.Stride+ky-l.Pad, ox*l.Stride+kx-l.Pad
						v := zp
						if iy >= 0 && iy < l.InSize && ix >= 0 && ix < l.InSize {
							v = x[(ch*l.InSize+iy)*l.InSize+ix]
						}
						r[i] = v
						i++
					}
				}
			}
		}
		kernel.Gemm(og, p, kp, a, col, bias, acc[g*og*p:], p)
	}
	return acc
}

// lrnMaxS is the largest LRN window sum of u^2 (five channels of 255).
const lrnMaxS = model.LRNSize * 255 * 255

// lrnIndex is the table index of a window sum S, as documented for model.QLRN:
// S itself below 2^(mb+1), then 2^mb buckets per power of two (the mb bits after
// the leading one).
func lrnIndex(s uint32, mb int) int {
	exact := uint32(1) << (mb + 1)
	if s < exact {
		return int(s)
	}
	e := bits.Len32(s)
	return int(exact) + (e-mb-2)<<mb + int(s>>uint(e-mb-1)) - 1<<mb
}

// lrnMantBits finds the bucket resolution mb of a table from its length (the
// table covers S up to lrnMaxS), or -1.
func lrnMantBits(n int) int {
	for mb := 2; mb <= 16; mb++ {
		if lrnIndex(lrnMaxS, mb)+1 == n {
			return mb
		}
	}
	return -1
}

// LRN runs the integer LRN n on x (c channels of equal planes).
func LRN(n *model.QLRN, x []int8, c int) []int8 {
	plane := len(x) / c
	y := make([]int8, len(x))
	mb := lrnMantBits(len(n.Table))
	if mb < 0 {
		panic(fmt.Sprintf("ref: LRN table of %d entries fits no known bucket layout", len(n.Table)))
	}
	half := int32(model.LRNSize / 2)
	for j := 0; j < plane; j++ {
		for ch := 0; ch < c; ch++ {
			var s uint32
			for d := -half; d <= half; d++ {
				if k := ch + int(d); k >= 0 && k < c {
					u := uint32(int32(x[k*plane+j]) + 128)
					s += u * u
				}
			}
			u := int32(x[ch*plane+j]) + 128
			v := (u*n.Table[lrnIndex(s, mb)]+int32(1)<<(n.Shift-1))>>n.Shift - 128
			y[ch*plane+j] = int8(min(v, 127))
		}
	}
	return y
}

// MaxPool is the 3x3/2 max-pool on c planes of size x size codes.
func MaxPool(x []int8, c, size int) []int8 {
	o := (size-model.PoolK)/model.PoolStride + 1
	y := make([]int8, c*o*o)
	for ch := 0; ch < c; ch++ {
		for oy := 0; oy < o; oy++ {
			for ox := 0; ox < o; ox++ {
				m := int8(-128)
				for ky := 0; ky < model.PoolK; ky++ {
					for kx := 0; kx < model.PoolK; kx++ {
						m = max(m, x[(ch*size+oy*model.PoolStride+ky)*size+ox*model.PoolStride+kx])
					}
				}
				y[(ch*o+oy)*o+ox] = m
			}
		}
	}
	return y
}
