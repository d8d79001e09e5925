package frontend

// compose makes the silhouette from the separated working mask and its regions
// (fe.lab), in three stages, each a property of the picture as a whole, never of
// single objects:
//
//  1. view: the foreground's bounding box, centred, scaled to fill Opts.Fill
//     percent of the silhouette along each axis; the axes are scaled
//     independently, one at most Opts.Aniso times more than the other, and never
//     magnified more than MaxZoom times the whole picture's scale (Fill < 0: the
//     whole picture, letterboxed). This zooms in on objects gathered in part of
//     the table and shrinks the view a little when they spread over all of it;
//     the number units were selected on dots spread over the whole picture, and
//     read objects gathered in part of it as fewer.
//  2. sample: each silhouette pixel takes the region of the working pixel under
//     its centre (0: background).
//  3. spread: two distance transforms over the silhouette give every pixel the
//     nearest region with its distance (d1) and the distance to the nearest pixel
//     of any other region (d2). A pixel belongs to its nearest region when d1 is at
//     most the growth (small objects are grown until the foreground's mean radius
//     reaches Opts.Radius silhouette pixels, the calibration dots' size) and d2 - d1
//     is at least Opts.Gap: separated regions keep Gap pixels of background from
//     each other, where they touched 2 x Gap. The network's first layer (11 x 11
//     pixels, stride 4) does not see a one-pixel line between two objects; the
//     calibration dots stand apart.
//
// It returns the foreground fraction of the working area and the zoom (the
// geometric mean of the two axes' magnification over the whole picture's scale).
func (fe *FrontEnd) compose() (float64, float64) {
	n := 0
	for _, v := range fe.mask[:fe.ow*fe.oh] {
		if v != 0 {
			n++
		}
	}
	fg := float64(n) / float64(fe.ow*fe.oh)
	clear(fe.out.Pix)
	if n == 0 {
		return fg, 1
	}
	sx, sy, cx, cy := fe.view()
	fe.sample(sx, sy, cx, cy)
	fe.spread(fe.growth(sx, sy))
	s0 := float64(max(fe.ow, fe.oh)) / Size // working pixels per silhouette pixel, whole picture
	return fg, s0 / sqrt(sx*sy)
}

// sqrt is the square root by Newton's method with explicit rounding (the same bits
// on every architecture; only used for the reported zoom and the growth).
func sqrt(v float64) float64 {
	if v <= 0 {
		return 0
	}
	x := v
	if x < 1 {
		x = 1
	}
	for i := 0; i < 60; i++ {
		nx := float64(x+v/x) / 2
		if nx == x {
			break
		}
		x = nx
	}
	return x
}

// view returns the scale (working pixels per silhouette pixel) of each axis and the
// centre of the view in working pixels (edge coordinates).
func (fe *FrontEnd) view() (sx, sy, cx, cy float64) {
	ow, oh := fe.ow, fe.oh
	s0 := float64(max(ow, oh)) / Size
	if fe.o.Fill <= 0 {
		return s0, s0, float64(ow) / 2, float64(oh) / 2
	}
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
	fill := float64(fe.o.Fill) / 100 * Size
	lo := s0 / float64(fe.o.MaxZoom)
	sx = max(float64(x1-x0+1)/fill, lo)
	sy = max(float64(y1-y0+1)/fill, lo)
	a := float64(fe.o.Aniso)
	sx = max(sx, float64(sy/a))
	sy = max(sy, float64(sx/a))
	return sx, sy, float64(x0+x1+1) / 2, float64(y0+y1+1) / 2
}

// sample fills fe.slab with the region under each silhouette pixel's centre.
func (fe *FrontEnd) sample(sx, sy, cx, cy float64) {
	ow, oh := fe.ow, fe.oh
	for x := range fe.zx {
		// float64(...) rounds the product, so no fused multiply-add makes arm64
		// sample elsewhere than amd64.
		u := cx + float64((float64(x)+0.5-Size/2)*sx)
		fe.zx[x] = -1
		if u >= 0 && u < float64(ow) {
			fe.zx[x] = int32(u)
		}
	}
	labels := fe.o.Core > 0
	for y := 0; y < Size; y++ {
		v := cy + float64((float64(y)+0.5-Size/2)*sy)
		dst := fe.slab[y*Size : (y+1)*Size]
		if v < 0 || v >= float64(oh) {
			clear(dst)
			continue
		}
		row := int(v) * ow
		m, lab := fe.mask[row:row+ow], fe.lab[row:row+ow]
		for x, wx := range fe.zx {
			switch {
			case wx < 0 || m[wx] == 0:
				dst[x] = 0
			case labels:
				dst[x] = lab[wx]
			default:
				dst[x] = 1
			}
		}
	}
}

// growth is how far, in chamfer units of the silhouette, the regions grow: enough
// to bring the foreground's mean radius (three times its mean depth, as for discs
// and squares, in the working mask's distance map) to Opts.Radius silhouette
// pixels, at most Radius.
func (fe *FrontEnd) growth(sx, sy float64) uint16 {
	if fe.o.Radius <= 0 {
		return 0
	}
	if fe.o.Core <= 0 {
		fe.distance() // separate did not compute it
	}
	var sum, n uint64
	for i, v := range fe.mask[:fe.ow*fe.oh] {
		if v != 0 {
			sum += uint64(fe.dist[i])
			n++
		}
	}
	if n == 0 {
		return 0
	}
	// The chamfer distance of a pixel counts to the nearest background pixel's
	// centre, half a pixel beyond the outline: r = 3 (mean depth - 1/2).
	depth := max(float64(sum)/float64(n)/chamferA-0.5, 0.25)       // working pixels
	r := float64(3*depth) / sqrt(sx*sy)                            // silhouette pixels
	g := min(max(float64(fe.o.Radius)-r, 0), float64(fe.o.Radius)) // pixels
	return uint16(float64(g*chamferA) + 0.5)
}

// spread writes the silhouette from fe.slab: two chamfer distance transforms, the
// first to the nearest region (d1, its label in l1), the second to the nearest pixel
// of another region (d2, through the boundaries between the first's cells); a
// pixel is set when d1 <= grow and d2 - d1 >= Gap (see compose). The transforms run
// at half the silhouette's size (growth and gaps are then right within a pixel; the
// outlines of the objects stay at full size), and stop at the reach that matters
// (grow + Gap).
func (fe *FrontEnd) spread(grow uint16) {
	const inf = 0x7fff // + chamfer weights stays above it, no overflow
	const S = half
	// a half-size step is two pixels: the weights in full-size chamfer units
	const chamferA, chamferB = 2 * chamferA, 2 * chamferB
	d1, d2, l1 := fe.sd1[:S*S], fe.sd2[:S*S], fe.hlab[:S*S]
	fe.halve()
	for i, l := range l1 {
		if l != 0 {
			d1[i] = 0
		} else {
			d1[i] = inf
		}
	}
	gap := uint16(3 * max(fe.o.Gap, 0))
	reach := grow + gap + chamferB
	// d1, l1: forward pass (west, north-west, north, north-east) ...
	for y := 0; y < S; y++ {
		cur, cl := d1[y*S:(y+1)*S], l1[y*S:(y+1)*S]
		var up []uint16
		var ul []int32
		if y > 0 {
			up, ul = d1[(y-1)*S:y*S], l1[(y-1)*S:y*S]
		}
		for x := 0; x < S; x++ {
			best, bl := cur[x], cl[x]
			if best == 0 {
				continue
			}
			if x > 0 && cur[x-1]+chamferA < best {
				best, bl = cur[x-1]+chamferA, cl[x-1]
			}
			if up != nil {
				if up[x]+chamferA < best {
					best, bl = up[x]+chamferA, ul[x]
				}
				if x > 0 && up[x-1]+chamferB < best {
					best, bl = up[x-1]+chamferB, ul[x-1]
				}
				if x < S-1 && up[x+1]+chamferB < best {
					best, bl = up[x+1]+chamferB, ul[x+1]
				}
			}
			if best <= reach {
				cur[x], cl[x] = best, bl
			}
		}
	}
	// ... and backward pass (east, south-east, south, south-west).
	for y := S - 1; y >= 0; y-- {
		cur, cl := d1[y*S:(y+1)*S], l1[y*S:(y+1)*S]
		var dn []uint16
		var dl []int32
		if y < S-1 {
			dn, dl = d1[(y+1)*S:(y+2)*S], l1[(y+1)*S:(y+2)*S]
		}
		for x := S - 1; x >= 0; x-- {
			best, bl := cur[x], cl[x]
			if best == 0 {
				continue
			}
			if x < S-1 && cur[x+1]+chamferA < best {
				best, bl = cur[x+1]+chamferA, cl[x+1]
			}
			if dn != nil {
				if dn[x]+chamferA < best {
					best, bl = dn[x]+chamferA, dl[x]
				}
				if x < S-1 && dn[x+1]+chamferB < best {
					best, bl = dn[x+1]+chamferB, dl[x+1]
				}
				if x > 0 && dn[x-1]+chamferB < best {
					best, bl = dn[x-1]+chamferB, dl[x-1]
				}
			}
			if best <= reach {
				cur[x], cl[x] = best, bl
			}
		}
	}
	// d2: seeded where a 4-neighbour belongs to another cell (through it, the other
	// region is d1 of the neighbour away), spread within each cell: forward pass
	// with the seeds, then backward.
	for y := 0; y < S; y++ {
		cur, cl, c1 := d2[y*S:(y+1)*S], l1[y*S:(y+1)*S], d1[y*S:(y+1)*S]
		var up []uint16
		var ul []int32
		if y > 0 {
			up, ul = d2[(y-1)*S:y*S], l1[(y-1)*S:y*S]
		}
		var nl []int32
		var n1 []uint16
		if y < S-1 {
			nl, n1 = l1[(y+1)*S:(y+2)*S], d1[(y+1)*S:(y+2)*S]
		}
		var u1 []uint16
		if y > 0 {
			u1 = d1[(y-1)*S : y*S]
		}
		for x := 0; x < S; x++ {
			l := cl[x]
			best := uint16(inf)
			if l == 0 {
				cur[x] = best
				continue
			}
			// seeds
			if x > 0 && cl[x-1] != 0 && cl[x-1] != l {
				best = min(best, c1[x-1]+chamferA)
			}
			if x < S-1 && cl[x+1] != 0 && cl[x+1] != l {
				best = min(best, c1[x+1]+chamferA)
			}
			if up != nil && ul[x] != 0 && ul[x] != l {
				best = min(best, u1[x]+chamferA)
			}
			if nl != nil && nl[x] != 0 && nl[x] != l {
				best = min(best, n1[x]+chamferA)
			}
			// spread within the cell
			if x > 0 && cl[x-1] == l {
				best = min(best, cur[x-1]+chamferA)
			}
			if up != nil {
				if ul[x] == l {
					best = min(best, up[x]+chamferA)
				}
				if x > 0 && ul[x-1] == l {
					best = min(best, up[x-1]+chamferB)
				}
				if x < S-1 && ul[x+1] == l {
					best = min(best, up[x+1]+chamferB)
				}
			}
			cur[x] = min(best, inf)
		}
	}
	for y := S - 1; y >= 0; y-- {
		cur, cl := d2[y*S:(y+1)*S], l1[y*S:(y+1)*S]
		var dn []uint16
		var dl []int32
		if y < S-1 {
			dn, dl = d2[(y+1)*S:(y+2)*S], l1[(y+1)*S:(y+2)*S]
		}
		for x := S - 1; x >= 0; x-- {
			l := cl[x]
			if l == 0 {
				continue
			}
			best := cur[x]
			if x < S-1 && cl[x+1] == l {
				best = min(best, cur[x+1]+chamferA)
			}
			if dn != nil {
				if dl[x] == l {
					best = min(best, dn[x]+chamferA)
				}
				if x < S-1 && dl[x+1] == l {
					best = min(best, dn[x+1]+chamferB)
				}
				if x > 0 && dl[x-1] == l {
					best = min(best, dn[x-1]+chamferB)
				}
			}
			cur[x] = min(best, inf)
		}
	}
	fe.decide(grow, gap)
}

// half is the side of the half-size silhouette the transforms of spread run on.
const half = (Size + 1) / 2

// halve fills fe.hlab with a region of each 2 x 2 block of fe.slab (the first set
// pixel's, in reading order).
func (fe *FrontEnd) halve() {
	for hy := 0; hy < half; hy++ {
		for hx := 0; hx < half; hx++ {
			var l int32
			for k := 0; k < 4 && l == 0; k++ {
				x, y := 2*hx+k&1, 2*hy+k>>1
				if x < Size && y < Size {
					l = fe.slab[y*Size+x]
				}
			}
			fe.hlab[hy*half+hx] = l
		}
	}
}

// decide sets the silhouette's pixels from the half-size transforms: a pixel of a
// region stays when no other region is within gap (d2 of its block, or 0 when its
// block holds another region); a background pixel joins its block's nearest region
// when that is within grow and the next other region lies gap further (at least a
// pixel: growth never joins two regions).
func (fe *FrontEnd) decide(grow, gap uint16) {
	join := max(gap, chamferA)
	d1, d2, l1 := fe.sd1, fe.sd2, fe.hlab
	out := fe.out.Pix
	for y := 0; y < Size; y++ {
		row, dst := fe.slab[y*Size:(y+1)*Size], out[y*Size:(y+1)*Size]
		hb := (y / 2) * half
		for x, l := range row {
			h := hb + x/2
			switch {
			case l != 0:
				if l1[h] == l && d2[h] >= gap {
					dst[x] = 255
				}
			case grow > 0 && l1[h] != 0 && d1[h] <= grow && d2[h] >= d1[h]+join:
				dst[x] = 255
			}
		}
	}
}
