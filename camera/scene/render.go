package scene

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"

	"github.com/numsense/numsense/model/rng"
)

// canvas is the picture being rendered: RGB in Q4 (may exceed 4080 before the
// final clipping: highlights), and the objects' coverage (Q8) for the truth.
type canvas struct {
	w, h  int
	pix   []int32 // 3 per pixel
	cover []uint8 // 255: object, 0: table
	tmp   []int32
}

func (c *canvas) reset(w, h int) {
	if c.w != w || c.h != h {
		c.w, c.h = w, h
		c.pix = make([]int32, 3*w*h)
		c.tmp = make([]int32, 3*w*h)
		c.cover = make([]uint8, w*h)
	}
	clear(c.cover)
}

// light is a scene's lighting.
type light struct {
	dir      unit  // towards the light, in the picture plane
	elev     unit  // cos, sin of the light's elevation
	shadow   int64 // cast shadow strength, Q12
	reach    int64 // shadow length per unit of height, Q12
	gain     int64 // overall exposure, Q12
	gx, gy   int64 // brightness gradient across the picture, Q12 per picture side
	vignette int64 // darkening at the corners, Q12
	tint     [3]int64
	specular int64 // strength of highlights, Q12
}

// camera is a scene's capture: defocus, noise and compression.
type cam struct {
	blur    int   // passes of a 3x3 binomial blur
	noise   int64 // sensor noise standard deviation, Q4 levels
	quality int   // JPEG quality
}

// Describe returns the description of scene i without rendering it.
func (g *Generator) Describe(i int) Scene {
	sc, _, _, _, _, _ := g.prepare(i)
	return sc
}

// prepare draws everything scene i is made of.
func (g *Generator) prepare(i int) (Scene, plan, tableLook, light, cam, *view) {
	if i < 0 {
		i = 0
	}
	seed := g.sceneSeed(i)
	kind := g.o.Kinds[i%len(g.o.Kinds)]
	rp := rng.New(rng.Derive(seed, streamPlan))
	rl := rng.New(rng.Derive(seed, streamLook))
	rc := rng.New(rng.Derive(seed, streamCamera))

	tilt := int64(rp.IntRange(-300, 300)) // up to ±7 % scale across the picture
	vw := newView(g.w, g.h, tilt)
	p := g.makePlan(rp, kind, vw)
	for k := range p.objs {
		vw.project(&p.objs[k])
	}
	table := makeTable(rl, Table(rl.IntN(int(numTables))), g.w)
	colourObjects(rl, &p, table)
	var li light
	li.dir = randomRot(rl)
	li.elev = rational(int64(rl.IntRange(q14*25/100, q14*70/100))) // 28..70 degrees
	li.shadow = int64(rl.IntRange(900, 2200))
	if chance(rl, 20) {
		li.shadow /= 3 // diffuse light: faint shadows
	}
	li.reach = li.elev.c * q12 / max(li.elev.s, 1)
	li.gain = int64(rl.IntRange(3400, 4500))
	li.gx = int64(rl.IntRange(-600, 600))
	li.gy = int64(rl.IntRange(-600, 600))
	li.vignette = int64(rl.IntRange(0, 1400))
	for k := range li.tint {
		li.tint[k] = int64(q12 + rl.IntRange(-220, 220))
	}
	li.specular = int64(rl.IntRange(1800, 4000))
	var cm cam
	switch b := rc.IntN(10); {
	case b < 3:
		cm.blur = 0
	case b < 8:
		cm.blur = 1
	default:
		cm.blur = 2
	}
	cm.noise = int64(rc.IntRange(16, 80)) // 1..5 levels
	cm.quality = rc.IntRange(60, 95)

	sc := Scene{Index: i, Count: p.count, Kind: kind, Table: table.kind, Layout: p.layout, Quality: cm.quality}
	var sum int64
	for k := range p.objs {
		sum += 2 * p.objs[k].a * p.objs[k].scale / q12
	}
	if p.count > 0 {
		sc.Size = float64(sum/int64(p.count)) / float64(int64(g.w)*q8)
	}
	return sc, p, table, li, cm, vw
}

// Render draws scene i as the JPEG file the bench set holds, and describes it.
func (g *Generator) Render(i int) (Scene, []byte, error) {
	sc, img := g.renderRGBA(i)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: sc.Quality}); err != nil {
		return sc, nil, fmt.Errorf("scene %d: %w", i, err)
	}
	return sc, buf.Bytes(), nil
}

// renderRGBA draws scene i before compression.
func (g *Generator) renderRGBA(i int) (Scene, *image.RGBA) {
	sc, p, table, li, cm, vw := g.prepare(i)
	c := &g.c
	c.reset(g.w, g.h)
	g.paintTable(c, &table, vw)
	g.paintShadows(c, &p, &li)
	for k := range p.objs {
		g.paintObject(c, &p.objs[k], p.kind, &li)
	}
	g.applyLight(c, &li)
	for b := 0; b < cm.blur; b++ {
		c.blur()
	}
	img := c.develop(cm.noise, rng.Derive(g.sceneSeed(i), streamCamera+16))
	sc.Cover = c.covered()
	return sc, img
}

// develop adds the sensor noise (drawn from seed) to the canvas and returns the
// 8-bit picture.
func (c *canvas) develop(noise int64, seed uint64) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, c.w, c.h))
	c.quantise(img, noise, rng.New(seed))
	return img
}

// covered is the share of the canvas the objects cover (coverage at least 1/2).
func (c *canvas) covered() float64 {
	n := 0
	for _, v := range c.cover {
		if v >= 128 {
			n++
		}
	}
	return float64(n) / float64(len(c.cover))
}

// Image draws scene i and returns it decoded, as a camera or numsense bench would
// read the bench set's file.
func (g *Generator) Image(i int) (Scene, image.Image, error) {
	sc, data, err := g.Render(i)
	if err != nil {
		return sc, nil, err
	}
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		return sc, nil, fmt.Errorf("scene %d: %w", i, err)
	}
	return sc, img, nil
}

// paintTable fills the canvas with the table, seen through the view's tilt.
func (g *Generator) paintTable(c *canvas, tl *tableLook, vw *view) {
	W := int64(g.w) * q8
	for y := 0; y < g.h; y++ {
		v, s := vw.rowV[y], vw.rowS[y]
		row := c.pix[3*y*g.w : 3*(y+1)*g.w]
		for x := 0; x < g.w; x++ {
			u := W/2 + (int64(x)*q8+q8/2-W/2)*q12/s
			col := tl.at(u, v)
			row[3*x], row[3*x+1], row[3*x+2] = int32(col[0]), int32(col[1]), int32(col[2])
		}
	}
}

// local returns the position of picture pixel (x, y) in o's own frame (Q8).
func (o *object) local(x, y int, ox, oy int64) (int64, int64) {
	dx := (int64(x)*q8 + q8/2 - ox) * q12 / o.scale
	dy := (int64(y)*q8 + q8/2 - oy) * q12 / o.scale
	return o.rot.inv(dx, dy)
}

// sdf is the signed distance (Q8, negative inside) from (u, v) in o's frame to its
// outline.
func (o *object) sdf(u, v int64) int64 {
	switch o.sh {
	case disc:
		return hyp(u, v) - o.a
	case ellipse:
		k := hyp(u*q12/o.a, v*q12/o.b)
		return (k - q12) * min(o.a, o.b) / q12
	case box:
		qx, qy := abs64(u)-o.a+o.rc, abs64(v)-o.b+o.rc
		out := hyp(max(qx, 0), max(qy, 0))
		return out + min(max(qx, qy), 0) - o.rc
	default: // lens, with a serrated and slightly irregular edge
		R := (o.a*o.a + o.b*o.b) / (2 * o.b)
		off := R - o.b
		d := max(hyp(u, v-off), hyp(u, v+off)) - R
		teeth := int64(8 + o.seed%10)
		d += (abs64(wave(u*teeth*q12/(2*o.a))) - q12/2) * o.b / 16 / q12
		d += fbm(u, v, max(o.a/2, q8), 2, o.seed) * o.b / 3 / q12
		return d
	}
}

// alpha is the anti-aliased coverage (Q8) of a pixel at signed distance d (Q8)
// from an outline, over a one-pixel edge.
func alpha(d int64) int64 { return clamp64(q8/2-d, 0, q8) }

// bbox returns the picture rectangle that can hold o and its shadow, displaced by
// (sx, sy) (Q8) and grown by extra (Q8).
func (g *Generator) bbox(o *object, sx, sy, extra int64) (x0, y0, x1, y1 int) {
	r := o.extent()*o.scale/q12 + extra + 2*q8
	cx, cy := o.px+sx, o.py+sy
	x0, y0 = int(max((cx-r)/q8, 0)), int(max((cy-r)/q8, 0))
	x1, y1 = int(min((cx+r)/q8+1, int64(g.w))), int(min((cy+r)/q8+1, int64(g.h)))
	return
}

// paintShadows darkens the table under the objects: a soft cast shadow away from
// the light (longer for taller objects, softer for longer ones) and a contact
// shadow where each object meets the table. Overlapping shadows do not add.
func (g *Generator) paintShadows(c *canvas, p *plan, li *light) {
	sh := c.tmp[:g.w*g.h] // shadow strength, Q12
	clear(sh)
	for k := range p.objs {
		o := &p.objs[k]
		h := o.height * o.scale / q12
		reach := h * li.reach / q12
		sx, sy := -li.dir.c*reach/q14, -li.dir.s*reach/q14
		soft := 2*q8 + reach/2 + o.a/10
		ao := 2*q8 + o.a/12
		x0, y0, x1, y1 := g.bbox(o, sx, sy, soft+ao)
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				u, v := o.local(x, y, o.px+sx, o.py+sy)
				d := o.sdf(u, v) * o.scale / q12
				s := clamp64((soft-d)*q12/(2*soft), 0, q12)
				s = smooth(s) * li.shadow / q12
				u, v = o.local(x, y, o.px, o.py)
				d = o.sdf(u, v) * o.scale / q12
				if d > 0 && d < ao {
					s = max(s, (ao-d)*q12/ao*1000/q12)
				}
				i := y*g.w + x
				sh[i] = int32(max(int64(sh[i]), s))
			}
		}
	}
	for i, s := range sh {
		if s == 0 {
			continue
		}
		f := int64(q12 - s)
		for k := 0; k < 3; k++ {
			c.pix[3*i+k] = int32(int64(c.pix[3*i+k]) * f / q12)
		}
	}
}

// paintObject draws o: for tall objects first their sides (the base seen from a
// camera above the picture's centre lies nearer the centre than the top), then the
// top with its shading.
func (g *Generator) paintObject(c *canvas, o *object, kind Kind, li *light) {
	W, H := int64(g.w)*q8, int64(g.h)*q8
	camDist := 3 * W / 2
	h := o.height * o.scale / q12
	// top face shifted outwards from the picture's centre
	tx, ty := (o.px-W/2)*h/camDist, (o.py-H/2)*h/camDist
	ld := unit{c: li.dir.c, s: li.dir.s}
	loc := o.rot
	lu, lv := loc.inv(ld.c, ld.s) // the light's direction in o's frame, Q14
	tall := kind == Dice || kind == Blocks
	x0, y0, x1, y1 := g.bbox(o, tx/2, ty/2, abs64(tx)+abs64(ty))
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			var col [3]int64
			var a int64
			// top
			u, v := o.local(x, y, o.px+tx, o.py+ty)
			dt := o.sdf(u, v)
			d := dt * o.scale / q12
			if d < q8 {
				a = alpha(d)
				col = shade(o, kind, u, v, dt, lu, lv, li)
			}
			if tall && a < q8 {
				// the side: the outline swept from the base to the top
				sd := d
				for t := int64(0); t < 4; t++ {
					su, sv := o.local(x, y, o.px+tx*t/4, o.py+ty*t/4)
					sd = min(sd, o.sdf(su, sv)*o.scale/q12)
				}
				if sa := alpha(sd); sa > a {
					side := o.col
					f := int64(q12 * 52 / 100)
					// the side facing the light is lighter
					if (int64(x)*q8-o.px)*ld.c+(int64(y)*q8-o.py)*ld.s > 0 {
						f = q12 * 72 / 100
					}
					for k := range side {
						side[k] = side[k] * f / q12
					}
					for k := range col {
						col[k] = (col[k]*a + side[k]*(sa-a)) / max(sa, 1)
					}
					a = sa
				}
			}
			if a == 0 {
				continue
			}
			i := y*g.w + x
			for k := 0; k < 3; k++ {
				c.pix[3*i+k] = int32((int64(c.pix[3*i+k])*(q8-a) + col[k]*a) / q8)
			}
			c.cover[i] = uint8(max(int64(c.cover[i]), min(a, 255)))
		}
	}
}

// pipPos are the pips of a die face, in tenths of the half side, by value.
var pipPos = [7][][2]int64{
	{},
	{{0, 0}},
	{{-5, -5}, {5, 5}},
	{{-5, -5}, {0, 0}, {5, 5}},
	{{-5, -5}, {5, -5}, {-5, 5}, {5, 5}},
	{{-5, -5}, {5, -5}, {0, 0}, {-5, 5}, {5, 5}},
	{{-5, -5}, {5, -5}, {-5, 0}, {5, 0}, {-5, 5}, {5, 5}},
}

// shade returns o's colour (Q4) at (u, v) of its frame, at signed distance d (Q8,
// table plane) from its outline, with the light coming from (lu, lv) (Q14) in that
// frame.
func shade(o *object, kind Kind, u, v, d int64, lu, lv int64, li *light) [3]int64 {
	col := o.col
	f := int64(q12) // diffuse factor
	var spec int64  // added white, Q4
	switch kind {
	case Coins:
		r := o.a
		dist := max(d+r, 0)                   // distance from the centre
		rho := dist * q12 / r                 // Q12
		along := (u*lu + v*lv) / max(dist, 1) // radial direction · light, Q14
		switch {
		case rho > 3970:
			f = q12 * 55 / 100 // the coin's edge
		case rho > 3650:
			f += along * 1400 / q14 // outer slope of the rim
		case rho > 3380:
			f -= along * 1100 / q14 // inner slope of the rim
		default:
			if rho < 2500 {
				col = o.col2 // the centre of a bimetal coin
			}
			// relief: embossed shapes of value noise, lit from the light's side
			k := max(r/3, q8)
			n0 := noise(u*q12/k, v*q12/k, o.seed)
			n1 := noise((u+lu*q8*3/2/q14)*q12/k, (v+lv*q8*3/2/q14)*q12/k, o.seed)
			step := func(n int64) int64 { return clamp64((n-q12/2)*6, -q12/2, q12/2) }
			f += (step(n1) - step(n0)) * 700 / q12
			f -= 300
		}
		// metal reflects: a broad sheen towards the light and a bright glint
		hx, hy := lu*r/2/q14, lv*r/2/q14
		g := clamp64(q12-hyp(u-hx, v-hy)*q12/r, 0, q12)
		spec = g * g / q12 * g / q12 * li.specular / q12 * 4080 / q12
		f += g * 500 / q12
	case Sweets:
		e := hyp(u*q12/o.a, v*q12/o.b) // Q12 normalised radius
		z := int64(isqrt(uint64(max(q12*q12-e*e, 0))))
		nx, ny := u*q12/o.a, v*q12/o.b
		dot := (nx*lu/q14*li.elev.c/q14 + ny*lv/q14*li.elev.c/q14 + z*li.elev.s/q14) // Q12
		f = q12*45/100 + max(dot, 0)*60/100
		hx, hy := lu*q12*45/100/q14, lv*q12*45/100/q14
		g := clamp64(q12-hyp(nx-hx, ny-hy)*q12/(q12*22/100), 0, q12)
		spec = g * g / q12 * li.specular / q12 * 4080 / q12
		if o.variant == 1 {
			f += (noise(u*q12/(2*q8), v*q12/(2*q8), o.seed) - q12/2) / 10
		}
		if o.variant == 2 && hyp(u, v) < o.b/3 && abs64(u) < o.b/4 { // a printed mark
			col = rgb(245, 245, 245)
		}
	case Dice:
		// bevel along the rounded edge, lit from the light's side
		edge := -d
		if edge < o.rc {
			nx, ny := sign(u)*boolInt(abs64(u) > abs64(v)), sign(v)*boolInt(abs64(v) >= abs64(u))
			f += (nx*lu + ny*lv) / q14 * (o.rc - edge) * 1500 / (max(o.rc, 1) * q14)
			f -= (o.rc - edge) * 500 / max(o.rc, 1)
		}
		pr := o.a * 19 / 100
		for _, pp := range pipPos[o.variant] {
			du, dv := u-pp[0]*o.a/10*11/10, v-pp[1]*o.a/10*11/10
			if pd := hyp(du, dv) - pr; pd < q8 {
				a := alpha(pd * o.scale / q12)
				pc := o.col2
				// concave: darker on the light's side
				pf := q12 - (du*lu+dv*lv)/q14*q12/max(pr, 1)/5
				for k := range col {
					col[k] = (col[k]*(q8-a) + pc[k]*pf/q12*a) / q8
				}
			}
		}
		spec = clamp64(q12-hyp(u-lu*o.a/2/q14, v-lv*o.a/2/q14)*q12/o.a, 0, q12)
		spec = spec * spec / q12 * spec / q12 * li.specular / q12 * 1200 / q12
	case Leaves:
		f += (noise(u*q12/max(o.a/3, q8), v*q12/max(o.a/3, q8), o.seed+5) - q12/2) / 4
		if v*lv < 0 { // a slight curl: one half turned from the light
			f -= 250
		}
		w := o.a/60 + q8/2
		if abs64(v) < w && abs64(u) < o.a*9/10 {
			col = o.col2 // the midrib
		} else {
			// lateral veins, running out from the midrib towards the tip
			p := (u - abs64(v)*3/2) * q12 / max(o.a/4, q8)
			if abs64(wave(p)) > q12*93/100 {
				col = [3]int64{(col[0]*2 + o.col2[0]) / 3, (col[1]*2 + o.col2[1]) / 3, (col[2]*2 + o.col2[2]) / 3}
			}
		}
		edge := -d
		if edge < 2*q8 {
			f -= 500
		}
		spec = clamp64(noise(u*q12/max(o.a, q8), v*q12/max(o.a, q8), o.seed+9)-q12*7/10, 0, q12) * li.specular / q12 / 3
	default: // Blocks
		edge := -d
		bev := o.b / 6
		if edge < bev {
			nx, ny := sign(u)*boolInt(abs64(u)-o.a > abs64(v)-o.b), sign(v)*boolInt(abs64(v)-o.b >= abs64(u)-o.a)
			f += (nx*lu + ny*lv) / q14 * (bev - edge) * 1400 / (max(bev, 1) * q14)
		}
		if o.variant&2 != 0 { // wood grain along the block
			g := wave(v*q12/max(o.b/3, q8) + fbm(u, v, max(o.a, q8), 1, o.seed)*2)
			f -= (g + q12) / 2 * 350 / q12
		}
		if o.variant&1 != 0 { // studs on a toy brick
			pitch := o.b
			cu := floorDiv(u+o.a, pitch)*pitch - o.a + pitch/2
			cv := floorDiv(v+o.b, pitch)*pitch - o.b + pitch/2
			du, dv := u-cu, v-cv
			sr := pitch * 30 / 100
			if dd := hyp(du, dv) - sr; dd < q8 && abs64(cu) < o.a && abs64(cv) < o.b {
				if dd > -q8*2 {
					f += (du*lu + dv*lv) / q14 * 1200 / max(sr, 1)
				} else {
					f += 200
				}
			} else if dd < sr/3 && dd >= q8 {
				f -= 500 // the stud's shadow ring
			}
		}
	}
	for k := range col {
		col[k] = col[k]*max(f, 0)/q12 + spec
	}
	return col
}

func sign(v int64) int64 {
	switch {
	case v > 0:
		return q14
	case v < 0:
		return -q14
	}
	return 0
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// applyLight multiplies the picture by the exposure, a gradient across the table,
// the lens's vignetting and the light's colour.
func (g *Generator) applyLight(c *canvas, li *light) {
	w, h := int64(g.w), int64(g.h)
	r2max := w*w/4 + h*h/4
	for y := int64(0); y < h; y++ {
		for x := int64(0); x < w; x++ {
			dx, dy := 2*x+1-w, 2*y+1-h // twice the offset from the centre
			f := li.gain * (q12 + li.gx*dx/(2*w) + li.gy*dy/(2*h)) / q12
			f = f * (q12 - li.vignette*((dx*dx+dy*dy)/4)/r2max) / q12
			i := 3 * (y*w + x)
			for k := int64(0); k < 3; k++ {
				c.pix[i+k] = int32(int64(c.pix[i+k]) * f / q12 * li.tint[k] / q12)
			}
		}
	}
}

// blur is one pass of the 3x3 binomial filter (1 2 1) x (1 2 1) / 16: defocus.
func (c *canvas) blur() {
	w, h := c.w, c.h
	t := c.tmp
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			xl, xr := max(x-1, 0), min(x+1, w-1)
			for k := 0; k < 3; k++ {
				t[3*(y*w+x)+k] = c.pix[3*(y*w+xl)+k] + 2*c.pix[3*(y*w+x)+k] + c.pix[3*(y*w+xr)+k]
			}
		}
	}
	for y := 0; y < h; y++ {
		yu, yd := max(y-1, 0), min(y+1, h-1)
		for x := 0; x < w; x++ {
			for k := 0; k < 3; k++ {
				c.pix[3*(y*w+x)+k] = (t[3*(yu*w+x)+k] + 2*t[3*(y*w+x)+k] + t[3*(yd*w+x)+k] + 8) / 16
			}
		}
	}
}

// quantise adds sensor noise (about normal: the sum of four uniform deviates,
// larger in bright parts as shot noise is) and writes 8-bit RGBA.
func (c *canvas) quantise(img *image.RGBA, sigma int64, r *rng.Rand) {
	k := max(sigma*866/1000, 1) // uniform half-width giving sigma for the sum of 4
	for i := 0; i < c.w*c.h; i++ {
		for ch := 0; ch < 3; ch++ {
			v := int64(c.pix[3*i+ch])
			s := k * (3 + 2*clamp64(v, 0, 4080)/4080) / 5
			n := int64(0)
			for j := 0; j < 4; j++ {
				n += int64(r.IntN(int(2*s+1))) - s
			}
			img.Pix[4*i+ch] = uint8(clamp64((v+n+8)/16, 0, 255))
		}
		img.Pix[4*i+3] = 255
	}
}
