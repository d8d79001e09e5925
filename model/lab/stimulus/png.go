package stimulus

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
)

// WritePNGs draws count images of set s with n items from a generator seeded with
// seed and writes them to dir (created if missing) as 8-bit grey PNGs named
// <set>_n<N>_<index>.png, e.g. standard_n12_000.png. Each file is written to a
// temporary name in dir and renamed into place. It returns the paths written.
func WritePNGs(dir string, s Set, n, count int, seed uint64) ([]string, error) {
	if count < 0 {
		return nil, fmt.Errorf("stimulus: negative image count %d", count)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("stimulus: output directory: %w", err)
	}
	g := New(seed)
	img := NewImage()
	paths := make([]string, 0, count)
	for i := 0; i < count; i++ {
		if _, err := g.Draw(s, n, img); err != nil {
			return paths, err
		}
		name := filepath.Join(dir, fmt.Sprintf("%s_n%d_%03d.png", s, n, i))
		if err := writePNG(name, img); err != nil {
			return paths, err
		}
		paths = append(paths, name)
	}
	return paths, nil
}

// writePNG encodes img to a temporary file next to name, syncs it and renames it.
func writePNG(name string, img *image.Gray) (err error) {
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp*")
	if err != nil {
		return fmt.Errorf("stimulus: %s: %w", name, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = png.Encode(f, img); err != nil {
		return fmt.Errorf("stimulus: %s: encoding PNG: %w", name, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("stimulus: %s: %w", name, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("stimulus: %s: %w", name, err)
	}
	if err = os.Rename(tmp, name); err != nil {
		return fmt.Errorf("stimulus: %s: %w", name, err)
	}
	return nil
}
