//go:build (!amd64 && !arm64) || purego

package kernel

func archStages() []StageImpl { return nil }
