package frontend

import (
	"encoding/binary"
	"math/bits"
)

// background estimates the empty table under the objects, for each plane: the median
// of each Cell x Cell block (sampled on every other row and column, every fourth for
// chroma; objects covering
// less than half a block do not move it), each block replaced by the median of itself
// and its 8 neighbours (so a block filled by a cluster of objects takes its
// neighbours' level), interpolated bilinearly between block centres.
func (fe *FrontEnd) background() {
	n := 1
	if fe.chroma {
		n = 3
	}
	for i := 0; i < n; i++ {
		fe.planeBackground(&fe.pl[i], 2)
	}
}

// cellInterp gives the two block columns (or rows) around pixel x and the weight of
// the second, in 1/256, for blocks of c pixels, n blocks.
func cellInterp(x, c, n int) interp {
	f := ((2*x+1-c)*256)/(2*c) + 256 // block coordinate of x, +1, in 1/256
	i := f>>8 - 1
	return interp{int32(clampi(i, n)), int32(clampi(i+1, n)), int32(f & 255)}
}

func (fe *FrontEnd) planeBackground(p *plane, step int) {
	c := p.c
	ow, oh := p.w, p.h
	gw, gh := (ow+c-1)/c, (oh+c-1)/c
	h := fe.hist
	for gy := 0; gy < gh; gy++ {
		for gx := 0; gx < gw; gx++ {
			clear(h)
			x0, y0 := gx*c, gy*c
			x1, y1 := min(x0+c, ow), min(y0+c, oh)
			var cnt int32
			for y := y0; y < y1; y += step {
				row := p.pix[y*ow+x0 : y*ow+x1]
				for x := 0; x < len(row); x += step {
					h[row[x]]++
					cnt++
				}
			}
			p.med[gy*gw+gx] = int32(histMedian(h, cnt))
		}
	}
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
	// Bilinear interpolation, separably: block rows to pixel columns once per
	// block row pair, then rows.
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

func clampi(i, n int) int {
	if i < 0 {
		return 0
	}
	if i >= n {
		return n - 1
	}
	return i
}

// histMedian returns the median value of a 256-bin histogram holding n samples.
func histMedian(h []int32, n int32) int {
	half := (n + 1) / 2
	var s int32
	for v, c := range h {
		s += c
		if s >= half {
			return v
		}
	}
	return 255
}

// smallMedian sorts v in place (insertion sort; len <= 9) and returns its median.
func smallMedian(v []int32) int32 {
	for i := 1; i < len(v); i++ {
		for j := i; j > 0 && v[j] < v[j-1]; j-- {
			v[j], v[j-1] = v[j-1], v[j]
		}
	}
	return v[len(v)/2]
}

// segment marks as foreground every pixel that deviates from the background estimate
// by more than a threshold, darker or lighter (dark objects on a light table and light
// on dark alike), in luma or, weighted by ChromaGain, in colour: Otsu's threshold of
// the deviation histogram, clamped to [MinContrast, MaxThreshold].
func (fe *FrontEnd) segment() int {
	h := fe.hist
	clear(h)
	y, by := fe.pl[0].pix, fe.pl[0].back
	dev := fe.dev[:len(y)]
	by = by[:len(y)]
	lut := &fe.lumaDev // weighted luma deviation by difference + 255: no branch
	if fe.chroma {
		g := int32(fe.o.ChromaGain)
		ow, hw := fe.ow, fe.pl[1].w
		for r := 0; r < fe.oh; r++ {
			yr, br, dr := y[r*ow:(r+1)*ow], by[r*ow:(r+1)*ow], dev[r*ow:(r+1)*ow]
			c0 := (r / 2) * hw
			u, bu := fe.pl[1].pix[c0:c0+hw], fe.pl[1].back[c0:c0+hw]
			v, bv := fe.pl[2].pix[c0:c0+hw], fe.pl[2].back[c0:c0+hw]
			for x := range dr {
				d := int32(lut[int(yr[x])-int(br[x])+255])
				ci := x >> 1
				c := g * (abs32(int32(u[ci])-int32(bu[ci])) + abs32(int32(v[ci])-int32(bv[ci])))
				d = min(max(d, c), 255)
				dr[x] = byte(d)
				h[d]++
			}
		}
	} else {
		for i := range dev {
			d := lut[int(y[i])-int(by[i])+255]
			dev[i] = d
			h[d]++
		}
	}
	t := otsu(h)
	t = max(t, fe.o.MinContrast)
	t = min(t, fe.o.MaxThreshold)
	tb := byte(t)
	mask := fe.mask[:len(dev)]
	for i, d := range dev {
		if d > tb {
			mask[i] = 255
		} else {
			mask[i] = 0
		}
	}
	if pt := fe.o.Spot; pt > 0 {
		fe.darkSpots(byte(min(pt, 255)))
	}
	return t
}

// darkSpots adds to the mask the pixels darker by more than th than the mean of the
// 5x5 working pixels around them: small dark features such as the pips of a pale die
// on a pale table, which a soft shadow never is. The mean is a separable box filter
// with running sums.
func (fe *FrontEnd) darkSpots(th byte) {
	ow, oh := fe.ow, fe.oh
	g := fe.pl[0].pix[:ow*oh]
	hs := fe.box[:ow*oh]
	// Horizontal sums over 5 (edges replicate the border pixel).
	for y := 0; y < oh; y++ {
		row := g[y*ow : (y+1)*ow]
		out := hs[y*ow : (y+1)*ow]
		if ow < 5 {
			for x := range out {
				var s uint16
				for k := x - 2; k <= x+2; k++ {
					s += uint16(row[min(max(k, 0), ow-1)])
				}
				out[x] = s
			}
			continue
		}
		first, last := uint16(row[0]), uint16(row[ow-1])
		s := 3*first + uint16(row[1]) + uint16(row[2]) // window -2..2 at x = 0
		out[0] = s
		s += uint16(row[3]) - first
		out[1] = s
		s += uint16(row[4]) - first
		out[2] = s
		for x := 3; x < ow-2; x++ {
			s += uint16(row[x+2]) - uint16(row[x-3])
			out[x] = s
		}
		for x := max(3, ow-2); x < ow; x++ {
			s += last - uint16(row[x-3])
			out[x] = s
		}
	}
	// Vertical sums over 5 with a running column sum, compared with 25 x pixel.
	col := fe.colSum[:ow]
	rowAt := func(y int) []uint16 { y = min(max(y, 0), oh-1); return hs[y*ow : (y+1)*ow] }
	for x := range col {
		col[x] = rowAt(-2)[x] + rowAt(-1)[x] + rowAt(0)[x] + rowAt(1)[x] + rowAt(2)[x]
	}
	t := int32(th) * 25
	for y := 0; y < oh; y++ {
		row := g[y*ow : (y+1)*ow]
		m := fe.mask[y*ow : (y+1)*ow]
		add, sub := rowAt(y+3), rowAt(y-2)
		for x, v := range row {
			if int32(col[x])-25*int32(v) > t {
				m[x] = 255
			}
			col[x] += add[x] - sub[x]
		}
	}
}

func abs32(v int32) int32 {
	if v < 0 {
		return -v
	}
	return v
}

// otsu returns the threshold t maximising the between-class variance of the classes
// <= t and > t of histogram h.
func otsu(h []int32) int {
	var n, sum int64
	for v, c := range h {
		n += int64(c)
		sum += int64(v) * int64(c)
	}
	if n == 0 {
		return 0
	}
	var w0, s0 int64
	best, bestT := -1.0, 0
	for t := 0; t < 255; t++ {
		w0 += int64(h[t])
		s0 += int64(t) * int64(h[t])
		w1 := n - w0
		if w0 == 0 || w1 == 0 {
			continue
		}
		m0 := float64(s0) / float64(w0)
		m1 := float64(sum-s0) / float64(w1)
		v := float64(w0) * float64(w1) * (m0 - m1) * (m0 - m1)
		if v > best {
			best, bestT = v, t
		}
	}
	return bestT
}

// cleanup joins the parts of objects (closing: the outline and pips of a pale die on
// a pale table are all that differs from the table), fills holes, removes specks and
// opens the necks between neighbouring objects (opening), and peels Erode pixels off
// every silhouette (the halo of blur and soft shadow around objects).
func (fe *FrontEnd) cleanup() {
	if r := fe.o.Close; r > 0 {
		fe.pack()
		fe.bmorphN(r, true)
		fe.bmorphN(r, false)
		fe.unpack()
	}
	fe.fillHoles()
	fe.split()
	if fe.o.Open > 0 || fe.o.Erode > 0 {
		fe.pack()
		if r := fe.o.Open; r > 0 {
			fe.bmorphN(r, false)
			fe.bmorphN(r, true)
		}
		if r := fe.o.Erode; r > 0 {
			fe.bmorphN(r, false)
		}
		fe.unpack()
	}
}

func le64(b []byte, i int) uint64 { return binary.LittleEndian.Uint64(b[i : i+8]) }

func put64(b []byte, i int, v uint64) { binary.LittleEndian.PutUint64(b[i:i+8], v) }

// fillHoles turns background regions that do not touch the image border and are no
// larger than a background block (Cell x Cell) into foreground: the face of a pale die
// inside its outline and pips, not the inside of a dark-framed tray. The background
// connected to the border (4-connected) is found on the packed mask (outside); only
// the enclosed background is then flooded, hole by hole, to see its size.
func (fe *FrontEnd) fillHoles() {
	ow, oh := fe.ow, fe.oh
	m := fe.mask[:ow*oh]
	fe.pack()
	fe.outside()
	const inside, big = 2, 3
	maxHole := fe.o.Cell * fe.o.Cell
	bw := fe.bw
	out := fe.bitsT
	st := fe.stack[:0]
	for y := 0; y < oh; y++ {
		row := m[y*ow : (y+1)*ow]
		ob := out[y*bw : (y+1)*bw]
		for x, v := range row {
			if v != 0 || ob[x>>6]>>(x&63)&1 != 0 {
				continue
			}
			// An enclosed background pixel not yet seen: flood its hole.
			i := y*ow + x
			st = append(st[:0], int32(i))
			m[i] = inside
			for k := 0; k < len(st); k++ {
				j := int(st[k])
				jx := j % ow
				if jx > 0 && m[j-1] == 0 {
					m[j-1] = inside
					st = append(st, int32(j-1))
				}
				if jx < ow-1 && m[j+1] == 0 {
					m[j+1] = inside
					st = append(st, int32(j+1))
				}
				if j >= ow && m[j-ow] == 0 {
					m[j-ow] = inside
					st = append(st, int32(j-ow))
				}
				if j+ow < len(m) && m[j+ow] == 0 {
					m[j+ow] = inside
					st = append(st, int32(j+ow))
				}
			}
			fill := byte(big)
			if len(st) <= maxHole {
				fill = 255
			}
			for _, j := range st {
				m[j] = fill
			}
		}
	}
	fe.stack = st[:0]
	for i, v := range m {
		if v == big {
			m[i] = 0
		}
	}
}

// outside sets fe.bitsT to the background of the packed mask fe.bits that is
// 4-connected to the picture's border: seeded on the border, spread down and up
// by sweeps over the rows, and along each row through whole runs at once (a carry
// through a run of ones in an addition), until nothing changes.
func (fe *FrontEnd) outside() {
	ow, oh, bw := fe.ow, fe.oh, fe.bw
	mask, o := fe.bits[:bw*oh], fe.bitsT[:bw*oh]
	var pad uint64
	if e := ow % 64; e != 0 {
		pad = ^uint64(0) << e
	}
	bg := func(y, k int) uint64 {
		c := ^mask[y*bw+k]
		if k == bw-1 {
			c &^= pad
		}
		return c
	}
	clear(o)
	for k := 0; k < bw; k++ {
		o[k] = bg(0, k)
		o[(oh-1)*bw+k] = bg(oh-1, k)
	}
	last := uint64(1) << ((ow - 1) & 63)
	for y := 0; y < oh; y++ {
		o[y*bw] |= bg(y, 0) & 1
		o[y*bw+bw-1] |= bg(y, bw-1) & last
	}
	var c [8]uint64
	cs := c[:0]
	if bw <= len(c) {
		cs = c[:bw]
	} else {
		cs = make([]uint64, bw) // wider than 512 working pixels: not the default
	}
	sweep := func(y, from int) bool {
		r := o[y*bw : (y+1)*bw]
		for k := range cs {
			cs[k] = bg(y, k)
		}
		var seed [8]uint64
		var ss []uint64
		if bw <= len(seed) {
			ss = seed[:bw]
		} else {
			ss = make([]uint64, bw)
		}
		for k := range ss {
			ss[k] = r[k]
			if from >= 0 {
				ss[k] |= o[from*bw+k] & cs[k]
			}
		}
		changed := false
		fillRuns(ss, cs)
		for k := range r {
			if ss[k] != r[k] {
				changed = true
				r[k] = ss[k]
			}
		}
		return changed
	}
	for {
		changed := false
		for y := 0; y < oh; y++ {
			if sweep(y, y-1) {
				changed = true
			}
		}
		for y := oh - 1; y >= 0; y-- {
			from := y + 1
			if from == oh {
				from = -1
			}
			if sweep(y, from) {
				changed = true
			}
		}
		if !changed {
			return
		}
	}
}

// fillRuns extends the seeds s (a subset of c) to the whole runs of ones of c that
// hold them, along a row of len(s) words. Adding s to c clears a run from each seed
// up to the run's end (the carry); the same on the bit-reversed row gives the part
// below the seeds.
func fillRuns(s, c []uint64) {
	n := len(s)
	var up [8]uint64
	var u []uint64
	if n <= len(up) {
		u = up[:n]
	} else {
		u = make([]uint64, n)
	}
	var carry uint64
	for k := 0; k < n; k++ {
		var sum uint64
		sum, carry = bits.Add64(c[k], s[k], carry)
		u[k] = (sum^c[k])&c[k] | s[k]
	}
	carry = 0
	for k := n - 1; k >= 0; k-- {
		rc, rs := bits.Reverse64(c[k]), bits.Reverse64(s[k])
		var sum uint64
		sum, carry = bits.Add64(rc, rs, carry)
		s[k] = bits.Reverse64((sum^rc)&rc|rs) | u[k]
	}
}

// compose makes the silhouette from the working mask: magnified around the
// foreground when zoom says so (see magnify), else area-averaged to the silhouette
// size, keeping pixels at least Opts.Cover percent covered, in the letterboxed
// output. It returns the foreground fraction of the working area and the zoom.
func (fe *FrontEnd) compose() (float64, float64) {
	n := 0
	for _, v := range fe.mask[:fe.ow*fe.oh] {
		if v != 0 {
			n++
		}
	}
	fg := float64(n) / float64(fe.ow*fe.oh)
	if z, cx, cy := fe.zoom(); z > 1 {
		fe.magnify(z, cx, cy)
		return fg, z
	}
	for y := 0; y < fe.oh; y++ {
		fe.down.row(y, fe.mask[y*fe.ow:(y+1)*fe.ow], 1)
	}
	fe.down.finish(fe.small)
	out := fe.out.Pix
	clear(out)
	coverT := byte(fe.o.Cover*255/100 + 1)
	for y := 0; y < fe.fh; y++ {
		src := fe.small[y*fe.fw : (y+1)*fe.fw]
		dst := out[(fe.oy+y)*Size+fe.ox:]
		for x, v := range src {
			if v >= coverT {
				dst[x] = 255
			}
		}
	}
	return fg, 1
}
