//go:build !purego

package kernel

func archStages() []StageImpl { return nil }
