package model

import "testing"

func TestLRNIndexFast(t *testing.T) {
	if lrnTableLen > lrnTabLen {
		t.Fatalf("lrnTabLen %d < table length %d", lrnTabLen, lrnTableLen)
	}
	for s := uint32(0); s <= lrnMaxS; s++ {
		if got, want := lrnIndexFast(s), lrnIndex(s); int(got) != want {
			t.Fatalf("lrnIndexFast(%d) = %d, lrnIndex = %d", s, got, want)
		}
	}
}
