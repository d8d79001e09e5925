package stimulus

import (
	"fmt"
	"image"
	"math"

	"github.com/numsense/numsense/model/rng"
)

// Retry limits. The MATLAB code retries without bound; these caps only turn a
// pathological case into an error. Measured needs (see TestAcceptanceRates): the
// standard and Control2 rules need well under 200 attempts for 30 items; Control1
// passes its density window in ≥ 1.5 % of configurations at every N (measured
// ~2 % at N = 30), so 20000 configurations fail with probability below
// (1-0.015)^20000 ≈ 1e-131.
const (
	maxAttempts = 1_000_000 // placement attempts per image (per configuration for Control1)
	maxConfigs  = 20_000    // Control1 density re-placements per image
)

const (
	control1Area = 1200.0              // Control1 total area, px²
	areaStep     = 120 * math.Pi       // AreaVarying level step, px²
	hullRadius   = 110.0               // Control2 pentagon circumradius
	hullCentre   = 114.0               // round(227/2) in MATLAB (half away from zero)
	triArea      = 1.299038105676658   // (3√3/4), area of a unit-circumradius triangle
	densityLo    = 90.0                // Control1 density window, open interval
	densityHi    = 100.0               //
	sqrt2        = 1.41421356237309504 // √2
)

// Generator draws stimulus images. It keeps its random stream and all scratch
// space, so Draw allocates nothing. A Generator is not safe for concurrent use;
// give each goroutine its own (with its own seed).
type Generator struct {
	r     *rng.Rand
	n     int
	set   Set
	items [MaxN]Item
	radii [MaxN]float64
	hull  [5][2]float64
	angle int // hull rotation of the last Control2 image, degrees

	// Retry limits (maxAttempts, maxConfigs; lowered only by tests).
	limAttempts, limConfigs int

	// Effort spent on the last image, for tests and tuning.
	attempts int // placement attempts (all configurations)
	configs  int // Control1 configurations placed (1 for the other sets)
}

// New returns a generator whose images are a pure function of seed.
func New(seed uint64) *Generator {
	return &Generator{r: rng.New(seed), limAttempts: maxAttempts, limConfigs: maxConfigs}
}

// Items returns the items of the last image drawn. The slice aliases the
// generator's storage and is overwritten by the next Draw.
func (g *Generator) Items() []Item { return g.items[:g.n] }

// Hull returns the pentagon vertices (x, y in 1-based pixel coordinates, in
// counter-clockwise order of angle) and its rotation in degrees for the last
// Control2 image; ok is false if the last image was of another set.
func (g *Generator) Hull() (v [5][2]float64, angleDeg int, ok bool) {
	if g.set != Control2 || g.n == 0 {
		return v, 0, false
	}
	return g.hull, g.angle, true
}

// Draw clears dst (a 227x227 *image.Gray) and renders one image of set s with n
// items. For AreaVarying it picks the area level k uniformly in 1..8 (use DrawArea
// to choose it). It returns an error for n outside 1..30, a wrong-size dst, an
// unknown set, or when the placement limits are exhausted.
func (g *Generator) Draw(s Set, n int, dst *image.Gray) (Info, error) {
	if err := check(s, n, dst); err != nil {
		return Info{}, err
	}
	switch s {
	case Standard:
		return g.drawStandard(n, dst)
	case Control1:
		return g.drawScaled(Control1, n, 0, control1Area, dst)
	case Control2:
		return g.drawControl2(n, dst)
	default: // AreaVarying
		k := g.r.IntRange(1, AreaLevels)
		return g.drawScaled(AreaVarying, n, k, float64(k)*areaStep, dst)
	}
}

// DrawArea renders one AreaVarying image with n items at total-area level k
// (1..8; nominal total area 120πk px²).
func (g *Generator) DrawArea(n, k int, dst *image.Gray) (Info, error) {
	if err := check(AreaVarying, n, dst); err != nil {
		return Info{}, err
	}
	if k < 1 || k > AreaLevels {
		return Info{}, fmt.Errorf("stimulus: area level %d out of range 1..%d", k, AreaLevels)
	}
	return g.drawScaled(AreaVarying, n, k, float64(k)*areaStep, dst)
}

func check(s Set, n int, dst *image.Gray) error {
	if !s.valid() {
		return fmt.Errorf("stimulus: unknown set %d", int(s))
	}
	if n < 1 || n > MaxN {
		return fmt.Errorf("stimulus: %s set: numerosity %d out of range 1..%d", s, n, MaxN)
	}
	if dst == nil {
		return fmt.Errorf("stimulus: %s set, n=%d: nil destination image", s, n)
	}
	if b := dst.Bounds(); b.Dx() != Size || b.Dy() != Size {
		return fmt.Errorf("stimulus: %s set, n=%d: destination image is %dx%d, want %dx%d",
			s, n, b.Dx(), b.Dy(), Size, Size)
	}
	return nil
}

// normalRadius draws 7 + 0.7·N(0,1), redrawing the (~1e-23 probable) values <= 0.
func (g *Generator) normalRadius() float64 {
	for {
		r := 7 + float64(0.7*g.r.Normal())
		if r > 0 {
			return r
		}
	}
}

// centre draws one coordinate, ceil(r) + U_int{1..Size-2·ceil(r)}.
func (g *Generator) centre(r float64) int {
	c := int(math.Ceil(r))
	return c + g.r.IntRange(1, Size-2*c)
}

// fits reports whether (x, y) with radius r keeps d > factor·(r + r_j) to the
// first m items.
func (g *Generator) fits(x, y int, r float64, m int, factor float64) bool {
	for j := 0; j < m; j++ {
		it := &g.items[j]
		dx, dy := x-it.X, y-it.Y
		d := math.Sqrt(float64(dx*dx + dy*dy))
		lim := r + it.R
		if factor != 1 {
			lim = float64(factor * lim)
		}
		if !(d > lim) {
			return false
		}
	}
	return true
}

func (g *Generator) giveUp(s Set, n int, what string) (Info, error) {
	g.n = 0
	return Info{}, fmt.Errorf("stimulus: %s set, n=%d: %s", s, n, what)
}

func (g *Generator) drawStandard(n int, dst *image.Gray) (Info, error) {
	g.set = Standard
	g.configs = 1
	m := 0
	for a := 0; m < n; a++ {
		g.attempts = a + 1
		if a == g.limAttempts {
			return g.giveUp(Standard, n, fmt.Sprintf("no placement after %d attempts (%d of %d dots placed)", g.limAttempts, m, n))
		}
		r := g.normalRadius()
		x := g.centre(r)
		y := g.centre(r)
		if g.fits(x, y, r, m, 1) {
			g.items[m] = Item{X: x, Y: y, R: r, Shape: Disc}
			m++
		}
	}
	g.n = n
	return g.finish(Standard, 0, dst), nil
}

// drawScaled draws the Control1 (density check) and AreaVarying (none) sets:
// radii scaled to the total area, each dot retried until it fits.
func (g *Generator) drawScaled(s Set, n, k int, area float64, dst *image.Gray) (Info, error) {
	g.set = s
	for i := 0; i < n; i++ {
		g.radii[i] = 7 + float64(0.7*g.r.Normal())
	}
	for redo := true; redo; {
		// A radius <= 0 would make the MATLAB loop spin forever; redraw instead.
		redo = false
		for i := 0; i < n; i++ {
			if !(g.radii[i] > 0) {
				g.radii[i] = 7 + float64(0.7*g.r.Normal())
				redo = true
			}
		}
	}
	sum := 0.0
	for i := 0; i < n; i++ {
		r := g.radii[i]
		sum += float64(math.Pi * float64(r*r))
	}
	scale := math.Sqrt(sum / area)
	for i := 0; i < n; i++ {
		g.radii[i] /= scale
	}
	g.attempts = 0
	for cfg := 0; ; cfg++ {
		g.configs = cfg + 1
		if cfg == g.limConfigs {
			return g.giveUp(s, n, fmt.Sprintf("mean distance never inside (%g, %g) in %d configurations", densityLo, densityHi, g.limConfigs))
		}
		a := 0
		for i := 0; i < n; {
			if a == g.limAttempts {
				return g.giveUp(s, n, fmt.Sprintf("no placement after %d attempts (%d of %d dots placed)", g.limAttempts, i, n))
			}
			a++
			g.attempts++
			r := g.radii[i]
			x := g.centre(r)
			y := g.centre(r)
			if g.fits(x, y, r, i, 1) {
				g.items[i] = Item{X: x, Y: y, R: r, Shape: Disc}
				i++
			}
		}
		g.n = n
		if s != Control1 || n == 1 {
			break
		}
		if d := g.meanDist(); d > densityLo && d < densityHi {
			break
		}
	}
	return g.finish(s, k, dst), nil
}

func (g *Generator) drawControl2(n int, dst *image.Gray) (Info, error) {
	g.set = Control2
	g.angle = g.r.IntRange(1, 180)
	for i := range g.hull {
		c, s := cosSinDeg(g.angle + 72*i)
		g.hull[i] = [2]float64{hullCentre + float64(hullRadius*c), hullCentre + float64(hullRadius*s)}
	}
	g.configs = 1
	m := 0
	for a := 0; m < n; a++ {
		g.attempts = a + 1
		if a == g.limAttempts {
			return g.giveUp(Control2, n, fmt.Sprintf("no placement after %d attempts (%d of %d items placed)", g.limAttempts, m, n))
		}
		r := g.normalRadius()
		x := g.centre(r)
		y := g.centre(r)
		if g.fits(x, y, r, m, sqrt2) && inConvex(g.hull[:], float64(x), float64(y)) {
			g.items[m] = Item{X: x, Y: y, R: r, Shape: Disc}
			m++
		}
	}
	for i := 0; i < n; i++ {
		it := &g.items[i]
		u := g.r.Float64()
		switch {
		case u > 0.75:
			it.Shape = Square
		case u > 0.5 && u < 0.75:
			it.Shape = Disc
		case u < 0.5 && u > 0.25:
			it.Shape = Ellipse
		default:
			it.Shape = Triangle
			it.Angle = g.r.IntRange(1, 180)
		}
	}
	g.n = n
	return g.finish(Control2, 0, dst), nil
}

// inConvex reports whether (x, y) is inside or on the convex polygon v, whose
// vertices are in counter-clockwise order (x right, y up).
func inConvex(v [][2]float64, x, y float64) bool {
	for i := range v {
		a, b := v[i], v[(i+1)%len(v)]
		if cross(b[0]-a[0], b[1]-a[1], x-a[0], y-a[1]) < 0 {
			return false
		}
	}
	return true
}

// cross is ex·py - ey·px with both products rounded (no FMA).
func cross(ex, ey, px, py float64) float64 {
	return float64(ex*py) - float64(ey*px)
}

// meanDist is the mean pairwise centre distance of the current items (NaN for one).
func (g *Generator) meanDist() float64 {
	n := g.n
	if n < 2 {
		return math.NaN()
	}
	sum := 0.0
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			dx, dy := g.items[i].X-g.items[j].X, g.items[i].Y-g.items[j].Y
			sum += math.Sqrt(float64(dx*dx + dy*dy))
		}
	}
	return sum / float64(n*(n-1)/2)
}

// finish renders the items into dst and fills in the Info.
func (g *Generator) finish(s Set, k int, dst *image.Gray) Info {
	on := render(dst, g.items[:g.n])
	nominal := 0.0
	for i := 0; i < g.n; i++ {
		nominal += nominalArea(&g.items[i])
	}
	return Info{
		Set:         s,
		N:           g.n,
		TotalArea:   float64(on),
		MeanDist:    g.meanDist(),
		MeanDotArea: float64(on) / float64(g.n),
		AreaLevel:   k,
		NominalArea: nominal,
	}
}

func nominalArea(it *Item) float64 {
	r2 := float64(it.R * it.R)
	switch it.Shape {
	case Square:
		return float64(4 * r2)
	case Ellipse:
		return float64(math.Pi * r2 / 2)
	case Triangle:
		return float64(triArea * r2)
	default:
		return float64(math.Pi * r2)
	}
}
