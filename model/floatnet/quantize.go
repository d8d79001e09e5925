package floatnet

import (
	"errors"
	"fmt"
	"image"
	"math"

	"gorgonia.org/tensor"

	"github.com/numsense/numsense/model"
)

// CalibPercentile is the calibration statistic: for every activation tensor (relu1,
// norm1, relu2, norm2, relu3, relu4, relu5) the range [0, hi] is the hi =
// CalibPercentile-th percentile of its positive values pooled over all calibration
// images (nearest rank), and scale = hi/255 with zero point -128.
const CalibPercentile = 99.99

// Quantize calibrates and quantises n on the calibration images (representative dot
// stimuli, 227x227 grey). It runs the float reference on each image.
func Quantize(n *Net, calib []*image.Gray) (*model.QNet, error) {
	return quantize(n, calib, nil)
}

// quantize is Quantize; seen, if not nil, is called with each image's activations.
func quantize(n *Net, calib []*image.Gray, seen func(i int, a *Acts)) (*model.QNet, error) {
	if len(calib) == 0 {
		return nil, errors.New("floatnet: Quantize needs at least one calibration image")
	}
	for i, img := range calib {
		if err := model.CheckInput(img); err != nil {
			return nil, fmt.Errorf("floatnet: calibration image %d: %w", i, err)
		}
	}
	const nt = 7 // relu1 norm1 relu2 norm2 relu3 relu4 relu5
	hist := make([]*rangeHist, nt)
	for i := range hist {
		hist[i] = newRangeHist()
	}
	acts := NewActs()
	for ii, img := range calib {
		if err := n.Forward(img, acts); err != nil {
			return nil, err
		}
		if seen != nil {
			seen(ii, acts)
		}
		for i, t := range [nt]*tensor.Dense{acts.Relu1, acts.Norm1, acts.Relu2, acts.Norm2, acts.Relu3, acts.Relu4, acts.Relu5} {
			hist[i].add(Floats(t))
		}
	}
	var sc [nt]float32
	for i, h := range hist {
		hi := h.percentile(CalibPercentile)
		if !(hi > 0) {
			hi = 1 // a dead tensor: any scale represents it
		}
		sc[i] = float32(hi / 255)
	}
	q := &model.QNet{Seed: n.Seed, Calib: fmt.Sprintf("percentile %g of positive activations over %d images", CalibPercentile, len(calib))}
	in := [model.NumConv]float32{1, sc[1], sc[3], sc[4], sc[5]}
	out := [model.NumConv]float32{sc[0], sc[2], sc[4], sc[5], sc[6]}
	inZP := [model.NumConv]int32{-128, -128, -128, -128, -128}
	for li := range model.Arch {
		q.Conv[li] = quantizeConv(li, Floats(n.W[li]), Floats(n.B[li]), in[li], inZP[li], out[li])
	}
	q.Norm[0] = model.NewQLRN(sc[0], sc[1])
	q.Norm[1] = model.NewQLRN(sc[2], sc[3])
	if err := q.Prepare(); err != nil {
		return nil, err
	}
	return q, nil
}

func quantizeConv(li int, w, b []float32, inScale float32, inZP int32, outScale float32) model.QConv {
	c := model.QConv{Bias: make([]int32, len(b)), InScale: inScale, InZP: inZP, OutScale: outScale, OutZP: -128}
	c.W, c.WScale = model.QuantizeWeights(li, w)
	for o, s := range c.WScale {
		c.Bias[o] = int32(math.Round(float64(b[o]) / float64(float64(inScale)*float64(s))))
	}
	return c
}

// rangeHist counts positive activation values in bins given by the top 16 bits of
// their float32 encoding (sign, exponent and 7 mantissa bits: bins 1/128 of an octave
// wide), which orders positive floats; the percentile is the upper edge of the bin
// where the rank falls. Memory is fixed (256 KB) whatever the number of images.
type rangeHist struct {
	n      int64
	counts []uint32
}

func newRangeHist() *rangeHist { return &rangeHist{counts: make([]uint32, 1<<16)} }

func (h *rangeHist) add(t []float32) {
	for _, v := range t {
		if v > 0 && !math.IsInf(float64(v), 1) {
			h.counts[math.Float32bits(v)>>16]++
			h.n++
		}
	}
}

// percentile returns the p-th percentile (nearest rank, to the bin's upper edge) of
// the collected values, 0 if there are none.
func (h *rangeHist) percentile(p float64) float64 {
	if h.n == 0 {
		return 0
	}
	r := int64(math.Ceil(p / 100 * float64(h.n)))
	r = max(1, min(h.n, r))
	var cum int64
	for b, c := range h.counts {
		cum += int64(c)
		if cum >= r {
			return float64(math.Float32frombits(uint32(b)<<16 | 0xffff))
		}
	}
	return 0
}
