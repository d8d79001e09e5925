package stimulus

import (
	"fmt"
	"image/png"
	"io"
	"path/filepath"

	"github.com/numsense/numsense/model/atomicfile"
)

// WritePNGs draws count images of set s with n items from a generator seeded with
// seed and writes them as 8-bit grey PNGs named <set>_n<N>_<index>.png (e.g.
// standard_n12_000.png) into the output directory dir, which appears complete or not
// at all and replaces only an earlier output of numsense (model/atomicfile). It
// returns the paths written.
func WritePNGs(dir string, s Set, n, count int, seed uint64) ([]string, error) {
	if count < 0 {
		return nil, fmt.Errorf("stimulus: negative image count %d", count)
	}
	out, err := atomicfile.NewDir(dir, "stimuli")
	if err != nil {
		return nil, fmt.Errorf("stimulus: %w", err)
	}
	defer out.Abort()
	g := New(seed)
	img := NewImage()
	paths := make([]string, 0, count)
	for i := 0; i < count; i++ {
		if _, err := g.Draw(s, n, img); err != nil {
			return nil, err
		}
		name := fmt.Sprintf("%s_n%d_%03d.png", s, n, i)
		if err := out.Write(name, func(w io.Writer) error { return png.Encode(w, img) }); err != nil {
			return nil, fmt.Errorf("stimulus: %w", err)
		}
		paths = append(paths, filepath.Join(dir, name))
	}
	if err := out.Commit(); err != nil {
		return nil, fmt.Errorf("stimulus: %w", err)
	}
	return paths, nil
}
