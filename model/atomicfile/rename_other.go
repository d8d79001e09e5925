//go:build !linux

package atomicfile

// renameNoReplace moves old to new unless new exists (fs.ErrExist then).
func renameNoReplace(old, new string) error { return linkRename(old, new) }
