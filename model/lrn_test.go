package model

import (
	"testing"

	"github.com/numsense/numsense/model/kernel"
	"github.com/numsense/numsense/model/rng"
)

// kernel.LRNIndex is the model's table index (lrnIndex) for every window sum.
func TestLRNIndexKernel(t *testing.T) {
	if lrnTableLen > kernel.LRNTabLen {
		t.Fatalf("kernel.LRNTabLen %d < table length %d", kernel.LRNTabLen, lrnTableLen)
	}
	for s := uint32(0); s <= lrnMaxS; s++ {
		if got, want := kernel.LRNIndex(s), lrnIndex(s); int(got) != want {
			t.Fatalf("kernel.LRNIndex(%d) = %d, lrnIndex = %d", s, got, want)
		}
	}
}

// Every implementation of kernel.LRN on a QLRN's padded table computes
// QLRN.lrnInt8, for channel shares as the engine's workers split them.
func TestKernelLRNMatchesQLRN(t *testing.T) {
	r := rng.New(5)
	scratch := make([]uint32, kernel.LRNScratchLen)
	for _, sc := range [][2]float32{{2.0, 0.55}, {0.05, 0.04}, {10, 0.8}} {
		l := NewQLRN(sc[0], sc[1])
		tab := lrnPadded(l.Table)
		c, plane := 23, 1100
		x := make([]int8, c*plane)
		for i := range x {
			if r.IntN(3) == 0 {
				x[i] = -128
			} else {
				x[i] = int8(r.IntRange(-128, 127))
			}
		}
		want := make([]int8, len(x))
		l.lrnInt8(x, want, c, plane, 0, plane, make([]int32, plane))
		for _, im := range kernel.StageImpls() {
			got := make([]int8, len(x))
			for _, sh := range [][2]int{{0, 7}, {7, 8}, {8, 23}} {
				im.LRN(x, got, c, plane, sh[0], sh[1], tab, l.Shift, scratch)
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("%s, scales %v: y[%d] = %d, lrnInt8 %d", im.Name, sc, i, got[i], want[i])
				}
			}
		}
	}
}
