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
// the working mask to the nearest background pixel (pixels outside the picture count
// as background), in two raster passes; background pixels get 0. It returns the
// largest distance.
func (fe *FrontEnd) distance() int {
	ow, oh := fe.ow, fe.oh
	m := fe.mask[:ow*oh]
	d := fe.dist[:ow*oh]
	const big = 0xffff
	// Forward pass: west, north-west, north, north-east.
	for y := 0; y < oh; y++ {
		row := m[y*ow : (y+1)*ow]
		dr := d[y*ow : (y+1)*ow]
		var up []uint16
		if y > 0 {
			up = d[(y-1)*ow : y*ow]
		}
		for x, v := range row {
			if v == 0 {
				dr[x] = 0
				continue
			}
			if x == 0 || x == ow-1 || up == nil || y == oh-1 {
				dr[x] = chamferA
				continue
			}
			b := uint16(big)
			b = min(b, dr[x-1]+chamferA, up[x-1]+chamferB, up[x]+chamferA, up[x+1]+chamferB)
			dr[x] = b
		}
	}
	// Backward pass: east, south-east, south, south-west.
	mx := uint16(0)
	for y := oh - 2; y >= 0; y-- {
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
// measuring anything:
//
//   - Markers are the foreground pixels whose distance to the background is at least
//     Opts.Core pixels and no smaller than any distance within Opts.Peak pixels
//     around (the centres of compact shapes); markers closer than 3 pixels to each
//     other belong together (flat ridges).
//   - Each marker floods the mask downhill on the distance map (a watershed with a
//     bucket queue, highest distance first); where two floods meet, a one-pixel line
//     is cleared, so touching objects whose outline narrows between them come apart.
//   - Foreground that no flood reaches has no point Opts.Core pixels deep: it is a
//     thin structure (a tray's frame, a table edge, a line of glare) and is removed,
//     as an opening by reconstruction would.
//   - Regions holding a horizontal or vertical straight run of foreground longer
//     than Opts.Line percent of the picture's short side are removed: the sides of
//     a tray, a table's edge (a line filter; objects are never that long in view).
//   - Regions touching the border of the picture are removed: whatever is cut by
//     the region of interest (a tray's rim, the table's edge, an object half out of
//     view) is not a whole object on the table.
func (fe *FrontEnd) separate() {
	ow, oh := fe.ow, fe.oh
	n := ow * oh
	maxD := fe.distance()
	m := fe.mask[:n]
	d := fe.dist[:n]
	lab := fe.lab[:n]
	clear(lab)
	core := uint16(chamferA * fe.o.Core)
	// Candidates: local maxima (no 8-neighbour deeper) at least Core deep.
	st := fe.stack[:0]
	for y := 1; y < oh-1; y++ {
		for x := 1; x < ow-1; x++ {
			i := y*ow + x
			v := d[i]
			if v < core {
				continue
			}
			if d[i-ow-1] > v || d[i-ow] > v || d[i-ow+1] > v || d[i-1] > v ||
				d[i+1] > v || d[i+ow-1] > v || d[i+ow] > v || d[i+ow+1] > v {
				continue
			}
			st = append(st, int32(i))
		}
	}
	// A candidate seeds a region (a marker) unless a deeper point can be reached from
	// it without going down by more than Dip: the h-maxima of the distance map. The
	// candidates of one plateau or ridge share the marker.
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
		lo := uint16(0)
		if v > hd {
			lo = v - hd
		}
		stamp := int32(k + 1)
		q := st[len(st):len(st)]
		q = append(q, int32(c))
		link[c] = stamp
		higher := false
	bfs:
		for j := 0; j < len(q); j++ {
			i := int(q[j])
			x, y := i%ow, i/ow
			for yy := max(0, y-1); yy <= min(oh-1, y+1); yy++ {
				for xx := max(0, x-1); xx <= min(ow-1, x+1); xx++ {
					p := yy*ow + xx
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
	nm = w
	// Flood: bucket queue of singly linked stacks, one per distance level.
	head := fe.head[:maxD+1]
	for i := range head {
		head[i] = -1
	}
	for k := 0; k < nm; k++ {
		i := st[k]
		lv := d[i]
		link[i] = head[lv]
		head[lv] = i
	}
	fe.stack = st[:0]
	for lv := maxD; lv >= 0; lv-- {
		for head[lv] >= 0 {
			i := int(head[lv])
			head[lv] = link[i]
			l := lab[i]
			x, y := i%ow, i/ow
			for yy := max(0, y-1); yy <= min(oh-1, y+1); yy++ {
				for xx := max(0, x-1); xx <= min(ow-1, x+1); xx++ {
					p := yy*ow + xx
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
	// Labels touching the picture's border are dropped.
	edge := fe.edge[:next+1]
	clear(edge)
	for x := 0; x < ow; x++ {
		edge[lab[x]] = true
		edge[lab[(oh-1)*ow+x]] = true
	}
	for y := 0; y < oh; y++ {
		edge[lab[y*ow]] = true
		edge[lab[y*ow+ow-1]] = true
	}
	edge[0] = true // unreached foreground: thin structures
	// Regions holding a straight horizontal or vertical run of foreground longer
	// than Opts.Line percent of the picture's short side are dropped: the sides of a
	// tray, a table's edge.
	if fe.o.Line > 0 {
		L := max(fe.o.Line*min(ow, oh)/100, 2)
		for y := 0; y < oh; y++ {
			row := m[y*ow : (y+1)*ow]
			run := 0
			for x := 0; x <= ow; x++ {
				if x < ow && row[x] != 0 {
					run++
					continue
				}
				if run >= L {
					for k := x - run; k < x; k++ {
						edge[lab[y*ow+k]] = true
					}
				}
				run = 0
			}
		}
		for x := 0; x < ow; x++ {
			run := 0
			for y := 0; y <= oh; y++ {
				if y < oh && m[y*ow+x] != 0 {
					run++
					continue
				}
				if run >= L {
					for k := y - run; k < y; k++ {
						edge[lab[k*ow+x]] = true
					}
				}
				run = 0
			}
		}
	}
	// Write the mask: a pixel stays if its label is kept and no 8-neighbour has a
	// smaller label (that clears one side of every meeting line).
	for y := 0; y < oh; y++ {
		for x := 0; x < ow; x++ {
			i := y*ow + x
			l := lab[i]
			if m[i] == 0 {
				continue
			}
			if edge[l] {
				m[i] = 0
				continue
			}
		nb:
			for yy := max(0, y-1); yy <= min(oh-1, y+1); yy++ {
				for xx := max(0, x-1); xx <= min(ow-1, x+1); xx++ {
					if o := lab[yy*ow+xx]; o > 0 && o < l {
						m[i] = 0
						break nb
					}
				}
			}
		}
	}
}
