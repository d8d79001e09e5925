package kernel

import "golang.org/x/sys/unix"

// threadCPU returns the CPU time of the calling OS thread in seconds (0 if unknown).
// Benchmarks lock their thread and divide by it, so that MAC/s stay meaningful on a
// machine shared with other work.
func threadCPU() float64 {
	var ru unix.Rusage
	if unix.Getrusage(unix.RUSAGE_THREAD, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
