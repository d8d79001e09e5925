package main

import (
	"bytes"
	"image"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/floatnet"
	"github.com/numsense/numsense/model/lab/stimulus"
	"github.com/numsense/numsense/model/onnx"
)

// TestModelExport runs the command on a model file (quantised on one stimulus, to
// keep the test short; the default network takes 16).
func TestModelExport(t *testing.T) {
	dir := t.TempDir()
	var so, se bytes.Buffer
	if err := cmdModelExport([]string{"--format", "onnx"}, &so, &se); err != errUsage || !strings.Contains(se.String(), "-o FILE") {
		t.Errorf("missing -o: err %v, stderr %q", err, se.String())
	}
	if err := cmdModelExport([]string{"--format", "tflite", "-o", filepath.Join(dir, "x")}, &so, &se); err == nil || !strings.Contains(err.Error(), "tflite") {
		t.Errorf("bad format: %v", err)
	}
	missing := filepath.Join(dir, "no-such.model")
	if err := cmdModelExport([]string{"-o", filepath.Join(dir, "x.onnx"), "--network", "3"}, &so, &se); err == nil || !strings.Contains(err.Error(), "networks 0..2") {
		t.Errorf("--network 3 of the embedded population of three: %v", err)
	}
	if err := cmdModelExport([]string{"-o", filepath.Join(dir, "x.onnx"), "--model", missing}, &so, &se); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing model: %v", err)
	}
	img := stimulus.NewImage()
	if _, err := stimulus.New(3).Draw(stimulus.Standard, 8, img); err != nil {
		t.Fatal(err)
	}
	q, err := floatnet.Quantize(floatnet.New(5), []*image.Gray{img})
	if err != nil {
		t.Fatal(err)
	}
	mf := filepath.Join(dir, "net.model")
	if err := model.Save(mf, &model.File{Q: q, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "net.onnx")
	so.Reset()
	if err := cmdModelExport([]string{"--format", "onnx", "-o", out, "--model", mf, "--layers"}, &so, &se); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(so.String(), out) {
		t.Errorf("stdout %q does not name the file", so.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	m, err := onnx.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Graph.Outputs) != 9 || m.Graph.Outputs[0].Name != "relu5" || m.Graph.Nodes[0].OpType != "QLinearConv" {
		t.Errorf("--layers model: %d outputs, first %q", len(m.Graph.Outputs), m.Graph.Outputs[0].Name)
	}
	w := m.Graph.Initializer("conv3_w")
	if w == nil || !slices.Equal(w.Int8s(), q.Conv[model.Conv3].W) {
		t.Error("conv3 weights in the file differ from the model file's")
	}
	bad := filepath.Join(dir, "no-dir", "x.onnx")
	if err := cmdModelExport([]string{"-o", bad, "--model", mf}, &so, &se); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("bad output path: %v", err)
	}
}
