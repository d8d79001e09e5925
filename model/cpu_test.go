package model

import (
	"runtime"
	"strings"

	"golang.org/x/sys/cpu"
)

// cpuFeatures lists the SIMD features the kernels choose by on this CPU.
func cpuFeatures() string {
	var f []string
	add := func(ok bool, name string) {
		if ok {
			f = append(f, name)
		}
	}
	switch runtime.GOARCH {
	case "amd64":
		add(cpu.X86.HasAVX2, "avx2")
		add(cpu.X86.HasAVX512F, "avx512f")
		add(cpu.X86.HasAVX512BW, "avx512bw")
		add(cpu.X86.HasAVX512CD, "avx512cd")
		add(cpu.X86.HasAVX512VBMI, "avx512vbmi")
		add(cpu.X86.HasAVX512VNNI, "avx512vnni")
	case "arm64":
		add(cpu.ARM64.HasASIMD, "asimd")
		add(cpu.ARM64.HasASIMDDP, "asimddp")
	}
	return runtime.GOARCH + " " + strings.Join(f, " ")
}
