package onnx

import (
	"os"
	"os/exec"
	"testing"
)

// TestONNXRuntime runs ort-compare.sh: the exported network in ONNX Runtime against
// the engine, stage by stage (it fails when a stage alone is outside its limit).
// Opt-in with NUMSENSE_ORT=1: it needs node and npm (and, on first use, network
// access to install onnxruntime-node) and the ort-bench tool ($ORT_BENCH, see
// ort-compare.sh).
func TestONNXRuntime(t *testing.T) {
	if os.Getenv("NUMSENSE_ORT") != "1" {
		t.Skip("set NUMSENSE_ORT=1 to compare with ONNX Runtime (needs node, npm and the ort-bench tool: $ORT_BENCH)")
	}
	out, err := exec.Command("./ort-compare.sh").CombinedOutput()
	t.Logf("ort-compare.sh:\n%s", out)
	if err != nil {
		t.Fatalf("ort-compare.sh: %v", err)
	}
}
