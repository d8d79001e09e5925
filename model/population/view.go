package population

import (
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"strconv"
	"strings"
)

// MaxShift bounds a view's shift in pixels: small enough that a silhouette made
// by the front end (objects at least two pixels from its border) keeps every
// object in view.
const MaxShift = 8

// View is an exact transform of the 227x227 silhouette that keeps the number of
// objects in it: a mirror image (left to right) if Mirror, then Turn quarter turns
// clockwise, then a shift by DX pixels to the right and DY down (what leaves the
// picture is lost, what comes in is background). Pixels are moved, never
// interpolated, so a binary silhouette stays binary.
//
// A view is named by its parts joined with ".": "m" (mirror), "r90", "r180" or
// "r270" (turns), "x+2" and "y-1" (shifts); the zero View is "id".
type View struct {
	Mirror bool
	Turn   uint8 // quarter turns clockwise, 0..3
	DX, DY int8  // shift in pixels, -MaxShift..MaxShift
}

// Identity is the silhouette as it is.
var Identity = View{}

// String returns the view's name (see View).
func (v View) String() string {
	var parts []string
	if v.Mirror {
		parts = append(parts, "m")
	}
	if v.Turn != 0 {
		parts = append(parts, "r"+strconv.Itoa(90*int(v.Turn)))
	}
	if v.DX != 0 {
		parts = append(parts, fmt.Sprintf("x%+d", v.DX))
	}
	if v.DY != 0 {
		parts = append(parts, fmt.Sprintf("y%+d", v.DY))
	}
	if len(parts) == 0 {
		return "id"
	}
	return strings.Join(parts, ".")
}

// ParseView reads a view's name (see View).
func ParseView(s string) (View, error) {
	var v View
	if s == "id" {
		return v, nil
	}
	seen := map[byte]bool{}
	for _, p := range strings.Split(s, ".") {
		if p == "" || seen[p[0]] {
			return View{}, fmt.Errorf("population: view %q: empty or repeated part", s)
		}
		seen[p[0]] = true
		switch {
		case p == "m":
			v.Mirror = true
		case p == "r90" || p == "r180" || p == "r270":
			d, _ := strconv.Atoi(p[1:])
			v.Turn = uint8(d / 90)
		case (p[0] == 'x' || p[0] == 'y') && len(p) > 2 && (p[1] == '+' || p[1] == '-'):
			d, err := strconv.Atoi(p[1:])
			if err != nil || d == 0 || d < -MaxShift || d > MaxShift {
				return View{}, fmt.Errorf("population: view %q: shift %q is not a non-zero whole number of pixels within ±%d", s, p, MaxShift)
			}
			if p[0] == 'x' {
				v.DX = int8(d)
			} else {
				v.DY = int8(d)
			}
		default:
			return View{}, fmt.Errorf("population: view %q: unknown part %q (want m, r90, r180, r270, x±N, y±N or id)", s, p)
		}
	}
	return v, nil
}

// ParseViews reads a comma-separated list of view names; the list must not be
// empty or name a view twice.
func ParseViews(s string) ([]View, error) {
	var out []View
	seen := map[View]bool{}
	for _, name := range strings.Split(s, ",") {
		v, err := ParseView(strings.TrimSpace(name))
		if err != nil {
			return nil, err
		}
		if seen[v] {
			return nil, fmt.Errorf("population: view %s listed twice", v)
		}
		seen[v] = true
		out = append(out, v)
	}
	return out, nil
}

// Names returns the views' names separated by commas (what ParseViews reads).
func Names(views []View) string {
	s := make([]string, len(views))
	for i, v := range views {
		s[i] = v.String()
	}
	return strings.Join(s, ",")
}

func (v View) valid() bool {
	return v.Turn < 4 && v.DX >= -MaxShift && v.DX <= MaxShift && v.DY >= -MaxShift && v.DY <= MaxShift
}

// MarshalViews encodes views for a model file's section "views": a JSON list of
// names.
func MarshalViews(views []View) ([]byte, error) {
	if len(views) == 0 {
		return nil, errors.New("population: no views")
	}
	names := make([]string, len(views))
	for i, v := range views {
		if !v.valid() {
			return nil, fmt.Errorf("population: invalid view %+v", v)
		}
		names[i] = v.String()
	}
	return json.Marshal(names)
}

// UnmarshalViews decodes a section written by MarshalViews.
func UnmarshalViews(data []byte) ([]View, error) {
	var names []string
	if err := json.Unmarshal(data, &names); err != nil {
		return nil, fmt.Errorf("population: views: %w", err)
	}
	if len(names) == 0 || len(names) > MaxViews {
		return nil, fmt.Errorf("population: views: %d views, want 1..%d", len(names), MaxViews)
	}
	return ParseViews(strings.Join(names, ","))
}

// MaxViews bounds the views of one model.
const MaxViews = 64

// Apply writes the view of src into dst. Both must be square and of the same
// size (the network's 227x227); dst must not be src.
func (v View) Apply(dst, src *image.Gray) {
	s := src.Rect.Dx()
	sp, dp := src.Pix[src.PixOffset(src.Rect.Min.X, src.Rect.Min.Y):], dst.Pix[dst.PixOffset(dst.Rect.Min.X, dst.Rect.Min.Y):]
	ss, ds := src.Stride, dst.Stride
	dx, dy := int(v.DX), int(v.DY)
	// Output pixel (x, y) shows source pixel (qx, qy): undo the shift, the turns
	// and the mirror. Walking x by one moves the source by (ax, ay).
	for y := 0; y < s; y++ {
		row := dp[y*ds : y*ds+s]
		py := y - dy
		x0, x1 := max(0, dx), min(s, s+dx) // output columns with a source
		if py < 0 || py >= s || x0 >= x1 {
			clear(row)
			continue
		}
		clear(row[:x0])
		clear(row[x1:])
		qx, qy, ax, ay := v.source(x0-dx, py, s)
		o := qy*ss + qx
		step := ay*ss + ax
		for x := x0; x < x1; x++ {
			row[x] = sp[o]
			o += step
		}
	}
}

// source returns, for the unshifted output pixel (px, py) of a picture of size s,
// the source pixel (qx, qy) it shows, and the source step (ax, ay) of one output
// pixel to the right.
func (v View) source(px, py, s int) (qx, qy, ax, ay int) {
	qx, qy, ax, ay = px, py, 1, 0
	for t := uint8(0); t < v.Turn; t++ {
		// A clockwise quarter turn maps (x, y) to (s-1-y, x), so the source of
		// (x, y) is (y, s-1-x); the step turns the same way.
		qx, qy = qy, s-1-qx
		ax, ay = ay, -ax
	}
	if v.Mirror {
		qx, ax = s-1-qx, -ax
	}
	return qx, qy, ax, ay
}
