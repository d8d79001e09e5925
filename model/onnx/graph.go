package onnx

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// Model is the subset of an ONNX ModelProto that Export writes and Decode reads.
type Model struct {
	IRVersion       int64
	Opset           int64 // version of the default ("" / ai.onnx) operator set
	ProducerName    string
	ProducerVersion string
	DocString       string
	Graph           Graph
}

// Graph is a GraphProto: nodes in topological order, constant initializers, and the
// typed graph inputs and outputs.
type Graph struct {
	Name         string
	DocString    string
	Nodes        []Node
	Initializers []Tensor
	Inputs       []ValueInfo
	Outputs      []ValueInfo
}

// Node is a NodeProto of the default domain.
type Node struct {
	Name    string
	OpType  string
	Inputs  []string
	Outputs []string
	Attrs   []Attribute
}

// Attr returns the attribute called name, or nil.
func (n *Node) Attr(name string) *Attribute {
	for i := range n.Attrs {
		if n.Attrs[i].Name == name {
			return &n.Attrs[i]
		}
	}
	return nil
}

// Attribute is an AttributeProto of type FLOAT, INT, STRING, FLOATS or INTS.
type Attribute struct {
	Name   string
	Type   int // AttrFloat, AttrInt, AttrString, AttrFloats, AttrInts
	F      float32
	I      int64
	S      string
	Floats []float32
	Ints   []int64
}

// Tensor is a TensorProto with its data in raw_data (little-endian).
type Tensor struct {
	Name     string
	DataType int // Float32, Uint8, Int8, Int32
	Dims     []int64
	Raw      []byte
}

// Len is the number of elements the dims describe (1 for a scalar).
func (t *Tensor) Len() int {
	n := 1
	for _, d := range t.Dims {
		n *= int(d)
	}
	return n
}

// Int8s returns the data of an Int8 tensor.
func (t *Tensor) Int8s() []int8 {
	out := make([]int8, len(t.Raw))
	for i, b := range t.Raw {
		out[i] = int8(b)
	}
	return out
}

// Float32s returns the data of a Float32 tensor.
func (t *Tensor) Float32s() []float32 {
	out := make([]float32, len(t.Raw)/4)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(t.Raw[4*i:]))
	}
	return out
}

// Int32s returns the data of an Int32 tensor.
func (t *Tensor) Int32s() []int32 {
	out := make([]int32, len(t.Raw)/4)
	for i := range out {
		out[i] = int32(binary.LittleEndian.Uint32(t.Raw[4*i:]))
	}
	return out
}

// ValueInfo is a ValueInfoProto of tensor type with a fixed shape.
type ValueInfo struct {
	Name     string
	ElemType int
	Shape    []int64
}

// Initializer returns the initializer called name, or nil.
func (g *Graph) Initializer(name string) *Tensor {
	for i := range g.Initializers {
		if g.Initializers[i].Name == name {
			return &g.Initializers[i]
		}
	}
	return nil
}

// Encode serialises m as a ModelProto.
func Encode(m *Model) []byte {
	var g pb
	for i := range m.Graph.Nodes {
		g.msg(fGraphNode, encodeNode(&m.Graph.Nodes[i]))
	}
	g.str(fGraphName, m.Graph.Name)
	for i := range m.Graph.Initializers {
		g.msg(fGraphInitializer, encodeTensor(&m.Graph.Initializers[i]))
	}
	if m.Graph.DocString != "" {
		g.str(fGraphDocString, m.Graph.DocString)
	}
	for i := range m.Graph.Inputs {
		g.msg(fGraphInput, encodeValueInfo(&m.Graph.Inputs[i]))
	}
	for i := range m.Graph.Outputs {
		g.msg(fGraphOutput, encodeValueInfo(&m.Graph.Outputs[i]))
	}

	var p pb
	p.varint(fModelIRVersion, m.IRVersion)
	p.str(fModelProducerName, m.ProducerName)
	if m.ProducerVersion != "" {
		p.str(fModelProducerVersion, m.ProducerVersion)
	}
	if m.DocString != "" {
		p.str(fModelDocString, m.DocString)
	}
	p.msg(fModelGraph, &g)
	var op pb
	op.str(fOpsetDomain, "")
	op.varint(fOpsetVersion, m.Opset)
	p.msg(fModelOpsetImport, &op)
	return p.b
}

func encodeNode(n *Node) *pb {
	var p pb
	for _, s := range n.Inputs {
		p.str(fNodeInput, s)
	}
	for _, s := range n.Outputs {
		p.str(fNodeOutput, s)
	}
	p.str(fNodeName, n.Name)
	p.str(fNodeOpType, n.OpType)
	for i := range n.Attrs {
		a := &n.Attrs[i]
		var q pb
		q.str(fAttrName, a.Name)
		switch a.Type {
		case AttrFloat:
			q.float(fAttrF, a.F)
		case AttrInt:
			q.varint(fAttrI, a.I)
		case AttrString:
			q.str(fAttrS, a.S)
		case AttrFloats:
			var f []byte
			for _, v := range a.Floats {
				f = binary.LittleEndian.AppendUint32(f, math.Float32bits(v))
			}
			q.bytes(fAttrFloats, f)
		case AttrInts:
			q.packedInts(fAttrInts, a.Ints)
		}
		q.varint(fAttrType, int64(a.Type))
		p.msg(fNodeAttribute, &q)
	}
	return &p
}

func encodeTensor(t *Tensor) *pb {
	var p pb
	if len(t.Dims) > 0 {
		p.packedInts(fTensorDims, t.Dims)
	}
	p.varint(fTensorDataType, int64(t.DataType))
	p.str(fTensorName, t.Name)
	p.bytes(fTensorRawData, t.Raw)
	return &p
}

func encodeValueInfo(v *ValueInfo) *pb {
	var shape pb
	for _, d := range v.Shape {
		var dim pb
		dim.varint(fDimValue, d)
		shape.msg(fShapeDim, &dim)
	}
	var tt pb
	tt.varint(fTensorElemType, int64(v.ElemType))
	tt.msg(fTensorTypeShape, &shape)
	var typ pb
	typ.msg(fTypeTensor, &tt)
	var p pb
	p.str(fValueName, v.Name)
	p.msg(fValueType, &typ)
	return &p
}

// ErrFormat is wrapped by every Decode error.
var ErrFormat = errors.New("malformed ONNX model")

// Decode parses a ModelProto: the subset of fields that Export writes (other fields
// are skipped). Tensor data must be in raw_data. It is the check that Export's
// output is well formed, not a general ONNX reader.
func Decode(data []byte) (*Model, error) {
	m, err := decodeModel(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	return m, nil
}

func decodeModel(data []byte) (*Model, error) {
	fs, err := parseFields(data)
	if err != nil {
		return nil, fmt.Errorf("ModelProto: %v", err)
	}
	m := &Model{}
	haveGraph := false
	for _, f := range fs {
		switch f.num {
		case fModelIRVersion:
			if err := f.want(wireVarint, "ir_version"); err != nil {
				return nil, err
			}
			m.IRVersion = int64(f.v)
		case fModelProducerName, fModelProducerVersion, fModelDocString:
			if err := f.want(wireBytes, "model string"); err != nil {
				return nil, err
			}
			switch f.num {
			case fModelProducerName:
				m.ProducerName = string(f.b)
			case fModelProducerVersion:
				m.ProducerVersion = string(f.b)
			default:
				m.DocString = string(f.b)
			}
		case fModelOpsetImport:
			if err := f.want(wireBytes, "opset_import"); err != nil {
				return nil, err
			}
			os, err := parseFields(f.b)
			if err != nil {
				return nil, fmt.Errorf("opset_import: %v", err)
			}
			domain, ver := "", int64(0)
			for _, o := range os {
				switch {
				case o.num == fOpsetDomain && o.wire == wireBytes:
					domain = string(o.b)
				case o.num == fOpsetVersion && o.wire == wireVarint:
					ver = int64(o.v)
				}
			}
			if domain == "" || domain == "ai.onnx" {
				m.Opset = ver
			}
		case fModelGraph:
			if err := f.want(wireBytes, "graph"); err != nil {
				return nil, err
			}
			if err := decodeGraph(f.b, &m.Graph); err != nil {
				return nil, fmt.Errorf("graph: %v", err)
			}
			haveGraph = true
		}
	}
	if !haveGraph {
		return nil, errors.New("no graph")
	}
	if m.Opset == 0 {
		return nil, errors.New("no default-domain opset_import")
	}
	return m, nil
}

func decodeGraph(b []byte, g *Graph) error {
	fs, err := parseFields(b)
	if err != nil {
		return err
	}
	for _, f := range fs {
		if f.num != fGraphNode && f.num != fGraphName && f.num != fGraphInitializer &&
			f.num != fGraphDocString && f.num != fGraphInput && f.num != fGraphOutput {
			continue
		}
		if err := f.want(wireBytes, "graph field"); err != nil {
			return err
		}
		switch f.num {
		case fGraphNode:
			n, err := decodeNode(f.b)
			if err != nil {
				return fmt.Errorf("node %d: %v", len(g.Nodes), err)
			}
			g.Nodes = append(g.Nodes, n)
		case fGraphName:
			g.Name = string(f.b)
		case fGraphDocString:
			g.DocString = string(f.b)
		case fGraphInitializer:
			t, err := decodeTensor(f.b)
			if err != nil {
				return fmt.Errorf("initializer %d: %v", len(g.Initializers), err)
			}
			g.Initializers = append(g.Initializers, t)
		case fGraphInput, fGraphOutput:
			v, err := decodeValueInfo(f.b)
			if err != nil {
				return fmt.Errorf("input/output: %v", err)
			}
			if f.num == fGraphInput {
				g.Inputs = append(g.Inputs, v)
			} else {
				g.Outputs = append(g.Outputs, v)
			}
		}
	}
	return nil
}

func decodeNode(b []byte) (Node, error) {
	var n Node
	fs, err := parseFields(b)
	if err != nil {
		return n, err
	}
	for _, f := range fs {
		switch f.num {
		case fNodeInput, fNodeOutput, fNodeName, fNodeOpType, fNodeDomain, fNodeAttribute:
			if err := f.want(wireBytes, "node field"); err != nil {
				return n, err
			}
		default:
			continue
		}
		switch f.num {
		case fNodeInput:
			n.Inputs = append(n.Inputs, string(f.b))
		case fNodeOutput:
			n.Outputs = append(n.Outputs, string(f.b))
		case fNodeName:
			n.Name = string(f.b)
		case fNodeOpType:
			n.OpType = string(f.b)
		case fNodeDomain:
			if d := string(f.b); d != "" && d != "ai.onnx" {
				return n, fmt.Errorf("domain %q not supported", d)
			}
		case fNodeAttribute:
			a, err := decodeAttr(f.b)
			if err != nil {
				return n, fmt.Errorf("attribute %d: %v", len(n.Attrs), err)
			}
			n.Attrs = append(n.Attrs, a)
		}
	}
	return n, nil
}

func decodeAttr(b []byte) (Attribute, error) {
	var a Attribute
	fs, err := parseFields(b)
	if err != nil {
		return a, err
	}
	for _, f := range fs {
		switch f.num {
		case fAttrName:
			if err := f.want(wireBytes, "name"); err != nil {
				return a, err
			}
			a.Name = string(f.b)
		case fAttrType:
			if err := f.want(wireVarint, "type"); err != nil {
				return a, err
			}
			a.Type = int(f.v)
		case fAttrF:
			if err := f.want(wireFixed32, "f"); err != nil {
				return a, err
			}
			a.F = math.Float32frombits(uint32(f.v))
		case fAttrI:
			if err := f.want(wireVarint, "i"); err != nil {
				return a, err
			}
			a.I = int64(f.v)
		case fAttrS:
			if err := f.want(wireBytes, "s"); err != nil {
				return a, err
			}
			a.S = string(f.b)
		case fAttrFloats:
			if a.Floats, err = f.floats(a.Floats); err != nil {
				return a, err
			}
		case fAttrInts:
			if a.Ints, err = f.ints(a.Ints); err != nil {
				return a, err
			}
		}
	}
	switch a.Type {
	case AttrFloat, AttrInt, AttrString, AttrFloats, AttrInts:
	default:
		return a, fmt.Errorf("%q: attribute type %d not supported", a.Name, a.Type)
	}
	return a, nil
}

func decodeTensor(b []byte) (Tensor, error) {
	var t Tensor
	fs, err := parseFields(b)
	if err != nil {
		return t, err
	}
	haveRaw := false
	for _, f := range fs {
		switch f.num {
		case fTensorDims:
			if t.Dims, err = f.ints(t.Dims); err != nil {
				return t, err
			}
		case fTensorDataType:
			if err := f.want(wireVarint, "data_type"); err != nil {
				return t, err
			}
			t.DataType = int(f.v)
		case fTensorName:
			if err := f.want(wireBytes, "name"); err != nil {
				return t, err
			}
			t.Name = string(f.b)
		case fTensorRawData:
			if err := f.want(wireBytes, "raw_data"); err != nil {
				return t, err
			}
			t.Raw, haveRaw = f.b, true
		}
	}
	es := elemSize(t.DataType)
	if es == 0 {
		return t, fmt.Errorf("%q: data type %d not supported", t.Name, t.DataType)
	}
	if !haveRaw {
		return t, fmt.Errorf("%q: no raw_data", t.Name)
	}
	for _, d := range t.Dims {
		if d < 0 || d > 1<<31 {
			return t, fmt.Errorf("%q: dimension %d", t.Name, d)
		}
	}
	if len(t.Raw) != t.Len()*es {
		return t, fmt.Errorf("%q: %d bytes of data for dims %v", t.Name, len(t.Raw), t.Dims)
	}
	return t, nil
}

func decodeValueInfo(b []byte) (ValueInfo, error) {
	var v ValueInfo
	fs, err := parseFields(b)
	if err != nil {
		return v, err
	}
	for _, f := range fs {
		switch {
		case f.num == fValueName && f.wire == wireBytes:
			v.Name = string(f.b)
		case f.num == fValueType && f.wire == wireBytes:
			typ, err := parseFields(f.b)
			if err != nil {
				return v, err
			}
			for _, tf := range typ {
				if tf.num != fTypeTensor || tf.wire != wireBytes {
					continue
				}
				tt, err := parseFields(tf.b)
				if err != nil {
					return v, err
				}
				for _, x := range tt {
					switch {
					case x.num == fTensorElemType && x.wire == wireVarint:
						v.ElemType = int(x.v)
					case x.num == fTensorTypeShape && x.wire == wireBytes:
						dims, err := parseFields(x.b)
						if err != nil {
							return v, err
						}
						for _, d := range dims {
							if d.num != fShapeDim || d.wire != wireBytes {
								continue
							}
							dv, err := parseFields(d.b)
							if err != nil {
								return v, err
							}
							val := int64(-1) // a symbolic dimension
							for _, y := range dv {
								if y.num == fDimValue && y.wire == wireVarint {
									val = int64(y.v)
								}
							}
							v.Shape = append(v.Shape, val)
						}
					}
				}
			}
		}
	}
	if v.Name == "" {
		return v, errors.New("value without a name")
	}
	return v, nil
}
