package display

import (
	"image"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// glyph is a 1-bit glyph: bits[y*w+x] set means ink. (dx, dy) is the offset
// of the top-left corner from the pen position on the baseline.
type glyph struct {
	w, h, dx, dy, adv int
	bits              []bool
}

// bitFont is a font rasterised once into 1-bit glyphs, so drawing text never
// allocates or touches the rasteriser.
type bitFont struct {
	ascent, descent int
	ascii           [128]*glyph
	extra           map[rune]*glyph
}

func (f *bitFont) glyph(r rune) *glyph {
	if r >= 0 && r < 128 {
		return f.ascii[r]
	}
	return f.extra[r]
}

// newBitFont rasterises the given runes of face, thresholding coverage at 50%.
func newBitFont(face font.Face, runes string) *bitFont {
	m := face.Metrics()
	f := &bitFont{ascent: m.Ascent.Ceil(), descent: m.Descent.Ceil(), extra: map[rune]*glyph{}}
	for _, r := range runes {
		dr, mask, mp, adv, ok := face.Glyph(fixed.Point26_6{}, r)
		if !ok {
			continue
		}
		g := &glyph{w: dr.Dx(), h: dr.Dy(), dx: dr.Min.X, dy: dr.Min.Y, adv: adv.Round()}
		g.bits = make([]bool, g.w*g.h)
		for y := 0; y < g.h; y++ {
			for x := 0; x < g.w; x++ {
				_, _, _, a := mask.At(mp.X+x, mp.Y+y).RGBA()
				g.bits[y*g.w+x] = a >= 0x8000
			}
		}
		if r < 128 {
			f.ascii[r] = g
		} else {
			f.extra[r] = g
		}
	}
	return f
}

// width returns the advance of s in pixels.
func (f *bitFont) width(s string) int {
	w := 0
	for _, r := range s {
		if g := f.glyph(r); g != nil {
			w += g.adv
		}
	}
	return w
}

// inkHeight is the height of the digit '0' (cap height for figures).
func (f *bitFont) inkHeight() int {
	if g := f.glyph('0'); g != nil {
		return g.h
	}
	return f.ascent
}

// draw writes s with its baseline at y starting at x and returns the pen
// position after it. on is the pixel value of ink.
func (f *bitFont) draw(dst *image.Gray, x, y int, s string, on uint8) int {
	for _, r := range s {
		g := f.glyph(r)
		if g == nil {
			continue
		}
		blit(dst, g, x+g.dx, y+g.dy, on)
		x += g.adv
	}
	return x
}

// drawOutline writes s hollow: ink pixels whose four neighbours are all ink
// are left dark, giving a one-pixel outline of each stroke.
func (f *bitFont) drawOutline(dst *image.Gray, x, y int, s string) int {
	for _, r := range s {
		g := f.glyph(r)
		if g == nil {
			continue
		}
		for gy := 0; gy < g.h; gy++ {
			for gx := 0; gx < g.w; gx++ {
				if !g.bits[gy*g.w+gx] {
					continue
				}
				if g.at(gx-1, gy) && g.at(gx+1, gy) && g.at(gx, gy-1) && g.at(gx, gy+1) {
					continue
				}
				setPix(dst, x+g.dx+gx, y+g.dy+gy, 0xFF)
			}
		}
		x += g.adv
	}
	return x
}

func (g *glyph) at(x, y int) bool {
	if x < 0 || y < 0 || x >= g.w || y >= g.h {
		return false
	}
	return g.bits[y*g.w+x]
}

func blit(dst *image.Gray, g *glyph, x0, y0 int, on uint8) {
	for y := 0; y < g.h; y++ {
		for x := 0; x < g.w; x++ {
			if g.bits[y*g.w+x] {
				setPix(dst, x0+x, y0+y, on)
			}
		}
	}
}

// setPix sets one pixel, ignoring coordinates outside dst.
func setPix(dst *image.Gray, x, y int, v uint8) {
	if !(image.Point{x, y}.In(dst.Rect)) {
		return
	}
	dst.Pix[(y-dst.Rect.Min.Y)*dst.Stride+(x-dst.Rect.Min.X)] = v
}

// fillRect fills r clipped to dst.
func fillRect(dst *image.Gray, r image.Rectangle, v uint8) {
	r = r.Intersect(dst.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := dst.Pix[(y-dst.Rect.Min.Y)*dst.Stride:]
		for x := r.Min.X; x < r.Max.X; x++ {
			row[x-dst.Rect.Min.X] = v
		}
	}
}

// fonts used by the layouts.
type fontSet struct {
	big64, mid64, big32, label, term, approx *bitFont
	small                                    *bitFont // basicfont 7x13
	tiny                                     *bitFont // 3x5 figures for axis labels
}

var (
	fontsOnce sync.Once
	theFonts  *fontSet
)

const bigRunes = "0123456789?≈~-–."

func fonts() *fontSet {
	fontsOnce.Do(func() {
		fs := &fontSet{}
		fs.small = newBitFont(basicfont.Face7x13, asciiRunes())
		fs.tiny = tinyFont()
		ttf, err := opentype.Parse(gobold.TTF)
		if err == nil {
			fs.big64 = sizedFont(ttf, 44, bigRunes)
			fs.mid64 = sizedFont(ttf, 32, bigRunes)
			fs.big32 = sizedFont(ttf, 31, bigRunes)
			fs.label = sizedFont(ttf, 15, asciiRunes()+"–…≈")
			fs.term = sizedFont(ttf, 27, bigRunes)
			fs.approx = sizedFont(ttf, 22, "0≈")
		}
		// The embedded TTF always parses; the fallback keeps the layouts
		// alive (with small figures) if it ever does not.
		for _, p := range []**bitFont{&fs.big64, &fs.mid64, &fs.big32, &fs.label, &fs.term, &fs.approx} {
			if *p == nil {
				*p = fs.small
			}
		}
		theFonts = fs
	})
	return theFonts
}

func sizedFont(ttf *opentype.Font, size float64, runes string) *bitFont {
	face, err := opentype.NewFace(ttf, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return nil
	}
	defer face.Close()
	return newBitFont(face, runes)
}

func asciiRunes() string {
	b := make([]rune, 0, 95)
	for r := rune(32); r < 127; r++ {
		b = append(b, r)
	}
	return string(b)
}

// tinyFont is a 3x5 pixel font for the figures of axis labels: the smallest
// that stays legible on a 128-pixel OLED.
func tinyFont() *bitFont {
	rows := map[rune][5]string{
		'0': {"###", "#.#", "#.#", "#.#", "###"},
		'1': {".#.", "##.", ".#.", ".#.", "###"},
		'2': {"##.", "..#", ".#.", "#..", "###"},
		'3': {"##.", "..#", ".#.", "..#", "##."},
		'4': {"#.#", "#.#", "###", "..#", "..#"},
		'5': {"###", "#..", "##.", "..#", "##."},
		'6': {".##", "#..", "###", "#.#", "###"},
		'7': {"###", "..#", ".#.", ".#.", ".#."},
		'8': {"###", "#.#", "###", "#.#", "###"},
		'9': {"###", "#.#", "###", "..#", "##."},
		'-': {"...", "...", "###", "...", "..."},
	}
	f := &bitFont{ascent: 5, descent: 0, extra: map[rune]*glyph{}}
	for r, rs := range rows {
		g := &glyph{w: 3, h: 5, dx: 0, dy: -5, adv: 4, bits: make([]bool, 15)}
		for y, row := range rs {
			for x := 0; x < 3; x++ {
				g.bits[y*3+x] = row[x] == '#'
			}
		}
		f.ascii[r] = g
	}
	f.ascii[' '] = &glyph{adv: 2}
	return f
}
