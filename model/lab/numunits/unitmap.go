package numunits

import (
	"fmt"

	"github.com/numsense/numsense/model/unitmap"
)

// NewUnitMap collects the selective units of sel with their tuning from r.
func NewUnitMap(r *Result, sel Selection, nums []int) (*unitmap.Map, error) {
	if len(nums) != r.Levels {
		return nil, fmt.Errorf("numunits: NewUnitMap: %d numerosities for %d levels", len(nums), r.Levels)
	}
	m := &unitmap.Map{
		Numerosities: append([]int(nil), nums...),
		Alpha:        sel.Alpha,
		LayerUnits:   r.Units,
		NonSelective: len(sel.NonSelective),
		Constant:     sel.Constant,
		Units:        make([]unitmap.Unit, len(sel.Selective)),
	}
	L := r.Levels
	for k, u := range sel.Selective {
		mu := unitmap.Unit{Index: u, PN: sel.PN[u], Mean: make([]float32, L), SD: make([]float32, L)}
		for i := 0; i < L; i++ {
			mu.Mean[i] = float32(r.Mean[u*L+i])
			mu.SD[i] = float32(r.SD[u*L+i])
		}
		m.Units[k] = mu
	}
	return m, nil
}
