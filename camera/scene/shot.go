package scene

import (
	"image"

	"github.com/numsense/numsense/model/rng"
)

// Shot is one frame of a fixed camera looking at scene i's table over time: what
// lies on it, the light, a hand passing, and the frame's own sensor noise. Shots
// are not compressed (a camera's raw frames).
type Shot struct {
	// Objects puts the scene's objects on the table (false: the empty table).
	Objects bool
	// Light is the light level in percent of the scene's own (0: 100).
	Light int
	// Hand, from 1 to 100, is how far a hand with its arm reaches in over the
	// table from the right edge (0: no hand).
	Hand int
	// Frame numbers the shot: it draws the sensor noise, so that still frames of a
	// still scene differ as a camera's do.
	Frame uint64
	// Shift moves the picture by this many pixels to the right (a knocked camera).
	Shift int
}

// Shot renders scene i as s describes. The scene's plan, table and light are the
// same in every shot of it.
func (g *Generator) Shot(i int, s Shot) (Scene, *image.RGBA) {
	sc, p, table, li, cm, vw := g.prepare(i)
	if s.Light > 0 {
		li.gain = li.gain * int64(s.Light) / 100
	}
	c := &g.c
	c.reset(g.w, g.h)
	g.paintTable(c, &table, vw)
	if s.Objects {
		g.paintShadows(c, &p, &li)
		for k := range p.objs {
			g.paintObject(c, &p.objs[k], p.kind, &li)
		}
	} else {
		sc.Count = 0
	}
	if s.Hand > 0 {
		g.paintHand(c, s.Hand)
	}
	g.applyLight(c, &li)
	for b := 0; b < cm.blur; b++ {
		c.blur()
	}
	if s.Shift != 0 {
		c.shift(s.Shift)
	}
	img := c.develop(cm.noise, rng.Derive(rng.Derive(g.sceneSeed(i), streamCamera+17), s.Frame))
	sc.Cover = c.covered()
	return sc, img
}

// paintHand draws a hand with its arm reaching in from the right edge, reach
// percent of the way across, at mid height.
func (g *Generator) paintHand(c *canvas, reach int) {
	w, h := int64(g.w)*q8, int64(g.h)*q8
	hx := w - w*int64(reach)*3/400 // the hand's centre
	hy := h / 2
	r := w / 12
	skin := rgb(205, 150, 120)
	for y := 0; y < g.h; y++ {
		for x := 0; x < g.w; x++ {
			px, py := int64(x)*q8+q8/2, int64(y)*q8+q8/2
			dx, dy := px-hx, py-hy
			inHand := dx*dx*10/13+dy*dy <= r*r
			inArm := abs64(dy) < r*55/100 && dx >= 0
			if !inHand && !inArm {
				continue
			}
			i := 3 * (y*g.w + x)
			f := q12 - abs64(dy)*q12/(2*r) // rounder towards the edges
			for k := 0; k < 3; k++ {
				c.pix[i+k] = int32(skin[k] * max(f, q12/3) / q12)
			}
		}
	}
}

// shift moves the picture d pixels to the right (repeating the first column).
func (c *canvas) shift(d int) {
	w := c.w
	for y := 0; y < c.h; y++ {
		row := c.pix[3*y*w : 3*(y+1)*w]
		for x := w - 1; x >= 0; x-- {
			sx := min(max(x-d, 0), w-1)
			copy(row[3*x:3*x+3], row[3*sx:3*sx+3])
		}
	}
}
