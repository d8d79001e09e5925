package onnx

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/onnx/internal/ref"
	"github.com/numsense/numsense/model/rng"
)

// This file evaluates decoded graphs with the ONNX operator definitions (written
// from the operator specifications, independently of the export) and compares
// the result with the engine's arithmetic (package ref): a check of the weight
// layout, padding, groups, zero points and scales that needs no ONNX Runtime.

// tensor is a value during evaluation: uint8 or float32 data, NCHW.
type tensor struct {
	u8    []uint8
	f     []float32
	shape []int64
}

type interp struct {
	g     *Graph
	env   map[string]*tensor
	chans []int // output channels QLinearConv computes (nil: all)
}

func (e *interp) init(t *Tensor) *tensor {
	switch t.DataType {
	case Uint8:
		return &tensor{u8: t.Raw, shape: t.Dims}
	case Float32:
		return &tensor{f: t.Float32s(), shape: t.Dims}
	}
	return nil // int8 and int32 initializers are read directly by QLinearConv
}

func (e *interp) run(input []uint8) error {
	e.env = map[string]*tensor{}
	for i := range e.g.Initializers {
		if v := e.init(&e.g.Initializers[i]); v != nil {
			e.env[e.g.Initializers[i].Name] = v
		}
	}
	in := e.g.Inputs[0]
	e.env[in.Name] = &tensor{u8: input, shape: in.Shape}
	for i := range e.g.Nodes {
		n := &e.g.Nodes[i]
		var out *tensor
		var err error
		switch n.OpType {
		case "QLinearConv":
			out, err = e.qconv(n)
		case "DequantizeLinear":
			x, s, z := e.env[n.Inputs[0]], e.env[n.Inputs[1]].f[0], e.env[n.Inputs[2]].u8[0]
			out = &tensor{f: make([]float32, len(x.u8)), shape: x.shape}
			for j, v := range x.u8 {
				out.f[j] = (float32(v) - float32(z)) * s
			}
		case "QuantizeLinear":
			x, s, z := e.env[n.Inputs[0]], e.env[n.Inputs[1]].f[0], e.env[n.Inputs[2]].u8[0]
			out = &tensor{u8: make([]uint8, len(x.f)), shape: x.shape}
			for j, v := range x.f {
				out.u8[j] = sat8(math.RoundToEven(float64(v/s)) + float64(z))
			}
		case "LRN":
			out = lrnSpec(n, e.env[n.Inputs[0]])
		case "MaxPool":
			out = maxPoolSpec(n, e.env[n.Inputs[0]])
		default:
			return fmt.Errorf("op %s not interpreted", n.OpType)
		}
		if err != nil {
			return err
		}
		e.env[n.Outputs[0]] = out
	}
	return nil
}

func sat8(v float64) uint8 { return uint8(max(0, min(255, v))) }

// qconv is QLinearConv: y = saturate(round(x_s*w_s/y_s * (B + sum (x - x_zp)(w - w_zp))) + y_zp),
// padding holding real 0 (x_zp), rounding half to even.
func (e *interp) qconv(n *Node) (*tensor, error) {
	x := e.env[n.Inputs[0]]
	xs, xz := e.env[n.Inputs[1]].f[0], int32(e.env[n.Inputs[2]].u8[0])
	wt, wst, wzt := e.g.Initializer(n.Inputs[3]), e.env[n.Inputs[4]].f, e.g.Initializer(n.Inputs[5]).Int8s()
	ys, yz := e.env[n.Inputs[6]].f[0], int32(e.env[n.Inputs[7]].u8[0])
	b := e.g.Initializer(n.Inputs[8]).Int32s()
	w := wt.Int8s()
	m, cg, kh, kw := int(wt.Dims[0]), int(wt.Dims[1]), int(wt.Dims[2]), int(wt.Dims[3])
	c, h, wd := int(x.shape[1]), int(x.shape[2]), int(x.shape[3])
	g := int(n.Attr("group").I)
	pads, strides := n.Attr("pads").Ints, n.Attr("strides").Ints
	if c != cg*g {
		return nil, fmt.Errorf("%s: %d input channels, weights want %d x %d groups", n.Name, c, cg, g)
	}
	oh := (h+int(pads[0]+pads[2])-kh)/int(strides[0]) + 1
	ow := (wd+int(pads[1]+pads[3])-kw)/int(strides[1]) + 1
	y := &tensor{u8: make([]uint8, m*oh*ow), shape: []int64{1, int64(m), int64(oh), int64(ow)}}
	chans := e.chans
	if chans == nil {
		for o := 0; o < m; o++ {
			chans = append(chans, o)
		}
	}
	og := m / g
	for _, o := range chans {
		grp := o / og
		mult := float64(xs) * float64(wst[o]) / float64(ys)
		for oy := 0; oy < oh; oy++ {
			for ox := 0; ox < ow; ox++ {
				acc := b[o]
				for ci := 0; ci < cg; ci++ {
					ch := grp*cg + ci
					for ky := 0; ky < kh; ky++ {
						iy := oy*int(strides[0]) + ky - int(pads[0])
						if iy < 0 || iy >= h {
							continue
						}
						for kx := 0; kx < kw; kx++ {
							ix := ox*int(strides[1]) + kx - int(pads[1])
							if ix < 0 || ix >= wd {
								continue
							}
							xv := int32(x.u8[(ch*h+iy)*wd+ix]) - xz
							wv := int32(w[((o*cg+ci)*kh+ky)*kw+kx]) - int32(wzt[o])
							acc += xv * wv
						}
					}
				}
				y.u8[(o*oh+oy)*ow+ox] = sat8(math.RoundToEven(float64(acc)*mult) + float64(yz))
			}
		}
	}
	return y, nil
}

// lrnSpec is ONNX LRN: y = x / (bias + alpha/size * sum of x^2 over channels
// c - floor((size-1)/2) .. c + ceil((size-1)/2))^beta.
func lrnSpec(n *Node, x *tensor) *tensor {
	size := int(n.Attr("size").I)
	alpha, beta, bias := float64(n.Attr("alpha").F), float64(n.Attr("beta").F), float64(n.Attr("bias").F)
	c := int(x.shape[1])
	plane := len(x.f) / c
	y := &tensor{f: make([]float32, len(x.f)), shape: x.shape}
	lo, hi := (size-1)/2, size-1-(size-1)/2
	for ch := 0; ch < c; ch++ {
		for j := 0; j < plane; j++ {
			s := 0.0
			for k := max(0, ch-lo); k <= min(c-1, ch+hi); k++ {
				v := float64(x.f[k*plane+j])
				s += v * v
			}
			y.f[ch*plane+j] = float32(float64(x.f[ch*plane+j]) / math.Pow(bias+alpha/float64(size)*s, beta))
		}
	}
	return y
}

func maxPoolSpec(n *Node, x *tensor) *tensor {
	k, s := int(n.Attr("kernel_shape").Ints[0]), int(n.Attr("strides").Ints[0])
	c, h := int(x.shape[1]), int(x.shape[2])
	o := (h-k)/s + 1
	y := &tensor{u8: make([]uint8, c*o*o), shape: []int64{1, int64(c), int64(o), int64(o)}}
	for ch := 0; ch < c; ch++ {
		for oy := 0; oy < o; oy++ {
			for ox := 0; ox < o; ox++ {
				m := uint8(0)
				for ky := 0; ky < k; ky++ {
					for kx := 0; kx < k; kx++ {
						m = max(m, x.u8[(ch*h+oy*s+ky)*h+ox*s+kx])
					}
				}
				y.u8[(ch*o+oy)*o+ox] = m
			}
		}
	}
	return y
}

// TestGraphMatchesEngine runs every stage alone: random codes into the stage
// before it, the exported one-stage graph evaluated by the ONNX definitions,
// compared with the engine's arithmetic. Convs may differ by one step where
// the fixed-point and the float requantisation round differently; LRN by up to
// two (float LRN against the engine's table); max-pool not at all.
func TestGraphMatchesEngine(t *testing.T) {
	q := synthQNet(11)
	q.Conv[model.Conv3].InZP = -100 // exercises a non-zero uint8 input zero point and its padding
	r := rng.New(12)
	perGroup := 8
	if testing.Short() {
		perGroup = 2
	}
	for k := 1; k < len(stages); k++ {
		s := stages[k]
		t.Run(s, func(t *testing.T) {
			sh := stageShape[k-1]
			x := randomCodes(r, int(sh[1]*sh[2]*sh[3]))
			var chans []int
			limit, minEqual := 0, 1.0
			switch s[:4] {
			case "relu":
				li := map[string]int{"relu1": 0, "relu2": 1, "relu3": 2, "relu4": 3, "relu5": 4}[s]
				fitOutScale(q, li, x)
				l := model.Arch[li]
				for g := 0; g < l.Groups; g++ {
					for i := 0; i < perGroup; i++ {
						chans = append(chans, g*l.OutPerGroup()+r.IntN(l.OutPerGroup()))
					}
				}
				limit, minEqual = 1, 0.99
			case "norm":
				limit, minEqual = 2, 0.95
			}
			want := ref.Stage(q, k, x)
			var buf []byte
			{
				var b bytesBuf
				if err := Export(q, &b, Opts{Input: stages[k-1], Outputs: []string{s}}); err != nil {
					t.Fatal(err)
				}
				buf = b.b
			}
			m, err := Decode(buf)
			if err != nil {
				t.Fatal(err)
			}
			in := make([]uint8, len(x))
			for i, v := range x {
				in[i] = uint8(int(v) + 128)
			}
			e := &interp{g: &m.Graph, chans: chans}
			if err := e.run(in); err != nil {
				t.Fatal(err)
			}
			got := e.env[s]
			if got == nil || len(got.u8) != len(want) {
				t.Fatalf("output %s missing or wrongly sized", s)
			}
			plane := len(want) / int(stageShape[k][1])
			n, equal, worst, nonzero := 0, 0, 0, 0
			for i, w := range want {
				if chans != nil && !slices.Contains(chans, i/plane) {
					continue
				}
				n++
				d := int(got.u8[i]) - (int(w) + 128)
				if d == 0 {
					equal++
				}
				worst = max(worst, d, -d)
				if w != -128 {
					nonzero++
				}
			}
			t.Logf("%s alone: %d values, %.3f%% equal, max |d| %d, %.1f%% non-zero", s, n, 100*float64(equal)/float64(n), worst, 100*float64(nonzero)/float64(n))
			if worst > limit || float64(equal) < minEqual*float64(n) {
				t.Errorf("%s: max |d| %d (limit %d), %d of %d equal (want %.0f%%)", s, worst, limit, equal, n, 100*minEqual)
			}
			if nonzero < n/10 {
				t.Errorf("%s: only %d of %d outputs non-zero: the test input does not exercise the layer", s, nonzero, n)
			}
		})
	}
}

type bytesBuf struct{ b []byte }

func (w *bytesBuf) Write(p []byte) (int, error) { w.b = append(w.b, p...); return len(p), nil }
