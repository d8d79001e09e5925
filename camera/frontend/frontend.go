package frontend

import (
	"fmt"
	"image"

	"github.com/numsense/numsense/camera"
)

// Size is the side of the square binary image the network reads.
const Size = 227

// State is what the front end makes of the scene.
type State int

const (
	// Empty means no foreground: nothing on the table.
	Empty State = iota
	// Unstable means the picture changed since the previous frame by more than
	// Opts.MotionThreshold: a hand is placing or taking objects.
	Unstable
	// Stable means foreground is present and the picture is still.
	Stable
)

// String returns the state's name.
func (s State) String() string {
	switch s {
	case Empty:
		return "empty"
	case Unstable:
		return "unstable"
	case Stable:
		return "stable"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// Opts configures a FrontEnd. The zero value of a field means its default.
type Opts struct {
	// ROI is the region of interest in frame pixels (x, y, w, h as an image.Rectangle).
	// Empty means the whole frame. Set it when the camera sees more than the table
	// (table edges, a rail, a wall): everything outside is ignored.
	ROI image.Rectangle
	// Work is the long side of the working picture that is segmented (default 340,
	// 1.5 x Size): finer than the output, so that the gaps between neighbouring objects
	// and the outlines of pale objects survive; the silhouette then samples it (see
	// Fill). Cell, Open and Close are in working pixels.
	Work int
	// Cell is the side of the blocks the single-picture background is estimated on
	// (default 40; see background.go): blocks at least three quarters table are
	// found flat. Smaller if uneven lighting leaves blotches of false foreground.
	Cell int
	// MinContrast is the smallest deviation from the background, in grey levels, that
	// counts as foreground (default 16). Raise it if an empty table shows specks or
	// shadows as objects; lower it for pale objects on a pale table.
	MinContrast int
	// MaxThreshold caps the threshold that follows the table's texture (default 55).
	MaxThreshold int
	// ChromaGain weighs colour deviation (|dCb|+|dCr|) against luma deviation
	// (default 1; negative: luma only). Colour makes yellow or pale-coloured objects
	// visible on a white table, where their luma hardly differs. Ignored for Gray frames.
	ChromaGain int
	// Shadow is the weight, in percent, of darkening that looks like a shadow: no
	// deeper than MaxShadow, with the table's hue (default 20). Shadows only darken,
	// so a soft shadow between two objects stays under the threshold while dark or
	// coloured objects pass. 100 treats shadows as objects.
	Shadow int
	// MaxShadow is the deepest darkening, in percent of the table's luma, taken for a
	// shadow (default 40): anything darker is an object.
	MaxShadow int
	// Texture scales the threshold with the table's texture: the threshold is
	// Texture times the median luma interquartile range of the table's blocks, at
	// least MinContrast and at most MaxThreshold (default 3). Plain tables then show
	// pale objects; wood grain and cloth weave stay background.
	Texture int
	// Otsu raises the threshold to this percentage of Otsu's threshold of the
	// deviation histogram (default 60; negative: off): on a busy table (a tray's
	// frame, rails, reflections) the objects stand out from the rest.
	Otsu int
	// Light is the weight, in percent, of brightening (default 100). Pale objects
	// on a pale table differ from it mostly by being a little lighter, which no shadow
	// can be; raise it to see them, lower it if glare shows as objects.
	Light int
	// Spot is the depth, in grey levels below the mean of the 5x5 working pixels
	// around, of small dark spots that count as foreground even where the table around
	// is not (default 10; negative: off): the pips of a pale die on a pale table, which
	// closing then joins into one silhouette.
	Spot int
	// Open is the radius of the opening that removes specks (default 1; negative: none).
	Open int
	// Close is the radius of the closing that joins the parts of one object (pips, edges)
	// before holes are filled (default 3; negative: none). Raise it if pale objects
	// break up; lower it if nearby objects merge.
	Close int
	// Valley is the depth, in grey levels, of a dark crease that separates touching
	// objects: foreground darker than both sides of it, three and four pixels away,
	// by more than this (and 3 times the table's texture), with objects on both sides
	// reaching six pixels, is cleared (default 12; negative: off; see cutValleys).
	Valley int
	// Hole is the largest hole, in percent of the working picture, that is filled
	// (default 6: the inside of any object that shows only its outline, not a
	// tray's floor inside its frame).
	Hole int
	// Erode is the radius of a last erosion that removes the halo of blur and soft
	// shadow around silhouettes (default 1; negative: none).
	Erode int
	// Split is the erosion radius used to separate objects joined by narrow necks
	// (default off; the separation step, Core, does this better and faster):
	// pieces are grown back without ever being joined.
	Split int
	// Core is the depth, in working pixels, of the centre of a compact object: the
	// distance to the background that a point must reach to seed a region in the
	// separation step (default 2; negative: no separation step). Foreground with no
	// point that deep (thin lines, specks) is removed.
	Core int
	// Dip is how far, in thirds of a working pixel, the distance to the background
	// must fall between two deep points for them to seed separate regions (default 3):
	// the waist between two touching objects. Smaller values split more eagerly.
	Dip int
	// Line is the length, in percent of the working picture's short side, of a
	// straight horizontal or vertical run of thin foreground (gaps of up to two
	// pixels stepped over) that marks its regions as a line to remove (a tray's side,
	// a rail, a table edge; default 30; negative: off). Only used with the separation
	// step (Core).
	Line int
	// LineWidth is the widest such a line may be, in percent of the working
	// picture's short side (default 3): its pixels lie within half of it of the
	// background, so that a row of objects touching each other is not a line.
	LineWidth int
	// Fill is how much of the silhouette, in percent along each axis, the view gives
	// the foreground's bounding box (default 90; negative: no zoom, the whole picture
	// letterboxed). The view is centred on that box; objects gathered in part of the
	// table are magnified, objects spread over all of it shrunk a little. The
	// number units were selected on dots spread over the whole picture and read
	// objects gathered in part of it as fewer. The view looks at the foreground as a
	// whole; it does not count objects.
	Fill int
	// Aniso bounds how much more one axis of the view may be magnified than the
	// other (default 3): a row of objects is spread over the height too.
	Aniso int
	// MaxZoom caps the magnification over the whole picture's scale (default 4).
	MaxZoom int
	// Radius is the mean radius, in silhouette pixels, that small objects are grown
	// to (default 6; the calibration dots have 7 + 0.7 N(0,1); negative: no growing).
	// Each separated region grows into the background around it, never closer to
	// another than Gap; the growth is set by the mean depth of the whole foreground,
	// not by any single object.
	Radius int
	// Gap is how far, in silhouette pixels, separated objects keep from each other
	// (default 10; negative: none): where two touched, the silhouette shows 2 x Gap
	// of background between them. The network's first layer (11 x 11 pixels, stride
	// 4) does not see a one-pixel line between two objects.
	Gap int
	// MotionDelta is the grey-level change that marks a pixel as moved (default 24).
	MotionDelta int
	// MotionThreshold is the fraction of moved working pixels above which the scene is
	// Unstable (default 0.004, about one object-sized patch).
	MotionThreshold float64
	// EmptyFraction is the foreground fraction under which the scene is Empty (default 0.0008).
	EmptyFraction float64
	// Learn makes a fixed camera learn the empty table and use it as the
	// background (see Learn; the zero value: never).
	Learn Learn
}

// DefaultOpts are the values used for zero fields.
var DefaultOpts = Opts{
	Work:            340,
	Cell:            40,
	MinContrast:     16,
	MaxThreshold:    55,
	ChromaGain:      1,
	Shadow:          20,
	MaxShadow:       40,
	Texture:         3,
	Otsu:            60,
	Light:           100,
	Spot:            10,
	Open:            1,
	Close:           3,
	Valley:          12,
	Hole:            6,
	Erode:           1,
	Fill:            90,
	Aniso:           3,
	MaxZoom:         4,
	Radius:          6,
	Gap:             10,
	Core:            2,
	Dip:             3,
	Line:            30,
	LineWidth:       3,
	Split:           -1,
	MotionDelta:     24,
	MotionThreshold: 0.004,
	EmptyFraction:   0.0008,
}

// Result is the outcome of one frame.
type Result struct {
	// Image is the Size x Size silhouette: objects 255 on background 0. It is owned by
	// the FrontEnd and valid until the next call to Process.
	Image *image.Gray
	// State is Empty, Unstable or Stable.
	State State
	// Motion is the fraction of working pixels that changed since the previous frame
	// (0 for the first frame after New or Reset).
	Motion float64
	// Foreground is the fraction of the working (letterboxed) area that is foreground.
	Foreground float64
	// Threshold is the deviation threshold used, in grey levels.
	Threshold int
	// Zoom is the magnification of the view (see Opts.Fill; 1: none).
	Zoom float64
	// Learned says that the background was the learned empty table (Opts.Learn),
	// not the single-picture chain.
	Learned bool
}

// FrontEnd turns frames into silhouettes. It keeps buffers between calls; it is not
// safe for concurrent use. The zero value is not usable; call New.
type FrontEnd struct {
	o Opts

	// geometry of the current frames
	key            geomKey
	rx, ry, rw, rh int // region of interest in frame pixels
	cx, cy         int // region of interest in chroma samples
	ow, oh         int // working size (aspect kept, fits Work x Work)
	chroma         bool
	in, inU, inV   resampler
	rowY, rowU     []byte // RGBA row converted
	rowV           []byte
	pl             [3]plane // Y, Cb, Cr at working size
	prev           []byte
	dev, mask      []byte
	work           []byte
	bits, bitsT    []uint64 // mask packed 1 bit per pixel, bw words per row
	bw             int
	box            []uint16 // dark-spot box sums
	colSum         []uint16
	stack          []int32
	hist           []int32
	lineA, lineB   []int32 // background interpolation rows
	havePrev       bool
	lumaDev        [511]byte  // luma deviation weighted by Light (brightening), by difference + 255
	shadowDev      [256]byte  // shadow-like darkening weighted by Shadow, by depth
	recip          [256]int32 // 65536 / v
	dist           []uint16   // chamfer distance
	lab, link      []int32    // watershed labels, bucket queue links
	head           []int32    // bucket queue heads per distance level
	edge           []bool     // per label: touches the border
	zx             []int32    // view: working column under each silhouette column (-1: outside)
	slab           []int32    // silhouette: region of each pixel
	sd1, sd2       []uint16   // half silhouette: distance to the nearest region, to the nearest other region
	hlab           []int32    // half silhouette: regions
	// background blocks (see background.go)
	flat, table   []bool
	rborder       []bool
	parent, rsize []int32
	tableBlocks   int       // blocks taken for the table
	texture       int       // the table's texture: median luma interquartile range of its blocks
	thr           int       // the deviation threshold of the frame
	ref           reference // the learned empty table (learn.go)
	useRef        bool      // this frame's background is the reference

	out *image.Gray
}

// plane is one channel (w x h: the working size for luma, half of it for colour)
// and its background estimate on gw x gh blocks of c pixels (the same block grid
// for every plane).
type plane struct {
	w, h, c   int
	gw, gh    int
	pix, back []byte
	med, sm   []int32  // block medians, block values of the background
	q1, q3    []int32  // block quartiles (luma)
	ref       []int32  // the global model's value per block
	xi        []interp // block columns around each pixel column
}

func newPlane(w, h, c, gw, gh int) plane {
	nb := gw * gh
	p := plane{w: w, h: h, c: c, gw: gw, gh: gh, pix: make([]byte, w*h), back: make([]byte, w*h),
		med: make([]int32, nb), sm: make([]int32, nb), q1: make([]int32, nb), q3: make([]int32, nb),
		ref: make([]int32, nb), xi: make([]interp, w)}
	for x := range p.xi {
		p.xi[x] = cellInterp(x, c, gw)
	}
	return p
}

type interp struct{ i0, i1, w int32 }

type geomKey struct {
	f            camera.Format
	w, h, stride int
	chroma       bool
	roi          image.Rectangle
	valid        bool
}

// New returns a FrontEnd with options o (nil means DefaultOpts).
func New(o *Opts) *FrontEnd {
	fe := &FrontEnd{}
	if o != nil {
		fe.o = *o
	}
	d := DefaultOpts
	def := func(v *int, dv int) {
		switch {
		case *v == 0:
			*v = dv
		case *v < 0:
			*v = 0
		}
	}
	def(&fe.o.Work, d.Work)
	def(&fe.o.Cell, d.Cell)
	def(&fe.o.MinContrast, d.MinContrast)
	def(&fe.o.MaxThreshold, d.MaxThreshold)
	def(&fe.o.ChromaGain, d.ChromaGain)
	def(&fe.o.Open, d.Open)
	def(&fe.o.Shadow, d.Shadow)
	def(&fe.o.MaxShadow, d.MaxShadow)
	def(&fe.o.Texture, d.Texture)
	def(&fe.o.Otsu, d.Otsu)
	def(&fe.o.Light, d.Light)
	def(&fe.o.Spot, d.Spot)
	def(&fe.o.Close, d.Close)
	def(&fe.o.Valley, d.Valley)
	def(&fe.o.Hole, d.Hole)
	def(&fe.o.Erode, d.Erode)
	def(&fe.o.Split, d.Split)
	def(&fe.o.Core, d.Core)
	def(&fe.o.Dip, d.Dip)
	def(&fe.o.Line, d.Line)
	def(&fe.o.LineWidth, d.LineWidth)
	def(&fe.o.Radius, d.Radius)
	def(&fe.o.Gap, d.Gap)
	def(&fe.o.Fill, d.Fill)
	def(&fe.o.Aniso, d.Aniso)
	def(&fe.o.MaxZoom, d.MaxZoom)
	fe.o.Fill = min(fe.o.Fill, 100)
	fe.o.Aniso = max(fe.o.Aniso, 1)
	fe.o.MaxZoom = max(fe.o.MaxZoom, 1)
	def(&fe.o.MotionDelta, d.MotionDelta)
	fe.o.Work = max(fe.o.Work, 16)
	fe.o.Cell = max(fe.o.Cell, 4)
	fe.o.MaxThreshold = max(fe.o.MaxThreshold, fe.o.MinContrast)
	if fe.o.MotionThreshold <= 0 {
		fe.o.MotionThreshold = d.MotionThreshold
	}
	if fe.o.EmptyFraction <= 0 {
		fe.o.EmptyFraction = d.EmptyFraction
	}
	if lo := &fe.o.Learn; lo.Frames > 0 {
		if lo.Rate <= 0 {
			lo.Rate = 64
		}
		if lo.Change <= 0 {
			lo.Change = 50
		}
	} else {
		*lo = Learn{}
	}
	sg, lg := int32(fe.o.Shadow*256/100), int32(fe.o.Light*256/100)
	for i := range fe.lumaDev {
		d := int32(i - 255)
		if d < 0 {
			d = -d
		} else {
			d = (d * lg) >> 8
		}
		fe.lumaDev[i] = byte(min(d, 255))
	}
	for i := range fe.shadowDev {
		fe.shadowDev[i] = byte(min(int32(i)*sg>>8, 255))
		fe.recip[i] = 65536 / int32(max(i, 1))
	}
	fe.out = image.NewGray(image.Rect(0, 0, Size, Size))
	fe.zx = make([]int32, Size)
	fe.slab = make([]int32, Size*Size)
	fe.sd1, fe.sd2, fe.hlab = make([]uint16, half*half), make([]uint16, half*half), make([]int32, half*half)
	fe.hist = make([]int32, 256)
	return fe
}

// Opts returns the options in use, defaults filled in.
func (fe *FrontEnd) Opts() Opts { return fe.o }

// Reset forgets the previous frame, so the next one reports no motion, and the
// empty frames seen so far towards learning the table (a learned table stays).
func (fe *FrontEnd) Reset() { fe.havePrev, fe.ref.n = false, 0 }

// Forget is Reset, and forgets the learned table too: the next frame is a picture
// on its own.
func (fe *FrontEnd) Forget() {
	fe.Reset()
	fe.ref.ok = false
}

// Working returns the grey working image of the last frame (aspect kept, before
// segmentation), sharing the FrontEnd's buffer. It is valid until the next Process.
func (fe *FrontEnd) Working() *image.Gray {
	return &image.Gray{Pix: fe.pl[0].pix, Stride: fe.ow, Rect: image.Rect(0, 0, fe.ow, fe.oh)}
}

// Process turns f into a silhouette. It allocates nothing once the frame geometry
// has been seen. Errors name the frame and say what is wrong with it.
func (fe *FrontEnd) Process(f *camera.Frame) (Result, error) {
	if err := f.Validate(); err != nil {
		return Result{}, fmt.Errorf("frontend: %w", err)
	}
	if err := fe.setup(f); err != nil {
		return Result{}, err
	}
	fe.resize(f)
	motion := fe.motion()
	learned := fe.ref.ok && fe.ref.fits(fe)
	if learned {
		fe.referenceBackground()
	} else {
		fe.background()
	}
	fe.useRef = learned
	thr := fe.segment()
	fe.cleanup()
	if fe.o.Core > 0 {
		fe.separate()
	}
	fg, zoom := fe.compose()

	r := Result{Image: fe.out, Motion: motion, Foreground: fg, Threshold: thr, Zoom: zoom, Learned: learned}
	switch {
	case motion > fe.o.MotionThreshold: // a hand over an empty table too
		r.State = Unstable
	case fg < fe.o.EmptyFraction:
		r.State = Empty
	default:
		r.State = Stable
	}
	if fe.o.Learn.Frames > 0 {
		fe.learn(r.State, learned)
	}
	return r, nil
}

// i420Len is the length of a complete I420 frame with Y stride s.
func i420Len(s, h int) int {
	return s*h + 2*(s/2)*((h+1)/2)
}

// setup (re)computes the resampling tables when the frame geometry changes.
func (fe *FrontEnd) setup(f *camera.Frame) error {
	chroma := fe.o.ChromaGain > 0
	switch f.Format {
	case camera.Gray:
		chroma = false
	case camera.I420:
		chroma = chroma && len(f.Pix) >= i420Len(f.Stride, f.Height)
	}
	k := geomKey{f: f.Format, w: f.Width, h: f.Height, stride: f.Stride, chroma: chroma, roi: fe.o.ROI, valid: true}
	if k == fe.key {
		return nil
	}
	r := image.Rect(0, 0, f.Width, f.Height)
	if !fe.o.ROI.Empty() {
		r = fe.o.ROI.Intersect(r)
		if r.Empty() {
			return fmt.Errorf("frontend: region of interest %v lies outside frame %q %dx%d", fe.o.ROI, f.Name, f.Width, f.Height)
		}
	}
	fe.chroma = chroma
	fe.rx, fe.ry, fe.rw, fe.rh = r.Min.X, r.Min.Y, r.Dx(), r.Dy()
	fe.ow, fe.oh = fit(fe.rw, fe.rh, fe.o.Work)
	fe.in.init(fe.rw, fe.rh, fe.ow, fe.oh)
	if chroma {
		var cw, ch int
		switch f.Format {
		case camera.YUYV: // chroma read on every other row: 4:2:0 is plenty for colour
			fe.cx, fe.cy = fe.rx/2, fe.ry
			cw, ch = (fe.rx+fe.rw+1)/2-fe.cx, fe.rh/2
		case camera.I420:
			fe.cx, fe.cy = fe.rx/2, fe.ry/2
			cw, ch = (fe.rx+fe.rw+1)/2-fe.cx, (fe.ry+fe.rh+1)/2-fe.cy
		default:
			fe.cx, fe.cy = fe.rx, fe.ry
			cw, ch = fe.rw, fe.rh
		}
		// Colour is kept at half the working size: it only needs to mark coloured
		// areas, and this halves the cost of reading it and of its background.
		hw, hh := (fe.ow+1)/2, (fe.oh+1)/2
		fe.inU.init(cw, ch, hw, hh)
		fe.inV.init(cw, ch, hw, hh)
	}
	n := fe.ow * fe.oh
	fe.rowY = make([]byte, fe.rw)
	fe.rowU = make([]byte, fe.rw)
	fe.rowV = make([]byte, fe.rw)
	gw, gh := (fe.ow+fe.o.Cell-1)/fe.o.Cell, (fe.oh+fe.o.Cell-1)/fe.o.Cell
	fe.pl[0] = newPlane(fe.ow, fe.oh, fe.o.Cell, gw, gh)
	for i := 1; i < 3; i++ {
		fe.pl[i] = newPlane((fe.ow+1)/2, (fe.oh+1)/2, max(fe.o.Cell/2, 2), gw, gh)
	}
	nb := gw * gh
	fe.flat, fe.table, fe.rborder = make([]bool, nb), make([]bool, nb), make([]bool, nb)
	fe.parent, fe.rsize = make([]int32, nb), make([]int32, nb)
	fe.prev = make([]byte, n)
	fe.dev = make([]byte, n)
	fe.mask = make([]byte, n)
	fe.work = make([]byte, n)
	fe.bw = (fe.ow + 63) / 64
	fe.bits = make([]uint64, fe.bw*fe.oh)
	fe.bitsT = make([]uint64, fe.bw*fe.oh)
	fe.box = make([]uint16, n)
	fe.colSum = make([]uint16, fe.ow)
	fe.stack = make([]int32, 0, n)
	fe.lineA = make([]int32, fe.ow)
	fe.lineB = make([]int32, fe.ow)
	fe.dist = make([]uint16, n)
	fe.lab = make([]int32, n)
	fe.link = make([]int32, n)
	fe.head = make([]int32, chamferB*(fe.ow+fe.oh)+1)
	fe.edge = make([]bool, n+1)
	fe.havePrev = false
	fe.key = k
	if fe.o.Learn.Frames > 0 {
		fe.allocLearning()
	}
	return nil
}

// fit returns the size of a w x h picture scaled to fit n x n, keeping its aspect ratio.
func fit(w, h, n int) (int, int) {
	var a, b int
	if w >= h {
		a, b = n, (h*n+w/2)/w
	} else {
		a, b = (w*n+h/2)/h, n
	}
	return max(a, 1), max(b, 1)
}

// resampler resizes 8-bit pictures by area averaging: each output pixel is the mean
// of the input area it covers, input pixels straddling its edges weighted by overlap.
// Weights are fixed-point fractions of the output area (1<<16 in total per axis), so
// no division is done per pixel.
type resampler struct {
	sw, sh, dw, dh int
	xs, ys         []span
	xw, yw         []uint32 // normalised overlaps, indexed by span.w
	tmp            []uint32 // horizontal pass: sh rows x dw, value<<8
	// When no output covers more than 3 inputs (downscaling by up to 2x): the first
	// input of each output and 3 weights for it and the next two inputs (zero past
	// the span), for a loop with constant offsets; safe outputs have all three
	// inputs inside the row, the rest take the general loop.
	x0   []int32
	x3   []uint32
	safe int
}

type span struct{ i0, n, w int32 } // first input index, count, first weight index

func (r *resampler) init(sw, sh, dw, dh int) {
	r.sw, r.sh, r.dw, r.dh = sw, sh, dw, dh
	r.xs, r.xw = areaSpans(sw, dw, r.xs[:0], r.xw[:0])
	r.ys, r.yw = areaSpans(sh, dh, r.ys[:0], r.yw[:0])
	r.tmp = make([]uint32, sh*dw)
	r.x0, r.x3, r.safe = r.x0[:0], r.x3[:0], 0
	for _, sp := range r.xs {
		if sp.n > 3 {
			r.x0, r.x3 = nil, nil
			return
		}
	}
	for _, sp := range r.xs {
		r.x0 = append(r.x0, sp.i0)
		for k := int32(0); k < 3; k++ {
			if k < sp.n {
				r.x3 = append(r.x3, r.xw[sp.w+k])
			} else {
				r.x3 = append(r.x3, 0)
			}
		}
		if int(sp.i0)+2 < sw {
			r.safe++
		}
	}
}

// areaSpans computes, for each of m outputs covering n inputs, which inputs overlap
// it and by how much. Output j covers [j*n, (j+1)*n) and input i covers [i*m, (i+1)*m)
// in units of 1/(n*m) of the whole, so the overlaps of one output sum to n; they are
// scaled to sum to 1<<16 (rounding errors put on the largest).
func areaSpans(n, m int, sp []span, w []uint32) ([]span, []uint32) {
	for j := 0; j < m; j++ {
		lo, hi := j*n, (j+1)*n
		i0 := lo / m
		s := span{i0: int32(i0), w: int32(len(w))}
		sum, big := uint32(0), len(w)
		for i := i0; i < n && i*m < hi; i++ {
			a, b := max(lo, i*m), min(hi, (i+1)*m)
			if b > a {
				v := uint32((uint64(b-a)<<16 + uint64(n)/2) / uint64(n))
				w = append(w, v)
				sum += v
				if v > w[big] {
					big = len(w) - 1
				}
				s.n++
			}
		}
		if s.n > 0 {
			w[big] += 1<<16 - sum
		}
		sp = append(sp, s)
	}
	return sp, w
}

// row runs the horizontal pass for input row y, whose pixels are every step-th byte of src.
func (r *resampler) row(y int, src []byte, step int) {
	out := r.tmp[y*r.dw : (y+1)*r.dw]
	from := 0
	if r.x0 != nil {
		x0 := r.x0[:r.safe]
		w3 := r.x3[:3*len(x0)]
		switch step {
		case 1:
			for j, i := range x0 {
				s := src[i : i+3 : i+3]
				w := w3[3*j : 3*j+3 : 3*j+3]
				out[j] = (uint32(s[0])*w[0] + uint32(s[1])*w[1] + uint32(s[2])*w[2] + 1<<7) >> 8
			}
			from = len(x0)
		case 2: // YUYV luma
			for j, i := range x0 {
				s := src[2*i : 2*i+5 : 2*i+5]
				w := w3[3*j : 3*j+3 : 3*j+3]
				out[j] = (uint32(s[0])*w[0] + uint32(s[2])*w[1] + uint32(s[4])*w[2] + 1<<7) >> 8
			}
			from = len(x0)
		case 4: // YUYV chroma
			for j, i := range x0 {
				s := src[4*i : 4*i+9 : 4*i+9]
				w := w3[3*j : 3*j+3 : 3*j+3]
				out[j] = (uint32(s[0])*w[0] + uint32(s[4])*w[1] + uint32(s[8])*w[2] + 1<<7) >> 8
			}
			from = len(x0)
		}
	}
	for j := from; j < len(out); j++ {
		s := r.xs[j]
		wt := r.xw[s.w : s.w+s.n]
		var acc uint32
		for i, w := range wt {
			acc += uint32(src[step*(int(s.i0)+i)]) * w
		}
		out[j] = (acc + 1<<7) >> 8
	}
}

// finish runs the vertical pass into dst (dw x dh, stride dw).
func (r *resampler) finish(dst []byte) {
	dw := r.dw
	for j, s := range r.ys {
		wt := r.yw[s.w : s.w+s.n]
		out := dst[j*dw : (j+1)*dw]
		if len(wt) == 0 {
			continue
		}
		base := int(s.i0) * dw
		r0 := r.tmp[base : base+dw]
		w0 := wt[0]
		switch len(wt) {
		case 1:
			for x := range out {
				out[x] = byte((uint64(r0[x])*uint64(w0) + 1<<23) >> 24)
			}
		case 2:
			r1 := r.tmp[base+dw : base+2*dw]
			w1 := wt[1]
			for x := range out {
				out[x] = byte((uint64(r0[x])*uint64(w0) + uint64(r1[x])*uint64(w1) + 1<<23) >> 24)
			}
		default:
			for x := range out {
				acc := uint64(r0[x]) * uint64(w0)
				for i := 1; i < len(wt); i++ {
					acc += uint64(r.tmp[base+i*dw+x]) * uint64(wt[i])
				}
				out[x] = byte((acc + 1<<23) >> 24)
			}
		}
	}
}

// resize reads the region of interest and area-averages it to the working size:
// luma always, Cb and Cr when the frame has colour and ChromaGain > 0.
func (fe *FrontEnd) resize(f *camera.Frame) {
	for y := 0; y < fe.rh; y++ {
		off := (fe.ry + y) * f.Stride
		switch f.Format {
		case camera.YUYV: // luma is every even byte: no conversion pass
			fe.in.row(y, f.Pix[off+2*fe.rx:], 2)
			if fe.chroma && y%2 == 0 && y/2 < fe.inU.sh {
				c := off + 4*fe.cx
				fe.inU.row(y/2, f.Pix[c+1:], 4)
				fe.inV.row(y/2, f.Pix[c+3:], 4)
			}
		case camera.RGBA:
			row := f.Pix[off+4*fe.rx:]
			ly, lu, lv := fe.rowY, fe.rowU, fe.rowV
			for x := range ly {
				p := row[4*x : 4*x+3 : 4*x+3]
				r, g, b := int32(p[0]), int32(p[1]), int32(p[2])
				ly[x] = byte((19595*r + 38470*g + 7471*b + 1<<15) >> 16)
				if fe.chroma {
					// BT.601 full range, as image/color.RGBToYCbCr.
					lu[x] = clamp8((-11056*r - 21712*g + 32768*b + 257<<15) >> 16)
					lv[x] = clamp8((32768*r - 27440*g - 5328*b + 257<<15) >> 16)
				}
			}
			fe.in.row(y, ly, 1)
			if fe.chroma {
				fe.inU.row(y, lu, 1)
				fe.inV.row(y, lv, 1)
			}
		default: // Gray, I420 (Y plane)
			fe.in.row(y, f.Pix[off+fe.rx:], 1)
		}
	}
	fe.in.finish(fe.pl[0].pix)
	if !fe.chroma {
		return
	}
	if f.Format == camera.I420 {
		cs := f.Stride / 2
		ch := (f.Height + 1) / 2
		u0 := f.Stride * f.Height
		v0 := u0 + cs*ch
		for y := 0; y < fe.inU.sh; y++ {
			off := (fe.cy+y)*cs + fe.cx
			fe.inU.row(y, f.Pix[u0+off:], 1)
			fe.inV.row(y, f.Pix[v0+off:], 1)
		}
	}
	fe.inU.finish(fe.pl[1].pix)
	fe.inV.finish(fe.pl[2].pix)
}

func clamp8(v int32) byte {
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return byte(v)
}

// motion compares the working luma with the previous frame's and keeps a copy.
func (fe *FrontEnd) motion() float64 {
	g := fe.pl[0].pix
	if !fe.havePrev {
		copy(fe.prev, g)
		fe.havePrev = true
		return 0
	}
	d := fe.o.MotionDelta
	moved := 0
	for i, v := range g {
		diff := int(v) - int(fe.prev[i])
		if diff > d || diff < -d {
			moved++
		}
	}
	copy(fe.prev, g)
	return float64(moved) / float64(len(g))
}
