package onnx_test

import (
	"fmt"
	"log"

	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/onnx"
)

// Export a model file's network with every intermediate stage as an output.
func ExampleWriteFile() {
	f, err := model.Load("numsense.model")
	if err != nil {
		log.Fatal(err)
	}
	if err := onnx.WriteFile("numsense.onnx", f.Q, onnx.Opts{Outputs: onnx.AllOutputs()}); err != nil {
		log.Fatal(err)
	}
}

// Export one layer alone (relu4 to relu5: conv5), then read the model back.
func ExampleDecode() {
	f, err := model.Load("numsense.model")
	if err != nil {
		log.Fatal(err)
	}
	var buf bytesBuffer
	if err := onnx.Export(f.Q, &buf, onnx.Opts{Input: "relu4", Outputs: []string{"relu5"}}); err != nil {
		log.Fatal(err)
	}
	m, err := onnx.Decode(buf)
	if err != nil {
		log.Fatal(err)
	}
	n := m.Graph.Nodes[0]
	fmt.Println("opset", m.Opset, n.OpType, n.Name, "group", n.Attr("group").I, "pads", n.Attr("pads").Ints)
	fmt.Println("in", m.Graph.Inputs[0].Name, m.Graph.Inputs[0].Shape, "out", m.Graph.Outputs[0].Name, m.Graph.Outputs[0].Shape)
	// Prints:
	// opset 13 QLinearConv conv5 group 2 pads [1 1 1 1]
	// in relu4 [1 384 13 13] out relu5 [1 256 13 13]
}

type bytesBuffer []byte

func (b *bytesBuffer) Write(p []byte) (int, error) { *b = append(*b, p...); return len(p), nil }
