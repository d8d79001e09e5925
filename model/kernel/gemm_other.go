//go:build (!amd64 && !arm64) || purego

package kernel

func archImpls() []Impl { return nil }

func archRequant() map[string]func([]int32, int32, int, int32, int8, []int8) { return nil }

func archRequantAll() map[string]func([]int32, int32, int, int32, int8, []int8) { return nil }
