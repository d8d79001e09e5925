package frontend

import "golang.org/x/sys/unix"

// threadCPU returns the CPU time (user + system) of the calling OS thread in seconds,
// 0 if unknown. Benchmarks lock their thread and report CPU time per frame, which
// stays meaningful on a machine shared with other work where wall time does not.
func threadCPU() float64 {
	var ru unix.Rusage
	if unix.Getrusage(unix.RUSAGE_THREAD, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
