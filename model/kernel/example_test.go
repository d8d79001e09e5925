package kernel_test

import (
	"fmt"

	"github.com/numsense/numsense/model/kernel"
)

// One output channel (m = 1) over two pixels (n = 2): an im2col row per pixel,
// padded to KAlign, then requantised to int8 with a fused ReLU (zero point -128).
func Example() {
	k := 9 // a 3x3 single-channel kernel
	kp := kernel.PadK(k)
	w := make([]int8, kp) // weights, zero padding after k
	for i := 0; i < k; i++ {
		w[i] = 10
	}
	col := make([]int8, 2*kp) // two pixels' patches
	for i := 0; i < k; i++ {
		col[i] = 1     // pixel 0
		col[kp+i] = -3 // pixel 1
	}
	acc := make([]int32, 2)
	kernel.Gemm(1, 2, kp, w, col, []int32{5}, acc, 2)
	fmt.Println("accumulators:", acc)

	qm, shift := kernel.QuantizeMultiplier(0.25) // s_x*s_w/s_y
	out := make([]int8, 2)
	kernel.Requantize(acc, qm, shift, -128, -128, out)
	fmt.Println("int8:", out)
	// Output:
	// accumulators: [95 -265]
	// int8: [-104 -128]
}
