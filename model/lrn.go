package model

import "math/bits"

// lrnTabLen is the power of two the engine pads each LRN table to, so that the
// table lookup in lrnFused is a mask instead of a bounds check.
const lrnTabLen = 8192

// lrnIndexFast is lrnIndex without the branch between the exact and the bucketed
// range: with E = max(bitlen(S)-(lrnMantBits+1), 0) the index is E<<lrnMantBits +
// S>>E. Below lrnExact E is 0 and the index is S; above it, S>>E keeps the leading
// one and lrnMantBits bits after it, and E<<lrnMantBits is the offset of that power
// of two's buckets (lrnExact + (E-1)<<lrnMantBits - 1<<lrnMantBits simplifies to it).
func lrnIndexFast(s uint32) uint32 {
	e := max(31-lrnMantBits-int32(bits.LeadingZeros32(s)), 0)
	return uint32(e)<<lrnMantBits + s>>uint32(e)
}

// lrnPadded returns t copied into a table of lrnTabLen entries; entries past
// len(t) are never indexed for window sums up to lrnMaxS.
func lrnPadded(t []int32) []int32 {
	p := make([]int32, lrnTabLen)
	copy(p, t)
	return p
}
