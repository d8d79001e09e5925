//go:build !linux

package frontend

// threadCPU is unknown off Linux: benchmarks then report wall time only.
func threadCPU() float64 { return 0 }
