package floatnet

import (
	"image"
	"math"
	"runtime"
	"sync"

	"github.com/numsense/numsense/model"
)

// floats are an Acts' backing slices, in the order of the forward pass.
type floats struct {
	Relu1, Norm1, Pool1, Relu2, Norm2, Pool2, Relu3, Relu4, Relu5 []float32
}

func (a *Acts) floats() floats {
	return floats{Floats(a.Relu1), Floats(a.Norm1), Floats(a.Pool1), Floats(a.Relu2), Floats(a.Norm2),
		Floats(a.Pool2), Floats(a.Relu3), Floats(a.Relu4), Floats(a.Relu5)}
}

// Forward runs the float reference on img (227x227 grey, pixels 0..255) and fills
// out, which must come from NewActs. It returns an error for a wrongly sized image.
func (n *Net) Forward(img *image.Gray, out *Acts) error {
	if err := model.CheckInput(img); err != nil {
		return err
	}
	in := make([]float32, model.InputSize*model.InputSize)
	greyPlane(img, in)
	n.forwardFrom(in, Floats(n.W[model.Conv1]), 1, Floats(n.B[model.Conv1]), out, model.NumConv)
	return nil
}

// ForwardRGB runs the unfolded reference: img copied into 3 channels, the per-channel
// mean subtracted from each, conv1 with the drawn 3-channel filter and zero bias.
// It exists to test that the grey fold is exact.
func (n *Net) ForwardRGB(img *image.Gray, out *Acts) error {
	return n.ForwardRGBUpTo(img, out, model.NumConv)
}

// ForwardRGBUpTo is ForwardRGB stopped after the given number of conv layers
// (1..NumConv; with 1 it computes Relu1, Norm1 and Pool1 only).
func (n *Net) ForwardRGBUpTo(img *image.Gray, out *Acts, layers int) error {
	if err := model.CheckInput(img); err != nil {
		return err
	}
	p := make([]float32, model.InputSize*model.InputSize)
	greyPlane(img, p)
	in := make([]float32, 3*len(p))
	for c := 0; c < 3; c++ {
		for i, v := range p {
			in[c*len(p)+i] = float32(float64(v) - model.ChannelMean[c])
		}
	}
	n.forwardFrom(in, Floats(n.W1RGB), 3, make([]float32, model.Arch[model.Conv1].Out), out, layers)
	return nil
}

func (n *Net) forwardFrom(in []float32, w1 []float32, c1 int, b1 []float32, a *Acts, layers int) {
	out := a.floats()
	w := func(i int) []float32 { return Floats(n.W[i]) }
	b := func(i int) []float32 { return Floats(n.B[i]) }
	l := model.Arch[model.Conv1]
	convF(in, c1, l.InSize, w1, b1, l.Out, l.K, l.Stride, l.Pad, 1, out.Relu1)
	reluF(out.Relu1)
	lrnF(out.Relu1, l.Out, l.OutSize*l.OutSize, out.Norm1)
	maxPoolF(out.Norm1, l.Out, l.OutSize, out.Pool1)
	if layers < 2 {
		return
	}

	l = model.Arch[model.Conv2]
	convF(out.Pool1, l.In, l.InSize, w(model.Conv2), b(model.Conv2), l.Out, l.K, l.Stride, l.Pad, l.Groups, out.Relu2)
	reluF(out.Relu2)
	lrnF(out.Relu2, l.Out, l.OutSize*l.OutSize, out.Norm2)
	maxPoolF(out.Norm2, l.Out, l.OutSize, out.Pool2)
	if layers < 3 {
		return
	}

	l = model.Arch[model.Conv3]
	convF(out.Pool2, l.In, l.InSize, w(model.Conv3), b(model.Conv3), l.Out, l.K, l.Stride, l.Pad, l.Groups, out.Relu3)
	reluF(out.Relu3)
	if layers < 4 {
		return
	}
	l = model.Arch[model.Conv4]
	convF(out.Relu3, l.In, l.InSize, w(model.Conv4), b(model.Conv4), l.Out, l.K, l.Stride, l.Pad, l.Groups, out.Relu4)
	reluF(out.Relu4)
	if layers < 5 {
		return
	}
	l = model.Arch[model.Conv5]
	convF(out.Relu4, l.In, l.InSize, w(model.Conv5), b(model.Conv5), l.Out, l.K, l.Stride, l.Pad, l.Groups, out.Relu5)
	reluF(out.Relu5)
}

// convF is the float convolution: out[o][j] = b[o] + sum over k of
// w[o][k] * col[j][k], where col[j] is the im2col patch of output pixel j (order:
// group's input channel, ky, kx; taps in the padding are 0). Every product is
// rounded to float32 before it is added (no FMA) and the sum runs in k order from 0,
// the bias added last, so the result is the same on every architecture and for any
// number of goroutines (output channels are split among them).
func convF(in []float32, cin, size int, w, b []float32, cout, k, s, p, groups int, out []float32) {
	osz := (size+2*p-k)/s + 1
	cinG, coutG := cin/groups, cout/groups
	np := osz * osz
	kd := cinG * k * k
	col := make([]float32, np*kd)
	for g := 0; g < groups; g++ {
		// im2col of group g.
		for j := 0; j < np; j++ {
			oy, ox := j/osz, j%osz
			row := col[j*kd : (j+1)*kd]
			i := 0
			for c := g * cinG; c < (g+1)*cinG; c++ {
				plane := in[c*size*size : (c+1)*size*size]
				for ky := 0; ky < k; ky++ {
					for kx := 0; kx < k; kx++ {
						iy, ix := oy*s+ky-p, ox*s+kx-p
						if iy < 0 || iy >= size || ix < 0 || ix >= size {
							row[i] = 0
						} else {
							row[i] = plane[iy*size+ix]
						}
						i++
					}
				}
			}
		}
		nb := coutG / 4 // every layer's channels per group are a multiple of 4
		nt := min(runtime.GOMAXPROCS(0), nb)
		var wg sync.WaitGroup
		for t := 0; t < nt; t++ {
			b0, b1 := t*nb/nt, (t+1)*nb/nt
			wg.Add(1)
			go func() {
				defer wg.Done()
				for blk := b0; blk < b1; blk++ {
					o := g*coutG + 4*blk
					gemmF4(w[o*kd:(o+4)*kd], col, kd, np, b[o:o+4], out[o*np:(o+4)*np])
				}
			}()
		}
		wg.Wait()
	}
}

// gemmF4 computes 4 output channels (weight rows w, 4*kd) over np pixels of col.
func gemmF4(w, col []float32, kd, np int, b, out []float32) {
	w0, w1, w2, w3 := w[0:kd], w[kd:2*kd], w[2*kd:3*kd], w[3*kd:4*kd]
	j := 0
	for ; j+4 <= np; j += 4 {
		x0, x1, x2, x3 := col[j*kd:(j+1)*kd], col[(j+1)*kd:(j+2)*kd], col[(j+2)*kd:(j+3)*kd], col[(j+3)*kd:(j+4)*kd]
		var a00, a01, a02, a03, a10, a11, a12, a13, a20, a21, a22, a23, a30, a31, a32, a33 float32
		for i := range w0 {
			v0, v1, v2, v3 := x0[i], x1[i], x2[i], x3[i]
			c0, c1, c2, c3 := w0[i], w1[i], w2[i], w3[i]
			a00 += float32(c0 * v0)
			a01 += float32(c0 * v1)
			a02 += float32(c0 * v2)
			a03 += float32(c0 * v3)
			a10 += float32(c1 * v0)
			a11 += float32(c1 * v1)
			a12 += float32(c1 * v2)
			a13 += float32(c1 * v3)
			a20 += float32(c2 * v0)
			a21 += float32(c2 * v1)
			a22 += float32(c2 * v2)
			a23 += float32(c2 * v3)
			a30 += float32(c3 * v0)
			a31 += float32(c3 * v1)
			a32 += float32(c3 * v2)
			a33 += float32(c3 * v3)
		}
		out[j], out[j+1], out[j+2], out[j+3] = a00+b[0], a01+b[0], a02+b[0], a03+b[0]
		out[np+j], out[np+j+1], out[np+j+2], out[np+j+3] = a10+b[1], a11+b[1], a12+b[1], a13+b[1]
		out[2*np+j], out[2*np+j+1], out[2*np+j+2], out[2*np+j+3] = a20+b[2], a21+b[2], a22+b[2], a23+b[2]
		out[3*np+j], out[3*np+j+1], out[3*np+j+2], out[3*np+j+3] = a30+b[3], a31+b[3], a32+b[3], a33+b[3]
	}
	for ; j < np; j++ {
		x := col[j*kd : (j+1)*kd]
		for r, wr := range [4][]float32{w0, w1, w2, w3} {
			var a float32
			for i, c := range wr {
				a += float32(c * x[i])
			}
			out[r*np+j] = a + b[r]
		}
	}
}

func reluF(x []float32) {
	for i, v := range x {
		if v < 0 {
			x[i] = 0
		}
	}
}

// lrnF is the cross-channel LRN: y_c = x_c / (k + alpha/n * sum_{c-2..c+2} x^2)^beta,
// channels outside 0..C-1 counting 0.
func lrnF(x []float32, c, plane int, y []float32) {
	half := model.LRNSize / 2
	for i := 0; i < plane; i++ {
		for ch := 0; ch < c; ch++ {
			s := 0.0
			for cc := ch - half; cc <= ch+half; cc++ {
				if cc < 0 || cc >= c {
					continue
				}
				v := float64(x[cc*plane+i])
				s += float64(v * v)
			}
			y[ch*plane+i] = float32(float64(x[ch*plane+i]) / model.LRNDenom(s))
		}
	}
}

// maxPoolF is max pooling 3x3, stride 2, no padding, per channel.
func maxPoolF(x []float32, c, size int, y []float32) {
	o := model.PoolOut(size)
	for ch := 0; ch < c; ch++ {
		src := x[ch*size*size:]
		for oy := 0; oy < o; oy++ {
			for ox := 0; ox < o; ox++ {
				m := float32(math.Inf(-1))
				for ky := 0; ky < model.PoolK; ky++ {
					for kx := 0; kx < model.PoolK; kx++ {
						v := src[(oy*model.PoolStride+ky)*size+ox*model.PoolStride+kx]
						if v > m {
							m = v
						}
					}
				}
				y[ch*o*o+oy*o+ox] = m
			}
		}
	}
}
