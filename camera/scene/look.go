package scene

import "github.com/numsense/numsense/model/rng"

// rgb makes a Q4 colour from 8-bit components.
func rgb(r, g, b int64) [3]int64 { return [3]int64{r * 16, g * 16, b * 16} }

// vary scales each component of c by 100 ± pct percent (one factor for all three,
// and a little per component).
func vary(r *rng.Rand, c [3]int64, pct int) [3]int64 {
	f := int64(100 + r.IntRange(-pct, pct))
	for i := range c {
		c[i] = c[i] * (f + int64(r.IntRange(-pct/3, pct/3))) / 100
	}
	return c
}

// q4s converts a palette of 8-bit colours to Q4.
func q4s(p [][3]int64) [][3]int64 {
	for i := range p {
		p[i] = rgb(p[i][0], p[i][1], p[i][2])
	}
	return p
}

// lumaQ4 is the BT.601 luma of a Q4 colour.
func lumaQ4(c [3]int64) int64 { return (299*c[0] + 587*c[1] + 114*c[2]) / 1000 }

// The palettes (8-bit sRGB), by kind.
var (
	metals = q4s([][3]int64{
		{184, 115, 72},  // copper
		{132, 84, 56},   // old copper
		{206, 172, 96},  // brass
		{190, 190, 194}, // nickel
		{150, 152, 156}, // worn steel
		{218, 190, 120}, // gold
	})
	sweetColours = q4s([][3]int64{
		{205, 30, 35}, {240, 120, 20}, {245, 205, 30}, {40, 150, 60}, {30, 80, 190},
		{110, 60, 35}, {235, 110, 160}, {120, 50, 150}, {245, 242, 232}, {170, 215, 60},
	})
	diceColours = q4s([][3]int64{
		{238, 236, 228}, {242, 232, 200}, {200, 30, 35}, {28, 28, 30}, {35, 70, 170},
		{40, 140, 70}, {240, 200, 40}, {120, 60, 140}, {230, 120, 30},
	})
	leafColours = q4s([][3]int64{
		{70, 120, 45}, {95, 145, 55}, {45, 90, 35}, {140, 160, 60}, {205, 170, 50},
		{215, 115, 35}, {175, 55, 35}, {125, 85, 45}, {160, 120, 70},
	})
	blockColours = q4s([][3]int64{
		{205, 165, 112}, {222, 190, 140}, {190, 35, 35}, {30, 80, 175}, {245, 200, 40},
		{40, 140, 60}, {240, 240, 235}, {235, 120, 30}, {60, 60, 65},
	})
)

// tableLook is the surface of one scene.
type tableLook struct {
	kind   Table
	base   [3]int64
	rot    unit  // direction of grain, planks and weave
	period int64 // grain or weave period, Q8
	plank  int64 // plank width, Q8 (wood)
	amp    int64 // texture amplitude, Q12 of the colour
	seed   uint32
}

// makeTable draws a table of kind t.
func makeTable(r *rng.Rand, t Table, w int) tableLook {
	tl := tableLook{kind: t, rot: smallRot(r, 90), seed: uint32(r.Uint64())}
	W := int64(w) * q8
	switch t {
	case Wood:
		tl.base = vary(r, pick(r, q4s([][3]int64{{196, 156, 108}, {150, 100, 62}, {222, 188, 138}, {112, 74, 46}, {176, 128, 84}})), 8)
		tl.plank = W * int64(r.IntRange(14, 40)) / 100
		tl.period = W * int64(r.IntRange(6, 20)) / 1000
		tl.amp = int64(r.IntRange(250, 600))
	case Paper:
		tl.base = vary(r, pick(r, q4s([][3]int64{{246, 246, 244}, {240, 236, 222}, {236, 240, 244}, {250, 249, 245}})), 3)
		tl.amp = int64(r.IntRange(60, 160))
	case Cloth:
		tl.base = vary(r, pick(r, q4s([][3]int64{{48, 112, 70}, {40, 55, 95}, {150, 40, 45}, {205, 195, 170}, {120, 120, 118}, {180, 150, 110}})), 10)
		tl.period = int64(r.IntRange(2*q8, 6*q8))
		tl.amp = int64(r.IntRange(200, 500))
	case Grey:
		v := int64(r.IntRange(105, 185))
		tl.base = vary(r, rgb(v, v, v+int64(r.IntRange(-6, 8))), 3)
		tl.amp = int64(r.IntRange(100, 280))
	default: // Dark
		v := int64(r.IntRange(18, 55))
		tl.base = vary(r, rgb(v+int64(r.IntRange(0, 8)), v, v+int64(r.IntRange(0, 10))), 5)
		tl.amp = int64(r.IntRange(150, 450))
	}
	for i := range tl.base {
		tl.base[i] = clamp64(tl.base[i], 0, 4080)
	}
	return tl
}

// at returns the table's colour (Q4) at table position (u, v) in Q8 pixels.
func (tl *tableLook) at(u, v int64) [3]int64 {
	u, v = tl.rot.inv(u, v)
	c := tl.base
	var f int64 = q12 // brightness factor
	s := tl.seed
	switch tl.kind {
	case Wood:
		// Planks along u, each with its own shade; a dark seam between them; grain
		// lines along u, waved by low-frequency noise; fine fibres.
		k := floorDiv(v, tl.plank)
		f += (int64(hash(int32(k), 7, s)>>20) - q12/2) * 16 / 100
		if v-k*tl.plank < 3*q8/2 {
			f = f * 62 / 100
		}
		warp := fbm(u/6, v, 90*q8, 2, s+1) * 3
		g := wave((v+int64(hash(int32(k), 3, s)>>16))*q12/tl.period + warp)
		l := (g + q12) / 2 // dark grain lines where the wave peaks
		f -= l * l / q12 * tl.amp / q12
		f += fbm(u, v*6, 40*q8, 2, s+2) * tl.amp / q12
		f += fbm(u, v, 2*q8, 1, s+3) * 80 / q12
	case Paper:
		f += fbm(u, v, 3*q8, 2, s) * tl.amp / q12
		f += fbm(u, v, 90*q8, 2, s+1) * 120 / q12
	case Cloth:
		a := wave(u * q12 / tl.period)
		b := wave(v * q12 / tl.period)
		thread := a
		if (floorDiv(u, tl.period)+floorDiv(v, tl.period))%2 == 0 {
			thread = b
		}
		f += thread * tl.amp / q12 / 2
		f += fbm(u, v, tl.period/2+q8, 1, s) * tl.amp / q12
		f += fbm(u, v, 140*q8, 3, s+1) * 700 / q12 // wrinkles and folds
	case Grey:
		f += fbm(u, v, 36*q8, 3, s) * tl.amp / q12
		f += fbm(u, v, 2*q8, 1, s+1) * 120 / q12
		if hash(int32(u>>9), int32(v>>9), s+2)%500 == 0 { // specks (concrete)
			f = f * 80 / 100
		}
	default: // Dark
		f += fbm(u, v, 60*q8, 3, s) * tl.amp / q12
		f += fbm(u, v, 2*q8, 1, s+1) * 300 / q12
	}
	for i := range c {
		c[i] = c[i] * f / q12
	}
	return c
}

// floorDiv is a/b rounded towards minus infinity (b > 0).
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// colourObjects gives every object its colours (the same for all with some
// probability: a handful of identical coins) and its variant (pips, studs).
func colourObjects(r *rng.Rand, p *plan, table tableLook) {
	var pal [][3]int64
	switch p.kind {
	case Coins:
		pal = metals
	case Sweets:
		pal = sweetColours
	case Dice:
		pal = diceColours
	case Leaves:
		pal = leafColours
	default:
		pal = blockColours
	}
	same := chance(r, 45)
	first := pick(r, pal)
	bimetal := p.kind == Coins && chance(r, 20)
	studs := p.kind == Blocks && chance(r, 50)
	for i := range p.objs {
		o := &p.objs[i]
		c := first
		if !same {
			c = pick(r, pal)
		}
		o.col = vary(r, c, 6)
		switch p.kind {
		case Coins:
			o.col2 = o.col
			if bimetal {
				o.col2 = vary(r, metals[3], 4)
				if c == metals[3] {
					o.col2 = vary(r, metals[2], 4)
				}
			}
		case Dice:
			if lumaQ4(o.col) > 130*16 {
				o.col2 = rgb(25, 25, 28)
			} else {
				o.col2 = rgb(240, 240, 236)
			}
			o.variant = r.IntRange(1, 6)
		case Leaves:
			o.col2 = vary(r, [3]int64{o.col[0] + 30*16, o.col[1] + 30*16, o.col[2] + 10*16}, 4)
		case Blocks:
			if studs {
				o.variant = 1
			}
			if c == blockColours[0] || c == blockColours[1] {
				o.variant |= 2 // natural wood: grain
			}
		case Sweets:
			o.variant = r.IntN(3) // 0 plain, 1 speckled, 2 printed mark
		}
		for k := range o.col {
			o.col[k] = clamp64(o.col[k], 0, 4080)
			o.col2[k] = clamp64(o.col2[k], 0, 4080)
		}
	}
	_ = table
}
