package floatnet

import (
	"image"

	"gorgonia.org/tensor"

	"github.com/numsense/numsense/model"
)

// Net is the float32 reference network: He-normal weights drawn from one seed, conv1
// folded to one grey input channel. Its Forward is the ground truth that the int8
// engine is calibrated on and tested against. A Net is read-only after New and safe
// for concurrent use by several Forward calls.
type Net struct {
	Seed uint64
	// W[i] holds the weights of model.Arch[i] as a float32 tensor of shape
	// [out, in/groups, k, k]. W[model.Conv1] is the grey-folded filter (one input
	// channel).
	W [model.NumConv]*tensor.Dense
	// B[i] holds the biases of model.Arch[i], shape [out]: zero except the folded
	// mean term of conv1.
	B [model.NumConv]*tensor.Dense
	// W1RGB is the drawn 3-channel conv1 filter, shape [96, 3, 11, 11] (channels
	// R, G, B), kept for the unfolded RGB reference (ForwardRGB).
	W1RGB *tensor.Dense
}

// Floats returns the float32 elements of a tensor of this package, in row-major
// order, without copying.
func Floats(t *tensor.Dense) []float32 { return t.Data().([]float32) }

func newTensor(data []float32, shape ...int) *tensor.Dense {
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(data))
}

// New draws the untrained network for seed: the weights of model.DrawWeights (which
// gives the draw order, fixed forever) as tensors.
func New(seed uint64) *Net {
	d := model.DrawWeights(seed)
	n := &Net{Seed: seed}
	for li, l := range model.Arch {
		in := l.InPerGroup()
		if l.RGBIn > 0 {
			in = 1
			n.W1RGB = newTensor(d.RGB, l.Out, l.RGBIn, l.K, l.K)
		}
		n.W[li] = newTensor(d.W[li], l.Out, in, l.K, l.K)
		n.B[li] = newTensor(d.B[li], l.Out)
	}
	return n
}

// Acts holds every intermediate activation of a float forward pass, each a float32
// tensor of shape [channels, height, width].
type Acts struct {
	Relu1 *tensor.Dense // 96 x 55 x 55
	Norm1 *tensor.Dense // 96 x 55 x 55
	Pool1 *tensor.Dense // 96 x 27 x 27
	Relu2 *tensor.Dense // 256 x 27 x 27
	Norm2 *tensor.Dense // 256 x 27 x 27
	Pool2 *tensor.Dense // 256 x 13 x 13
	Relu3 *tensor.Dense // 384 x 13 x 13
	Relu4 *tensor.Dense // 384 x 13 x 13
	Relu5 *tensor.Dense // 256 x 13 x 13
}

// NewActs allocates the tensors of a forward pass.
func NewActs() *Acts {
	sz := func(c, n int) *tensor.Dense { return newTensor(make([]float32, c*n*n), c, n, n) }
	return &Acts{
		Relu1: sz(96, 55), Norm1: sz(96, 55), Pool1: sz(96, 27),
		Relu2: sz(256, 27), Norm2: sz(256, 27), Pool2: sz(256, 13),
		Relu3: sz(384, 13), Relu4: sz(384, 13), Relu5: sz(256, 13),
	}
}

// Clone returns a deep copy of a.
func (a *Acts) Clone() *Acts {
	c := func(t *tensor.Dense) *tensor.Dense { return t.Clone().(*tensor.Dense) }
	return &Acts{
		Relu1: c(a.Relu1), Norm1: c(a.Norm1), Pool1: c(a.Pool1),
		Relu2: c(a.Relu2), Norm2: c(a.Norm2), Pool2: c(a.Pool2),
		Relu3: c(a.Relu3), Relu4: c(a.Relu4), Relu5: c(a.Relu5),
	}
}

// greyPlane copies img into a float plane of pixel values 0..255.
func greyPlane(img *image.Gray, dst []float32) {
	b := img.Bounds()
	const s = model.InputSize
	for y := 0; y < s; y++ {
		o := img.PixOffset(b.Min.X, b.Min.Y+y)
		row := img.Pix[o : o+s]
		for x, p := range row {
			dst[y*s+x] = float32(p)
		}
	}
}
