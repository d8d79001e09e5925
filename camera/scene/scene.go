package scene

import (
	"fmt"
	"strings"

	"github.com/numsense/numsense/model/rng"
)

// Kind is the kind of objects on a table.
type Kind int

// The object kinds. A scene holds objects of one kind.
const (
	Coins  Kind = iota // metallic discs with a rim, relief and highlights
	Sweets             // glossy round and oval sweets in bright colours
	Dice               // rounded cubes with pips, their sides showing with the tilt
	Leaves             // irregular leaf shapes with serrated edges and veins
	Blocks             // rectangular wooden or toy blocks, some with studs
	numKinds
)

var kindNames = [...]string{"coins", "sweets", "dice", "leaves", "blocks"}

// String returns the kind's name as written in counts.csv.
func (k Kind) String() string {
	if k >= 0 && k < numKinds {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Kinds returns every object kind.
func Kinds() []Kind { return []Kind{Coins, Sweets, Dice, Leaves, Blocks} }

// ParseKind parses a kind's name.
func ParseKind(s string) (Kind, error) {
	for i, n := range kindNames {
		if strings.EqualFold(s, n) {
			return Kind(i), nil
		}
	}
	return 0, fmt.Errorf("scene: unknown object kind %q (want one of %s)", s, strings.Join(kindNames[:], ", "))
}

// Table is the surface the objects lie on.
type Table int

// The tables.
const (
	Wood  Table = iota // planks with grain, light to dark
	Paper              // a white or cream sheet with fibres
	Cloth              // woven cloth with a weave and wrinkles
	Grey               // a plain grey laminate or concrete surface
	Dark               // a black or dark slate surface
	numTables
)

var tableNames = [...]string{"wood", "paper", "cloth", "grey", "dark"}

// String returns the table's name.
func (t Table) String() string {
	if t >= 0 && t < numTables {
		return tableNames[t]
	}
	return fmt.Sprintf("Table(%d)", int(t))
}

// Layout is how the objects are arranged.
type Layout int

// The layouts.
const (
	Random  Layout = iota // anywhere in view, gaps from touching to wide
	Cluster               // in one part of the view, close together
	Grid                  // rows and columns (hexagonal for round objects), gaps down to touching
	Rows                  // lines of touching objects, turning like letters
	numLayouts
)

var layoutNames = [...]string{"random", "cluster", "grid", "rows"}

// String returns the layout's name.
func (l Layout) String() string {
	if l >= 0 && l < numLayouts {
		return layoutNames[l]
	}
	return fmt.Sprintf("Layout(%d)", int(l))
}

// DenseCover is the share of the picture that objects must cover for a scene to
// count as a dense array.
const DenseCover = 0.40

// Opts configures a set of scenes. The zero value of a field means its default.
type Opts struct {
	// Seed makes the set: scene i is a pure function of (Seed, i), the same bits on
	// every architecture.
	Seed uint64
	// Width and Height are the picture size (default 640x480).
	Width, Height int
	// MinCount and MaxCount bound the number of objects (default 1 and 40).
	MinCount, MaxCount int
	// Kinds are the object kinds, taken in turn (scene i shows Kinds[i % len]);
	// nil means all five.
	Kinds []Kind
}

// MaxObjects is the largest count a scene can hold.
const MaxObjects = 60

// Generator renders the scenes of one set. It is not safe for concurrent use; the
// scenes it renders do not depend on the order in which they are asked for.
type Generator struct {
	o    Opts
	w, h int
	c    canvas
}

// New returns a generator for the set o.
func New(o Opts) (*Generator, error) {
	if o.Width == 0 && o.Height == 0 {
		o.Width, o.Height = 640, 480
	}
	if o.Width < 64 || o.Height < 48 || o.Width > 4096 || o.Height > 4096 {
		return nil, fmt.Errorf("scene: picture size %dx%d is outside 64x48..4096x4096", o.Width, o.Height)
	}
	if o.MinCount == 0 {
		o.MinCount = 1
	}
	if o.MaxCount == 0 {
		o.MaxCount = 40
	}
	if o.MinCount < 1 || o.MaxCount < o.MinCount || o.MaxCount > MaxObjects {
		return nil, fmt.Errorf("scene: counts %d..%d are outside 1..%d", o.MinCount, o.MaxCount, MaxObjects)
	}
	if len(o.Kinds) == 0 {
		o.Kinds = Kinds()
	}
	for _, k := range o.Kinds {
		if k < 0 || k >= numKinds {
			return nil, fmt.Errorf("scene: unknown object kind %d", int(k))
		}
	}
	o.Kinds = append([]Kind(nil), o.Kinds...)
	return &Generator{o: o, w: o.Width, h: o.Height}, nil
}

// Opts returns the options in use, defaults filled in.
func (g *Generator) Opts() Opts { return g.o }

// Scene describes one rendered scene: the truth and how it was made.
type Scene struct {
	Index   int
	Count   int // the number of objects: the truth
	Kind    Kind
	Table   Table
	Layout  Layout
	Size    float64 // mean object extent (diameter or long side) over the picture width
	Cover   float64 // share of the picture's pixels covered by objects
	Quality int     // JPEG quality the picture was compressed with
}

// Dense reports whether the scene is a dense array (Cover >= DenseCover).
func (s Scene) Dense() bool { return s.Cover >= DenseCover }

// Seed streams of a scene (rng.Derive of the scene's own seed).
const (
	streamPlan    = 1 // count, table, layout, sizes, positions
	streamLook    = 2 // colours, textures, light
	streamCamera  = 3 // blur, noise, compression
	streamTexture = 4 // hash seeds of the table texture
)

// sceneSeed is the seed of scene i.
func (g *Generator) sceneSeed(i int) uint64 { return rng.Derive(g.o.Seed, uint64(i)) }
