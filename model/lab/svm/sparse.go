package svm

// SparseBinary holds rows of 0/1 features as the sorted indices of their ones
// (for example binary pixel images: a 227x227 dot image has a few thousand
// ones out of 51,529 pixels).
type SparseBinary struct {
	Cols int
	idx  []int32
	off  []int // row i is idx[off[i]:off[i+1]]
}

// NewSparseBinary returns an empty set of rows with cols features.
func NewSparseBinary(cols int) *SparseBinary { return &SparseBinary{Cols: cols, off: []int{0}} }

// AppendDense appends a row given as bytes; non-zero bytes are ones. Bytes
// beyond Cols are ignored.
func (s *SparseBinary) AppendDense(row []uint8) {
	for k, v := range row[:min(len(row), s.Cols)] {
		if v != 0 {
			s.idx = append(s.idx, int32(k))
		}
	}
	s.off = append(s.off, len(s.idx))
}

// Row returns the indices of the ones of row i (do not modify).
func (s *SparseBinary) Row(i int) []int32 { return s.idx[s.off[i]:s.off[i+1]] }

// Len implements Data.
func (s *SparseBinary) Len() int { return len(s.off) - 1 }

// Dim implements Data.
func (s *SparseBinary) Dim() int { return s.Cols }

// Dot implements Data.
func (s *SparseBinary) Dot(i int, w []float64) float64 {
	t := 0.0
	for _, k := range s.Row(i) {
		t += w[k]
	}
	return t
}

// AddTo implements Data.
func (s *SparseBinary) AddTo(i int, a float64, w []float64) {
	for _, k := range s.Row(i) {
		w[k] += a
	}
}

// SqNorm implements Data.
func (s *SparseBinary) SqNorm(i int) float64 { return float64(s.off[i+1] - s.off[i]) }
