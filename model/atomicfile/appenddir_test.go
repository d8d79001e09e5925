package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func add(d *AppendDir, name, content string) error {
	return d.Add(name, func(w io.Writer) error { _, err := io.WriteString(w, content); return err })
}

func rewrite(d *AppendDir, name, content string) error {
	return d.Rewrite(name, func(w io.Writer) error { _, err := io.WriteString(w, content); return err })
}

// TestAppendDir: files are added under new names only, reopening continues the same
// directory, a listed file may be rewritten and nothing else is replaced or deleted.
func TestAppendDir(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "rec")
	d, err := OpenAppendDir(dir, "record")
	if err != nil {
		t.Fatal(err)
	}
	if err := add(d, "a.png", "A"); err != nil {
		t.Fatal(err)
	}
	if err := add(d, "a.png", "B"); !errors.Is(err, ErrNotOurs) {
		t.Errorf("adding a.png twice: %v", err)
	}
	if err := rewrite(d, "counts.csv", "file,count\n"); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644) // the user's
	d, err = OpenAppendDir(dir, "record")
	if err != nil {
		t.Fatalf("reopening a recording: %v", err)
	}
	if !d.Listed("a.png") || !d.Listed("counts.csv") || d.Listed("notes.txt") {
		t.Errorf("listed: a.png %v counts.csv %v notes.txt %v", d.Listed("a.png"), d.Listed("counts.csv"), d.Listed("notes.txt"))
	}
	if err := rewrite(d, "counts.csv", "file,count\na.png,1\n"); err != nil {
		t.Fatal(err)
	}
	if err := rewrite(d, "notes.txt", "x"); !errors.Is(err, ErrNotOurs) {
		t.Errorf("rewriting the user's file: %v", err)
	}
	if err := add(d, "notes.txt", "x"); !errors.Is(err, ErrNotOurs) {
		t.Errorf("adding over the user's file: %v", err)
	}
	for name, want := range map[string]string{"a.png": "A", "counts.csv": "file,count\na.png,1\n", "notes.txt": "mine"} {
		if b, _ := os.ReadFile(filepath.Join(dir, name)); string(b) != want {
			t.Errorf("%s holds %q, want %q", name, b, want)
		}
	}
	if l := leftovers(t, dir); len(l) != 0 {
		t.Errorf("temporary files left: %v", l)
	}
	for _, n := range []string{"../x", "sub/x", Marker, ""} {
		if err := add(d, n, ""); err == nil {
			t.Errorf("name %q accepted", n)
		}
	}
	// No output may replace a recording, even one holding only listed files.
	if err := CheckDir(dir); !errors.Is(err, ErrNotOurs) || !strings.Contains(err.Error(), "recording") {
		t.Errorf("CheckDir on a recording: %v", err)
	}
	if _, err := NewDir(dir, "bench"); !errors.Is(err, ErrNotOurs) {
		t.Errorf("NewDir over a recording: %v", err)
	}
}

// TestAppendDirRefuses: a file, a symbolic link, a directory of someone else's and
// an output directory of another kind are not recordings.
func TestAppendDirRefuses(t *testing.T) {
	root := t.TempDir()
	set := filepath.Join(root, "set")
	os.Mkdir(set, 0o755)
	os.WriteFile(filepath.Join(set, "counts.csv"), []byte("file,count\n"), 0o644)
	file := filepath.Join(root, "file")
	os.WriteFile(file, []byte("x"), 0o644)
	link := filepath.Join(root, "link")
	os.Symlink(set, link)
	out := filepath.Join(root, "out")
	o, _ := NewDir(out, "bench")
	o.WriteFile("summary.json", []byte("{}"))
	if err := o.Commit(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{set, file, link, out} {
		if _, err := OpenAppendDir(p, "record"); !errors.Is(err, ErrNotOurs) || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: %v, want a refusal naming it", p, err)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(set, "counts.csv")); string(b) != "file,count\n" {
		t.Error("the photo set was touched")
	}
	if err := CheckFile(file); err != nil {
		t.Errorf("CheckFile on a regular file: %v", err)
	}
	for _, p := range []string{set, link, "/dev/null"} {
		if err := CheckFile(p); !errors.Is(err, ErrNotOurs) {
			t.Errorf("CheckFile %s: %v", p, err)
		}
	}
}
