//go:build !purego

package kernel

func archImpls() []Impl { return nil }
