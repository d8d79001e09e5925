package numunits

import (
	"fmt"

	"github.com/numsense/numsense/model/lab/svm"
)

// ImageInfo describes one stimulus image of a Responses or Pixels set.
type ImageInfo struct {
	NumIdx int // numerosity index (0-based, into the numerosity list)
	Set    int // stimulus set, caller's numbering (e.g. 0..2 for sets 1-3, 3 for area-varying)
	// TotalArea, MeanDist and MeanDotArea are the image's total dot area
	// (px^2), mean pairwise centre distance (px; NaN for one dot) and mean
	// dot area (px^2); AreaLevel is its total-area level k = 1..8 in the
	// area-varying set, 0 elsewhere. They are used only by the congruency
	// test.
	TotalArea, MeanDist, MeanDotArea float64
	AreaLevel                        int
}

// Responses holds the responses of a subset of units (for example the
// selected and the non-selective units of relu5) to a set of images, so that
// the full layer never has to be stored per image. Make one with NewResponses.
type Responses struct {
	// Units are the layer indices of the stored columns, in column order.
	Units []int
	// Info describes each image (row).
	Info []ImageInfo
	// X holds len(Info) rows of len(Units) responses, row-major.
	X   []float32
	col map[int]int
}

// NewResponses returns an empty set storing the given layer units.
func NewResponses(units []int) *Responses {
	r := &Responses{Units: append([]int(nil), units...), col: make(map[int]int, len(units))}
	for c, u := range units {
		r.col[u] = c
	}
	return r
}

// Len returns the number of images.
func (r *Responses) Len() int { return len(r.Info) }

// Row returns the stored responses to image i.
func (r *Responses) Row(i int) []float32 { return r.X[i*len(r.Units) : (i+1)*len(r.Units)] }

// Columns maps layer unit indices to column indices; it fails on a unit that
// is not stored.
func (r *Responses) Columns(units []int) ([]int, error) {
	cols := make([]int, len(units))
	for k, u := range units {
		c, ok := r.col[u]
		if !ok {
			return nil, fmt.Errorf("numunits: unit %d is not stored in these responses", u)
		}
		cols[k] = c
	}
	return cols, nil
}

// Append stores one image given the responses of the stored units only
// (len(Units) values, in column order).
func (r *Responses) Append(info ImageInfo, resp []float32) error {
	if len(resp) != len(r.Units) {
		return fmt.Errorf("numunits: Responses.Append: %d responses, want %d", len(resp), len(r.Units))
	}
	r.Info = append(r.Info, info)
	r.X = append(r.X, resp...)
	return nil
}

// AppendLayer stores one image, picking the stored units out of the
// responses of the whole layer.
func (r *Responses) AppendLayer(info ImageInfo, layer []float32) error {
	for _, u := range r.Units {
		if u < 0 || u >= len(layer) {
			return fmt.Errorf("numunits: Responses.AppendLayer: unit %d outside the layer's %d units", u, len(layer))
		}
	}
	r.Info = append(r.Info, info)
	for _, u := range r.Units {
		r.X = append(r.X, layer[u])
	}
	return nil
}

// AppendLayerInt8 is AppendLayer for int8 codes with real value scale*(q-zp).
func (r *Responses) AppendLayerInt8(info ImageInfo, layer []int8, scale float32, zp int32) error {
	for _, u := range r.Units {
		if u < 0 || u >= len(layer) {
			return fmt.Errorf("numunits: Responses.AppendLayerInt8: unit %d outside the layer's %d units", u, len(layer))
		}
	}
	r.Info = append(r.Info, info)
	for _, u := range r.Units {
		r.X = append(r.X, scale*float32(int32(layer[u])-zp))
	}
	return nil
}

// Pixels holds binary stimulus images (as sparse 0/1 rows) for the pixel
// control of the comparison task.
type Pixels struct {
	Info []ImageInfo
	S    *svm.SparseBinary
}

// NewPixels returns an empty set of images of the given pixel count
// (227*227 = 51,529 for the paper's stimuli).
func NewPixels(pixels int) *Pixels { return &Pixels{S: svm.NewSparseBinary(pixels)} }

// Append stores one image; non-zero bytes are dot pixels.
func (p *Pixels) Append(info ImageInfo, img []uint8) error {
	if len(img) != p.S.Cols {
		return fmt.Errorf("numunits: Pixels.Append: %d pixels, want %d", len(img), p.S.Cols)
	}
	p.Info = append(p.Info, info)
	p.S.AppendDense(img)
	return nil
}

// pairUnits presents pairs of stored images as rows of
// [sample responses; test responses] of the chosen columns.
type pairUnits struct {
	r     *Responses
	cols  []int
	pairs []Pair
}

func (p *pairUnits) Len() int { return len(p.pairs) }
func (p *pairUnits) Dim() int { return 2 * len(p.cols) }
func (p *pairUnits) Dot(i int, w []float64) float64 {
	s, t := p.r.Row(p.pairs[i].Sample), p.r.Row(p.pairs[i].Test)
	k := len(p.cols)
	w0, w1 := w[:k], w[k:2*k]
	var a, b float64
	for j, c := range p.cols {
		a += float64(s[c]) * w0[j]
		b += float64(t[c]) * w1[j]
	}
	return a + b
}
func (p *pairUnits) AddTo(i int, x float64, w []float64) {
	s, t := p.r.Row(p.pairs[i].Sample), p.r.Row(p.pairs[i].Test)
	k := len(p.cols)
	w0, w1 := w[:k], w[k:2*k]
	for j, c := range p.cols {
		w0[j] += x * float64(s[c])
		w1[j] += x * float64(t[c])
	}
}
func (p *pairUnits) SqNorm(i int) float64 {
	s, t := p.r.Row(p.pairs[i].Sample), p.r.Row(p.pairs[i].Test)
	n := 0.0
	for _, c := range p.cols {
		n += float64(s[c])*float64(s[c]) + float64(t[c])*float64(t[c])
	}
	return n
}

// pairPixels presents pairs as the sample image's pixels only (as coded by
// the authors).
type pairPixels struct {
	s     *svm.SparseBinary
	pairs []Pair
}

func (p *pairPixels) Len() int                            { return len(p.pairs) }
func (p *pairPixels) Dim() int                            { return p.s.Cols }
func (p *pairPixels) Dot(i int, w []float64) float64      { return p.s.Dot(p.pairs[i].Sample, w) }
func (p *pairPixels) AddTo(i int, x float64, w []float64) { p.s.AddTo(p.pairs[i].Sample, x, w) }
func (p *pairPixels) SqNorm(i int) float64                { return p.s.SqNorm(p.pairs[i].Sample) }

// LevelMeans returns the mean response per numerosity index of the listed units
// over all images of the given draws pooled, unit-major (levels values per unit,
// in the order of units). A level without images gives NaN.
func LevelMeans(draws []*Responses, units []int, levels int) ([]float64, error) {
	sum := make([]float64, len(units)*levels)
	n := make([]float64, levels)
	for _, d := range draws {
		cols, err := d.Columns(units)
		if err != nil {
			return nil, err
		}
		for i, info := range d.Info {
			l := info.NumIdx
			if l < 0 || l >= levels {
				return nil, fmt.Errorf("numunits: LevelMeans: image %d has numerosity index %d outside [0,%d)", i, l, levels)
			}
			n[l]++
			row := d.Row(i)
			for k, c := range cols {
				sum[k*levels+l] += float64(row[c])
			}
		}
	}
	for k := range units {
		for l := 0; l < levels; l++ {
			sum[k*levels+l] /= n[l]
		}
	}
	return sum, nil
}
