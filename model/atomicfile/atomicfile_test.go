package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var tmp []string
	for _, e := range es {
		if strings.Contains(e.Name(), ".tmp-") || strings.Contains(e.Name(), ".partial-") || strings.Contains(e.Name(), ".old-") {
			tmp = append(tmp, e.Name())
		}
	}
	return tmp
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.bin")
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	for _, content := range []string{"first", "second, longer"} {
		if err := WriteFile(p, []byte(content)); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(p)
		if err != nil || string(b) != content {
			t.Fatalf("read back %q, %v", b, err)
		}
	}
	fi, _ := os.Stat(p)
	if fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644 under umask 022", fi.Mode().Perm())
	}
	syscall.Umask(0o077)
	q := filepath.Join(dir, "private")
	if err := WriteFile(q, nil); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(q); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600 under umask 077", fi.Mode().Perm())
	}
	if l := leftovers(t, dir); len(l) != 0 {
		t.Errorf("temporary files left: %v", l)
	}
}

func TestWriteFileFailureLeavesTarget(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "keep")
	os.WriteFile(p, []byte("precious"), 0o644)
	err := Write(p, func(w io.Writer) error {
		w.Write([]byte("half"))
		return errors.New("disk on fire")
	})
	if err == nil || !strings.Contains(err.Error(), "disk on fire") || !strings.Contains(err.Error(), p) {
		t.Fatalf("error %v", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "precious" {
		t.Fatalf("target changed to %q", b)
	}
	if l := leftovers(t, dir); len(l) != 0 {
		t.Errorf("temporary files left: %v", l)
	}
}

func TestWriteFileRefusesNonRegular(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	os.WriteFile(victim, []byte("do not touch"), 0o644)
	link := filepath.Join(dir, "link")
	if err := os.Symlink(victim, link); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o755)
	targets := []string{link, sub}
	if _, err := os.Stat("/dev/null"); err == nil {
		targets = append(targets, "/dev/null")
	}
	for _, p := range targets {
		err := WriteFile(p, []byte("x"))
		if !errors.Is(err, ErrNotOurs) || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error %v, want a refusal naming it", p, err)
		}
	}
	if b, _ := os.ReadFile(victim); string(b) != "do not touch" {
		t.Fatal("the link's target was written")
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatal("the link was replaced")
	}
	// A planted file with the old fixed temporary name is not followed either.
	p := filepath.Join(dir, "out.png")
	os.Symlink(victim, p+".tmp")
	if err := WriteFile(p, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "do not touch" {
		t.Fatal("a planted .tmp link was followed")
	}
}

func TestDir(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "out")
	commit := func(files map[string]string) error {
		d, err := NewDir(out, "test")
		if err != nil {
			return err
		}
		defer d.Abort()
		for n, c := range files {
			if err := d.WriteFile(n, []byte(c)); err != nil {
				return err
			}
		}
		return d.Commit()
	}
	if err := commit(map[string]string{"a.txt": "1", "sub/b.txt": "2"}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "sub", "b.txt")); string(b) != "2" {
		t.Fatal("file missing after commit")
	}
	// Our own output is replaced, old files included.
	if err := commit(map[string]string{"c.txt": "3"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "a.txt")); err == nil {
		t.Error("a.txt of the old output survived the replacement")
	}
	if b, _ := os.ReadFile(filepath.Join(out, "c.txt")); string(b) != "3" {
		t.Fatal("new output missing")
	}
	if l := leftovers(t, root); len(l) != 0 {
		t.Errorf("temporary directories left: %v", l)
	}
	// A file the user put into our output: refused, and nothing is lost.
	os.WriteFile(filepath.Join(out, "notes.txt"), []byte("mine"), 0o644)
	err := commit(map[string]string{"d.txt": "4"})
	if !errors.Is(err, ErrNotOurs) || !strings.Contains(err.Error(), "notes.txt") {
		t.Fatalf("foreign file: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "notes.txt")); string(b) != "mine" {
		t.Fatal("the user's file was lost")
	}
	if l := leftovers(t, root); len(l) != 0 {
		t.Errorf("temporary directories left after a refusal: %v", l)
	}
}

func TestDirRefusesWhatIsNotOurs(t *testing.T) {
	root := t.TempDir()
	input := filepath.Join(root, "set")
	os.Mkdir(input, 0o755)
	os.WriteFile(filepath.Join(input, "counts.csv"), []byte("file,count\n"), 0o644)
	file := filepath.Join(root, "file")
	os.WriteFile(file, []byte("x"), 0o644)
	link := filepath.Join(root, "link")
	os.Symlink(input, link)
	for _, p := range []string{input, file, link} {
		if _, err := NewDir(p, "test"); !errors.Is(err, ErrNotOurs) || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: %v, want a refusal naming it", p, err)
		}
	}
	if _, err := os.Stat(filepath.Join(input, "counts.csv")); err != nil {
		t.Fatal("the input set was touched")
	}
	// An empty directory is fine.
	empty := filepath.Join(root, "empty")
	os.Mkdir(empty, 0o755)
	d, err := NewDir(empty, "test")
	if err != nil {
		t.Fatal(err)
	}
	d.WriteFile("x", []byte("1"))
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	// Invalid names are refused.
	d, _ = NewDir(filepath.Join(root, "o2"), "test")
	defer d.Abort()
	for _, n := range []string{"../escape", "/abs", Marker, ""} {
		if err := d.WriteFile(n, nil); err == nil {
			t.Errorf("name %q accepted", n)
		}
	}
}

func TestSwapRenames(t *testing.T) {
	root := t.TempDir()
	a, b := filepath.Join(root, "a"), filepath.Join(root, "b")
	os.Mkdir(a, 0o755)
	os.WriteFile(filepath.Join(a, "new"), nil, 0o644)
	os.Mkdir(b, 0o755)
	os.WriteFile(filepath.Join(b, "old"), nil, 0o644)
	old, err := swapRenames(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(b, "new")); err != nil {
		t.Fatal("new content not in place")
	}
	if _, err := os.Stat(filepath.Join(old, "old")); err != nil {
		t.Fatal("old content not kept aside")
	}
}
