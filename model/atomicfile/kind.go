package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// Kind is a kind of file numsense writes (a model file, a .npy array, an ONNX
// model, a PNG picture). Writing through a Kind replaces an existing target only if
// it is empty or of that kind, so that a mistyped -o README.md or --npy notes.txt
// is refused instead of destroying a file numsense did not create.
type Kind struct {
	// Name says what the files are, with an article, for errors ("a numsense
	// model file").
	Name string
	// Ours reports whether a file that starts with head (up to 512 bytes) is of
	// this kind.
	Ours func(head []byte) bool
}

// Check returns nil if path may be written as a file of kind k: it does not exist,
// or is a regular file that is empty or of kind k.
func (k Kind) Check(path string) error {
	if err := CheckFile(path); err != nil {
		return err
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("refusing to write %s: %w", path, err)
	}
	defer f.Close()
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return fmt.Errorf("refusing to write %s: %w", path, err)
	}
	if n == 0 || k.Ours(head[:n]) {
		return nil
	}
	return fmt.Errorf("refusing to replace %s: it is not %s (numsense replaces only its own kind of file): %w", path, k.Name, ErrNotOurs)
}

// WriteFile is WriteFile for a file of kind k.
func (k Kind) WriteFile(path string, data []byte) error {
	return k.Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// Write is Write for a file of kind k: the target is checked before the content
// is written and again before it is put in place.
func (k Kind) Write(path string, fn func(w io.Writer) error) error {
	if err := k.Check(path); err != nil {
		return err
	}
	return write(path, fn, k.Check)
}
