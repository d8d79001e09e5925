// Command insncount runs one Gemm implementation once on one shape, so that an
// instruction counter such as arm-insn ($ARM_INSN in the bench scripts) can attribute the instructions
// to the kernel (with -func SYMBOL) or to the whole GEMM (by subtracting a run with
// -setup-only from a run without).
//
// usage: insncount [-impl NAME] [-setup-only] M KP N
//
// The operands are filled by a tiny inline generator, so the set-up costs few
// instructions next to the GEMM itself. It prints the MAC count and a checksum.
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"

	"github.com/numsense/numsense/model/kernel"
)

func main() {
	impl := flag.String("impl", "", "implementation to run (default: what Gemm dispatches to)")
	setupOnly := flag.Bool("setup-only", false, "allocate and fill the operands but do not multiply")
	flag.Parse()
	if flag.NArg() != 3 {
		fmt.Fprintln(os.Stderr, "usage: insncount [-impl NAME] [-setup-only] M KP N")
		os.Exit(2)
	}
	var dims [3]int
	for i := range dims {
		v, err := strconv.Atoi(flag.Arg(i))
		if err != nil || v <= 0 {
			fmt.Fprintf(os.Stderr, "insncount: bad dimension %q\n", flag.Arg(i))
			os.Exit(2)
		}
		dims[i] = v
	}
	m, kp, n := dims[0], dims[1], dims[2]
	if kp%kernel.KAlign != 0 {
		fmt.Fprintf(os.Stderr, "insncount: KP %d is not a multiple of %d\n", kp, kernel.KAlign)
		os.Exit(2)
	}
	if *impl != "" {
		if err := kernel.Use(*impl); err != nil {
			fmt.Fprintln(os.Stderr, "insncount:", err)
			os.Exit(2)
		}
	}
	a := make([]int8, m*kp)
	b := make([]int8, n*kp)
	bias := make([]int32, m)
	c := make([]int32, m*n)
	x := uint32(12345)
	for i := range a {
		x = x*1664525 + 1013904223
		a[i] = int8(x>>24) | 1 // odd: never -128
	}
	for i := range b {
		x = x*1664525 + 1013904223
		b[i] = int8(x >> 24)
	}
	if !*setupOnly {
		kernel.Gemm(m, n, kp, a, b, bias, c, n)
	}
	var sum int64
	for _, v := range c {
		sum += int64(v)
	}
	fmt.Printf("impl=%s macs=%d checksum=%d\n", kernel.Name(), m*n*kp, sum)
}
