package model

import (
	"testing"
)

func TestArchCounts(t *testing.T) {
	if err := checkArch(); err != nil {
		t.Fatal(err)
	}
	wantMACs := [NumConv]int64{35138400, 223948800, 149520384, 112140288, 74760192}
	wantW := [NumConv]int{11616, 307200, 884736, 663552, 442368}
	for i, l := range Arch {
		if l.MACs() != wantMACs[i] || l.NumWeights() != wantW[i] {
			t.Errorf("%s: %d MACs, %d weights; want %d, %d", l.Name, l.MACs(), l.NumWeights(), wantMACs[i], wantW[i])
		}
	}
	if got := TotalMACs(); got != 595508064 {
		t.Errorf("TotalMACs = %d, want 595508064 (595.5 M)", got)
	}
	fan := [NumConv]int{363, 1200, 2304, 1728, 1728}
	for i, l := range Arch {
		if l.FanIn() != fan[i] {
			t.Errorf("%s fan-in %d, want %d", l.Name, l.FanIn(), fan[i])
		}
	}
	if Relu5Units != 43264 || Relu4Units != 64896 {
		t.Error("unit counts")
	}
}
