package kernel

import (
	"runtime"

	"golang.org/x/sys/cpu"
)

// Features lists the SIMD features of this CPU that the kernels choose by, as this
// process sees them (after GODEBUG, e.g. cpu.avx512f=off to run as on an AVX2-only
// x86), for benchmark and comparison lines that must say what ran.
func Features() []string {
	var f []string
	add := func(ok bool, name string) {
		if ok {
			f = append(f, name)
		}
	}
	switch runtime.GOARCH {
	case "amd64", "386":
		add(cpu.X86.HasAVX2, "avx2")
		add(cpu.X86.HasFMA, "fma")
		add(cpu.X86.HasAVXVNNI, "avxvnni")
		add(cpu.X86.HasAVX512F, "avx512f")
		add(cpu.X86.HasAVX512BW, "avx512bw")
		add(cpu.X86.HasAVX512CD, "avx512cd")
		add(cpu.X86.HasAVX512VBMI, "avx512vbmi")
		add(cpu.X86.HasAVX512VNNI, "avx512vnni")
		add(cpu.X86.HasAMXInt8, "amx-int8")
	case "arm64":
		add(cpu.ARM64.HasASIMD, "asimd")
		add(cpu.ARM64.HasASIMDDP, "asimddp")
	}
	return f
}
