//go:build !purego && !linux

package kernel

// amxPermitted reports false: the AMX kernel asks Linux for the permission to use the
// tile data and is not used on other systems.
func amxPermitted() bool { return false }
