//go:build !purego

package kernel

import "syscall"

// amxPermitted asks Linux for the permission to use the AMX tile data (state
// component 18), which a process needs before its first tile instruction since Linux
// 5.16 (arch_prctl ARCH_REQ_XCOMP_PERM). The permission covers the whole process.
// It reports false if the kernel refuses or does not know the request (older kernels,
// AMX not enabled by the kernel or the hypervisor).
func amxPermitted() bool {
	const (
		archReqXcompPerm  = 0x1023
		xfeatureXtiledata = 18
	)
	_, _, errno := syscall.RawSyscall(syscall.SYS_ARCH_PRCTL, archReqXcompPerm, xfeatureXtiledata, 0)
	return errno == 0
}
