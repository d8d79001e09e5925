package frontend

// Separation of touching objects by a marker-controlled watershed on the distance
// transform, and the clean-up rules that come with it (see separate).

// Chamfer weights of the 3-4 distance: 3 per straight step, 4 per diagonal step, so
// a distance of d pixels is about 3d.
const (
	chamferA = 3
	chamferB = 4
)

// distance writes into fe.dist the 3-4 chamfer distance of every foreground pixel of
// the working mask to the nearest background pixel, in two raster passes. The
// outermost ring of the mask must be background. It returns the largest distance.
func (fe *FrontEnd) distance() int {
	ow, oh := fe.ow, fe.oh
	m := fe.mask[:ow*oh]
	d := fe.dist[:ow*oh]
	clear(d[:ow])
	clear(d[(oh-1)*ow:])
	// Forward pass: west, north-west, north, north-east.
	for y := 1; y < oh-1; y++ {
		row := m[y*ow : (y+1)*ow]
		dr := d[y*ow : (y+1)*ow]
		up := d[(y-1)*ow : y*ow]
		dr[0], dr[ow-1] = 0, 0
		for x := 1; x < ow-1; x++ {
			if row[x] == 0 {
				dr[x] = 0
				continue
			}
			dr[x] = min(dr[x-1]+chamferA, up[x-1]+chamferB, up[x]+chamferA, up[x+1]+chamferB)
		}
	}
	// Backward pass: east, south-east, south, south-west.
	mx := uint16(0)
	for y := oh - 2; y >= 1; y-- {
		dr := d[y*ow : (y+1)*ow]
		dn := d[(y+1)*ow : (y+2)*ow]
		for x := ow - 2; x >= 1; x-- {
			v := dr[x]
			if v <= chamferA {
				mx = max(mx, v)
				continue
			}
			v = min(v, dr[x+1]+chamferA, dn[x+1]+chamferB, dn[x]+chamferA, dn[x-1]+chamferB)
			dr[x] = v
			mx = max(mx, v)
		}
	}
	return int(mx)
}

// separate splits objects that touch and cleans the mask, without counting or
// measuring anything. Its stages:
//
//   - ring: the outermost ring of the working mask is cleared, so every foreground
//     pixel has 8 neighbours inside;
//   - distance: the 3-4 chamfer distance of every foreground pixel to the
//     background;
//   - markers: the h-maxima of that distance: a local maximum at least Opts.Core
//     pixels deep seeds a region unless a deeper point can be reached from it
//     without the distance falling by more than Opts.Dip (in thirds of a pixel); the
//     points of one flat ridge or plateau share their marker;
//   - flood: each marker floods the mask downhill on the distance map (a watershed
//     with a bucket queue, deepest first);
//   - drop: regions to remove: foreground that no flood reaches (it has no point
//     Opts.Core pixels deep: a thin structure, removed as an opening by
//     reconstruction would remove it), regions holding a horizontal or vertical
//     straight run longer than Opts.Line percent of the picture's short side (the
//     sides of a tray, a table's edge: a line filter; objects are never that long
//     in view), and regions reaching the outermost two pixels of the picture
//     (whatever the region of interest cuts: a tray's rim, the table's edge, a
//     hand, an object half out of view is not a whole object on the table);
//   - cut: the mask is rewritten without the dropped regions, and a one-pixel line
//     is cleared where two floods meet, so touching objects whose outline narrows
//     between them come apart.
func (fe *FrontEnd) separate() {
	if !fe.clearRing() {
		return
	}
	maxD := fe.distance()
	regions := fe.markers()
	fe.flood(maxD)
	drop := fe.regionsToDrop(regions)
	fe.cut(drop)
}

// clearRing clears the outer ring of the working mask; false (and the whole mask
// cleared) when the picture is too small to separate anything.
func (fe *FrontEnd) clearRing() bool {
	ow, oh := fe.ow, fe.oh
	m := fe.mask[:ow*oh]
	if ow < 5 || oh < 5 {
		clear(m)
		return false
	}
	for y := 0; y < oh; y++ {
		m[y*ow], m[y*ow+ow-1] = 0, 0
	}
	clear(m[:ow])
	clear(m[(oh-1)*ow:])
	return true
}

// neighbours are the offsets of the 8 neighbours of a working pixel.
func (fe *FrontEnd) neighbours() [8]int {
	ow := fe.ow
	return [8]int{-ow - 1, -ow, -ow + 1, -1, 1, ow - 1, ow, ow + 1}
}

// markers labels the markers of the watershed (fe.lab: region number on the
// marker pixels, 0 elsewhere), leaves the marker pixels in fe.stack and returns
// the number of regions.
func (fe *FrontEnd) markers() int32 {
	ow, oh := fe.ow, fe.oh
	n := ow * oh
	d := fe.dist[:n]
	lab := fe.lab[:n]
	clear(lab)
	nb := fe.neighbours()
	core := uint16(chamferA * fe.o.Core)
	// Candidates: local maxima (no 8-neighbour deeper) at least Core deep.
	st := fe.stack[:0]
	for i := ow; i < n-ow; i++ {
		v := d[i]
		if v < core || v == 0 {
			continue
		}
		if d[i-ow-1] > v || d[i-ow] > v || d[i-ow+1] > v || d[i-1] > v ||
			d[i+1] > v || d[i+ow-1] > v || d[i+ow] > v || d[i+ow+1] > v {
			continue
		}
		st = append(st, int32(i))
	}
	// A candidate seeds a region (a marker) unless a deeper point, or one already
	// claimed, can be reached from it without going down by more than Dip: the
	// h-maxima of the distance map.
	link := fe.link[:n]
	clear(link) // visit stamps for now
	nm := len(st)
	next := int32(0)
	hd := uint16(fe.o.Dip)
	for k := 0; k < nm; k++ {
		c := int(st[k])
		if lab[c] != 0 {
			continue
		}
		v := d[c]
		lo := uint16(1) // foreground only
		if v > hd {
			lo = max(lo, v-hd)
		}
		stamp := int32(k + 1)
		q := st[len(st):]
		q = append(q, int32(c))
		link[c] = stamp
		higher := false
	bfs:
		for j := 0; j < len(q); j++ {
			i := int(q[j])
			for _, o := range nb {
				p := i + o
				if link[p] == stamp || d[p] < lo {
					continue
				}
				if d[p] > v || lab[p] != 0 {
					higher = true
					break bfs
				}
				link[p] = stamp
				q = append(q, int32(p))
			}
		}
		if higher {
			continue
		}
		next++
		for _, i := range q {
			if d[i] == v {
				lab[i] = next
			}
		}
	}
	// Keep the marker pixels only.
	w := 0
	for _, i := range st[:nm] {
		if lab[i] != 0 {
			st[w] = i
			w++
		}
	}
	fe.stack = st[:w]
	return next
}

// flood grows the markers of fe.stack over the mask, deepest distance first (a
// bucket queue of singly linked stacks, one per distance level up to maxD): the
// watershed. Every foreground pixel a marker reaches takes its label.
func (fe *FrontEnd) flood(maxD int) {
	n := fe.ow * fe.oh
	m, d, lab, link := fe.mask[:n], fe.dist[:n], fe.lab[:n], fe.link[:n]
	nb := fe.neighbours()
	head := fe.head[:maxD+1]
	for i := range head {
		head[i] = -1
	}
	for _, i := range fe.stack {
		lv := d[i]
		link[i] = head[lv]
		head[lv] = i
	}
	fe.stack = fe.stack[:0]
	for lv := maxD; lv >= 0; lv-- {
		for head[lv] >= 0 {
			i := int(head[lv])
			head[lv] = link[i]
			l := lab[i]
			for _, o := range nb {
				p := i + o
				if m[p] == 0 || lab[p] != 0 {
					continue
				}
				lab[p] = l
				pl := min(int(d[p]), lv)
				link[p] = head[pl]
				head[pl] = int32(p)
			}
		}
	}
}

// regionsToDrop marks, per region label (0: unreached foreground), whether the
// region is removed: unreached foreground, regions reaching the border (the ring
// next to the cleared one), and lines (Opts.Line).
func (fe *FrontEnd) regionsToDrop(regions int32) []bool {
	ow, oh := fe.ow, fe.oh
	m, lab := fe.mask[:ow*oh], fe.lab[:ow*oh]
	drop := fe.edge[:regions+1]
	clear(drop)
	drop[0] = true
	for x := 0; x < ow; x++ {
		drop[lab[ow+x]] = true
		drop[lab[(oh-2)*ow+x]] = true
	}
	for y := 0; y < oh; y++ {
		drop[lab[y*ow+1]] = true
		drop[lab[y*ow+ow-2]] = true
	}
	if fe.o.Line <= 0 {
		return drop
	}
	// A line is thin: its pixels lie near the background (the distance map), so a
	// row of objects, thick where they touch, is none.
	L := max(fe.o.Line*min(ow, oh)/100, 2)
	thin := uint16(chamferA * max(fe.o.LineWidth*min(ow, oh)/200, 1))
	d := fe.dist[:ow*oh]
	// Runs may step over gaps of up to lineGap pixels (a line broken by noise).
	for y := 0; y < oh; y++ {
		row, dr := m[y*ow:(y+1)*ow], d[y*ow:(y+1)*ow]
		start, last := -1, -1
		for x := 0; x <= ow; x++ {
			on := x < ow && row[x] != 0 && dr[x] <= thin
			if on {
				if start < 0 || x-last > lineGap+1 {
					if start >= 0 && last-start+1 >= L {
						fe.dropRun(drop, y*ow+start, y*ow+last, 1)
					}
					start = x
				}
				last = x
				continue
			}
			if x == ow && start >= 0 && last-start+1 >= L {
				fe.dropRun(drop, y*ow+start, y*ow+last, 1)
			}
		}
	}
	// Vertical runs, row by row (one run per column).
	start, last := fe.lineA[:ow], fe.lineB[:ow]
	for x := range start {
		start[x], last[x] = -1, -1
	}
	for y := 0; y <= oh; y++ {
		for x := range start {
			on := y < oh && m[y*ow+x] != 0 && d[y*ow+x] <= thin
			if on {
				if start[x] < 0 || int32(y)-last[x] > lineGap+1 {
					if start[x] >= 0 && int(last[x]-start[x])+1 >= L {
						fe.dropRun(drop, int(start[x])*ow+x, int(last[x])*ow+x, ow)
					}
					start[x] = int32(y)
				}
				last[x] = int32(y)
				continue
			}
			if y == oh && start[x] >= 0 && int(last[x]-start[x])+1 >= L {
				fe.dropRun(drop, int(start[x])*ow+x, int(last[x])*ow+x, ow)
			}
		}
	}
	return drop
}

// lineGap is the longest gap, in working pixels, a line may have.
const lineGap = 2

// dropRun marks the regions of the foreground pixels from i to j (step apart).
func (fe *FrontEnd) dropRun(drop []bool, i, j, step int) {
	for k := i; k <= j; k += step {
		if fe.mask[k] != 0 {
			drop[fe.lab[k]] = true
		}
	}
}

// cut rewrites the mask: a pixel stays if its region is kept and no 8-neighbour
// has a smaller label (that clears one side of every line where floods meet).
func (fe *FrontEnd) cut(drop []bool) {
	ow, oh := fe.ow, fe.oh
	n := ow * oh
	m, lab := fe.mask[:n], fe.lab[:n]
	nb := fe.neighbours()
	for i := ow; i < n-ow; i++ {
		if m[i] == 0 {
			continue
		}
		l := lab[i]
		if drop[l] {
			m[i] = 0
			continue
		}
		for _, o := range nb {
			if q := lab[i+o]; q > 0 && q < l {
				m[i] = 0
				break
			}
		}
	}
}
