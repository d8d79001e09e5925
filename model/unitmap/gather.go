package unitmap

// Gather writes the responses of the map's units, in the map's order, from a whole
// layer's responses (relu5, dequantised) into dst: dst[k] = layer[m.Units[k].Index].
// This is the decoder's input. dst must hold len(m.Units) values and layer at least
// m.LayerUnits; Gather allocates nothing and panics on short slices (a programming
// error, not bad input).
func (m *Map) Gather(layer []float32, dst []float32) {
	dst = dst[:len(m.Units)]
	for k := range m.Units {
		dst[k] = layer[m.Units[k].Index]
	}
}

// GatherInt8 is Gather from int8 codes with real value scale*(q-zp), as an int8
// engine produces them: dst[k] = scale*(q[m.Units[k].Index]-zp). It allocates
// nothing.
func (m *Map) GatherInt8(q []int8, scale float32, zp int32, dst []float32) {
	dst = dst[:len(m.Units)]
	for k := range m.Units {
		dst[k] = scale * float32(int32(q[m.Units[k].Index])-zp)
	}
}
