//go:build (!amd64 && !arm64) || purego

package kernel

func archImpls() []Impl { return nil }
