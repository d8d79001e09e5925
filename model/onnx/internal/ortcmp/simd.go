package main

import (
	"fmt"
	"runtime"
	"strings"

	"github.com/numsense/numsense/model/kernel"
	"golang.org/x/sys/cpu"
)

// kernelLine says which kernels this process dispatches to and the SIMD features it
// sees (after GODEBUG, e.g. cpu.avx512f=off to run as on an AVX2-only x86), for the
// figures ort-ratio.sh prints.
func kernelLine() string {
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
		add(cpu.X86.HasAVX512VNNI, "avx512vnni")
		add(cpu.X86.HasAMXInt8, "amx-int8")
	case "arm64":
		add(cpu.ARM64.HasASIMD, "asimd")
		add(cpu.ARM64.HasASIMDDP, "asimddp")
	}
	if len(f) == 0 {
		f = append(f, "none")
	}
	return fmt.Sprintf("gemm=%s requant=%s simd=%s", kernel.Name(), kernel.RequantName(), strings.Join(f, ","))
}
