package stimulus

import (
	"fmt"
	"image"
	"strings"
)

// Size is the width and height of every stimulus image in pixels.
const Size = 227

// MaxN is the largest numerosity Draw accepts.
const MaxN = 30

// Numerosities are the 16 numerosity levels of Kim 2021 (Figure1_4.m:41).
var Numerosities = []int{1, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30}

// AreaLevels is the number of total-area levels of the AreaVarying set.
const AreaLevels = 8

// Set names one stimulus set.
type Set int

// The stimulus sets of Kim 2021 (docs/protocol.md §4, sets 1 to 4).
const (
	Standard    Set = iota // dots of about the same radius, 7 + 0.7·N(0,1)
	Control1               // equal total area (1200 px²) and density (mean distance in (90, 100))
	Control2               // mixed shapes inside a pentagon hull
	AreaVarying            // 8 total-area levels A_k = 120πk (Stoianov & Zorzi 2012)
)

// Sets are the three sets of the number-selectivity ANOVA, in factor order.
var Sets = []Set{Standard, Control1, Control2}

var setNames = [...]string{"standard", "control1", "control2", "area"}

// String returns "standard", "control1", "control2" or "area".
func (s Set) String() string {
	if s >= 0 && int(s) < len(setNames) {
		return setNames[s]
	}
	return fmt.Sprintf("Set(%d)", int(s))
}

func (s Set) valid() bool { return s >= 0 && int(s) < len(setNames) }

// ParseSet parses a set name as printed by String (case-insensitive; "area-varying"
// is also accepted) or a protocol set number "1".."4".
func ParseSet(s string) (Set, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	switch t {
	case "1":
		return Standard, nil
	case "2":
		return Control1, nil
	case "3":
		return Control2, nil
	case "4", "area-varying", "areavarying":
		return AreaVarying, nil
	}
	for i, n := range setNames {
		if t == n {
			return Set(i), nil
		}
	}
	return 0, fmt.Errorf("stimulus: unknown set %q (want standard, control1, control2, area or 1-4)", s)
}

// Info describes one drawn image.
type Info struct {
	Set Set
	N   int
	// TotalArea is the number of white pixels.
	TotalArea float64
	// MeanDist is the mean pairwise centre distance in pixels (NaN for N = 1).
	// For Control1 it is the quantity the density rule constrains to (90, 100).
	MeanDist float64
	// MeanDotArea is TotalArea / N.
	MeanDotArea float64
	// AreaLevel is k in 1..8 for AreaVarying (nominal total area 120πk), else 0.
	AreaLevel int
	// NominalArea is the sum of the items' geometric areas (πr² for a disc, 4r² for
	// a square, πr²/2 for an ellipse, (3√3/4)r² for a triangle): 1200 for Control1
	// and 120πk for AreaVarying up to float rounding.
	NominalArea float64
}

// Shape is the form of one item.
type Shape uint8

// Item shapes. Every set but Control2 uses discs only.
const (
	Disc     Shape = iota // sqrt(dx²+dy²) <= r
	Square                // |dx| <= r and |dy| <= r
	Ellipse               // dx²/r² + dy²/(r/2)² < 1 (wide along x)
	Triangle              // equilateral, vertices at distance r, boundary included
)

var shapeNames = [...]string{"disc", "square", "ellipse", "triangle"}

// String returns "disc", "square", "ellipse" or "triangle".
func (s Shape) String() string {
	if int(s) < len(shapeNames) {
		return shapeNames[s]
	}
	return fmt.Sprintf("Shape(%d)", int(s))
}

// Item is one placed item: integer centre in 1-based pixel coordinates (X column,
// Y row), radius R and shape. Angle is the triangle rotation in degrees (1..180): its
// vertices are at angles Angle, Angle+120 and Angle+240 degrees, measured from +x
// towards +y.
type Item struct {
	X, Y  int
	R     float64
	Shape Shape
	Angle int
}

// NewImage returns a black Size x Size grey image.
func NewImage() *image.Gray { return image.NewGray(image.Rect(0, 0, Size, Size)) }
