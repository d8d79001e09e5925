package unitmap

import (
	"strings"
	"testing"
)

func TestClassesRoundTrip(t *testing.T) {
	m := testMap(t)
	L := len(m.Numerosities)
	curve := make([]float32, L)
	for i := range curve {
		curve[i] = float32(i) / float32(L-1)
	}
	c := &Classes{Numerosities: m.Numerosities, Classes: []Class{
		{Shape: Increasing, PN: -1, Units: []int{0, 3, 7}, Curve: curve},
		{Shape: Tuned, PN: 4, Units: []int{1, 2}, Curve: curve},
	}}
	b, err := c.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	got, err := UnmarshalClasses(b, m)
	if err != nil || len(got.Classes) != 2 || got.Classes[1].PN != 4 {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	for name, bad := range map[string]func(*Classes){
		"shape":  func(c *Classes) { c.Classes[0].Shape = "wavy" },
		"pn":     func(c *Classes) { c.Classes[1].PN = L },
		"unit":   func(c *Classes) { c.Classes[0].Units = []int{len(m.Units)} },
		"order":  func(c *Classes) { c.Classes[0].Units = []int{3, 1} },
		"curve":  func(c *Classes) { c.Classes[0].Curve = curve[:3] },
		"levels": func(c *Classes) { c.Numerosities = c.Numerosities[:3] },
	} {
		cc := *c
		cc.Classes = append([]Class(nil), c.Classes...)
		bad(&cc)
		data, _ := (&cc).MarshalBinary() // may fail already; then test the decoder on raw JSON
		if data == nil {
			continue
		}
		if _, err := UnmarshalClasses(data, m); err == nil || !strings.Contains(err.Error(), "classes") {
			t.Errorf("%s: accepted (%v)", name, err)
		}
	}
	if _, err := UnmarshalClasses([]byte("{"), m); err == nil {
		t.Error("broken JSON accepted")
	}
}
