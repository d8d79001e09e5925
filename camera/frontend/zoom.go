package frontend

import "math"

// zoom decides how much to magnify the working mask into the silhouette (see
// Opts.Radius): it returns the factor z (1: no zoom) and the centre of the view in
// working pixels (edge coordinates). It looks at two properties of the foreground
// as a whole, never at single objects: its bounding box, and its mean depth (the mean
// distance to the background over all foreground pixels, r/3 for discs or squares
// of radius r). The 3-4 chamfer distance of a pixel is 3 per pixel step counted to
// the nearest background pixel's centre, so half a pixel (1.5) more than the
// distance of its centre to the outline: r = mean chamfer distance - 1.5.
func (fe *FrontEnd) zoom() (z, cx, cy float64) {
	if fe.o.Radius <= 0 {
		return 1, 0, 0
	}
	ow, oh := fe.ow, fe.oh
	x0, y0, x1, y1 := ow, oh, -1, -1
	for y := 0; y < oh; y++ {
		row := fe.mask[y*ow : (y+1)*ow]
		first := -1
		for x, v := range row {
			if v != 0 {
				first = x
				break
			}
		}
		if first < 0 {
			continue
		}
		last := first
		for x := len(row) - 1; x > first; x-- {
			if row[x] != 0 {
				last = x
				break
			}
		}
		x0, x1 = min(x0, first), max(x1, last)
		y0, y1 = min(y0, y), max(y1, y)
	}
	if x1 < 0 || ow < 5 || oh < 5 {
		return 1, 0, 0
	}
	fe.distance()
	var sum, n uint64
	for i, v := range fe.mask[:ow*oh] {
		if v != 0 {
			sum += uint64(fe.dist[i])
			n++
		}
	}
	s0 := float64(Size) / float64(max(ow, oh))   // silhouette pixels per working pixel
	depth := max(float64(sum)/float64(n)-1.5, 1) // = radius in working pixels
	z = float64(fe.o.Radius) / (depth * s0)
	extent := float64(max(x1-x0+1, y1-y0+1))
	z = min(z, float64(fe.o.Fill)/100*Size/(extent*s0), float64(fe.o.MaxZoom))
	if z <= 1 {
		return 1, 0, 0
	}
	return z, float64(x0+x1+1) / 2, float64(y0+y1+1) / 2
}

// magnify writes the silhouette of the working mask magnified by z around (cx, cy):
// each silhouette pixel takes the bilinear interpolation of the mask (0 or 1) at its
// centre and is set when that reaches t = max(1/2, Cover/z). A one-pixel line of
// background between two separated objects then clears the silhouette over 2t
// working pixels, which is 2t x z x Size/Work >= 1.07 silhouette pixels, so the line
// stays open however the grid falls; t = 1/2 (where z >= 1.6) puts the outline where
// it is, without the thinning of a higher threshold. What lies outside the picture
// is background.
func (fe *FrontEnd) magnify(z, cx, cy float64) {
	ow, oh := fe.ow, fe.oh
	step := float64(max(ow, oh)) / (float64(Size) * z) // working pixels per silhouette pixel
	const one = 1 << 8
	for x := range fe.zx {
		// float64(...) rounds the product, so no fused multiply-add makes arm64
		// sample elsewhere than amd64.
		u := cx + float64((float64(x)+0.5-Size/2)*step) - 0.5
		f := math.Floor(u)
		fe.zx[x] = int32(max(min(f, float64(ow)), -2))
		fe.zf[x] = int32((u - f) * one)
	}
	need := int32(max(0.5, float64(fe.o.Cover)/100/z) * one * one)
	out := fe.out.Pix
	clear(out)
	at := func(x, y int32) int32 {
		if x < 0 || y < 0 || x >= int32(ow) || y >= int32(oh) || fe.mask[int(y)*ow+int(x)] == 0 {
			return 0
		}
		return 1
	}
	for y := 0; y < Size; y++ {
		v := cy + float64((float64(y)+0.5-Size/2)*step) - 0.5
		f := math.Floor(v)
		iy := int32(max(min(f, float64(oh)), -2))
		fy := int32((v - f) * one)
		dst := out[y*Size : (y+1)*Size]
		for x := range dst {
			ix, fx := fe.zx[x], fe.zf[x]
			a := at(ix, iy)*(one-fx) + at(ix+1, iy)*fx
			b := at(ix, iy+1)*(one-fx) + at(ix+1, iy+1)*fx
			if a*(one-fy)+b*fy >= need {
				dst[x] = 255
			}
		}
	}
}
