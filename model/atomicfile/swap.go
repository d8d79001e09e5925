package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// swapRenames is swap in two renames: target to a hidden name, then tmp to target.
func swapRenames(tmp, target string) (string, error) {
	old := ""
	if _, err := os.Lstat(target); err == nil {
		old = filepath.Join(filepath.Dir(target), "."+filepath.Base(target)+".old-"+randomSuffix())
		if err := os.Rename(target, old); err != nil {
			return "", err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	if err := os.Rename(tmp, target); err != nil {
		if old != "" {
			os.Rename(old, target)
		}
		return "", err
	}
	return old, nil
}

// linkRename moves old to new without replacing new: a hard link (which fails if
// new exists), then the old name removed.
func linkRename(old, new string) error {
	if err := os.Link(old, new); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fs.ErrExist
		}
		return err
	}
	return os.Remove(old)
}
