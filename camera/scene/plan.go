package scene

import "github.com/numsense/numsense/model/rng"

// shape is the outline of an object in its own frame (u along its length).
type shape int

const (
	disc    shape = iota // radius a
	ellipse              // half-axes a, b
	box                  // half-sides a, b, corner radius rc
	lens                 // a leaf: half-length a, half-width b
)

// object is one object of a scene. Lengths are in Q8 pixels of the table plane;
// x, y is the centre in the table plane, px, py and scale (Q12) where it lands in
// the picture (see view).
type object struct {
	x, y    int64
	rot     unit
	sh      shape
	a, b    int64
	rc      int64
	height  int64
	col     [3]int64 // Q4 colours
	col2    [3]int64
	variant int
	seed    uint32
	// in the picture
	px, py int64
	scale  int64
}

// extent is the object's bounding radius (Q8, table plane).
func (o *object) extent() int64 {
	if o.sh == disc {
		return o.a
	}
	return hyp(o.a, o.b)
}

// round reports whether the object's outline is a circle.
func (o *object) round() bool { return o.sh == disc || (o.sh == ellipse && o.a == o.b) }

// overlaps reports whether o and p, each grown by gap/2 (Q8; negative shrinks),
// intersect: circles for round objects, else oriented boxes (separating axes).
func overlaps(o, p *object, gap int64) bool {
	dx, dy := p.x-o.x, p.y-o.y
	if o.round() && p.round() {
		r := o.a + p.a + gap
		return r > 0 && dx*dx+dy*dy < r*r
	}
	g := gap / 2
	oa, ob := max(o.a+g, 1), max(o.b+g, 1)
	pa, pb := max(p.a+g, 1), max(p.b+g, 1)
	if o.sh == disc {
		ob = oa
	}
	if p.sh == disc {
		pb = pa
	}
	// Axes: o's u and v, p's u and v.
	axes := [4]unit{o.rot, {-o.rot.s, o.rot.c}, p.rot, {-p.rot.s, p.rot.c}}
	for _, ax := range axes {
		d := abs64(dx*ax.c+dy*ax.s) / q14
		ro := (abs64(oa*((o.rot.c*ax.c+o.rot.s*ax.s)/q14)) + abs64(ob*((-o.rot.s*ax.c+o.rot.c*ax.s)/q14))) / q14
		rp := (abs64(pa*((p.rot.c*ax.c+p.rot.s*ax.s)/q14)) + abs64(pb*((-p.rot.s*ax.c+p.rot.c*ax.s)/q14))) / q14
		if d >= ro+rp {
			return false
		}
	}
	return true
}

// view maps the table plane to the picture: a slight tilt of the camera makes
// the far side (top of the picture when tilt > 0) smaller than the near side. In
// the table plane a point (u, v) lands at x = cx + (u-cx) s(v), y = cy + (v-cy) +
// t (v-cy)²/(2H), with s(v) = 1 + t (v-cy)/H: locally a similarity of scale s(v), so
// touching objects still touch in the picture.
type view struct {
	w, h int64   // picture size in pixels
	tilt int64   // t in Q12
	rowV []int64 // table v (Q8) of each picture row's centre
	rowS []int64 // s(v) of each row, Q12
}

func newView(w, h int, tilt int64) *view {
	vw := &view{w: int64(w), h: int64(h), tilt: tilt, rowV: make([]int64, h), rowS: make([]int64, h)}
	H := int64(h) * q8
	cy := H / 2
	for y := range vw.rowV {
		dy := int64(y)*q8 + q8/2 - cy // picture offset, Q8
		dv := dy
		if tilt != 0 {
			// Solve dy = dv + t dv²/(2H) for dv: dv = H (sqrt(1 + 2 t dy/H) - 1)/t.
			// In Q: r = sqrt(H² + 2 t dy H / Q12), dv = (r - H) Q12 / t.
			rr := H*H + 2*tilt*dy/q12*H
			r := int64(isqrt(uint64(max(rr, 0))))
			dv = (r - H) * q12 / tilt
		}
		vw.rowV[y] = cy + dv
		vw.rowS[y] = q12 + tilt*dv/H
	}
	return vw
}

// project sets o's position and scale in the picture.
func (vw *view) project(o *object) {
	W, H := vw.w*q8, vw.h*q8
	dv := o.y - H/2
	s := q12 + vw.tilt*dv/H
	o.scale = s
	o.px = W/2 + (o.x-W/2)*s/q12
	o.py = H/2 + dv + vw.tilt*(dv*dv/H)/(2*q12)
}

// inside reports whether o, projected, lies at least margin (Q8) inside the picture.
func (vw *view) inside(o *object, margin int64) bool {
	vw.project(o)
	r := o.extent()*o.scale/q12 + margin
	return o.px-r >= 0 && o.py-r >= 0 && o.px+r <= vw.w*q8 && o.py+r <= vw.h*q8
}

// plan is what a scene's layout decides.
type plan struct {
	kind   Kind
	layout Layout
	count  int
	size   int64 // object extent (diameter or long side), Q8 px
	dense  bool  // a grid meant to cover most of the picture
	objs   []object
}

// footprint is an object kind's area over the square of its extent, in percent:
// how much of the picture n objects of extent d cover is about n d² footprint.
var footprint = [numKinds]int64{Coins: 79, Sweets: 62, Dice: 97, Leaves: 33, Blocks: 68}

// makePlan decides the count, layout, size and placement of scene seed's objects.
func (g *Generator) makePlan(r *rng.Rand, kind Kind, vw *view) plan {
	p := plan{kind: kind, count: r.IntRange(g.o.MinCount, g.o.MaxCount)}
	switch k := r.IntN(100); {
	case k < 30:
		p.layout = Random
	case k < 46:
		p.layout = Cluster
	case k < 86:
		p.layout = Grid
	default:
		p.layout = Rows
	}
	W, H := int64(g.w), int64(g.h)
	lo, hi := W*q8*2/100, W*q8*25/100
	d := logUniform(r, lo, hi)
	// The most the layout can hold: a share of the picture covered by the objects'
	// bounding squares.
	capPct := int64(30)
	switch p.layout {
	case Grid:
		capPct = 75
		if chance(r, 80) {
			// A dense array: objects of the size that covers 42-68 % of the
			// picture, if that size is within bounds.
			c := int64(r.IntRange(42, 68))
			dd := int64(isqrt(uint64(c * W * H * q8 * q8 / (int64(p.count) * footprint[kind]))))
			if dd <= hi {
				d = hi // placeGrid makes the grid as large as the picture allows
				p.dense = true
			}
		}
	case Rows:
		capPct = 35
	}
	if !p.dense {
		foot := max(footprint[kind], 60)
		maxD := int64(isqrt(uint64(capPct * W * H * q8 * q8 / (int64(p.count) * foot)))) // Q8
		d = max(min(d, maxD), lo)
	}
	for try := 0; ; try++ {
		p.size = d
		p.objs = p.objs[:0]
		g.place(r, &p, vw)
		if len(p.objs) == p.count || try >= 12 || d <= lo {
			break
		}
		d = max(d*9/10, lo)
	}
	p.count = len(p.objs) // the truth is what was placed
	return p
}

// newObject makes an object of p's kind with extent d (Q8), facing rot.
func newObject(r *rng.Rand, kind Kind, d int64, rot unit, shapeVar int) object {
	o := object{rot: rot, seed: uint32(r.Uint64())}
	half := d / 2
	switch kind {
	case Coins:
		o.sh, o.a, o.b = disc, half, half
		o.height = d / 14
	case Sweets:
		if shapeVar%2 == 0 {
			o.sh, o.a, o.b = disc, half, half
		} else {
			o.sh, o.a, o.b = ellipse, half, half*int64(55+shapeVar%26)/100
		}
		o.height = d / 3
	case Dice:
		o.sh, o.a, o.b = box, half, half
		o.rc = d * int64(12+shapeVar%9) / 100
		o.height = d
	case Leaves:
		o.sh, o.a, o.b = lens, half, half*int64(34+shapeVar%27)/100
		o.height = d / 40
	default: // Blocks
		o.sh, o.a, o.b = box, half, half*int64(40+shapeVar%61)/100
		o.rc = d * 3 / 100
		o.height = o.b * 2 * int64(50+shapeVar%51) / 100
	}
	return o
}

// randomRot returns a rotation spread over the whole circle.
func randomRot(r *rng.Rand) unit {
	u := rational(int64(r.IntRange(-q14, q14)))
	if r.IntN(2) == 0 {
		u = unit{-u.c, -u.s}
	}
	return u
}

// smallRot returns a rotation of up to about deg degrees either way.
func smallRot(r *rng.Rand, deg int) unit {
	t := int64(deg) * q14 * 1745 / 200000 // tan(deg/2) ~ deg π/360
	return rational(int64(r.IntRange(int(-t), int(t))))
}

// place fills p.objs with p.count objects of extent p.size in p.layout.
func (g *Generator) place(r *rng.Rand, p *plan, vw *view) {
	d := p.size
	shapeVar := r.IntN(1000) // one shape for all (identical objects) or per object
	same := chance(r, 60)
	sv := func() int {
		if same {
			return shapeVar
		}
		return r.IntN(1000)
	}
	margin := int64(g.w)*q8/100 + 3*q8
	if p.kind == Dice || p.kind == Blocks {
		margin += d / 6 // the sides showing with the tilt
	}
	W, H := int64(g.w)*q8, int64(g.h)*q8
	switch p.layout {
	case Grid:
		g.placeGrid(r, p, vw, margin, sv)
		return
	case Rows:
		g.placeRows(r, p, vw, margin, sv)
		return
	}
	// Random and Cluster: rejection sampling in a region of the picture.
	x0, y0, x1, y1 := int64(0), int64(0), W, H
	var gapLo, gapHi int64
	if p.layout == Cluster {
		fw, fh := int64(r.IntRange(30, 75)), int64(r.IntRange(30, 75))
		x0 = int64(r.IntN(int(100-fw)+1)) * W / 100
		y0 = int64(r.IntN(int(100-fh)+1)) * H / 100
		x1, y1 = x0+fw*W/100, y0+fh*H/100
		gapLo, gapHi = -d*3/100, d/4
	} else if chance(r, 25) {
		gapLo, gapHi = -d*3/100, d/20
	} else {
		gapLo, gapHi = d/20, d*3/2
	}
	if p.kind == Dice || p.kind == Blocks {
		gapLo = max(gapLo, 0)
	}
	for tries := 0; len(p.objs) < p.count && tries < 400*p.count+2000; tries++ {
		if tries > 0 && tries%(60*p.count+300) == 0 {
			// Crowded: let the region grow towards the whole picture.
			gx, gy := (x1-x0)/8, (y1-y0)/8
			x0, y0, x1, y1 = max(0, x0-gx), max(0, y0-gy), min(W, x1+gx), min(H, y1+gy)
			gapHi = max(gapLo, gapHi*3/4)
		}
		dd := d * int64(r.IntRange(88, 112)) / 100
		o := newObject(r, p.kind, dd, randomRot(r), sv())
		o.x = x0 + int64(r.IntN(int(max(x1-x0, 1))))
		o.y = y0 + int64(r.IntN(int(max(y1-y0, 1))))
		if !vw.inside(&o, margin) {
			continue
		}
		gap := gapLo + int64(r.IntN(int(gapHi-gapLo)+1))
		ok := true
		for i := range p.objs {
			if overlaps(&o, &p.objs[i], gap) {
				ok = false
				break
			}
		}
		if ok {
			p.objs = append(p.objs, o)
		}
	}
}

// placeGrid lays the objects out in rows and columns (hexagonally packed for
// round objects half of the time), the grid slightly turned, gaps from touching
// to half an object.
func (g *Generator) placeGrid(r *rng.Rand, p *plan, vw *view, margin int64, sv func() int) {
	d := p.size
	var gap int64
	switch {
	case p.dense && chance(r, 70), chance(r, 40):
		gap = 0 // touching
	case p.dense:
		gap = d * int64(r.IntRange(1, 6)) / 100
	case chance(r, 50):
		gap = d * int64(r.IntRange(1, 12)) / 100
	default:
		gap = d * int64(r.IntRange(12, 50)) / 100
	}
	if p.kind == Coins && gap == 0 && chance(r, 30) {
		gap = -d * 3 / 100 // coins may overlap a little
	}
	grot := smallRot(r, 6)
	pv := sv()
	across := p.kind == Blocks && chance(r, 40) // blocks standing across the rows
	hexOK := chance(r, 50)
	long := chance(r, 30) // some grids are long rows
	W, H := int64(g.w)*q8, int64(g.h)*q8
	n := p.count
	// pitch gives the grid's cell and half extents for objects of extent d.
	var proto object
	var ea, eb, px, py int64
	var hex bool
	pitch := func(d int64) {
		proto = newObject(r, p.kind, d, grot, pv)
		if across {
			proto.rot = proto.rot.mul(unit{0, q14})
		}
		ea, eb = proto.a, proto.b // half extents along the grid's x and y
		if proto.sh == disc {
			eb = ea
		}
		if across {
			ea, eb = eb, ea
		}
		hex = (proto.round() || p.kind == Leaves) && hexOK
		g := gap * d / max(p.size, 1)
		px, py = 2*ea+g, 2*eb+g
		if hex && proto.round() {
			py = py * 866 / 1000
		}
	}
	box := func(cols int) (int64, int64) {
		rows := (n + cols - 1) / cols
		gw, gh := int64(cols)*px, int64(rows)*py
		if hex {
			if rows > 1 {
				gw += px / 2
			}
			if proto.round() {
				gh += py * 134 / 866
			}
		}
		return gw, gh
	}
	pitch(d)
	cols := 1
	if p.dense {
		// As large as the picture allows: the columns that let the grid grow most,
		// leaving room for the grid's turn and the camera's tilt.
		best := int64(0)
		for c := 1; c <= n; c++ {
			gw, gh := box(c)
			s := min((W-2*margin)*q12/gw, (H-2*margin)*q12/gh)
			if s > best {
				best, cols = s, c
			}
		}
		d = min(d*best/q12*88/100, p.size)
		pitch(d)
	} else {
		// The grid's aspect near the picture's.
		for c := 1; c <= n; c++ {
			gw, gh := box(c)
			if gw*H <= gh*W*11/10 {
				cols = c
			}
		}
		if long {
			cols = min(n, cols+r.IntRange(1, 3))
		}
	}
	rows := (n + cols - 1) / cols
	gw, gh := box(cols)
	slackX, slackY := max(W-gw-2*margin, 0), max(H-gh-2*margin, 0)
	ox := W/2 - gw/2 + int64(r.IntN(int(slackX+1))) - slackX/2
	oy := H/2 - gh/2 + int64(r.IntN(int(slackY+1))) - slackY/2
	gap = gap * d / max(p.size, 1)
	p.size = d
	jit := max(gap/3, 0)
	centred := chance(r, 50)
	for k := 0; k < n; k++ {
		row, col := k/cols, k%cols
		fx := ox + int64(col)*px + px/2
		if row == rows-1 && centred {
			left := n - row*cols
			if hex { // whole steps only: a half step would break the packing
				fx += int64((cols-left)/2) * px
			} else {
				fx += int64(cols-left) * px / 2
			}
		}
		if hex && row%2 == 1 {
			fx += px / 2
		}
		fy := oy + int64(row)*py + py/2
		// turn the grid about the picture centre
		dx, dy := grot.rot(fx-W/2, fy-H/2)
		turn := 1 // degrees of disorder: less where objects touch
		if gap > d/20 {
			turn = 3
		}
		o := newObject(r, p.kind, d*int64(r.IntRange(97, 103))/100, proto.rot.mul(smallRot(r, turn)), pv)
		o.x, o.y = W/2+dx, H/2+dy
		if jit > 0 {
			o.x += int64(r.IntRange(int(-jit), int(jit)))
			o.y += int64(r.IntRange(int(-jit), int(jit)))
		}
		if !vw.inside(&o, margin) {
			continue
		}
		p.objs = append(p.objs, o)
	}
}

// placeRows lays the objects out in lines of touching objects that turn by right
// angles now and then (letters, snakes), starting new lines where one is blocked.
func (g *Generator) placeRows(r *rng.Rand, p *plan, vw *view, margin int64, sv func() int) {
	d := p.size
	W, H := int64(g.w)*q8, int64(g.h)*q8
	ok := func(o *object) bool {
		if !vw.inside(o, margin) {
			return false
		}
		for i := range p.objs {
			if overlaps(o, &p.objs[i], -d/50) {
				return false
			}
		}
		return true
	}
	headings := [4]unit{{q14, 0}, {0, q14}, {-q14, 0}, {0, -q14}}
	for starts := 0; len(p.objs) < p.count && starts < 40; starts++ {
		h := r.IntN(4)
		drift := smallRot(r, 8)
		x := int64(r.IntN(int(W)))
		y := int64(r.IntN(int(H)))
		along := chance(r, 50)
		run := r.IntRange(3, 12)
		for step := 0; len(p.objs) < p.count && step < run; step++ {
			dir := headings[h].mul(drift)
			rot := dir.mul(smallRot(r, 4))
			if !along {
				rot = rot.mul(unit{0, q14})
			}
			o := newObject(r, p.kind, d*int64(r.IntRange(95, 105))/100, rot, sv())
			// the object's half extent along the heading
			ea := o.a
			if o.sh != disc && !along {
				ea = o.b
			}
			px, py := x, y
			if step > 0 {
				gap := d * int64(r.IntRange(-2, 4)) / 100
				if p.kind == Dice || p.kind == Blocks {
					gap = max(gap, 0)
				}
				x += dir.c * (ea*2 + gap) / q14
				y += dir.s * (ea*2 + gap) / q14
			}
			o.x, o.y = x, y
			if !ok(&o) {
				if step == 0 {
					break
				}
				// blocked: back to the last object, and turn
				x, y = px, py
				h = (h + 1 + 2*r.IntN(2)) % 4
				continue
			}
			p.objs = append(p.objs, o)
			if chance(r, 15) {
				h = (h + 1 + 2*r.IntN(2)) % 4 // a corner
			}
		}
	}
}
