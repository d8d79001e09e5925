package model

import (
	"crypto/sha256"
	"math"
	"slices"
	"sync"

	"github.com/numsense/numsense/model/rng"
)

// Weights are the float32 weights and biases of an untrained network as drawn from
// its seed (DrawWeights): the float reference network (model/floatnet) is made of
// them, and the int8 weights are their quantisation (QuantizeWeights).
type Weights struct {
	W [NumConv][]float32 // layout [out][in/groups][ky][kx]; conv1 folded to one grey channel
	B [NumConv][]float32 // zero but conv1's folded mean term
	// RGB is the drawn 3-channel conv1, [96][3][11][11] (R, G, B), before folding.
	RGB []float32
}

// DrawWeights draws the untrained network of seed.
//
// Draw order, fixed forever (a model file may record only the seed and a checksum of
// the int8 weights, see docs/model-format.md): one rng.New(seed) stream; for layer
// conv1..conv5, for out channel, for in channel (of the group), for ky, for kx:
// w = std * Normal(), std = sqrt(2/fan_in), rounded to float32. conv1 is drawn with
// 3 input channels (fan_in 363) and then folded: W'[f] = sum_c W[f,c] (summed in
// float64 in the order R, G, B, then rounded to float32) and
// b'[f] = -sum_c m_c * sum_ij W[f,c,i,j] (m_c: ChannelMean). All other biases are
// zero.
func DrawWeights(seed uint64) *Weights {
	n := &Weights{}
	drawLayers(seed, nil, func(li int, w, b, rgb []float32) {
		n.W[li], n.B[li] = slices.Clone(w), slices.Clone(b)
		if rgb != nil {
			n.RGB = slices.Clone(rgb)
		}
	})
	return n
}

// drawLayers draws the layers of the network of seed in order (DrawWeights) and
// hands each to f: its (folded) weights w, biases b and, for conv1, the drawn RGB
// weights. The slices live in buf (grown as needed) and are reused for the next
// layer, so a caller that keeps only what it derives needs one layer's floats.
func drawLayers(seed uint64, buf []float32, f func(li int, w, b, rgb []float32)) {
	r := rng.New(seed)
	for li, l := range Arch {
		in := l.InPerGroup()
		if l.RGBIn > 0 {
			in = l.RGBIn
		}
		std := math.Sqrt(2 / float64(l.FanIn()))
		size := l.Out * in * l.K * l.K
		if l.RGBIn > 0 {
			size += l.Out * l.K * l.K // room for the folded filter
		}
		if cap(buf) < size+l.Out {
			buf = make([]float32, size+l.Out)
		}
		w := buf[:l.Out*in*l.K*l.K]
		for i := range w {
			w[i] = float32(float64(std * r.Normal()))
		}
		b := buf[size : size+l.Out]
		clear(b)
		if l.RGBIn == 0 {
			f(li, w, b, nil)
			continue
		}
		kk := l.K * l.K
		g := buf[len(w):size]
		for o := 0; o < l.Out; o++ {
			bias := 0.0
			for c := 0; c < l.RGBIn; c++ {
				sum := 0.0
				for t := 0; t < kk; t++ {
					sum += float64(w[(o*l.RGBIn+c)*kk+t])
				}
				bias -= float64(ChannelMean[c] * sum)
			}
			for t := 0; t < kk; t++ {
				s := 0.0
				for c := 0; c < l.RGBIn; c++ {
					s += float64(w[(o*l.RGBIn+c)*kk+t])
				}
				g[o*kk+t] = float32(s)
			}
			b[o] = float32(bias)
		}
		f(li, g, b, w)
	}
}

// QuantizeWeights quantises the float weights w of conv layer li per output
// channel: scale = max|w| / 127 in float32 (1 for a row of zeros) and
// q = round(w / scale), within [-127, 127].
func QuantizeWeights(li int, w []float32) (q []int8, scale []float32) {
	l := &Arch[li]
	kd := l.KDim()
	q, scale = make([]int8, l.Out*kd), make([]float32, l.Out)
	for o := 0; o < l.Out; o++ {
		row := w[o*kd : (o+1)*kd]
		m := float32(0)
		for _, v := range row {
			if a := float32(math.Abs(float64(v))); a > m {
				m = a
			}
		}
		s := m / 127
		if m == 0 {
			s = 1
		}
		scale[o] = s
		for k, v := range row {
			r := math.Round(float64(v / s))
			q[o*kd+k] = int8(max(-127, min(127, r)))
		}
	}
	return q, scale
}

// seedWeights are the int8 weights and scales of every layer of the network of
// seed (DrawWeights, then QuantizeWeights), drawn one layer at a time (3.5 MB of
// floats at most instead of the whole network's 9.3 MB) and once per process: a
// program that decodes the same model again (tests, tools; under emulation a
// network takes over a second to draw) gets the same slices. They are shared with
// every QNet decoded from the seed, which must not change them (QNet.prepare
// shares them with the engines too).
func seedWeights(seed uint64) (w [NumConv][]int8, s [NumConv][]float32) {
	drawn.Lock()
	if drawn.m == nil {
		drawn.m = map[uint64]*drawnWeights{}
	}
	d := drawn.m[seed]
	if d == nil {
		d = &drawnWeights{}
		drawn.m[seed] = d
	}
	drawn.Unlock()
	d.once.Do(func() {
		drawLayers(seed, nil, func(li int, lw, _, _ []float32) {
			d.w[li], d.s[li] = QuantizeWeights(li, lw)
		})
	})
	return d.w, d.s
}

// drawn holds the weights seedWeights has drawn, by seed.
var drawn struct {
	sync.Mutex
	m map[uint64]*drawnWeights
}

type drawnWeights struct {
	once sync.Once
	w    [NumConv][]int8
	s    [NumConv][]float32
}

// weightSum is the SHA-256 of q's int8 weights, conv1 to conv5 in order.
func (q *QNet) weightSum() [sha256.Size]byte {
	h := sha256.New()
	for li := range q.Conv {
		w := q.Conv[li].W
		b := make([]byte, len(w))
		for i, v := range w {
			b[i] = byte(v)
		}
		h.Write(b)
	}
	var s [sha256.Size]byte
	copy(s[:], h.Sum(nil))
	return s
}
