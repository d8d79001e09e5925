package frontend

import (
	"encoding/binary"
	"math/bits"
)

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

// segment marks as foreground every pixel that deviates from the background by
// more than the threshold, darker or lighter (dark objects on a light table and
// light on dark alike), in luma or, weighted by ChromaGain, in colour. A shadow
// darkens the table and keeps its hue: Cb and Cr move towards neutral by the same
// factor as luma. Darkening by at most Opts.MaxShadow percent of the background
// whose colour is that of the shadowed table counts only Opts.Shadow percent;
// colour is compared with the shadowed table's. The threshold follows the table's
// texture: Opts.Texture times its blocks' median luma interquartile range, at least
// MinContrast and at most MaxThreshold. It returns the threshold.
func (fe *FrontEnd) segment() int {
	y, by := fe.pl[0].pix, fe.pl[0].back
	n := len(y)
	dev := fe.dev[:n]
	by = by[:n]
	lut := &fe.lumaDev   // brightening weighted by Light, darkening in full, by difference + 255
	shd := &fe.shadowDev // darkening weighted by Shadow, by depth
	maxSh := int32(fe.o.MaxShadow * 256 / 100)
	if fe.chroma {
		g := int32(fe.o.ChromaGain)
		ow, hw := fe.ow, fe.pl[1].w
		for r := 0; r < fe.oh; r++ {
			yr, br, dr := y[r*ow:(r+1)*ow], by[r*ow:(r+1)*ow], dev[r*ow:(r+1)*ow]
			c0 := (r / 2) * hw
			u, bu := fe.pl[1].pix[c0:c0+hw], fe.pl[1].back[c0:c0+hw]
			v, bv := fe.pl[2].pix[c0:c0+hw], fe.pl[2].back[c0:c0+hw]
			for x := range dr {
				yy, bb := int32(yr[x]), int32(br[x])
				ci := x >> 1
				uu, vv, bbu, bbv := int32(u[ci]), int32(v[ci]), int32(bu[ci]), int32(bv[ci])
				var d, c int32
				if yy >= bb {
					d = int32(lut[yy-bb+255])
					c = abs32(uu-bbu) + abs32(vv-bbv)
				} else {
					// the colour the table would have in a shadow this deep; the
					// colour planes are coarser than luma, so anything between that
					// and the table's own colour is the shadow's (a thin shadow, or
					// its edge, shares its colour samples with lit table)
					f := yy * fe.recip[bb] >> 8 // Q8
					c = between(uu, 128+(bbu-128)*f>>8, bbu) + between(vv, 128+(bbv-128)*f>>8, bbv)
					if (256-f) <= maxSh && c <= shadowColour {
						d = int32(shd[bb-yy])
					} else {
						d = bb - yy
					}
				}
				dr[x] = byte(min(max(d, g*c), 255))
			}
		}
	} else {
		for i := range dev {
			yy, bb := int32(y[i]), int32(by[i])
			var d int32
			if yy >= bb {
				d = int32(lut[yy-bb+255])
			} else if (256 - yy*fe.recip[bb]>>8) <= maxSh {
				d = int32(shd[bb-yy])
			} else {
				d = bb - yy
			}
			dev[i] = byte(min(d, 255))
		}
	}
	if fe.useRef {
		// each pixel's own noise, as the learned table knows it, does not count
		for i, sl := range fe.ref.slack[:n] {
			dev[i] = max(dev[i], sl) - sl
		}
	}
	t := max(fe.o.MinContrast, fe.o.Texture*fe.texture)
	if fe.o.Otsu > 0 && !fe.useRef { // the learned table needs no help
		h := fe.hist
		clear(h)
		for _, d := range dev {
			h[d]++
		}
		t = max(t, otsu(h)*fe.o.Otsu/100)
	}
	t = min(t, fe.o.MaxThreshold)
	fe.thr = t
	tb := byte(t)
	mask := fe.mask[:n]
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

// between is how far v lies outside the interval between a and b.
func between(v, a, b int32) int32 {
	lo, hi := min(a, b), max(a, b)
	if v < lo {
		return lo - v
	}
	if v > hi {
		return v - hi
	}
	return 0
}

// shadowColour is how far (|dCb| + |dCr|) a pixel's colour may lie from the
// shadowed table's for its darkening to be taken for a shadow.
const shadowColour = 10

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

// cutValleys clears the foreground pixels that lie in a dark crease: darker by more
// than Opts.Valley grey levels (and 3 times the table's texture) than both sides of
// the crease, three and four steps away, in one or two of four directions (a spot
// darker all round, such as a pip, is no crease), with foreground on both sides
// reaching six steps and not darkening again there (a small dark object on a light
// table is no crease either). Nor is a valley darker than the table between sides
// lighter than it: the dark body of a die between its white pips. Where two objects touch,
// their meeting line is such a crease (rims, bevels, the gap's shadow), so touching
// objects come apart; a crease that closes on itself inside an object (a rim, a
// pip) only makes a hole, which is filled again.
func (fe *FrontEnd) cutValleys() {
	ow, oh := fe.ow, fe.oh
	y, back := fe.pl[0].pix[:ow*oh], fe.pl[0].back[:ow*oh]
	m := fe.mask[:ow*oh]
	t := int32(max(fe.o.Valley, 3*fe.texture))
	offs := [4]int{1, ow, ow + 1, ow - 1}
	for r := 6; r < oh-6; r++ {
		row := r * ow
		for x := 6; x < ow-6; x++ {
			i := row + x
			if m[i] == 0 {
				continue
			}
			v := int32(y[i])
			bg := int32(back[i])
			n := 0
			for _, o := range offs {
				// each side: three and four steps away, the darker of the two (a
				// surface, not a bright speck such as a pip)
				a := min(int32(y[i-3*o]), int32(y[i-4*o]))
				b := min(int32(y[i+3*o]), int32(y[i+4*o]))
				if s := min(a, b); s-v > t && !(s > bg+t/2 && v < bg-t/2) {
					n++
					// A crease has an object on either side, reaching six steps,
					// whose surface does not darken again further out (past a pip,
					// the dark body of a die does).
					if m[i-3*o] != 0 && m[i+3*o] != 0 && m[i-6*o] != 0 && m[i+6*o] != 0 &&
						2*(a-int32(y[i-6*o])) <= t && 2*(b-int32(y[i+6*o])) <= t {
						n += 4
					}
				}
			}
			// Darker across but not along (1 or 2 of the 4 directions): a crease,
			// not a spot such as a pip, which is darker all round.
			if n >= 5 && n%4 <= 2 && n%4 >= 1 {
				m[i] = cutMark // cleared after fillHoles (see cleanup)
			}
		}
	}
}

// holeCompact is the least share, in percent, of its bounding box that a hole the
// table's colour must fill to be filled: a square face turned by 45 degrees fills
// half of its box, the gap between four touching discs a fifth.
const holeCompact = 40

// cutMark marks the crease pixels cutValleys clears: foreground for fillHoles (the
// crease is not a hole to fill, nor does it make one) and for the creases around
// it, background afterwards.
const cutMark = 0x80

// clearCuts clears the crease pixels, but for specks: a crease pixel with no
// background and at most one other crease pixel among its 8 neighbours is a mark
// inside an object (a fold, a scratch), not part of a line between two.
func (fe *FrontEnd) clearCuts() {
	ow, oh := fe.ow, fe.oh
	m := fe.mask[:ow*oh]
	for y := 1; y < oh-1; y++ {
		for x := 1; x < ow-1; x++ {
			i := y*ow + x
			if m[i] != cutMark {
				continue
			}
			marks, open := 0, false
			for _, o := range [8]int{-ow - 1, -ow, -ow + 1, -1, 1, ow - 1, ow, ow + 1} {
				switch m[i+o] {
				case cutMark, cutMark | 1:
					marks++
				case 0:
					open = true
				}
			}
			if !open && marks <= 1 {
				m[i] = cutMark | 1 // a speck: foreground again below
			}
		}
	}
	for i, v := range m {
		switch v {
		case cutMark:
			m[i] = 0
		case cutMark | 1:
			m[i] = 255
		}
	}
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
	if fe.o.Valley > 0 {
		fe.cutValleys()
	}
	fe.fillHoles()
	if fe.o.Valley > 0 {
		fe.clearCuts()
	}
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

// fillHoles turns background regions that do not touch the image border into
// foreground when they are small (up to Cell x Cell / 16: a pip, a speck of glare),
// or no larger than Opts.Hole percent of the picture and either deviating from the
// background, on average, by at least half the threshold (the face of a coin inside
// its rim) or compact, filling at least holeCompact percent of their bounding box
// (the face of a pale die inside its outline); not the table between the round
// objects of a tight grid, nor the inside of a tray's frame. The background
// connected to the border (4-connected) is found on the packed mask (outside); only
// the enclosed background is then flooded, hole by hole, to see its size.
func (fe *FrontEnd) fillHoles() {
	ow, oh := fe.ow, fe.oh
	m := fe.mask[:ow*oh]
	fe.pack()
	fe.outside()
	const inside, big = 2, 3
	maxHole := fe.o.Hole * fe.ow * fe.oh / 100
	smallHole := fe.o.Cell * fe.o.Cell / 16
	dev := fe.dev[:ow*oh]
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
			// Fill it if it is small, or not the table's colour: the face of an
			// object that shows as an outline. A hole the table's colour, such as
			// the gap between objects in a tight grid, stays.
			fill := byte(big)
			if len(st) <= smallHole {
				fill = 255
			} else if len(st) <= maxHole {
				var sum int
				x0, y0, x1, y1 := ow, oh, -1, -1
				for _, j := range st {
					sum += int(dev[j])
					jx, jy := int(j)%ow, int(j)/ow
					x0, y0, x1, y1 = min(x0, jx), min(y0, jy), max(x1, jx), max(y1, jy)
				}
				// the table's colour, but a compact shape: the face of a pale
				// object inside its outline, not the gap between round objects
				compact := 100*len(st) >= holeCompact*(x1-x0+1)*(y1-y0+1)
				if 2*sum >= fe.thr*len(st) || compact {
					fill = 255
				}
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
