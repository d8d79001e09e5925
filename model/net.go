package model

import (
	"fmt"
	"image"
	"math"
	"runtime"
	"sync"

	"github.com/numsense/numsense/model/rng"
)

// Net is the float32 reference network: He-normal weights drawn from one seed, conv1
// folded to one grey input channel. Its Forward is the ground truth that the int8
// Engine is calibrated on and tested against. A Net is read-only after NewNet and
// safe for concurrent use by several Forward calls.
type Net struct {
	Seed uint64
	// W[i] holds the weights of Arch[i], laid out [out][in/groups][ky][kx].
	// W[Conv1] is the grey-folded filter (one input channel).
	W [NumConv][]float32
	// B[i] holds the biases of Arch[i]: zero except the folded mean term of conv1.
	B [NumConv][]float32
	// W1RGB is the drawn 3-channel conv1 filter, [96][3][11][11] (channels R, G, B),
	// kept for the unfolded RGB reference (ForwardRGB).
	W1RGB []float32
}

// NewNet draws the untrained network for seed.
//
// Draw order, fixed forever (the model file records only the seed and the int8
// result, but the float reference must be reproducible): one rng.New(seed) stream;
// for layer conv1..conv5, for out channel, for in channel (of the group), for ky,
// for kx: w = std * Normal(), std = sqrt(2/fan_in), rounded to float32. conv1 is
// drawn with 3 input channels (fan_in 363) and then folded: W'[f] = sum_c W[f,c]
// (summed in float64 in the order R, G, B, then rounded to float32) and
// b'[f] = -sum_c m_c * sum_ij W[f,c,i,j]. All other biases are zero.
func NewNet(seed uint64) *Net {
	if err := checkArch(); err != nil {
		panic(err)
	}
	r := rng.New(seed)
	n := &Net{Seed: seed}
	for li, l := range Arch {
		in := l.InPerGroup()
		if l.RGBIn > 0 {
			in = l.RGBIn
		}
		std := math.Sqrt(2 / float64(l.FanIn()))
		w := make([]float32, l.Out*in*l.K*l.K)
		for i := range w {
			w[i] = float32(float64(std * r.Normal()))
		}
		n.B[li] = make([]float32, l.Out)
		if l.RGBIn == 0 {
			n.W[li] = w
			continue
		}
		n.W1RGB = w
		kk := l.K * l.K
		g := make([]float32, l.Out*kk)
		for f := 0; f < l.Out; f++ {
			bias := 0.0
			for c := 0; c < l.RGBIn; c++ {
				sum := 0.0
				for t := 0; t < kk; t++ {
					sum += float64(w[(f*l.RGBIn+c)*kk+t])
				}
				bias -= float64(ChannelMean[c] * sum)
			}
			for t := 0; t < kk; t++ {
				s := 0.0
				for c := 0; c < l.RGBIn; c++ {
					s += float64(w[(f*l.RGBIn+c)*kk+t])
				}
				g[f*kk+t] = float32(s)
			}
			n.B[li][f] = float32(bias)
		}
		n.W[li] = g
	}
	return n
}

// FloatActs holds every intermediate activation of a float forward pass, each CHW
// (index c*H*W + y*W + x).
type FloatActs struct {
	Relu1 []float32 // 96 x 55 x 55
	Norm1 []float32 // 96 x 55 x 55
	Pool1 []float32 // 96 x 27 x 27
	Relu2 []float32 // 256 x 27 x 27
	Norm2 []float32 // 256 x 27 x 27
	Pool2 []float32 // 256 x 13 x 13
	Relu3 []float32 // 384 x 13 x 13
	Relu4 []float32 // 384 x 13 x 13
	Relu5 []float32 // 256 x 13 x 13
}

// NewFloatActs allocates the buffers of a forward pass.
func NewFloatActs() *FloatActs {
	sz := func(c, n int) []float32 { return make([]float32, c*n*n) }
	return &FloatActs{
		Relu1: sz(96, 55), Norm1: sz(96, 55), Pool1: sz(96, 27),
		Relu2: sz(256, 27), Norm2: sz(256, 27), Pool2: sz(256, 13),
		Relu3: sz(384, 13), Relu4: sz(384, 13), Relu5: sz(256, 13),
	}
}

// checkImage verifies that img is a 227x227 grey image.
func checkImage(img *image.Gray) error {
	if img == nil {
		return fmt.Errorf("model: nil image")
	}
	b := img.Bounds()
	if b.Dx() != InputSize || b.Dy() != InputSize {
		return fmt.Errorf("model: image is %dx%d, want %dx%d", b.Dx(), b.Dy(), InputSize, InputSize)
	}
	return nil
}

// greyPlane copies img into a float plane of pixel values 0..255.
func greyPlane(img *image.Gray, dst []float32) {
	b := img.Bounds()
	for y := 0; y < InputSize; y++ {
		o := img.PixOffset(b.Min.X, b.Min.Y+y)
		row := img.Pix[o : o+InputSize]
		for x, p := range row {
			dst[y*InputSize+x] = float32(p)
		}
	}
}

// Forward runs the float reference on img (227x227 grey, pixels 0..255) and fills
// out, which must come from NewFloatActs. It panics on a wrongly sized image (use
// Engine.Run for checked input).
func (n *Net) Forward(img *image.Gray, out *FloatActs) {
	if err := checkImage(img); err != nil {
		panic(err)
	}
	in := make([]float32, InputSize*InputSize)
	greyPlane(img, in)
	n.forwardFrom(in, n.W[Conv1], 1, n.B[Conv1], out, NumConv)
}

// ForwardRGB runs the unfolded reference: img copied into 3 channels, the per-channel
// mean subtracted from each, conv1 with the drawn 3-channel filter and zero bias.
// It exists to test that the grey fold is exact.
func (n *Net) ForwardRGB(img *image.Gray, out *FloatActs) {
	n.ForwardRGBUpTo(img, out, NumConv)
}

// ForwardRGBUpTo is ForwardRGB stopped after the given number of conv layers
// (1..NumConv; with 1 it computes Relu1, Norm1 and Pool1 only).
func (n *Net) ForwardRGBUpTo(img *image.Gray, out *FloatActs, layers int) {
	if err := checkImage(img); err != nil {
		panic(err)
	}
	p := make([]float32, InputSize*InputSize)
	greyPlane(img, p)
	in := make([]float32, 3*len(p))
	for c := 0; c < 3; c++ {
		for i, v := range p {
			in[c*len(p)+i] = float32(float64(v) - ChannelMean[c])
		}
	}
	n.forwardFrom(in, n.W1RGB, 3, make([]float32, Arch[Conv1].Out), out, layers)
}

func (n *Net) forwardFrom(in []float32, w1 []float32, c1 int, b1 []float32, out *FloatActs, layers int) {
	l := Arch[Conv1]
	convF(in, c1, l.InSize, w1, b1, l.Out, l.K, l.Stride, l.Pad, 1, out.Relu1)
	reluF(out.Relu1)
	lrnF(out.Relu1, l.Out, l.OutSize*l.OutSize, out.Norm1)
	maxPoolF(out.Norm1, l.Out, l.OutSize, out.Pool1)
	if layers < 2 {
		return
	}

	l = Arch[Conv2]
	convF(out.Pool1, l.In, l.InSize, n.W[Conv2], n.B[Conv2], l.Out, l.K, l.Stride, l.Pad, l.Groups, out.Relu2)
	reluF(out.Relu2)
	lrnF(out.Relu2, l.Out, l.OutSize*l.OutSize, out.Norm2)
	maxPoolF(out.Norm2, l.Out, l.OutSize, out.Pool2)
	if layers < 3 {
		return
	}

	l = Arch[Conv3]
	convF(out.Pool2, l.In, l.InSize, n.W[Conv3], n.B[Conv3], l.Out, l.K, l.Stride, l.Pad, l.Groups, out.Relu3)
	reluF(out.Relu3)
	if layers < 4 {
		return
	}
	l = Arch[Conv4]
	convF(out.Relu3, l.In, l.InSize, n.W[Conv4], n.B[Conv4], l.Out, l.K, l.Stride, l.Pad, l.Groups, out.Relu4)
	reluF(out.Relu4)
	if layers < 5 {
		return
	}
	l = Arch[Conv5]
	convF(out.Relu4, l.In, l.InSize, n.W[Conv5], n.B[Conv5], l.Out, l.K, l.Stride, l.Pad, l.Groups, out.Relu5)
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

// lrnDenom returns (k + alpha/n * sumsq)^beta for beta = 0.75, as sqrt(d)*sqrt(sqrt(d))
// (math.Sqrt is correctly rounded everywhere, unlike math.Pow's last bit).
func lrnDenom(sumsq float64) float64 {
	d := LRNK + float64(LRNAlpha/LRNSize*sumsq)
	r := math.Sqrt(d)
	return float64(r * math.Sqrt(r))
}

// lrnF is the cross-channel LRN: y_c = x_c / (k + alpha/n * sum_{c-2..c+2} x^2)^beta,
// channels outside 0..C-1 counting 0.
func lrnF(x []float32, c, plane int, y []float32) {
	half := LRNSize / 2
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
			y[ch*plane+i] = float32(float64(x[ch*plane+i]) / lrnDenom(s))
		}
	}
}

// maxPoolF is max pooling 3x3, stride 2, no padding, per channel.
func maxPoolF(x []float32, c, size int, y []float32) {
	o := poolOut(size)
	for ch := 0; ch < c; ch++ {
		src := x[ch*size*size:]
		for oy := 0; oy < o; oy++ {
			for ox := 0; ox < o; ox++ {
				m := float32(math.Inf(-1))
				for ky := 0; ky < PoolK; ky++ {
					for kx := 0; kx < PoolK; kx++ {
						v := src[(oy*PoolStride+ky)*size+ox*PoolStride+kx]
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
