package atomicfile

import (
	"errors"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// renameNoReplace moves old to new unless new exists (fs.ErrExist then).
func renameNoReplace(old, new string) error {
	err := unix.Renameat2(unix.AT_FDCWD, old, unix.AT_FDCWD, new, unix.RENAME_NOREPLACE)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, unix.EEXIST):
		return fs.ErrExist
	case errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EINVAL):
		return linkRename(old, new) // an old kernel or a filesystem without the flag
	}
	return &os.LinkError{Op: "rename", Old: old, New: new, Err: err}
}
