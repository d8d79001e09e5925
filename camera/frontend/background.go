package frontend

// The background: what the empty table looks like under and around the objects,
// for each plane (luma, and Cb and Cr at half size), as a value per Cell x Cell
// block interpolated bilinearly between block centres.
//
// For a single picture the decision chain is (background):
//
//  1. Block statistics: the median of each block and, for luma, its quartiles
//     (sampled on every other row and column).
//  2. Table blocks: a block is flat when its luma interquartile range is within
//     the table's own texture (twice the 10th percentile of all blocks, or that
//     plus 5 grey levels, or 1/16 of its median, whichever is largest): at least
//     three quarters of it is one surface, so sparse small objects leave it flat.
//     Neighbouring flat blocks of the same colour (luma within 15 %, colour within
//     12 levels) form regions; a region is table when it reaches the edge of the
//     picture or holds at least 15 % of the blocks (the floor of a tray inside its
//     frame). Objects never do either: they lie inside the picture and none covers
//     15 % of it, and a dense array is not flat.
//  3. A global model of the table from the table blocks alone: a quadratic
//     surface in x and y (the light's gradient and the lens's vignetting) fitted by
//     least squares, when it fits them (RMS residual under 6 levels, or 3 % of the
//     level), else the table blocks' values spread over the others by repeated
//     averaging of neighbours (two surfaces, such as a tray's floor and the white
//     table around it).
//  4. The local block model only where it agrees: a block that is not table
//     keeps its own median when that lies within tolerance of the global model in
//     luma and colour (a few objects in it), else takes the model's value (a block
//     full of objects, which the median would take for the table).
//
// So a grid of touching objects covering most of the view, which takes every
// block inside it, still has the table from the margin around it; and where no
// block is flat at all the blocks' medians are smoothed by the median of their
// 3x3 neighbourhood, as before the chain existed.

// Tolerances of the chain, in grey levels (colour: |dCb| + |dCr|).
const (
	joinLumaPct = 15 // neighbouring flat blocks join when luma differs by less (percent)
	joinColour  = 12 // ... and colour by less
	tableShare  = 15 // percent of the blocks a region inside the picture needs
	fitRMS      = 6  // the quadratic surface is used when its residual is under this
	agreeLuma   = 10 // a block's median agrees with the model within this (at least)
	agreeColour = 8
)

// background fills each plane's back with the background estimate.
func (fe *FrontEnd) background() {
	n := fe.planes()
	for i := 0; i < n; i++ {
		fe.blockStats(&fe.pl[i], i == 0)
	}
	if !fe.findTable() {
		for i := 0; i < n; i++ {
			fe.pl[i].smoothMedian()
			fe.interpolate(&fe.pl[i])
		}
		return
	}
	for i := 0; i < n; i++ {
		fe.globalModel(&fe.pl[i])
	}
	fe.localWhereAgrees(n)
	for i := 0; i < n; i++ {
		fe.interpolate(&fe.pl[i])
	}
}

// planes is how many planes are in use: luma, and colour when the frame has it.
func (fe *FrontEnd) planes() int {
	if fe.chroma {
		return 3
	}
	return 1
}

// cellInterp gives the two block columns (or rows) around pixel x and the weight of
// the second, in 1/256, for blocks of c pixels, n blocks.
func cellInterp(x, c, n int) interp {
	f := ((2*x+1-c)*256)/(2*c) + 256 // block coordinate of x, +1, in 1/256
	i := f>>8 - 1
	return interp{int32(clampi(i, n)), int32(clampi(i+1, n)), int32(f & 255)}
}

// blockStats computes each block's median (and quartiles) on every other row and
// column.
func (fe *FrontEnd) blockStats(p *plane, quartiles bool) {
	const step = 2
	c := p.c
	ow, oh := p.w, p.h
	gw, gh := p.gw, p.gh
	h := fe.hist
	for gy := 0; gy < gh; gy++ {
		for gx := 0; gx < gw; gx++ {
			clear(h)
			x0, y0 := min(gx*c, ow-1), min(gy*c, oh-1)
			x1, y1 := max(min(x0+c, ow), x0+1), max(min(y0+c, oh), y0+1)
			var cnt int32
			for y := y0; y < y1; y += step {
				row := p.pix[y*ow+x0 : y*ow+x1]
				for x := 0; x < len(row); x += step {
					h[row[x]]++
					cnt++
				}
			}
			b := gy*gw + gx
			if quartiles {
				q1, med, q3 := histQuartiles(h, cnt)
				p.med[b], p.q1[b], p.q3[b] = int32(med), int32(q1), int32(q3)
			} else {
				p.med[b] = int32(histMedian(h, cnt))
			}
		}
	}
}

// histQuartiles returns the first quartile, the median and the third quartile of
// a 256-bin histogram holding n samples.
func histQuartiles(h []int32, n int32) (int, int, int) {
	k1, k2, k3 := (n+3)/4, (n+1)/2, (3*n+3)/4
	q := [3]int{255, 255, 255}
	var s int32
	j := 0
	for v, c := range h {
		s += c
		for j < 3 && s >= [3]int32{k1, k2, k3}[j] {
			q[j] = v
			j++
		}
		if j == 3 {
			break
		}
	}
	return q[0], q[1], q[2]
}

// smoothMedian replaces each block by the median of itself and its 8 neighbours
// (the fallback when no table is found).
func (p *plane) smoothMedian() {
	gw, gh := p.gw, p.gh
	var nb [9]int32
	for gy := 0; gy < gh; gy++ {
		for gx := 0; gx < gw; gx++ {
			k := 0
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					x, y := gx+dx, gy+dy
					if x >= 0 && y >= 0 && x < gw && y < gh {
						nb[k] = p.med[y*gw+x]
						k++
					}
				}
			}
			p.sm[gy*gw+gx] = smallMedian(nb[:k])
		}
	}
}

// findTable marks the table blocks (fe.table) and the table's texture (fe.texture,
// the median interquartile range of its blocks); false when no block is flat.
func (fe *FrontEnd) findTable() bool {
	py := &fe.pl[0]
	gw, gh := py.gw, py.gh
	nb := gw * gh
	// The texture level: the 10th percentile of the blocks' interquartile ranges.
	h := fe.hist
	clear(h)
	for b := 0; b < nb; b++ {
		h[py.q3[b]-py.q1[b]]++
	}
	qt := int32(histQuantile(h, int32(nb), 10))
	flat := fe.flat[:nb]
	any := false
	for b := 0; b < nb; b++ {
		lim := max(2*qt, qt+5, py.med[b]/16)
		flat[b] = py.q3[b]-py.q1[b] <= lim
		any = any || flat[b]
	}
	if !any {
		return false
	}
	// Regions of neighbouring flat blocks of one colour (union-find).
	parent := fe.parent[:nb]
	for b := range parent {
		parent[b] = int32(b)
	}
	similar := func(a, b int) bool {
		ya, yb := py.med[a], py.med[b]
		if abs32(ya-yb)*100 > joinLumaPct*max(ya, yb) && abs32(ya-yb) > 4 {
			return false
		}
		if fe.chroma {
			u, v := &fe.pl[1], &fe.pl[2]
			if abs32(u.med[a]-u.med[b])+abs32(v.med[a]-v.med[b]) > joinColour {
				return false
			}
		}
		return true
	}
	for gy := 0; gy < gh; gy++ {
		for gx := 0; gx < gw; gx++ {
			b := gy*gw + gx
			if !flat[b] {
				continue
			}
			for _, d := range [4][2]int{{1, 0}, {-1, 1}, {0, 1}, {1, 1}} {
				x, y := gx+d[0], gy+d[1]
				if x < 0 || x >= gw || y >= gh {
					continue
				}
				if o := y*gw + x; flat[o] && similar(b, o) {
					union(parent, int32(b), int32(o))
				}
			}
		}
	}
	size, border := fe.rsize[:nb], fe.rborder[:nb]
	clear(size)
	clear(border)
	for gy := 0; gy < gh; gy++ {
		for gx := 0; gx < gw; gx++ {
			b := gy*gw + gx
			if !flat[b] {
				continue
			}
			r := find(parent, int32(b))
			size[r]++
			if gx == 0 || gy == 0 || gx == gw-1 || gy == gh-1 {
				border[r] = true
			}
		}
	}
	table := fe.table[:nb]
	n := 0
	clear(h)
	for b := 0; b < nb; b++ {
		r := find(parent, int32(b))
		table[b] = flat[b] && (border[r] || int(size[r])*100 >= tableShare*nb)
		if table[b] {
			n++
			h[py.q3[b]-py.q1[b]]++
		}
	}
	if n == 0 {
		// Flat blocks, but none reaching the edge or large: take them all.
		for b := 0; b < nb; b++ {
			table[b] = flat[b]
			if table[b] {
				n++
				h[py.q3[b]-py.q1[b]]++
			}
		}
	}
	fe.tableBlocks = n
	fe.texture = histQuantile(h, int32(n), 50)
	return true
}

// histQuantile returns the value below which pct percent of the n samples of
// histogram h lie.
func histQuantile(h []int32, n int32, pct int) int {
	k := max((n*int32(pct)+99)/100, 1)
	var s int32
	for v, c := range h {
		s += c
		if s >= k {
			return v
		}
	}
	return len(h) - 1
}

func find(parent []int32, b int32) int32 {
	for parent[b] != b {
		parent[b] = parent[parent[b]]
		b = parent[b]
	}
	return b
}

func union(parent []int32, a, b int32) {
	ra, rb := find(parent, a), find(parent, b)
	if ra != rb {
		parent[max(ra, rb)] = min(ra, rb)
	}
}

// globalModel writes into p.ref the table's value at every block from the table
// blocks alone: a least-squares quadratic surface when it fits them, else their
// values spread by repeated averaging of neighbours.
func (fe *FrontEnd) globalModel(p *plane) {
	gw, gh := p.gw, p.gh
	nb := gw * gh
	table := fe.table[:nb]
	ref := p.ref[:nb]
	if fe.fitSurface(p) {
		return
	}
	// Inpainting: table blocks fixed, the others relaxed towards the mean of their
	// 4-neighbours (Gauss-Seidel), starting from the table blocks' mean.
	var sum, n int32
	for b := 0; b < nb; b++ {
		if table[b] {
			sum += p.med[b]
			n++
		}
	}
	mean := sum / max(n, 1)
	for b := 0; b < nb; b++ {
		if table[b] {
			ref[b] = p.med[b] << 8
		} else {
			ref[b] = mean << 8
		}
	}
	for it := 0; it < 2*max(gw, gh)+8; it++ {
		for gy := 0; gy < gh; gy++ {
			for gx := 0; gx < gw; gx++ {
				b := gy*gw + gx
				if table[b] {
					continue
				}
				var s, k int32
				if gx > 0 {
					s, k = s+ref[b-1], k+1
				}
				if gx < gw-1 {
					s, k = s+ref[b+1], k+1
				}
				if gy > 0 {
					s, k = s+ref[b-gw], k+1
				}
				if gy < gh-1 {
					s, k = s+ref[b+gw], k+1
				}
				ref[b] = s / k
			}
		}
	}
	for b := range ref {
		ref[b] = (ref[b] + 128) >> 8
	}
}

// fitSurface fits v = c0 + c1 x + c2 y + c3 x² + c4 xy + c5 y² (fewer terms with
// few table blocks) to the table blocks' medians of p by least squares and writes
// it into p.ref; false when it does not fit them (RMS residual over fitRMS levels
// and 3 % of the level). Every product is rounded explicitly, so the result is the
// same on every architecture.
func (fe *FrontEnd) fitSurface(p *plane) bool {
	gw, gh := p.gw, p.gh
	nb := gw * gh
	table := fe.table[:nb]
	// Which terms: as many as the table blocks' spread supports.
	x0, x1, y0, y1, n := gw, -1, gh, -1, 0
	for b := 0; b < nb; b++ {
		if table[b] {
			gx, gy := b%gw, b/gw
			x0, x1, y0, y1 = min(x0, gx), max(x1, gx), min(y0, gy), max(y1, gy)
			n++
		}
	}
	terms := 1
	if n >= 4 && x1-x0 >= 1 && y1-y0 >= 1 {
		terms = 3
	}
	if n >= 10 && x1-x0 >= 2 && y1-y0 >= 2 {
		terms = 6
	}
	basis := func(gx, gy int, f *[6]float64) {
		x := float64(2*gx+1-gw) / float64(gw)
		y := float64(2*gy+1-gh) / float64(gh)
		*f = [6]float64{1, x, y, float64(x * x), float64(x * y), float64(y * y)}
	}
	var a [6][7]float64
	var f [6]float64
	var mean float64
	for b := 0; b < nb; b++ {
		if !table[b] {
			continue
		}
		basis(b%gw, b/gw, &f)
		v := float64(p.med[b])
		mean += v
		for i := 0; i < terms; i++ {
			for j := 0; j < terms; j++ {
				a[i][j] += float64(f[i] * f[j])
			}
			a[i][terms] += float64(f[i] * v)
		}
	}
	mean /= float64(max(n, 1))
	c, ok := solve(&a, terms)
	if !ok {
		return false
	}
	at := func(gx, gy int) float64 {
		basis(gx, gy, &f)
		s := 0.0
		for i := 0; i < terms; i++ {
			s += float64(c[i] * f[i])
		}
		return s
	}
	var ss float64
	for b := 0; b < nb; b++ {
		if table[b] {
			r := float64(float64(p.med[b]) - at(b%gw, b/gw))
			ss += float64(r * r)
		}
	}
	lim := max(float64(fitRMS), float64(0.03*mean))
	if ss > float64(float64(lim*lim)*float64(n)) {
		return false
	}
	ref := p.ref[:nb]
	for b := 0; b < nb; b++ {
		ref[b] = int32(min(max(at(b%gw, b/gw)+0.5, 0), 255))
	}
	return true
}

// solve solves the n x n system a (augmented with its right-hand side in column n)
// by Gaussian elimination with partial pivoting.
func solve(a *[6][7]float64, n int) ([6]float64, bool) {
	var x [6]float64
	for k := 0; k < n; k++ {
		p := k
		for i := k + 1; i < n; i++ {
			if abs64f(a[i][k]) > abs64f(a[p][k]) {
				p = i
			}
		}
		if abs64f(a[p][k]) < 1e-9 {
			return x, false
		}
		a[k], a[p] = a[p], a[k]
		for i := k + 1; i < n; i++ {
			m := a[i][k] / a[k][k]
			for j := k; j <= n; j++ {
				a[i][j] -= float64(m * a[k][j])
			}
		}
	}
	for i := n - 1; i >= 0; i-- {
		s := a[i][n]
		for j := i + 1; j < n; j++ {
			s -= float64(a[i][j] * x[j])
		}
		x[i] = s / a[i][i]
	}
	return x, true
}

func abs64f(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

// localWhereAgrees sets every plane's block values (sm): table blocks and blocks
// whose medians agree with the global model in luma and colour keep their median;
// the others take the model's value.
func (fe *FrontEnd) localWhereAgrees(planes int) {
	py := &fe.pl[0]
	nb := py.gw * py.gh
	tolY := int32(max(agreeLuma, 3*fe.texture))
	for b := 0; b < nb; b++ {
		agree := fe.table[b]
		if !agree {
			r := py.ref[b]
			agree = abs32(py.med[b]-r) <= max(tolY, r/20)
			if agree && planes == 3 {
				u, v := &fe.pl[1], &fe.pl[2]
				agree = abs32(u.med[b]-u.ref[b])+abs32(v.med[b]-v.ref[b]) <= agreeColour
			}
		}
		for i := 0; i < planes; i++ {
			p := &fe.pl[i]
			if agree {
				p.sm[b] = p.med[b]
			} else {
				p.sm[b] = p.ref[b]
			}
		}
	}
}

// interpolate writes p.back from the block values p.sm, bilinearly between block
// centres, separably: block rows to pixel columns once per block row pair, then
// rows.
func (fe *FrontEnd) interpolate(p *plane) {
	c := p.c
	ow, oh := p.w, p.h
	gw, gh := p.gw, p.gh
	last := int32(-1)
	for y := 0; y < oh; y++ {
		yi := cellInterp(y, c, gh)
		if yi.i0 != last {
			last = yi.i0
			ra, rb := p.sm[int(yi.i0)*gw:], p.sm[int(yi.i1)*gw:]
			for x, xi := range p.xi {
				fe.lineA[x] = ra[xi.i0]*(256-xi.w) + ra[xi.i1]*xi.w
				fe.lineB[x] = rb[xi.i0]*(256-xi.w) + rb[xi.i1]*xi.w
			}
		}
		row := p.back[y*ow : (y+1)*ow]
		wy := yi.w
		la, lb := fe.lineA[:len(row)], fe.lineB[:len(row)]
		for x := range row {
			row[x] = byte((la[x]*(256-wy) + lb[x]*wy + 1<<15) >> 16)
		}
	}
}
