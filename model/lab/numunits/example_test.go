package numunits_test

import (
	"fmt"
	"math"

	"github.com/numsense/numsense/model/lab/numunits"
	"github.com/numsense/numsense/model/rng"
)

// A layer of three units: unit 0 prefers 8 items, unit 1 responds to the
// stimulus set only, unit 2 is a dead ReLU.
func Example() {
	nums := numunits.Numerosities
	an, _ := numunits.NewANOVA(len(nums), 3, 3)
	r := rng.New(1)
	resp := make([]float32, 3)
	for i, n := range nums {
		for set := 0; set < 3; set++ {
			for k := 0; k < 20; k++ {
				z := math.Log2(float64(n)) - 3
				resp[0] = float32(5*math.Exp(-z*z) + r.Normal())
				resp[1] = float32(2*float64(set) + r.Normal())
				resp[2] = 0
				_ = an.Add(set, i, resp)
			}
		}
	}
	res, _ := an.Result()
	sel := res.Select(numunits.DefaultAlpha)
	fmt.Println("selective:", sel.Selective, "non-selective:", sel.NonSelective, "constant:", sel.Constant)
	fmt.Println("PN of unit 0:", nums[sel.PN[0]])
	m, _ := numunits.NewUnitMap(res, sel, nums)
	b, _ := m.MarshalBinary()
	fmt.Println("unit map bytes:", len(b))
	// Output:
	// selective: [0] non-selective: [1] constant: 1
	// PN of unit 0: 8
	// unit map bytes: 201
}
