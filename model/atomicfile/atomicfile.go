// Package atomicfile writes numsense's outputs so that a reader never sees half a
// file and nothing the program did not create is ever replaced or deleted.
//
// Files (WriteFile, Write): the content goes to a new temporary file in the
// target's directory, created with O_EXCL under a random name (so a planted file or
// symbolic link is never followed), is synced, and is renamed over the target. A
// target that exists and is not a regular file (a directory, a device node such as
// /dev/full, a symbolic link, a socket) is refused. New files get mode 0644 and
// directories 0755, both under the process's umask.
//
// Directories (NewDir): an output directory is built under a temporary name beside
// the target and moved into place by Commit. It carries a marker file, .numsense,
// listing the files numsense wrote into it. An existing target is replaced only if
// it is an empty directory, or a directory with that marker holding nothing but the
// files the marker lists; anything else (a file, a link, the input set, a
// directory with files of someone else's) is refused with an error that says why.
// On Linux the swap is a single atomic exchange (renameat2 RENAME_EXCHANGE), so a
// kill at any moment leaves either the old or the new complete directory.
//
// Growing directories (OpenAppendDir, for recordings): files are only added, each
// under a new name (moved into place without replacing anything), and listed in
// the marker, which also marks the directory as input that no output may replace.
//
// Every Linux program in numsense writes through this package: the model file,
// ONNX and .npy exports, PNG stimuli and displays, recordings, bench results and
// reports. CheckFile tells a command at start-up whether a file target is
// acceptable.
package atomicfile

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Mode bits of new files and directories, before the umask.
const (
	FileMode fs.FileMode = 0o644
	DirMode  fs.FileMode = 0o755
)

// Marker is the name of the file that marks a directory as numsense's output.
const Marker = ".numsense"

// markerHead is the first line of a marker file.
const markerHead = "numsense output directory"

// ErrNotOurs is wrapped by the errors of targets this package refuses to replace.
var ErrNotOurs = errors.New("not numsense's to replace")

// checkFileTarget returns nil if path does not exist or is a regular file.
func checkFileTarget(path string) error {
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case fi.Mode().IsRegular():
		return nil
	}
	return fmt.Errorf("%s is a %s, not a regular file: %w", path, kind(fi.Mode()), ErrNotOurs)
}

func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "symbolic link"
	case m.IsDir():
		return "directory"
	case m&fs.ModeDevice != 0:
		return "device"
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	}
	return "special file"
}

func randomSuffix() string {
	var b [6]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// createTemp creates a new file beside path with O_EXCL and FileMode (under the
// umask).
func createTemp(path string) (*os.File, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	for i := 0; ; i++ {
		name := filepath.Join(dir, "."+base+".tmp-"+randomSuffix())
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, FileMode)
		if err == nil || !errors.Is(err, fs.ErrExist) || i == 10 {
			return f, err
		}
	}
}

// CheckFile returns nil if path may be written by WriteFile: it does not exist or
// is a regular file. Commands call it before the work, so that a wrong target
// fails at once.
func CheckFile(path string) error {
	if path == "" {
		return errors.New("atomicfile: empty path")
	}
	if err := checkFileTarget(path); err != nil {
		return fmt.Errorf("refusing to write %s: %w", path, err)
	}
	return nil
}

// WriteFile writes data to path atomically (see the package documentation).
func WriteFile(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// Write is WriteFile with the content written by fn, through a buffer.
func Write(path string, fn func(w io.Writer) error) error {
	return write(path, fn, CheckFile)
}

// write writes path through a temporary file; check is called before and again
// just before the rename.
func write(path string, fn func(w io.Writer) error, check func(string) error) (err error) {
	if path == "" {
		return errors.New("atomicfile: empty path")
	}
	if err := check(path); err != nil {
		return err
	}
	f, err := createTemp(path)
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(f, 64<<10)
	if err = fn(bw); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	// Checked again just before the rename: the target may have changed meanwhile.
	if err = check(path); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

// syncDir makes a rename in dir durable; best effort (not every filesystem can).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// Dir is an output directory under construction. Write its files with WriteFile or
// Create (or under Path), then Commit; Abort (safe after Commit) removes what was
// written if the work failed.
type Dir struct {
	target, tmp, what string
	files             []string
	done              bool
}

// NewDir starts an output directory that will replace target; what says in the
// marker which command wrote it (e.g. "bench"). It fails at once if target exists
// and is not numsense's to replace.
func NewDir(target, what string) (*Dir, error) {
	if target == "" {
		return nil, errors.New("atomicfile: empty output directory name")
	}
	target = filepath.Clean(target)
	if err := CheckDir(target); err != nil {
		return nil, err
	}
	parent := filepath.Dir(target)
	if err := os.MkdirAll(parent, DirMode); err != nil {
		return nil, fmt.Errorf("output directory %s: %w", target, err)
	}
	for i := 0; ; i++ {
		tmp := filepath.Join(parent, "."+filepath.Base(target)+".partial-"+randomSuffix())
		err := os.Mkdir(tmp, DirMode)
		if err == nil {
			return &Dir{target: target, tmp: tmp, what: what}, nil
		}
		if !errors.Is(err, fs.ErrExist) || i == 10 {
			return nil, fmt.Errorf("output directory %s: %w", target, err)
		}
	}
}

// Path is the directory being built (not the target).
func (d *Dir) Path() string { return d.tmp }

// Target is the directory Commit will put in place.
func (d *Dir) Target() string { return d.target }

func (d *Dir) add(name string) (string, error) {
	if name == "" || name == Marker || filepath.IsAbs(name) || !filepath.IsLocal(name) || strings.Contains(name, "\n") {
		return "", fmt.Errorf("output directory %s: invalid file name %q", d.target, name)
	}
	if d.done {
		return "", fmt.Errorf("output directory %s: already committed", d.target)
	}
	p := filepath.Join(d.tmp, name)
	if err := os.MkdirAll(filepath.Dir(p), DirMode); err != nil {
		return "", err
	}
	if !slices.Contains(d.files, name) {
		d.files = append(d.files, filepath.ToSlash(name))
	}
	return p, nil
}

// WriteFile writes one file (name relative to the directory, subdirectories
// allowed) of the output.
func (d *Dir) WriteFile(name string, data []byte) error {
	p, err := d.add(name)
	if err != nil {
		return err
	}
	return os.WriteFile(p, data, FileMode)
}

// Write writes one file of the output through fn.
func (d *Dir) Write(name string, fn func(w io.Writer) error) error {
	p, err := d.add(name)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, FileMode)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	err = fn(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", filepath.Join(d.target, name), err)
	}
	return nil
}

// Commit writes the marker and puts the directory in place of the target (the old
// target, if any, is removed after the swap).
func (d *Dir) Commit() error {
	if d.done {
		return fmt.Errorf("output directory %s: already committed", d.target)
	}
	var m bytes.Buffer
	fmt.Fprintf(&m, "%s (%s); the files below are numsense's and may be replaced:\n", markerHead, d.what)
	for _, f := range d.files {
		fmt.Fprintln(&m, f)
	}
	if err := os.WriteFile(filepath.Join(d.tmp, Marker), m.Bytes(), FileMode); err != nil {
		return err
	}
	if err := CheckDir(d.target); err != nil {
		return err
	}
	old, err := swap(d.tmp, d.target)
	if err != nil {
		return fmt.Errorf("output directory %s: %w", d.target, err)
	}
	d.done = true
	syncDir(filepath.Dir(d.target))
	if old != "" {
		removeOurs(old)
	}
	return nil
}

// Abort removes the directory being built, unless it was committed.
func (d *Dir) Abort() {
	if !d.done {
		d.done = true
		os.RemoveAll(d.tmp)
	}
}

// CheckDir returns nil if target may be replaced by an output directory: it does
// not exist, is an empty directory, or is a directory with numsense's marker that
// holds only the files the marker lists.
func CheckDir(target string) error {
	fi, err := os.Lstat(target)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("output directory %s: %w", target, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("refusing to replace %s: it is a %s, not an output directory of numsense: %w", target, kindOrFile(fi.Mode()), ErrNotOurs)
	}
	entries, err := os.ReadDir(target)
	if err != nil {
		return fmt.Errorf("output directory %s: %w", target, err)
	}
	if len(entries) == 0 {
		return nil
	}
	kind, listed, err := readMarkerKind(target)
	if err != nil {
		return fmt.Errorf("refusing to replace %s: it is not an output directory of numsense (%v); choose another -o or move it away: %w", target, err, ErrNotOurs)
	}
	if strings.HasSuffix(kind, appendOnly) {
		return fmt.Errorf("refusing to replace %s: it is a recording of numsense (%s), input that is never replaced; choose another -o: %w", target, kind, ErrNotOurs)
	}
	var foreign []string
	err = filepath.WalkDir(target, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(target, p)
		rel = filepath.ToSlash(rel)
		if e.IsDir() || rel == Marker {
			return nil
		}
		if !listed[rel] || !e.Type().IsRegular() {
			foreign = append(foreign, rel)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("output directory %s: %w", target, err)
	}
	if len(foreign) > 0 {
		if len(foreign) > 5 {
			foreign = append(foreign[:5], fmt.Sprintf("and %d more", len(foreign)-5))
		}
		return fmt.Errorf("refusing to replace %s: it holds files numsense did not write (%s); move them away: %w",
			target, strings.Join(foreign, ", "), ErrNotOurs)
	}
	return nil
}

func kindOrFile(m fs.FileMode) string {
	if m.IsRegular() {
		return "file"
	}
	return kind(m)
}

// readMarker returns the files listed in dir's marker.
func readMarker(dir string) (map[string]bool, error) {
	fi, err := os.Lstat(filepath.Join(dir, Marker))
	if err != nil {
		return nil, fmt.Errorf("no %s marker", Marker)
	}
	if !fi.Mode().IsRegular() || fi.Size() > 1<<20 {
		return nil, fmt.Errorf("%s is not a marker file", Marker)
	}
	b, err := os.ReadFile(filepath.Join(dir, Marker))
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if !strings.HasPrefix(lines[0], markerHead) {
		return nil, fmt.Errorf("%s is not numsense's marker", Marker)
	}
	listed := map[string]bool{}
	for _, l := range lines[1:] {
		listed[l] = true
	}
	return listed, nil
}

// removeOurs deletes a replaced output directory: the files its marker lists, the
// marker, then the directories left empty. Anything else stays (and so does the
// directory, under its hidden name).
func removeOurs(dir string) {
	listed, err := readMarker(dir)
	if err == nil {
		for f := range listed {
			if f != "" && filepath.IsLocal(f) {
				os.Remove(filepath.Join(dir, filepath.FromSlash(f)))
			}
		}
		os.Remove(filepath.Join(dir, Marker))
	}
	// Remove empty directories bottom-up.
	var dirs []string
	filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err == nil && e.IsDir() {
			dirs = append(dirs, p)
		}
		return nil
	})
	for i := len(dirs) - 1; i >= 0; i-- {
		os.Remove(dirs[i]) // fails, harmlessly, on a directory that is not empty
	}
}
