package camera

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/numsense/numsense/model/rng"
)

// SyntheticOpts configures synthetic scenes. The zero value of a field means its default.
type SyntheticOpts struct {
	// Seed makes the scenes; the same seed gives the same frames on every machine.
	Seed uint64
	// Every is the number of frames between count changes (default 60).
	Every int
	// Min and Max bound the random counts (default 1 and 20).
	Min, Max int
	// Counts scripts the counts: scene k shows Counts[k % len(Counts)] objects
	// (0 is an empty table). Nil draws counts from [Min, Max].
	Counts []int
	// Hand is the number of frames before each count change during which a hand passes
	// over the table (default Every/4; negative: never).
	Hand int
	// Format is the pixel format delivered (default YUYV, as a webcam).
	Format Format
	// FPS paces the frames (0: as fast as Next is called).
	FPS float64
	// Varied makes each scene's layout vary as tables in use do: the objects' size
	// from 0.35 to 1.2 times the usual, all of them inside a random part of the view
	// (40 to 100 % of each side), and gaps from none (touching) to the usual. Without
	// it objects are large and well apart, easy to see. Calibration uses it to learn
	// how far the whole pipeline's estimates scatter.
	Varied bool
	// Fail, when set, is called before each frame with its sequence number; a non-nil
	// error is returned by Next instead of the frame (simulated unplugs, timeouts).
	Fail func(seq uint64) error
}

// Synthetic renders table-top scenes with a known number of objects: dice-like
// squares with pips, discs and oval sweets in mixed colours, dark on light tables and
// light on dark, on a textured background with slowly changing light, soft shadows
// and now and then a hand with an arm. Frame.Count holds the truth.
type Synthetic struct {
	o      SyntheticOpts
	w, h   int
	seq    uint64
	epoch  int
	scene  scene
	rgba   []byte
	pace   pacer
	closed bool
}

type scene struct {
	count   int
	table   [3]float64
	texture []float64 // coarse value noise, tw x th
	tw, th  int
	grain   []int8
	objs    []object
	handY   float64 // where the hand crosses, fraction of height
	handDir float64
	skin    [3]float64
}

// skins are the hand's colours, light to dark.
var skins = [][3]float64{{225, 170, 140}, {175, 125, 95}, {115, 80, 60}}

type object struct {
	kind       int // 0 die, 1 disc, 2 sweet
	x, y, r    float64
	angle      float64
	col, pip   [3]float64
	pips       int
	cosA, sinA float64
}

// NewSynthetic returns a synthetic source (o.Width x o.Height, default 320x240).
func NewSynthetic(o *Opts) *Synthetic {
	oo := o.withDefaults(320, 240)
	so := oo.Synthetic
	if so.Every <= 0 {
		so.Every = 60
	}
	if so.Min <= 0 {
		so.Min = 1
	}
	if so.Max <= 0 {
		so.Max = 20
	}
	so.Max = max(so.Max, so.Min)
	if so.Hand == 0 {
		so.Hand = so.Every / 4
	}
	if so.Format == Invalid {
		so.Format = YUYV
	}
	s := &Synthetic{o: so, w: oo.Width &^ 1, h: oo.Height &^ 1, epoch: -1, pace: pacer{rate: so.FPS}}
	s.w, s.h = max(s.w, 32), max(s.h, 32)
	s.rgba = make([]byte, 4*s.w*s.h)
	return s
}

// Name describes the source.
func (s *Synthetic) Name() string { return fmt.Sprintf("synthetic:%d", s.o.Seed) }

// Close stops the source; Next then fails.
func (s *Synthetic) Close() error { s.closed = true; return nil }

// CountAt returns the true count of scene k (frames k*Every+1 .. (k+1)*Every).
func (s *Synthetic) CountAt(k int) int {
	if len(s.o.Counts) > 0 {
		return s.o.Counts[k%len(s.o.Counts)]
	}
	r := rng.New(rng.Derive(s.o.Seed, 2*uint64(k)))
	return r.IntRange(s.o.Min, s.o.Max)
}

// Next renders the next frame into dst.
func (s *Synthetic) Next(ctx context.Context, dst *Frame) error {
	if s.closed {
		return fmt.Errorf("camera: %s: closed", s.Name())
	}
	if err := s.pace.wait(ctx); err != nil {
		return err
	}
	seq := s.seq + 1
	if s.o.Fail != nil {
		if err := s.o.Fail(seq); err != nil {
			s.seq = seq
			return err
		}
	}
	s.seq = seq
	frame := int(seq - 1)
	if k := frame / s.o.Every; k != s.epoch {
		s.epoch = k
		s.makeScene(k)
	}
	s.render(frame)
	s.convert(dst)
	dst.Seq, dst.Time, dst.Count, dst.Name = seq, time.Now(), s.scene.count, ""
	return nil
}

var palette = [][3]float64{
	{20, 20, 24}, {40, 30, 90}, {110, 70, 40}, // dark
	{245, 245, 240}, {240, 230, 200}, {235, 215, 40}, // light
	{200, 30, 30}, {30, 150, 60}, {30, 70, 200}, {240, 130, 20}, {140, 50, 160}, {240, 120, 170}, // colours
}

func lumaF(c [3]float64) float64 { return 0.299*c[0] + 0.587*c[1] + 0.114*c[2] }

func (s *Synthetic) makeScene(k int) {
	r := rng.New(rng.Derive(s.o.Seed, 2*uint64(k)+1))
	sc := &s.scene
	sc.count = s.CountAt(k)
	light := r.Float64() < 0.7
	if light {
		v := 190 + 40*r.Float64()
		sc.table = [3]float64{v, v - 5*r.Float64(), v - 15*r.Float64()}
	} else {
		v := 35 + 40*r.Float64()
		sc.table = [3]float64{v + 10*r.Float64(), v, v}
	}
	sc.tw, sc.th = 9, 7
	sc.texture = sc.texture[:0]
	for i := 0; i < sc.tw*sc.th; i++ {
		sc.texture = append(sc.texture, 16*(r.Float64()-0.5))
	}
	if len(sc.grain) != s.w*s.h {
		sc.grain = make([]int8, s.w*s.h)
	}
	for i := range sc.grain {
		sc.grain[i] = int8(r.IntN(9) - 4)
	}
	// Objects: radius scaled to the frame, placed apart.
	base := float64(s.w) / 32
	x0, y0, x1, y1 := 0.0, 0.0, float64(s.w), float64(s.h)
	gap, pad := 1.5, 4.0
	if s.o.Varied {
		base *= 0.35 + 0.85*r.Float64()
		fw, fh := 0.4+0.6*r.Float64(), 0.4+0.6*r.Float64()
		x0 = r.Float64() * (1 - fw) * float64(s.w)
		y0 = r.Float64() * (1 - fh) * float64(s.h)
		x1, y1 = x0+fw*float64(s.w), y0+fh*float64(s.h)
		gap, pad = 1.05+0.45*r.Float64(), 1
	}
	sc.objs = sc.objs[:0]
	tl := lumaF(sc.table)
	for tries := 0; len(sc.objs) < sc.count && tries < 20000; tries++ {
		if tries > 0 && tries%2000 == 0 {
			// Crowded: let the cluster spread (towards the whole frame) rather than
			// draw fewer objects than asked.
			gx, gy := 0.1*(x1-x0), 0.1*(y1-y0)
			x0, y0 = max(0, x0-gx), max(0, y0-gy)
			x1, y1 = min(float64(s.w), x1+gx), min(float64(s.h), y1+gy)
		}
		o := object{kind: r.IntN(3), r: base * (0.8 + 0.6*r.Float64())}
		m := o.r*1.6 + 4
		o.x = x0 + m + r.Float64()*max(x1-x0-2*m, 0)
		o.y = y0 + m + r.Float64()*max(y1-y0-2*m, 0)
		ok := true
		for _, p := range sc.objs {
			if math.Hypot(p.x-o.x, p.y-o.y) < gap*(p.r+o.r)+pad {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		// A colour that stands out from the table in luma or hue.
		for {
			o.col = palette[r.IntN(len(palette))]
			cl := lumaF(o.col)
			sat := math.Max(o.col[0], math.Max(o.col[1], o.col[2])) - math.Min(o.col[0], math.Min(o.col[1], o.col[2]))
			if math.Abs(cl-tl) > 60 || sat > 120 {
				break
			}
		}
		if lumaF(o.col) > 128 {
			o.pip = [3]float64{20, 20, 20}
		} else {
			o.pip = [3]float64{240, 240, 240}
		}
		o.angle = r.Float64() * math.Pi / 2
		o.cosA, o.sinA = math.Cos(o.angle), math.Sin(o.angle)
		o.pips = r.IntRange(1, 6)
		sc.objs = append(sc.objs, o)
	}
	sc.count = len(sc.objs) // the truth is what was drawn
	sc.handY = 0.3 + 0.4*r.Float64()
	sc.handDir = 1
	if r.IntN(2) == 0 {
		sc.handDir = -1
	}
	// A skin that differs from the table in brightness, as a hand over a table
	// usually does (else a still-scene detector would not see it, nor a person).
	sc.skin = skins[0]
	for _, k := range skins {
		if math.Abs(lumaF(k)-tl) > math.Abs(lumaF(sc.skin)-tl) {
			sc.skin = k // the farthest, if no random pick below will do
		}
	}
	for i := 0; i < 8; i++ {
		if k := skins[r.IntN(len(skins))]; math.Abs(lumaF(k)-tl) >= 45 {
			sc.skin = k
			break
		}
	}
}

// pipPos are die pip positions in units of the half side, by face value.
var pipPos = [7][][2]float64{
	{},
	{{0, 0}},
	{{-0.5, -0.5}, {0.5, 0.5}},
	{{-0.5, -0.5}, {0, 0}, {0.5, 0.5}},
	{{-0.5, -0.5}, {0.5, -0.5}, {-0.5, 0.5}, {0.5, 0.5}},
	{{-0.5, -0.5}, {0.5, -0.5}, {0, 0}, {-0.5, 0.5}, {0.5, 0.5}},
	{{-0.5, -0.5}, {0.5, -0.5}, {-0.5, 0}, {0.5, 0}, {-0.5, 0.5}, {0.5, 0.5}},
}

func (s *Synthetic) render(frame int) {
	sc := &s.scene
	w, h := s.w, s.h
	// Slow lighting drift and a gradient across the table.
	t := float64(frame)
	gain := 1 + 0.12*math.Sin(2*math.Pi*t/450) + 0.05*math.Sin(2*math.Pi*t/97)
	tilt := 0.10 * math.Sin(2*math.Pi*t/700)
	for y := 0; y < h; y++ {
		fy := float64(y) / float64(h) * float64(sc.th-1)
		ty := min(int(fy), sc.th-2)
		wy := fy - float64(ty)
		for x := 0; x < w; x++ {
			fx := float64(x) / float64(w) * float64(sc.tw-1)
			tx := min(int(fx), sc.tw-2)
			wx := fx - float64(tx)
			a := sc.texture[ty*sc.tw+tx]*(1-wx) + sc.texture[ty*sc.tw+tx+1]*wx
			b := sc.texture[(ty+1)*sc.tw+tx]*(1-wx) + sc.texture[(ty+1)*sc.tw+tx+1]*wx
			tex := a*(1-wy) + b*wy + float64(sc.grain[y*w+x])
			g := gain * (1 + tilt*(float64(x)/float64(w)-0.5))
			i := 4 * (y*w + x)
			for c := 0; c < 3; c++ {
				s.rgba[i+c] = clampF((sc.table[c] + tex) * g)
			}
			s.rgba[i+3] = 255
		}
	}
	// Soft shadows, then objects.
	for i := range sc.objs {
		o := &sc.objs[i]
		sx, sy, sr := o.x+o.r*0.25, o.y+o.r*0.35, o.r*1.35
		s.blend(sx, sy, sr+3, func(x, y float64) (float64, [3]float64, bool) {
			d := math.Hypot(x-sx, y-sy)
			if d > sr+3 {
				return 0, [3]float64{}, false
			}
			a := 0.3 * math.Min(1, (sr+3-d)/6)
			return a, [3]float64{0, 0, 0}, true
		})
	}
	for i := range sc.objs {
		o := &sc.objs[i]
		s.blend(o.x, o.y, o.r*1.5, func(x, y float64) (float64, [3]float64, bool) {
			dx, dy := x-o.x, y-o.y
			u := (dx*o.cosA + dy*o.sinA) / o.r
			v := (-dx*o.sinA + dy*o.cosA) / o.r
			switch o.kind {
			case 0: // die
				if math.Abs(u) > 0.9 || math.Abs(v) > 0.9 {
					return 0, o.col, false
				}
				for _, p := range pipPos[o.pips] {
					if math.Hypot(u-p[0]*1.1, v-p[1]*1.1) < 0.17 {
						return 1, o.pip, true
					}
				}
				shade := 1 - 0.12*math.Max(0, math.Max(math.Abs(u), math.Abs(v))-0.75)/0.15
				return 1, scale3(o.col, shade), true
			case 1: // disc
				d := u*u + v*v
				if d > 1 {
					return 0, o.col, false
				}
				return 1, scale3(o.col, 1.08-0.15*d), true
			default: // oval sweet
				d := u*u/1.2 + v*v/0.45
				if d > 1 {
					return 0, o.col, false
				}
				return 1, scale3(o.col, 1.12-0.25*d), true
			}
		})
	}
	// A hand with an arm crossing before each count change.
	if hf := s.o.Hand; hf > 0 {
		ph := frame%s.o.Every - (s.o.Every - hf)
		if ph >= 0 {
			p := (float64(ph) + 0.5) / float64(hf) // 0..1
			// In from the side, over the table, back out.
			reach := math.Sin(math.Pi * p)
			hx := float64(w) * (1.15 - 0.75*reach)
			if sc.handDir < 0 {
				hx = float64(w) - hx
			}
			hy := float64(h) * sc.handY
			hr := float64(w) / 9
			skin := sc.skin
			s.blend(hx, hy, float64(w), func(x, y float64) (float64, [3]float64, bool) {
				dx, dy := x-hx, y-hy
				inHand := dx*dx/(hr*hr*1.3)+dy*dy/(hr*hr) <= 1
				inArm := math.Abs(dy) < hr*0.55 && dx*sc.handDir >= 0
				if !inHand && !inArm {
					return 0, skin, false
				}
				return 1, scale3(skin, gain*(0.95+0.1*math.Sin(dx/7))), true
			})
		}
	}
}

func scale3(c [3]float64, k float64) [3]float64 { return [3]float64{c[0] * k, c[1] * k, c[2] * k} }

// blend paints the pixels within rad of (cx, cy) for which f reports coverage,
// mixing f's colour in with weight a.
func (s *Synthetic) blend(cx, cy, rad float64, f func(x, y float64) (float64, [3]float64, bool)) {
	x0, x1 := max(0, int(cx-rad)), min(s.w-1, int(cx+rad)+1)
	y0, y1 := max(0, int(cy-rad)), min(s.h-1, int(cy+rad)+1)
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			a, c, ok := f(float64(x)+0.5, float64(y)+0.5)
			if !ok {
				continue
			}
			i := 4 * (y*s.w + x)
			for k := 0; k < 3; k++ {
				old := float64(s.rgba[i+k])
				s.rgba[i+k] = clampF(old*(1-a) + c[k]*a)
			}
		}
	}
}

func clampF(v float64) byte {
	if v <= 0 {
		return 0
	}
	if v >= 255 {
		return 255
	}
	return byte(v + 0.5)
}

func rgbToYCC(r, g, b byte) (byte, byte, byte) {
	ri, gi, bi := int32(r), int32(g), int32(b)
	y := (19595*ri + 38470*gi + 7471*bi + 1<<15) >> 16
	cb := (-11056*ri - 21712*gi + 32768*bi + 257<<15) >> 16
	cr := (32768*ri - 27440*gi - 5328*bi + 257<<15) >> 16
	return byte(y), byte(min(max(cb, 0), 255)), byte(min(max(cr, 0), 255))
}

// convert writes the rendered RGBA picture into dst in the configured format.
func (s *Synthetic) convert(dst *Frame) {
	w, h := s.w, s.h
	dst.Width, dst.Height, dst.Format = w, h, s.o.Format
	src := s.rgba
	switch s.o.Format {
	case RGBA:
		dst.Stride = 4 * w
		dst.Pix = grow(dst.Pix, len(src))
		copy(dst.Pix, src)
	case Gray:
		dst.Stride = w
		dst.Pix = grow(dst.Pix, w*h)
		for i := range dst.Pix {
			dst.Pix[i] = luma(src[4*i], src[4*i+1], src[4*i+2])
		}
	case I420:
		dst.Stride = w
		cw, ch := w/2, h/2
		dst.Pix = grow(dst.Pix, w*h+2*cw*ch)
		u0, v0 := w*h, w*h+cw*ch
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				i := 4 * (y*w + x)
				Y, U, V := rgbToYCC(src[i], src[i+1], src[i+2])
				dst.Pix[y*w+x] = Y
				if x%2 == 0 && y%2 == 0 {
					dst.Pix[u0+(y/2)*cw+x/2] = U
					dst.Pix[v0+(y/2)*cw+x/2] = V
				}
			}
		}
	default: // YUYV
		dst.Format = YUYV
		dst.Stride = 2 * w
		dst.Pix = grow(dst.Pix, 2*w*h)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x += 2 {
				i := 4 * (y*w + x)
				y0, u0, v0 := rgbToYCC(src[i], src[i+1], src[i+2])
				y1, u1, v1 := rgbToYCC(src[i+4], src[i+5], src[i+6])
				o := y*2*w + 2*x
				dst.Pix[o], dst.Pix[o+1], dst.Pix[o+2], dst.Pix[o+3] = y0, byte((int(u0)+int(u1)+1)/2), y1, byte((int(v0)+int(v1)+1)/2)
			}
		}
	}
}
