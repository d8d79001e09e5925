package main

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// snapshot describes what is at p (kind, content, what a link points to, what a
// directory holds), to show that a refused command left it as it was.
func snapshot(t *testing.T, p string) string {
	t.Helper()
	fi, err := os.Lstat(p)
	if err != nil {
		return "absent"
	}
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		l, _ := os.Readlink(p)
		return "link to " + l
	case fi.Mode().IsRegular():
		b, _ := os.ReadFile(p)
		return fmt.Sprintf("file %x", sha256.Sum256(b))
	case fi.IsDir():
		var out []string
		filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
			if err == nil && q != p {
				rel, _ := filepath.Rel(p, q)
				out = append(out, rel+": "+snapshot(t, q))
			}
			return nil
		})
		sort.Strings(out)
		return "dir{" + strings.Join(out, "; ") + "}"
	}
	return fi.Mode().String()
}

// TestWritersRefuseWhatIsNotTheirs is issue 13 items 1 and 8 at the command line,
// for every command that writes: bench -o D D once deleted the input set, and
// --npy /dev/full replaced the device. Each target that is not the command's to
// replace (the input set, a file of someone else's, a device node, a symbolic link,
// an unrelated directory) is refused with exit status 1 and an error naming it, and
// stays as it was.
func TestWritersRefuseWhatIsNotTheirs(t *testing.T) {
	root := t.TempDir()
	set := writeSet(t, []int{3, 5})
	stimDir := filepath.Join(root, "stim")
	if code, _, se := run(t, "stimuli", "--set", "standard", "--n", "4", "--count", "1", "-o", stimDir); code != 0 {
		t.Fatalf("stimuli: %s", se)
	}
	img := filepath.Join(stimDir, "standard_n4_000.png")
	notes := filepath.Join(root, "notes.txt")
	os.WriteFile(notes, []byte("my notes\n"), 0o644)
	unrelated := filepath.Join(root, "photos")
	os.Mkdir(unrelated, 0o755)
	os.WriteFile(filepath.Join(unrelated, "holiday.jpg"), []byte("not really a jpeg"), 0o644)
	ownFile := filepath.Join(root, "own.onnx")
	if code, _, se := run(t, "model", "export", "-o", ownFile); code != 0 {
		t.Fatalf("export: %s", se)
	}
	linkToDir := filepath.Join(root, "link-dir")
	os.Symlink(unrelated, linkToDir)
	linkToFile := filepath.Join(root, "link-file")
	os.Symlink(ownFile, linkToFile)

	dirTargets := []string{notes, "/dev/full", linkToDir, unrelated}
	fileTargets := []string{notes, "/dev/full", linkToFile, unrelated}
	type cmd struct {
		name string
		args func(target string) []string
	}
	dirCmds := []cmd{
		{"bench", func(o string) []string { return []string{"bench", set, "-o", o, "-q"} }},
		{"record", func(o string) []string {
			return []string{"record", "--source", "synthetic:2", "-o", o, "--max", "1", "--every", "0", "--width", "64", "--height", "48"}
		}},
		{"stimuli", func(o string) []string { return []string{"stimuli", "--n", "3", "--count", "1", "-o", o} }},
		{"reproduce", func(o string) []string { return []string{"reproduce", "--networks", "1", "--images", "2", "-o", o} }},
	}
	fileCmds := []cmd{
		{"calibrate", func(o string) []string { return []string{"calibrate", "--images", "2", "-o", o} }},
		{"model new", func(o string) []string { return []string{"model", "new", "-o", o} }},
		{"model export", func(o string) []string { return []string{"model", "export", "-o", o} }},
		{"infer --npy", func(o string) []string { return []string{"infer", "--raw", "--npy", o, img} }},
		{"run --display png", func(o string) []string {
			return []string{"run", "--source", "synthetic:1", "--display", "png", "--png", o, "--frames", "1", "--threads", "1"}
		}},
		{"display test --driver png", func(o string) []string {
			return []string{"display", "test", "--driver", "png", "--png", o, "--hold", "1ms"}
		}},
	}
	try := func(c cmd, target string) {
		before := snapshot(t, target)
		code, _, se := run(t, c.args(target)...)
		if code != 1 || !strings.Contains(se, target) {
			t.Errorf("%s -o %s: exit %d, %q; want exit 1 and an error naming the target", c.name, target, code, se)
		}
		if after := snapshot(t, target); after != before {
			t.Errorf("%s -o %s changed the target:\nbefore %s\nafter  %s", c.name, target, before, after)
		}
	}
	// bench -o D D: the input set itself.
	try(dirCmds[0], set)
	for _, c := range dirCmds {
		for _, target := range dirTargets {
			try(c, target)
		}
	}
	for _, c := range fileCmds {
		for _, target := range fileTargets {
			try(c, target)
		}
	}
	// A file of their own kind is replaced; an output directory of their own too.
	if code, _, se := run(t, "model", "export", "-o", ownFile); code != 0 {
		t.Errorf("replacing an earlier export: %s", se)
	}
	if code, _, se := run(t, "stimuli", "--set", "standard", "--n", "5", "--count", "1", "-o", stimDir); code != 0 {
		t.Errorf("replacing an earlier stimuli output: %s", se)
	}
	if _, err := os.Stat(img); !os.IsNotExist(err) {
		t.Errorf("the earlier stimuli output was not replaced: %v", err)
	}
}
