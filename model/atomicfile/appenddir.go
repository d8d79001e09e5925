package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// AppendDir is a directory that grows file by file and is never replaced: a
// recording (numsense record). Its marker says so, and CheckDir refuses to let any
// output replace it: what was recorded is input, as precious as any photo set.
//
// OpenAppendDir accepts a directory that does not exist (it is created), an empty
// one, or one an earlier OpenAppendDir of the same kind made; anything else is
// refused. Add puts a new file in place under a name that must not exist yet,
// written first under a temporary name and moved without replacing (so a reader
// never sees half a file, and nothing is overwritten); the marker lists it. Rewrite
// replaces a file this package listed in the marker, atomically, and no other.
// Files of someone else's that are in the directory are left alone; nothing is ever
// deleted.
type AppendDir struct {
	dir, what string
	listed    map[string]bool
}

// appendPrefix is what a marker's head says of an AppendDir: "(KIND, append only)".
const appendOnly = ", append only"

// OpenAppendDir opens dir for adding files (see AppendDir); what is the kind of
// directory, e.g. "record".
func OpenAppendDir(dir, what string) (*AppendDir, error) {
	if dir == "" {
		return nil, errors.New("atomicfile: empty directory name")
	}
	if what == "" || strings.ContainsAny(what, "()\n,") {
		return nil, fmt.Errorf("atomicfile: invalid kind %q", what)
	}
	dir = filepath.Clean(dir)
	fi, err := os.Lstat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, DirMode); err != nil {
			return nil, fmt.Errorf("directory %s: %w", dir, err)
		}
	case err != nil:
		return nil, fmt.Errorf("directory %s: %w", dir, err)
	case !fi.IsDir():
		return nil, fmt.Errorf("refusing to write into %s: it is a %s, not a directory: %w", dir, kindOrFile(fi.Mode()), ErrNotOurs)
	}
	d := &AppendDir{dir: dir, what: what, listed: map[string]bool{}}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("directory %s: %w", dir, err)
	}
	if len(entries) == 0 {
		head := fmt.Sprintf("%s (%s%s); files are only added, never replaced or deleted:\n", markerHead, what, appendOnly)
		if err := WriteFile(filepath.Join(dir, Marker), []byte(head)); err != nil {
			return nil, err
		}
		return d, nil
	}
	kind, listed, err := readMarkerKind(dir)
	switch {
	case err != nil:
		return nil, fmt.Errorf("refusing to write into %s: it holds files and is not a %s directory of numsense (%v); choose a new or empty directory: %w", dir, what, err, ErrNotOurs)
	case kind != what+appendOnly:
		return nil, fmt.Errorf("refusing to write into %s: it is an output directory of numsense (%s), not a %s directory: %w", dir, kind, what, ErrNotOurs)
	}
	d.listed = listed
	return d, nil
}

// Path is the directory.
func (d *AppendDir) Path() string { return d.dir }

// Has reports whether name is in the directory (listed or not).
func (d *AppendDir) Has(name string) bool {
	_, err := os.Lstat(filepath.Join(d.dir, name))
	return !errors.Is(err, fs.ErrNotExist)
}

// Listed reports whether name is a file this package wrote into the directory.
func (d *AppendDir) Listed(name string) bool { return d.listed[filepath.ToSlash(name)] }

func (d *AppendDir) check(name string) error {
	if name == "" || name == Marker || filepath.IsAbs(name) || !filepath.IsLocal(name) || strings.ContainsAny(name, "\n/\\") {
		return fmt.Errorf("directory %s: invalid file name %q", d.dir, name)
	}
	return nil
}

// Add writes a new file name (no subdirectories) through fn; it fails, leaving
// everything as it was, if name exists.
func (d *AppendDir) Add(name string, fn func(w io.Writer) error) error {
	if err := d.check(name); err != nil {
		return err
	}
	target := filepath.Join(d.dir, name)
	f, err := createTemp(target)
	if err != nil {
		return fmt.Errorf("writing %s: %w", target, err)
	}
	tmp := f.Name()
	if err := writeSync(f, fn); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", target, err)
	}
	if err := renameNoReplace(tmp, target); err != nil {
		os.Remove(tmp)
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("refusing to write %s: it exists: %w", target, ErrNotOurs)
		}
		return fmt.Errorf("writing %s: %w", target, err)
	}
	return d.list(name)
}

// Rewrite replaces the file name, which must be absent or listed in the marker
// (written by this package), atomically with what fn writes.
func (d *AppendDir) Rewrite(name string, fn func(w io.Writer) error) error {
	if err := d.check(name); err != nil {
		return err
	}
	if d.Has(name) && !d.Listed(name) {
		return fmt.Errorf("refusing to replace %s: numsense did not write it: %w", filepath.Join(d.dir, name), ErrNotOurs)
	}
	if err := Write(filepath.Join(d.dir, name), fn); err != nil {
		return err
	}
	if d.Listed(name) {
		return nil
	}
	return d.list(name)
}

// list appends name to the marker.
func (d *AppendDir) list(name string) error {
	f, err := os.OpenFile(filepath.Join(d.dir, Marker), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return fmt.Errorf("directory %s: marker: %w", d.dir, err)
	}
	_, err = io.WriteString(f, filepath.ToSlash(name)+"\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("directory %s: marker: %w", d.dir, err)
	}
	d.listed[filepath.ToSlash(name)] = true
	return nil
}

// writeSync writes f through a buffer with fn, syncs and closes it.
func writeSync(f *os.File, fn func(w io.Writer) error) error {
	bw := bufio.NewWriterSize(f, 64<<10)
	err := fn(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// readMarkerKind returns the kind a marker names ("bench", "record, append only")
// and the files it lists.
func readMarkerKind(dir string) (string, map[string]bool, error) {
	listed, err := readMarker(dir)
	if err != nil {
		return "", nil, err
	}
	b, err := os.ReadFile(filepath.Join(dir, Marker))
	if err != nil {
		return "", nil, err
	}
	head, _, _ := strings.Cut(string(b), "\n")
	_, kind, _ := strings.Cut(head, "(")
	kind, _, ok := strings.Cut(kind, ")")
	if !ok {
		return "", nil, fmt.Errorf("%s names no kind", Marker)
	}
	return kind, listed, nil
}
