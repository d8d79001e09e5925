//go:build !linux

package atomicfile

// swap puts the directory tmp in place of target and returns the path that now
// holds the old target ("" if there was none). Without renameat2 it takes two
// renames: a kill between them leaves the old output under a hidden name beside it.
func swap(tmp, target string) (string, error) { return swapRenames(tmp, target) }
