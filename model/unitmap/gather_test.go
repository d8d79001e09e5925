package unitmap

import "testing"

func TestGather(t *testing.T) {
	m := &Map{LayerUnits: 6, Units: []Unit{{Index: 1}, {Index: 4}, {Index: 5}}}
	layer := []float32{10, 11, 12, 13, 14, 15}
	dst := make([]float32, 3)
	m.Gather(layer, dst)
	if dst[0] != 11 || dst[1] != 14 || dst[2] != 15 {
		t.Fatalf("Gather = %v, want [11 14 15]", dst)
	}
	q := []int8{-128, -100, 0, 5, 127, -128}
	m.GatherInt8(q, 0.5, -128, dst)
	if dst[0] != 14 || dst[1] != 127.5 || dst[2] != 0 {
		t.Fatalf("GatherInt8 = %v, want [14 127.5 0]", dst)
	}
	if a := testing.AllocsPerRun(100, func() { m.Gather(layer, dst); m.GatherInt8(q, 0.5, -128, dst) }); a != 0 {
		t.Fatalf("Gather allocates %v times", a)
	}
}

// BenchmarkGatherInt8 gathers 5,000 units (a typical map) from a relu5-sized layer.
func BenchmarkGatherInt8(b *testing.B) {
	const layer = 13 * 13 * 256
	m := &Map{LayerUnits: layer}
	for u := 0; u < layer; u += layer / 5000 {
		m.Units = append(m.Units, Unit{Index: u})
	}
	q := make([]int8, layer)
	dst := make([]float32, len(m.Units))
	b.ReportAllocs()
	for b.Loop() {
		m.GatherInt8(q, 0.1, -128, dst)
	}
	b.ReportMetric(float64(len(m.Units)), "units")
}
