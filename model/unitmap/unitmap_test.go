package unitmap

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/numsense/numsense/model/rng"
)

// testMap is a consistent map of 60 units of a 400-unit layer with random tuning.
func testMap(t testing.TB) *Map {
	t.Helper()
	r := rng.New(8)
	nums := []int{1, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30}
	m := &Map{Numerosities: nums, Alpha: 0.01, LayerUnits: 400, NonSelective: 30, Constant: 5}
	for u := 3; len(m.Units) < 60; u += 1 + r.IntRange(0, 4) {
		mu := Unit{Index: u, PN: r.IntRange(0, len(nums)-1), Mean: make([]float32, len(nums)), SD: make([]float32, len(nums))}
		for i := range nums {
			mu.Mean[i] = float32(r.Float64() * 10)
			mu.SD[i] = float32(r.Float64())
		}
		m.Units = append(m.Units, mu)
	}
	return m
}

func TestRoundTrip(t *testing.T) {
	m := testMap(t)
	data, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var got Map
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
		if err := got.UnmarshalBinary(c); !errors.Is(err, ErrInvalid) {
			t.Fatalf("byte %d flipped: err %v", i, err)
		}
	}
	for n := 0; n < len(data); n += 7 {
		if err := got.UnmarshalBinary(data[:n]); !errors.Is(err, ErrInvalid) {
			t.Fatalf("truncated to %d bytes: err %v", n, err)
		}
	}
	// An inconsistent map does not encode.
	bad := *m
	bad.Units = append([]Unit(nil), m.Units...)
	bad.Units[0].PN = 16
	if _, err := bad.MarshalBinary(); err == nil {
		t.Error("PN out of range encoded")
	}
}

func FuzzUnmarshal(f *testing.F) {
	m := testMap(f)
	data, _ := m.MarshalBinary()
	f.Add(data)
	f.Add(data[:20])
	f.Add([]byte("NSUM\x01\x00"))
	f.Add([]byte{})
	small := &Map{Numerosities: []int{1, 2}, Alpha: 0.01, LayerUnits: 3,
		Units: []Unit{{Index: 2, PN: 1, Mean: []float32{0, 1}, SD: []float32{1, 1}}}}
	sd, err := small.MarshalBinary()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sd)
	f.Fuzz(func(t *testing.T, in []byte) {
		var u Map
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
