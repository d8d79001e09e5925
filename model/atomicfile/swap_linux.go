package atomicfile

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// swap puts the directory tmp in place of target in one step and returns the path
// that now holds the old target ("" if there was none).
func swap(tmp, target string) (old string, err error) {
	err = unix.Renameat2(unix.AT_FDCWD, tmp, unix.AT_FDCWD, target, unix.RENAME_NOREPLACE)
	if err == nil {
		return "", nil
	}
	if errors.Is(err, unix.EEXIST) {
		if err = unix.Renameat2(unix.AT_FDCWD, tmp, unix.AT_FDCWD, target, unix.RENAME_EXCHANGE); err == nil {
			return tmp, nil
		}
	}
	if errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EINVAL) {
		return swapRenames(tmp, target) // an old kernel or a filesystem without renameat2
	}
	return "", &os.LinkError{Op: "rename", Old: tmp, New: target, Err: err}
}
