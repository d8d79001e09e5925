package unitmap

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
)

// Classes group the number units by the shape of their tuning as the laboratory's
// cross-validated analysis finds it (preferred numerosity and shape chosen on one
// draw of stimuli, the curves measured on an independent one): what the exhibit
// shows a visitor about "units tuned to N" must come from here, not from the
// selection draw's argmax. numsense calibrate stores them in a model file's section
// "unit-classes" (estimate.SectionClasses); older files have none. Units whose shape
// the test does not confirm belong to no class, and a class with no units is left
// out: most number units of an untrained network rise or fall with number, and only
// a minority is tuned (docs/science.md).
type Classes struct {
	// Numerosities are the numerosities of the curves' points.
	Numerosities []int `json:"numerosities"`
	// Classes, in the order a display should show them.
	Classes []Class `json:"classes"`
}

// Class is one group of units with the same response shape.
type Class struct {
	// Shape is "decreasing", "increasing" or "tuned".
	Shape string `json:"shape"`
	// PN is the preferred numerosity of a tuned class (an index into Numerosities),
	// -1 for the monotonic classes.
	PN int `json:"pn"`
	// Units are indices into Map.Units (not layer indices), ascending.
	Units []int `json:"units"`
	// Curve is the class's mean response per numerosity on the held-out draw, each
	// unit's curve scaled to 0..1 before averaging.
	Curve []float32 `json:"curve"`
}

// Shapes of Class.
const (
	Decreasing = "decreasing"
	Increasing = "increasing"
	Tuned      = "tuned"
)

// MarshalBinary encodes c as JSON after checking it.
func (c *Classes) MarshalBinary() ([]byte, error) {
	if err := c.validate(-1); err != nil {
		return nil, fmt.Errorf("unitmap: classes: %v", err)
	}
	return json.Marshal(c)
}

// UnmarshalClasses decodes a section written by MarshalBinary and checks it against
// the map it belongs to (unit indices within m.Units, the same numerosities).
func UnmarshalClasses(data []byte, m *Map) (*Classes, error) {
	var c Classes
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("unitmap: classes: %w", err)
	}
	n := -1
	if m != nil {
		n = len(m.Units)
		if len(m.Numerosities) != len(c.Numerosities) {
			return nil, errors.New("unitmap: classes: numerosities differ from the unit map's")
		}
		for i, v := range m.Numerosities {
			if c.Numerosities[i] != v {
				return nil, errors.New("unitmap: classes: numerosities differ from the unit map's")
			}
		}
	}
	if err := c.validate(n); err != nil {
		return nil, fmt.Errorf("unitmap: classes: %v", err)
	}
	return &c, nil
}

// validate checks shapes, PNs, curve lengths and unit indices (below units, when
// units >= 0).
func (c *Classes) validate(units int) error {
	L := len(c.Numerosities)
	if L < 1 || L > maxLevels {
		return fmt.Errorf("%d numerosities", L)
	}
	for i, k := range c.Classes {
		switch k.Shape {
		case Decreasing, Increasing:
			if k.PN != -1 {
				return fmt.Errorf("class %d (%s) has PN %d, want -1", i, k.Shape, k.PN)
			}
		case Tuned:
			if k.PN < 0 || k.PN >= L {
				return fmt.Errorf("class %d: PN %d outside [0,%d)", i, k.PN, L)
			}
		default:
			return fmt.Errorf("class %d: unknown shape %q", i, k.Shape)
		}
		if len(k.Curve) != L {
			return fmt.Errorf("class %d: curve of %d points, want %d", i, len(k.Curve), L)
		}
		for _, v := range k.Curve {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return fmt.Errorf("class %d: curve not finite", i)
			}
		}
		for j, u := range k.Units {
			if u < 0 || (units >= 0 && u >= units) || (j > 0 && u <= k.Units[j-1]) {
				return fmt.Errorf("class %d: unit %d not ascending within the map", i, u)
			}
		}
	}
	return nil
}
