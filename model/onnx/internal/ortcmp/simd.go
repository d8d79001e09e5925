package main

import (
	"fmt"
	"strings"

	"github.com/numsense/numsense/model/kernel"
)

// kernelLine says which kernels this process dispatches to and the SIMD features it
// sees (after GODEBUG, e.g. cpu.avx512f=off to run as on an AVX2-only x86), for the
// figures ort-ratio.sh prints.
func kernelLine() string {
	f := kernel.Features()
	if len(f) == 0 {
		f = append(f, "none")
	}
	return fmt.Sprintf("gemm=%s requant=%s simd=%s", kernel.Name(), kernel.RequantName(), strings.Join(f, ","))
}
