package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSwapIsOneStep (issue 13, low: "bench's replace is two renames; a kill between
// them leaves no output"): on Linux an output directory replaces the old one in a
// single exchange (renameat2 RENAME_EXCHANGE), so at every moment the target holds
// a complete output; the old one comes back under the temporary name.
func TestSwapIsOneStep(t *testing.T) {
	root := t.TempDir()
	tmp, target := filepath.Join(root, ".out.partial-1"), filepath.Join(root, "out")
	os.Mkdir(tmp, 0o755)
	os.WriteFile(filepath.Join(tmp, "new"), nil, 0o644)
	os.Mkdir(target, 0o755)
	os.WriteFile(filepath.Join(target, "old"), nil, 0o644)
	old, err := swap(tmp, target)
	if err != nil {
		t.Fatal(err)
	}
	if old != tmp {
		t.Fatalf("the old output went to %s: two renames, not one exchange", old)
	}
	if _, err := os.Stat(filepath.Join(target, "new")); err != nil {
		t.Fatal("new output not in place")
	}
	if _, err := os.Stat(filepath.Join(tmp, "old")); err != nil {
		t.Fatal("old output not under the temporary name")
	}
}
