package onnx

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/atomicfile"
)

// Versions written into every exported model.
const (
	IRVersion = 7  // ONNX IR version 7 (the one that goes with opset 13)
	Opset     = 13 // default-domain operator set
	Producer  = "numsense"
)

// The stages of the network, in order: the graph's tensor names. Each stage after
// "input" is computed from the one before it.
var stages = [...]string{"input", "relu1", "norm1", "pool1", "relu2", "norm2", "pool2", "relu3", "relu4", "relu5"}

// stageShape holds the NCHW shape of each stage (N = 1).
var stageShape = [len(stages)][4]int64{
	{1, 1, 227, 227},
	{1, 96, 55, 55}, {1, 96, 55, 55}, {1, 96, 27, 27},
	{1, 256, 27, 27}, {1, 256, 27, 27}, {1, 256, 13, 13},
	{1, 384, 13, 13}, {1, 384, 13, 13}, {1, 256, 13, 13},
}

// Stages returns the names of the graph's stage tensors in order: "input", "relu1",
// "norm1", "pool1", "relu2", "norm2", "pool2", "relu3", "relu4", "relu5". Every one
// is uint8 NCHW with N = 1, and its values are the engine's int8 codes plus 128.
func Stages() []string { return slices.Clone(stages[:]) }

// AllOutputs returns the output list of a model with every intermediate: "relu5"
// first (the output that tools reading only the first output see), then "relu1"
// through "relu4" in order.
func AllOutputs() []string { return append([]string{"relu5"}, stages[1:len(stages)-1]...) }

// Shape returns the NCHW shape of a stage tensor.
func Shape(stage string) ([]int64, error) {
	i := slices.Index(stages[:], stage)
	if i < 0 {
		return nil, fmt.Errorf("onnx: unknown stage %q (want one of %v)", stage, stages)
	}
	s := stageShape[i]
	return s[:], nil
}

// Opts selects what part of the network Export writes. The zero value is the whole
// network, grey frame in, relu5 out.
type Opts struct {
	// Input is the stage the graph starts from (default "input", the uint8 grey
	// frame). Another stage (e.g. "pool1") makes a graph that runs only the layers
	// after it, fed with the engine's own activations: for checking one layer alone.
	Input string
	// Outputs are the graph outputs, stage names after Input, in the order given
	// (default ["relu5"]). The graph ends at the last of them.
	Outputs []string
	// ProducerVersion is written into the model (e.g. the numsense version).
	ProducerVersion string
}

// Export writes q as an ONNX model (ModelProto, IR version 7, opset 13) to w. The
// graph is described in the package documentation.
func Export(q *model.QNet, w io.Writer, o Opts) error {
	m, err := build(q, o)
	if err != nil {
		return err
	}
	if _, err := w.Write(Encode(m)); err != nil {
		return fmt.Errorf("onnx: write: %w", err)
	}
	return nil
}

// FileKind is an ONNX model numsense exported, for model/atomicfile: an existing
// target is replaced only if it is empty or such a model (ir_version first, then
// producer_name "numsense").
var FileKind = atomicfile.Kind{Name: "an ONNX model exported by numsense", Ours: func(head []byte) bool {
	return len(head) > 2 && head[0] == 0x08 && bytes.Contains(head[:min(len(head), 32)], []byte("\x12\x08"+Producer))
}}

// WriteFile exports q to path atomically (model/atomicfile: a new temporary file
// in the same directory, synced and renamed; a target that is not a regular file,
// or an existing file that is not an ONNX model of numsense's, is refused). Errors
// name the path.
func WriteFile(path string, q *model.QNet, o Opts) error {
	m, err := build(q, o)
	if err != nil {
		return err
	}
	if err := FileKind.WriteFile(path, Encode(m)); err != nil {
		return fmt.Errorf("onnx: %w", err)
	}
	return nil
}

// builder accumulates the graph.
type builder struct {
	g *Graph
}

func (b *builder) init(name string, dt int, dims []int64, raw []byte) string {
	b.g.Initializers = append(b.g.Initializers, Tensor{Name: name, DataType: dt, Dims: dims, Raw: raw})
	return name
}

func (b *builder) scalarF(name string, v float32) string {
	return b.init(name, Float32, nil, binary.LittleEndian.AppendUint32(nil, math.Float32bits(v)))
}

func (b *builder) scalarU8(name string, v uint8) string { return b.init(name, Uint8, nil, []byte{v}) }

func (b *builder) node(name, op string, in, out []string, attrs ...Attribute) {
	b.g.Nodes = append(b.g.Nodes, Node{Name: name, OpType: op, Inputs: in, Outputs: out, Attrs: attrs})
}

func ints(name string, v ...int64) Attribute { return Attribute{Name: name, Type: AttrInts, Ints: v} }
func intA(name string, v int64) Attribute    { return Attribute{Name: name, Type: AttrInt, I: v} }
func floatA(name string, v float32) Attribute {
	return Attribute{Name: name, Type: AttrFloat, F: v}
}

// zp8 maps an int8 zero point to the uint8 one (+128), checking its range.
func zp8(what string, zp int32) (uint8, error) {
	if zp < -128 || zp > 127 {
		return 0, fmt.Errorf("onnx: %s zero point %d outside int8", what, zp)
	}
	return uint8(zp + 128), nil
}

func build(q *model.QNet, o Opts) (*Model, error) {
	if q == nil {
		return nil, fmt.Errorf("onnx: nil QNet")
	}
	in := o.Input
	if in == "" {
		in = "input"
	}
	first := slices.Index(stages[:], in)
	if first < 0 || first == len(stages)-1 {
		return nil, fmt.Errorf("onnx: bad input stage %q (want one of %v except relu5)", in, stages[:len(stages)-1])
	}
	outs := o.Outputs
	if len(outs) == 0 {
		outs = []string{"relu5"}
	}
	last := first
	for i, name := range outs {
		k := slices.Index(stages[:], name)
		if k <= first {
			return nil, fmt.Errorf("onnx: output %q is not a stage after input %q", name, in)
		}
		if slices.Contains(outs[:i], name) {
			return nil, fmt.Errorf("onnx: output %q listed twice", name)
		}
		last = max(last, k)
	}
	if err := check(q); err != nil {
		return nil, err
	}

	m := &Model{
		IRVersion: IRVersion, Opset: Opset, ProducerName: Producer, ProducerVersion: o.ProducerVersion,
		DocString: fmt.Sprintf("numsense int8 network %s, seed %d, calibration: %s", model.ArchID, q.Seed, q.Calib),
	}
	m.Graph.Name = "numsense_" + in + "_to_" + stages[last]
	m.Graph.DocString = "uint8 activations = numsense int8 codes + 128; int8 per-channel symmetric weights; int32 bias"
	b := &builder{g: &m.Graph}
	for k := first + 1; k <= last; k++ {
		if err := b.stage(q, k); err != nil {
			return nil, err
		}
	}
	sh := stageShape[first]
	m.Graph.Inputs = []ValueInfo{{Name: in, ElemType: Uint8, Shape: sh[:]}}
	for _, name := range outs {
		s := stageShape[slices.Index(stages[:], name)]
		m.Graph.Outputs = append(m.Graph.Outputs, ValueInfo{Name: name, ElemType: Uint8, Shape: s[:]})
	}
	return m, nil
}

// stage appends the nodes and initializers that compute stages[k] from stages[k-1].
func (b *builder) stage(q *model.QNet, k int) error {
	x, y := stages[k-1], stages[k]
	switch y {
	case "relu1":
		return b.conv(q, model.Conv1, x, y)
	case "relu2":
		return b.conv(q, model.Conv2, x, y)
	case "relu3":
		return b.conv(q, model.Conv3, x, y)
	case "relu4":
		return b.conv(q, model.Conv4, x, y)
	case "relu5":
		return b.conv(q, model.Conv5, x, y)
	case "norm1":
		return b.lrn(&q.Norm[0], x, y)
	case "norm2":
		return b.lrn(&q.Norm[1], x, y)
	case "pool1", "pool2":
		b.node(y, "MaxPool", []string{x}, []string{y},
			ints("kernel_shape", model.PoolK, model.PoolK), ints("pads", 0, 0, 0, 0),
			ints("strides", model.PoolStride, model.PoolStride))
		return nil
	}
	return fmt.Errorf("onnx: internal error: stage %q", y)
}

// conv writes one QLinearConv. uint8 activations with zero point zp+128 hold the
// same real values as the engine's int8 codes; an output zero point of 0 (int8 -128)
// at the bottom of the uint8 range makes the saturation the fused ReLU.
func (b *builder) conv(q *model.QNet, li int, x, y string) error {
	l := model.Arch[li]
	c := &q.Conv[li]
	n := l.Name
	xzp, err := zp8(n+" input", c.InZP)
	if err != nil {
		return err
	}
	yzp, err := zp8(n+" output", c.OutZP)
	if err != nil {
		return err
	}
	w := make([]byte, len(c.W))
	for i, v := range c.W {
		w[i] = byte(v)
	}
	ws := make([]byte, 0, 4*l.Out)
	for _, s := range c.WScale {
		ws = binary.LittleEndian.AppendUint32(ws, math.Float32bits(s))
	}
	bias := make([]byte, 0, 4*l.Out)
	for _, v := range c.Bias {
		bias = binary.LittleEndian.AppendUint32(bias, uint32(v))
	}
	out, k, p, s := int64(l.Out), int64(l.K), int64(l.Pad), int64(l.Stride)
	in := []string{
		x,
		b.scalarF(n+"_x_scale", c.InScale),
		b.scalarU8(n+"_x_zero_point", xzp),
		b.init(n+"_w", Int8, []int64{out, int64(l.InPerGroup()), k, k}, w),
		b.init(n+"_w_scale", Float32, []int64{out}, ws),
		b.init(n+"_w_zero_point", Int8, []int64{out}, make([]byte, l.Out)),
		b.scalarF(n+"_y_scale", c.OutScale),
		b.scalarU8(n+"_y_zero_point", yzp),
		b.init(n+"_b", Int32, []int64{out}, bias),
	}
	b.node(n, "QLinearConv", in, []string{y},
		ints("dilations", 1, 1), intA("group", int64(l.Groups)), ints("kernel_shape", k, k),
		ints("pads", p, p, p, p), ints("strides", s, s))
	return nil
}

// lrn writes DequantizeLinear -> LRN -> QuantizeLinear: ONNX has no quantised LRN.
func (b *builder) lrn(n *model.QLRN, x, y string) error {
	xzp, err := zp8(y+" input", n.InZP)
	if err != nil {
		return err
	}
	yzp, err := zp8(y+" output", n.OutZP)
	if err != nil {
		return err
	}
	xs := b.scalarF(y+"_x_scale", n.InScale)
	xz := b.scalarU8(y+"_x_zero_point", xzp)
	ys := b.scalarF(y+"_y_scale", n.OutScale)
	yz := b.scalarU8(y+"_y_zero_point", yzp)
	fin, fout := y+"_in_float", y+"_float"
	b.node(y+"_dequantize", "DequantizeLinear", []string{x, xs, xz}, []string{fin})
	b.node(y+"_lrn", "LRN", []string{fin}, []string{fout},
		floatA("alpha", model.LRNAlpha), floatA("beta", model.LRNBeta), floatA("bias", model.LRNK),
		intA("size", model.LRNSize))
	b.node(y+"_quantize", "QuantizeLinear", []string{fout, ys, yz}, []string{y})
	return nil
}

// check validates the sizes and values of q that the export relies on, so that a
// damaged QNet gives an error rather than a malformed model.
func check(q *model.QNet) error {
	for li, l := range model.Arch {
		c := &q.Conv[li]
		if len(c.W) != l.Out*l.KDim() || len(c.WScale) != l.Out || len(c.Bias) != l.Out {
			return fmt.Errorf("onnx: %s: %d weights, %d scales, %d biases; want %d, %d, %d",
				l.Name, len(c.W), len(c.WScale), len(c.Bias), l.Out*l.KDim(), l.Out, l.Out)
		}
		for o, s := range c.WScale {
			if !(s > 0) || math.IsInf(float64(s), 0) {
				return fmt.Errorf("onnx: %s: weight scale %d is %g", l.Name, o, s)
			}
		}
		for _, s := range []float32{c.InScale, c.OutScale} {
			if !(s > 0) || math.IsInf(float64(s), 0) {
				return fmt.Errorf("onnx: %s: activation scale %g", l.Name, s)
			}
		}
	}
	for i := range q.Norm {
		n := &q.Norm[i]
		if !(n.InScale > 0) || !(n.OutScale > 0) || math.IsInf(float64(n.InScale), 0) || math.IsInf(float64(n.OutScale), 0) {
			return fmt.Errorf("onnx: norm%d: scales %g, %g", i+1, n.InScale, n.OutScale)
		}
	}
	return nil
}
