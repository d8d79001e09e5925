package model

import (
	"fmt"
	"image"
	"math"
)

// ArchID names the architecture this package implements. It is written into every
// model file and checked when one is loaded.
const ArchID = "alexnet-conv1-5/grey227/he-normal/lrn5/v1"

// Input geometry: a single grey channel of InputSize x InputSize pixels.
const InputSize = 227

// Conv-layer indices, for Arch, (*QNet).Weights and the per-layer accessors.
const (
	Conv1 = iota
	Conv2
	Conv3
	Conv4
	Conv5
	NumConv // number of convolution layers (5)
)

// Sizes of the two exposed activations.
const (
	Relu4Units = 13 * 13 * 384 // 64,896
	Relu5Units = 13 * 13 * 256 // 43,264
)

// Layer describes one convolution (followed by ReLU, and for conv1/conv2 by LRN and
// max-pool 3x3/2, for conv5 by nothing that this package computes).
type Layer struct {
	Name    string
	Out     int // output channels
	In      int // input channels (all groups)
	K       int // kernel height = width
	Stride  int
	Pad     int
	Groups  int
	InSize  int // input height = width
	OutSize int // output height = width
	LRNPool bool
	RGBIn   int // conv1 only: input channels of the drawn (unfolded) filters, 3
}

// InPerGroup is the filter depth (input channels per group).
func (l Layer) InPerGroup() int { return l.In / l.Groups }

// OutPerGroup is the number of output channels per group.
func (l Layer) OutPerGroup() int { return l.Out / l.Groups }

// KDim is the length of one filter (= one im2col row): K*K*InPerGroup.
func (l Layer) KDim() int { return l.K * l.K * l.InPerGroup() }

// FanIn is the He fan-in used for the initial weights: kh*kw*(input channels per
// group) of the drawn filters (for conv1 the 3-channel filters, 363).
func (l Layer) FanIn() int {
	if l.RGBIn > 0 {
		return l.K * l.K * l.RGBIn
	}
	return l.KDim()
}

// Pixels is the number of output positions OutSize^2.
func (l Layer) Pixels() int { return l.OutSize * l.OutSize }

// MACs is the multiply-accumulate count of the layer as run (grey conv1).
func (l Layer) MACs() int64 { return int64(l.Pixels()) * int64(l.Out) * int64(l.KDim()) }

// NumWeights is the number of weights as run (grey conv1: 11,616).
func (l Layer) NumWeights() int { return l.Out * l.KDim() }

// Arch is the network: AlexNet conv1..conv5 (BVLC grouping), grey input folded into
// conv1. See the package documentation for the table.
var Arch = [NumConv]Layer{
	{Name: "conv1", Out: 96, In: 1, K: 11, Stride: 4, Pad: 0, Groups: 1, InSize: 227, OutSize: 55, LRNPool: true, RGBIn: 3},
	{Name: "conv2", Out: 256, In: 96, K: 5, Stride: 1, Pad: 2, Groups: 2, InSize: 27, OutSize: 27, LRNPool: true},
	{Name: "conv3", Out: 384, In: 256, K: 3, Stride: 1, Pad: 1, Groups: 1, InSize: 13, OutSize: 13},
	{Name: "conv4", Out: 384, In: 384, K: 3, Stride: 1, Pad: 1, Groups: 2, InSize: 13, OutSize: 13},
	{Name: "conv5", Out: 256, In: 384, K: 3, Stride: 1, Pad: 1, Groups: 2, InSize: 13, OutSize: 13},
}

// TotalMACs is the sum of Arch[i].MACs(): 595,470,048 for the grey network.
func TotalMACs() int64 {
	var s int64
	for _, l := range Arch {
		s += l.MACs()
	}
	return s
}

// LRN parameters (Caffe/BVLC AlexNet, across channels).
const (
	LRNSize  = 5
	LRNAlpha = 1e-4
	LRNBeta  = 0.75
	LRNK     = 1.0
)

// Per-channel ImageNet means (Caffe ILSVRC-2012), R, G, B, subtracted from the input.
var ChannelMean = [3]float64{122.679, 116.669, 104.007}

// Pool geometry: max 3x3, stride 2, no padding.
const (
	PoolK      = 3
	PoolStride = 2
)

func poolOut(n int) int { return (n-PoolK)/PoolStride + 1 }

// PoolOut is the side of a max-pool's output for an input of side n.
func PoolOut(n int) int { return poolOut(n) }

// LRNDenom returns (k + alpha/n * sumsq)^beta for beta = 0.75, as sqrt(d)*sqrt(sqrt(d))
// (math.Sqrt is correctly rounded everywhere, unlike math.Pow's last bit). The
// integer LRN tables and the float reference share it.
func LRNDenom(sumsq float64) float64 {
	d := LRNK + float64(LRNAlpha/LRNSize*sumsq)
	r := math.Sqrt(d)
	return float64(r * math.Sqrt(r))
}

// CheckInput verifies that img is an InputSize x InputSize grey image.
func CheckInput(img *image.Gray) error { return checkImage(img) }

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

func checkArch() error {
	for i, l := range Arch {
		if (l.InSize+2*l.Pad-l.K)/l.Stride+1 != l.OutSize {
			return fmt.Errorf("model: %s geometry inconsistent", l.Name)
		}
		if i+1 < NumConv {
			n := Arch[i+1]
			in := l.OutSize
			if l.LRNPool {
				in = poolOut(in)
			}
			if n.InSize != in || n.In != l.Out {
				return fmt.Errorf("model: %s -> %s shapes do not chain", l.Name, n.Name)
			}
		}
	}
	return nil
}
