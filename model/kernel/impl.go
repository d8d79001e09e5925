package kernel

import "fmt"

// Impl is one implementation of Gemm: a name and the function.
type Impl struct {
	// Name identifies the implementation, e.g. "go", "sdot", "smlal", "avx2", "vnni".
	Name string
	// Gemm has the signature and contract of Gemm.
	Gemm func(m, n, kp int, a, b []int8, bias []int32, c []int32, ldc int)
}

// impls lists the implementations usable on this CPU, slowest first; archImpls
// (one per architecture) adds the SIMD ones the CPU supports, the fastest last.
var impls = append([]Impl{
	{"ref", GemmRef},
	{"go", gemmGo},
}, archImpls()...)

// Impls returns the Gemm implementations that run on this CPU, slowest first. The
// last one is what Gemm uses unless Use chose another.
func Impls() []Impl {
	return append([]Impl(nil), impls...)
}

// Use makes Gemm dispatch to the implementation with the given name. It is meant for
// tests, benchmarks and diagnostics and must not run concurrently with Gemm.
func Use(name string) error {
	for _, im := range impls {
		if im.Name == name {
			gemmImpl = im.Gemm
			gemmName = name
			return nil
		}
	}
	names := make([]string, len(impls))
	for i, im := range impls {
		names[i] = im.Name
	}
	return fmt.Errorf("kernel: no Gemm implementation %q on this CPU (have %v)", name, names)
}

// Name reports which implementation Gemm dispatches to.
func Name() string { return gemmName }

var gemmName string

// RequantName reports which implementation Requantize dispatches to ("go" or the
// SIMD one, e.g. "neon", "avx512").
func RequantName() string { return requantName }

var requantName string

func init() {
	best := impls[len(impls)-1]
	gemmImpl, gemmName = best.Gemm, best.Name
	requantImpl, requantName = requantGo, "go"
	for name, f := range archRequant() { // at most one: the SIMD version
		requantImpl, requantName = f, name
	}
}
