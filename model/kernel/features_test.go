package kernel

import (
	"slices"
	"testing"
)

// TestFeaturesNameWhatTheKernelsUse: every SIMD Gemm usable here needs a feature
// that Features reports (so a figure's feature list never omits what ran).
func TestFeaturesNameWhatTheKernelsUse(t *testing.T) {
	f := Features()
	needs := map[string]string{"avx2": "avx2", "vnni": "avx512vnni", "amx": "amx-int8", "sdot": "asimddp", "sdotp": "asimddp", "smlal": "asimd", "smlalp": "asimd"}
	for _, im := range Impls() {
		if want, ok := needs[im.Name]; ok && !slices.Contains(f, want) {
			t.Errorf("Gemm %q runs here but Features %v lacks %q", im.Name, f, want)
		}
	}
}
