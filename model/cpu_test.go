package model

import (
	"runtime"
	"strings"

	"github.com/numsense/numsense/model/kernel"
)

// cpuFeatures lists the SIMD features the kernels choose by on this CPU.
func cpuFeatures() string {
	return runtime.GOARCH + " " + strings.Join(kernel.Features(), " ")
}
