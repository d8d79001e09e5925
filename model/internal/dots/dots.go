// Package dots draws simple dot images for the runtime's own tests and tools: white
// discs on a black 227x227 picture, placed by model/rng alone, so that they do not
// move when the laboratory's stimulus generator changes (the golden checksums and
// the instruction counts of the engine depend on them).
package dots

import (
	"image"

	"github.com/numsense/numsense/model/rng"
)

// Size is the side of the network's input picture.
const Size = 227

// Discs draws white discs (centre x, y, radius r) on a black Size x Size picture.
func Discs(discs [][3]float64) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, Size, Size))
	for _, d := range discs {
		for y := 0; y < Size; y++ {
			for x := 0; x < Size; x++ {
				dx, dy := float64(x)-d[0], float64(y)-d[1]
				if dx*dx+dy*dy <= d[2]*d[2] {
					img.Pix[y*img.Stride+x] = 255
				}
			}
		}
	}
	return img
}

// Random draws n non-overlapping discs of radius 7 (centres at least 15 pixels
// apart, 8 pixels from the border) at positions drawn from rng.New(seed).
func Random(seed uint64, n int) *image.Gray {
	r := rng.New(seed)
	var ds [][3]float64
	for len(ds) < n {
		x, y := float64(r.IntRange(8, Size-9)), float64(r.IntRange(8, Size-9))
		ok := true
		for _, d := range ds {
			if (d[0]-x)*(d[0]-x)+(d[1]-y)*(d[1]-y) <= 15*15 {
				ok = false
				break
			}
		}
		if ok {
			ds = append(ds, [3]float64{x, y, 7})
		}
	}
	return Discs(ds)
}
