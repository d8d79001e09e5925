package numunits

import (
	"reflect"
	"testing"

	"github.com/numsense/numsense/model/rng"
	"github.com/numsense/numsense/model/unitmap"
)

func testMap(t testing.TB) *unitmap.Map {
	const a, b, n = 16, 3, 4
	s, _ := NewANOVA(a, b, 40)
	r := rng.New(8)
	resp := make([]float32, 40)
	for i := 0; i < a; i++ {
		for j := 0; j < b; j++ {
			for k := 0; k < n; k++ {
				for u := range resp {
					resp[u] = float32(r.Normal())
					if u%4 == 0 {
						resp[u] += float32(3 * logTuned(u, ImageInfo{NumIdx: i}))
					}
					if u == 39 {
						resp[u] = 0
					}
				}
				_ = s.Add(j, i, resp)
			}
		}
	}
	res, err := s.Result()
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewUnitMap(res, res.Select(0), Numerosities)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Units) < 5 || m.Constant != 1 {
		t.Fatalf("test map has %d units, %d constant", len(m.Units), m.Constant)
	}
	return m
}

func TestNewUnitMap(t *testing.T) {
	m := testMap(t)
	data, err := m.MarshalBinary()
	if err != nil {
		t.Fatalf("a map from NewUnitMap does not encode: %v", err)
	}
	var got unitmap.Map
	if err := got.UnmarshalBinary(data); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&got, m) {
		t.Fatalf("round trip differs:\n%+v\n%+v", got, *m)
	}
	for k, u := range m.Units {
		if k > 0 && u.Index <= m.Units[k-1].Index {
			t.Fatalf("units not ascending at %d", k)
		}
		if u.Index%4 != 0 {
			t.Errorf("unit %d selected but carries no numerosity signal", u.Index)
		}
	}
}
