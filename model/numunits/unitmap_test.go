package numunits

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/numsense/numsense/model/rng"
)

func testMap(t testing.TB) *UnitMap {
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

func TestUnitMapRoundTrip(t *testing.T) {
	m := testMap(t)
	data, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var got UnitMap
	if err := got.UnmarshalBinary(data); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&got, m) {
		t.Fatalf("round trip differs:\n%+v\n%+v", got, *m)
	}
	// Every single-byte corruption and every truncation is rejected.
	for i := range data {
		c := bytes.Clone(data)
		c[i] ^= 0x20
		if err := got.UnmarshalBinary(c); !errors.Is(err, ErrUnitMap) {
			t.Fatalf("byte %d flipped: err %v", i, err)
		}
	}
	for n := 0; n < len(data); n += 7 {
		if err := got.UnmarshalBinary(data[:n]); !errors.Is(err, ErrUnitMap) {
			t.Fatalf("truncated to %d bytes: err %v", n, err)
		}
	}
	// An inconsistent map does not encode.
	bad := *m
	bad.Units = append([]MapUnit(nil), m.Units...)
	bad.Units[0].PN = 16
	if _, err := bad.MarshalBinary(); err == nil {
		t.Error("PN out of range encoded")
	}
}

func FuzzUnmarshalUnitMap(f *testing.F) {
	m := testMap(f)
	data, _ := m.MarshalBinary()
	f.Add(data)
	f.Add(data[:20])
	f.Add([]byte("NSUM\x01\x00"))
	f.Add([]byte{})
	small := &UnitMap{Numerosities: []int{1, 2}, Alpha: 0.01, LayerUnits: 3,
		Units: []MapUnit{{Index: 2, PN: 1, Mean: []float32{0, 1}, SD: []float32{1, 1}}}}
	sd, err := small.MarshalBinary()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sd)
	f.Fuzz(func(t *testing.T, in []byte) {
		var u UnitMap
		if err := u.UnmarshalBinary(in); err != nil {
			return
		}
		out, err := u.MarshalBinary()
		if err != nil {
			t.Fatalf("decoded map does not re-encode: %v", err)
		}
		if !bytes.Equal(out, in) {
			t.Fatal("re-encoding differs from the input")
		}
	})
}
