package model

import "golang.org/x/sys/unix"

// threadCPU returns the CPU time of the calling OS thread in seconds (0 if unknown),
// from CLOCK_THREAD_CPUTIME_ID (exact to the scheduler's accounting, unlike the
// tick-sampled getrusage): benchmarks that lock their thread time single frames by
// it, which other processes on a shared machine disturb less than wall time.
func threadCPU() float64 {
	var ts unix.Timespec
	if unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts) != nil {
		return 0
	}
	return float64(ts.Nano()) / 1e9
}
