package model

import "github.com/numsense/numsense/model/kernel"

// lrnPadded returns t copied into a table of kernel.LRNTabLen entries, as
// kernel.LRN takes it; entries past len(t) are never indexed for window sums up to
// lrnMaxS.
func lrnPadded(t []int32) []int32 {
	p := make([]int32, kernel.LRNTabLen)
	copy(p, t)
	return p
}
