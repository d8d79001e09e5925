package onnx

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/numsense/numsense/model"
)

func exportDecode(t *testing.T, q *model.QNet, o Opts) *Model {
	t.Helper()
	var buf bytes.Buffer
	if err := Export(q, &buf, o); err != nil {
		t.Fatal(err)
	}
	m, err := Decode(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func scalarF(t *testing.T, g *Graph, name string) float32 {
	t.Helper()
	x := g.Initializer(name)
	if x == nil || x.DataType != Float32 || len(x.Dims) != 0 || len(x.Raw) != 4 {
		t.Fatalf("%s: not a float scalar initializer: %+v", name, x)
	}
	return math.Float32frombits(binary.LittleEndian.Uint32(x.Raw))
}

func scalarU8(t *testing.T, g *Graph, name string) uint8 {
	t.Helper()
	x := g.Initializer(name)
	if x == nil || x.DataType != Uint8 || len(x.Dims) != 0 || len(x.Raw) != 1 {
		t.Fatalf("%s: not a uint8 scalar initializer: %+v", name, x)
	}
	return x.Raw[0]
}

func wantInts(t *testing.T, n *Node, name string, want ...int64) {
	t.Helper()
	a := n.Attr(name)
	if a == nil || a.Type != AttrInts || !slices.Equal(a.Ints, want) {
		t.Errorf("%s.%s = %+v, want ints %v", n.Name, name, a, want)
	}
}

func wantInt(t *testing.T, n *Node, name string, want int64) {
	t.Helper()
	if a := n.Attr(name); a == nil || a.Type != AttrInt || a.I != want {
		t.Errorf("%s.%s = %+v, want int %d", n.Name, name, a, want)
	}
}

func wantFloat(t *testing.T, n *Node, name string, want float32) {
	t.Helper()
	if a := n.Attr(name); a == nil || a.Type != AttrFloat || a.F != want {
		t.Errorf("%s.%s = %+v, want float %g", n.Name, name, a, want)
	}
}

// TestExportWholeNetwork decodes the full export and checks every node, attribute
// and initializer against the QNet.
func TestExportWholeNetwork(t *testing.T) {
	q := synthQNet(1)
	q.Conv[model.Conv3].InZP = -100 // a non-default zero point must map to 28
	m := exportDecode(t, q, Opts{Outputs: AllOutputs(), ProducerVersion: "test"})
	if m.IRVersion != 7 || m.Opset != 13 || m.ProducerName != "numsense" || m.ProducerVersion != "test" {
		t.Errorf("header: ir %d opset %d producer %q %q", m.IRVersion, m.Opset, m.ProducerName, m.ProducerVersion)
	}
	g := &m.Graph
	if len(g.Inputs) != 1 || g.Inputs[0].Name != "input" || g.Inputs[0].ElemType != Uint8 || !slices.Equal(g.Inputs[0].Shape, []int64{1, 1, 227, 227}) {
		t.Errorf("input %+v", g.Inputs)
	}
	var outNames []string
	for _, o := range g.Outputs {
		outNames = append(outNames, o.Name)
		s, _ := Shape(o.Name)
		if o.ElemType != Uint8 || !slices.Equal(o.Shape, s) {
			t.Errorf("output %+v, want uint8 %v", o, s)
		}
	}
	if want := []string{"relu5", "relu1", "norm1", "pool1", "relu2", "norm2", "pool2", "relu3", "relu4"}; !slices.Equal(outNames, want) {
		t.Errorf("outputs %v, want %v", outNames, want)
	}
	var ops []string
	for _, n := range g.Nodes {
		ops = append(ops, n.OpType)
	}
	wantOps := []string{"QLinearConv", "DequantizeLinear", "LRN", "QuantizeLinear", "MaxPool",
		"QLinearConv", "DequantizeLinear", "LRN", "QuantizeLinear", "MaxPool", "QLinearConv", "QLinearConv", "QLinearConv"}
	if !slices.Equal(ops, wantOps) {
		t.Fatalf("ops %v\nwant %v", ops, wantOps)
	}
	// Topological order: every input is the graph input, an initializer or made earlier.
	known := map[string]bool{"input": true}
	for _, x := range g.Initializers {
		if known[x.Name] {
			t.Errorf("initializer %q defined twice", x.Name)
		}
		known[x.Name] = true
	}
	for _, n := range g.Nodes {
		for _, in := range n.Inputs {
			if !known[in] {
				t.Errorf("node %s reads %q before it exists", n.Name, in)
			}
		}
		for _, out := range n.Outputs {
			known[out] = true
		}
	}
	for _, o := range outNames {
		if !known[o] {
			t.Errorf("output %q is never produced", o)
		}
	}

	convs := 0
	for i := range g.Nodes {
		n := &g.Nodes[i]
		switch n.OpType {
		case "QLinearConv":
			li := convs
			convs++
			checkConv(t, g, n, q, li)
		case "MaxPool":
			wantInts(t, n, "kernel_shape", 3, 3)
			wantInts(t, n, "strides", 2, 2)
			wantInts(t, n, "pads", 0, 0, 0, 0)
		case "LRN":
			wantInt(t, n, "size", 5)
			wantFloat(t, n, "alpha", 1e-4)
			wantFloat(t, n, "beta", 0.75)
			wantFloat(t, n, "bias", 1)
		case "DequantizeLinear", "QuantizeLinear":
			ni := 0
			if strings.HasPrefix(n.Name, "norm2") {
				ni = 1
			}
			nq := &q.Norm[ni]
			if len(n.Inputs) != 3 {
				t.Fatalf("%s: inputs %v", n.Name, n.Inputs)
			}
			sc, zp := nq.InScale, nq.InZP
			if n.OpType == "QuantizeLinear" {
				sc, zp = nq.OutScale, nq.OutZP
			}
			if s := scalarF(t, g, n.Inputs[1]); s != sc {
				t.Errorf("%s: scale %g, want %g", n.Name, s, sc)
			}
			if z := scalarU8(t, g, n.Inputs[2]); int32(z) != zp+128 {
				t.Errorf("%s: zero point %d, want %d", n.Name, z, zp+128)
			}
		}
	}
}

func checkConv(t *testing.T, g *Graph, n *Node, q *model.QNet, li int) {
	t.Helper()
	l := model.Arch[li]
	c := &q.Conv[li]
	if n.Name != l.Name || len(n.Inputs) != 9 || len(n.Outputs) != 1 {
		t.Fatalf("conv %d: node %q inputs %v outputs %v", li, n.Name, n.Inputs, n.Outputs)
	}
	k, s, p := int64(l.K), int64(l.Stride), int64(l.Pad)
	wantInts(t, n, "kernel_shape", k, k)
	wantInts(t, n, "strides", s, s)
	wantInts(t, n, "pads", p, p, p, p)
	wantInts(t, n, "dilations", 1, 1)
	wantInt(t, n, "group", int64(l.Groups))
	if v := scalarF(t, g, n.Inputs[1]); v != c.InScale {
		t.Errorf("%s x_scale %g, want %g", l.Name, v, c.InScale)
	}
	if v := scalarU8(t, g, n.Inputs[2]); int32(v) != c.InZP+128 {
		t.Errorf("%s x_zero_point %d, want %d", l.Name, v, c.InZP+128)
	}
	w := g.Initializer(n.Inputs[3])
	if w == nil || w.DataType != Int8 || !slices.Equal(w.Dims, []int64{int64(l.Out), int64(l.InPerGroup()), k, k}) {
		t.Fatalf("%s weights: %+v", l.Name, w)
	}
	if !slices.Equal(w.Int8s(), c.W) {
		t.Errorf("%s weights differ", l.Name)
	}
	ws := g.Initializer(n.Inputs[4])
	if ws == nil || ws.DataType != Float32 || !slices.Equal(ws.Dims, []int64{int64(l.Out)}) || !slices.Equal(ws.Float32s(), c.WScale) {
		t.Errorf("%s weight scales differ", l.Name)
	}
	wz := g.Initializer(n.Inputs[5])
	if wz == nil || wz.DataType != Int8 || !slices.Equal(wz.Dims, []int64{int64(l.Out)}) || slices.ContainsFunc(wz.Int8s(), func(v int8) bool { return v != 0 }) {
		t.Errorf("%s weight zero points not %d zeros: %+v", l.Name, l.Out, wz)
	}
	if v := scalarF(t, g, n.Inputs[6]); v != c.OutScale {
		t.Errorf("%s y_scale %g, want %g", l.Name, v, c.OutScale)
	}
	if v := scalarU8(t, g, n.Inputs[7]); int32(v) != c.OutZP+128 {
		t.Errorf("%s y_zero_point %d, want %d", l.Name, v, c.OutZP+128)
	}
	b := g.Initializer(n.Inputs[8])
	if b == nil || b.DataType != Int32 || !slices.Equal(b.Dims, []int64{int64(l.Out)}) || !slices.Equal(b.Int32s(), c.Bias) {
		t.Errorf("%s biases differ", l.Name)
	}
}

func TestExportOpts(t *testing.T) {
	q := synthQNet(2)
	m := exportDecode(t, q, Opts{})
	if len(m.Graph.Outputs) != 1 || m.Graph.Outputs[0].Name != "relu5" || len(m.Graph.Nodes) != 13 {
		t.Errorf("default: outputs %+v, %d nodes", m.Graph.Outputs, len(m.Graph.Nodes))
	}
	m = exportDecode(t, q, Opts{Outputs: []string{"norm1"}})
	if len(m.Graph.Nodes) != 4 || m.Graph.Nodes[3].OpType != "QuantizeLinear" || len(m.Graph.Initializers) != 8+4 {
		t.Errorf("to norm1: %d nodes, %d initializers", len(m.Graph.Nodes), len(m.Graph.Initializers))
	}
	m = exportDecode(t, q, Opts{Input: "pool1", Outputs: []string{"relu2"}})
	if len(m.Graph.Nodes) != 1 || m.Graph.Nodes[0].Name != "conv2" || m.Graph.Inputs[0].Name != "pool1" ||
		!slices.Equal(m.Graph.Inputs[0].Shape, []int64{1, 96, 27, 27}) || m.Graph.Nodes[0].Inputs[0] != "pool1" {
		t.Errorf("pool1 to relu2: %+v", m.Graph)
	}
	for _, o := range []Opts{
		{Outputs: []string{"relu9"}},
		{Outputs: []string{"input"}},
		{Input: "relu3", Outputs: []string{"relu2"}},
		{Input: "relu5"},
		{Input: "conv1"},
		{Outputs: []string{"relu4", "relu4"}},
	} {
		if err := Export(q, &bytes.Buffer{}, o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
	bad := *q
	bad.Conv[model.Conv4].W = bad.Conv[model.Conv4].W[:10]
	if err := Export(&bad, &bytes.Buffer{}, Opts{}); err == nil || !strings.Contains(err.Error(), "conv4") {
		t.Errorf("short weights: %v", err)
	}
	bad = *q
	bad.Conv[model.Conv2].WScale = slices.Clone(bad.Conv[model.Conv2].WScale)
	bad.Conv[model.Conv2].WScale[7] = float32(math.NaN())
	if err := Export(&bad, &bytes.Buffer{}, Opts{}); err == nil || !strings.Contains(err.Error(), "conv2") {
		t.Errorf("NaN scale: %v", err)
	}
	if err := Export(nil, &bytes.Buffer{}, Opts{}); err == nil {
		t.Error("nil QNet: no error")
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteFile(t *testing.T) {
	q := synthQNet(4)
	dir := t.TempDir()
	path := filepath.Join(dir, "net.onnx")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A file that is not an ONNX model of numsense's is never replaced.
	if err := WriteFile(path, q, Opts{Input: "relu3"}); err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("replacing a file of someone else's: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Fatal("the file of someone else's was changed")
	}
	// An earlier export is replaced.
	os.Remove(path)
	if err := WriteFile(path, q, Opts{}); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, q, Opts{Input: "relu3"}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := Export(q, &want, Opts{Input: "relu3"}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, want.Bytes()) {
		t.Error("file content differs from Export's")
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("directory holds %d entries after the write, want 1 (no temporary left)", len(ents))
	}
	bad := filepath.Join(dir, "missing", "net.onnx")
	if err := WriteFile(bad, q, Opts{}); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("missing directory: %v", err)
	}
	// A directory in the way: the rename fails, the old entry stays, no temp is left.
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o755)
	os.WriteFile(filepath.Join(sub, "keep"), []byte("x"), 0o644)
	if err := WriteFile(sub, q, Opts{Input: "relu4"}); err == nil || !strings.Contains(err.Error(), sub) {
		t.Errorf("directory as target: %v", err)
	}
	ents, _ = os.ReadDir(dir)
	if len(ents) != 2 {
		t.Errorf("after a failed write the directory holds %d entries, want 2", len(ents))
	}
	if err := Export(q, failWriter{}, Opts{}); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("failing writer: %v", err)
	}
}

// BenchmarkExport writes the whole network (about 2.3 MB) to a discarding writer.
func BenchmarkExport(b *testing.B) {
	q := synthQNet(1)
	var n countWriter
	if err := Export(q, &n, Opts{}); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		if err := Export(q, io.Discard, Opts{}); err != nil {
			b.Fatal(err)
		}
	}
}

type countWriter int

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }
