package unitmap

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
)

// Map is what a decoder needs to read numerosity out of a layer: the
// number-selective units, their preferred numerosities and tuning.
type Map struct {
	// Numerosities are the numerosity values of the tuning-curve points.
	Numerosities []int
	// Alpha is the selection threshold the map was made with.
	Alpha float64
	// LayerUnits is the number of units of the analysed layer (43,264 for relu5).
	LayerUnits int
	// NonSelective and Constant count the layer's "non-selective" (set-
	// selective) and constant units; len(Units) is the selective count.
	NonSelective, Constant int
	// Units are the number-selective units in ascending layer index.
	Units []Unit
}

// Unit is one number-selective unit.
type Unit struct {
	Index int       // index into the layer's flattened output
	PN    int       // preferred numerosity index
	Mean  []float32 // mean response per numerosity (sets pooled)
	SD    []float32 // response standard deviation per numerosity (sets pooled)
}

// Encoding, little-endian:
//
//	"NSUM" | version u16 = 1 | levels u16 | levels x numerosity u16 |
//	alpha f64 | layer units u32 | non-selective u32 | constant u32 |
//	unit count u32 | per unit: index u32, PN u8, levels x mean f32,
//	levels x SD f32 | CRC-32 (IEEE) of all preceding bytes u32
const (
	unitMapMagic   = "NSUM"
	unitMapVersion = 1
	maxLevels      = 256 // PN is stored in one byte
)

// ErrInvalid is wrapped by every UnmarshalBinary error.
var ErrInvalid = errors.New("unitmap: invalid unit map encoding")

func (m *Map) validate() error {
	L := len(m.Numerosities)
	if L < 1 || L > maxLevels {
		return fmt.Errorf("%d numerosities, want 1..%d", L, maxLevels)
	}
	for i, n := range m.Numerosities {
		if n < 0 || n > math.MaxUint16 || (i > 0 && n <= m.Numerosities[i-1]) {
			return fmt.Errorf("numerosity %d (%d) not increasing in [0,65535]", i, n)
		}
	}
	if !(m.Alpha > 0 && m.Alpha < 1) {
		return fmt.Errorf("alpha %g outside (0,1)", m.Alpha)
	}
	if m.LayerUnits < 0 || int64(m.LayerUnits) > math.MaxUint32 || m.NonSelective < 0 || m.Constant < 0 ||
		len(m.Units)+m.NonSelective+m.Constant > m.LayerUnits {
		return fmt.Errorf("counts %d selective + %d non-selective + %d constant exceed %d layer units",
			len(m.Units), m.NonSelective, m.Constant, m.LayerUnits)
	}
	for k, u := range m.Units {
		if u.Index < 0 || u.Index >= m.LayerUnits || (k > 0 && u.Index <= m.Units[k-1].Index) {
			return fmt.Errorf("unit %d: index %d not ascending in [0,%d)", k, u.Index, m.LayerUnits)
		}
		if u.PN < 0 || u.PN >= L {
			return fmt.Errorf("unit %d: PN index %d outside [0,%d)", k, u.PN, L)
		}
		if len(u.Mean) != L || len(u.SD) != L {
			return fmt.Errorf("unit %d: %d means and %d SDs, want %d", k, len(u.Mean), len(u.SD), L)
		}
		for i := 0; i < L; i++ {
			if isBad32(u.Mean[i]) || isBad32(u.SD[i]) || u.SD[i] < 0 {
				return fmt.Errorf("unit %d: mean %g or SD %g at level %d not finite (SD >= 0)", k, u.Mean[i], u.SD[i], i)
			}
		}
	}
	return nil
}

func isBad32(v float32) bool { return math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) }

// MarshalBinary encodes the map (see the format above). It fails on an
// inconsistent map.
func (m *Map) MarshalBinary() ([]byte, error) {
	if err := m.validate(); err != nil {
		return nil, fmt.Errorf("unitmap: MarshalBinary: %v", err)
	}
	L := len(m.Numerosities)
	b := make([]byte, 0, 4+4+2*L+8+16+len(m.Units)*(5+8*L)+4)
	le := binary.LittleEndian
	b = append(b, unitMapMagic...)
	b = le.AppendUint16(b, unitMapVersion)
	b = le.AppendUint16(b, uint16(L))
	for _, n := range m.Numerosities {
		b = le.AppendUint16(b, uint16(n))
	}
	b = le.AppendUint64(b, math.Float64bits(m.Alpha))
	b = le.AppendUint32(b, uint32(m.LayerUnits))
	b = le.AppendUint32(b, uint32(m.NonSelective))
	b = le.AppendUint32(b, uint32(m.Constant))
	b = le.AppendUint32(b, uint32(len(m.Units)))
	for _, u := range m.Units {
		b = le.AppendUint32(b, uint32(u.Index))
		b = append(b, uint8(u.PN))
		for _, v := range u.Mean {
			b = le.AppendUint32(b, math.Float32bits(v))
		}
		for _, v := range u.SD {
			b = le.AppendUint32(b, math.Float32bits(v))
		}
	}
	return le.AppendUint32(b, crc32.ChecksumIEEE(b)), nil
}

// UnmarshalBinary decodes data written by MarshalBinary. It never panics;
// truncated, corrupt or inconsistent input gives an error wrapping
// ErrInvalid, and m is left unchanged on error.
func (m *Map) UnmarshalBinary(data []byte) error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, a...))
	}
	le := binary.LittleEndian
	if len(data) < 8 || string(data[:4]) != unitMapMagic {
		return bad("missing %q header", unitMapMagic)
	}
	if v := le.Uint16(data[4:]); v != unitMapVersion {
		return bad("version %d, this build reads %d", v, unitMapVersion)
	}
	if len(data) < 12 {
		return bad("truncated (%d bytes)", len(data))
	}
	body, sum := data[:len(data)-4], le.Uint32(data[len(data)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return bad("checksum mismatch")
	}
	L := int(le.Uint16(body[6:]))
	if L < 1 || L > maxLevels {
		return bad("%d numerosity levels, want 1..%d", L, maxLevels)
	}
	p := body[8:]
	fixed := 2*L + 8 + 16
	if len(p) < fixed {
		return bad("truncated header (%d bytes)", len(data))
	}
	var out Map
	out.Numerosities = make([]int, L)
	for i := range out.Numerosities {
		out.Numerosities[i] = int(le.Uint16(p[2*i:]))
	}
	p = p[2*L:]
	out.Alpha = math.Float64frombits(le.Uint64(p))
	out.LayerUnits = int(le.Uint32(p[8:]))
	out.NonSelective = int(le.Uint32(p[12:]))
	out.Constant = int(le.Uint32(p[16:]))
	n := int(le.Uint32(p[20:]))
	p = p[24:]
	per := 5 + 8*L
	if n < 0 || len(p)%per != 0 || len(p)/per != n {
		return bad("%d units need %d bytes, %d present", n, n*per, len(p))
	}
	out.Units = make([]Unit, n)
	vals := make([]float32, 2*L*n)
	for k := range out.Units {
		u := &out.Units[k]
		u.Index = int(le.Uint32(p))
		u.PN = int(p[4])
		u.Mean, u.SD = vals[:L:L], vals[L:2*L:2*L]
		vals = vals[2*L:]
		for i := 0; i < L; i++ {
			u.Mean[i] = math.Float32frombits(le.Uint32(p[5+4*i:]))
			u.SD[i] = math.Float32frombits(le.Uint32(p[5+4*L+4*i:]))
		}
		p = p[per:]
	}
	if err := out.validate(); err != nil {
		return bad("%v", err)
	}
	*m = out
	return nil
}
