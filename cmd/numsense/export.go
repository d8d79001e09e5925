package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/onnx"
	"github.com/numsense/numsense/model/quote"
)

// cmdModelExport is `numsense model export`: writes the int8 network in another
// format (ONNX) for other runtimes and for the side-by-side with ONNX Runtime.
func cmdModelExport(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("model export", "model export --format onnx -o FILE [--model FILE] [--network K] [--layers]", `
Writes the int8 network (conv1 to relu5) as an ONNX model (opset 13): uint8 input
[1,1,227,227] (the grey frame), QLinearConv with uint8 activations and per-channel
int8 weights, MaxPool on uint8, LRN as DequantizeLinear -> LRN -> QuantizeLinear.
The uint8 activations are the engine's int8 codes plus 128, so ONNX Runtime can be
compared with the engine value by value (see docs/onnx.md). Of a population (the
embedded model has three networks), one network: --network K (default 0). The file is
written atomically.`, stderr)
	format := fs.String("format", "onnx", "output format (only onnx)")
	out := fs.String("o", "", "output file")
	path := fs.String("model", "", "model file (default: the calibrated model embedded in the binary)")
	layers := fs.Bool("layers", false, "also output every intermediate stage (relu1, norm1, pool1, ..., relu4) after relu5")
	network := fs.Int("network", 0, "which network of a population to export (0 is the first)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "numsense model export: unexpected argument %s\n", quote.Short(fs.Arg(0)))
		return errUsage
	}
	if *out == "" {
		fmt.Fprintln(stderr, "numsense model export: -o FILE is required")
		return errUsage
	}
	if strings.ToLower(*format) != "onnx" {
		return fmt.Errorf("--format: %s is not supported (only onnx)", quote.Short(*format))
	}
	if err := onnx.FileKind.Check(*out); err != nil {
		return fmt.Errorf("-o: %w", err)
	}
	q, err := exportQNet(*path, *network)
	if err != nil {
		return err
	}
	o := onnx.Opts{ProducerVersion: version}
	if *layers {
		o.Outputs = onnx.AllOutputs()
	}
	if err := onnx.WriteFile(*out, q, o); err != nil {
		return err
	}
	outs := o.Outputs
	if len(outs) == 0 {
		outs = []string{"relu5"}
	}
	fmt.Fprintf(stdout, "wrote %s: ONNX opset %d, seed %d, outputs %s\n", *out, onnx.Opset, q.Seed, strings.Join(outs, ", "))
	return nil
}

// exportQNet loads network k of a model file, or of the embedded calibrated model
// (whose networks numsense run uses) when path is empty.
func exportQNet(path string, k int) (*model.QNet, error) {
	f, err := loadModelFile(path)
	if err != nil {
		return nil, err
	}
	nets := f.Networks()
	if k < 0 || k >= len(nets) {
		return nil, fmt.Errorf("--network: %d, the model has networks 0..%d", k, len(nets)-1)
	}
	return nets[k], nil
}
