package model

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/numsense/numsense/model/rng"
)

// syntheticQNet is a valid QNet with random weights and plausible scales, built
// without the float network (cheap: the fuzz workers each build one).
func syntheticQNet(seed uint64) *QNet {
	r := rng.New(seed)
	q := &QNet{Seed: seed, Calib: "synthetic"}
	sc := []float32{1, 0.5, 0.6, 0.7, 0.8, 0.9}
	for li, l := range Arch {
		c := &q.Conv[li]
		c.W = make([]int8, l.Out*l.KDim())
		for i := range c.W {
			c.W[i] = int8(r.IntRange(-127, 127))
		}
		c.WScale = make([]float32, l.Out)
		c.Bias = make([]int32, l.Out)
		for o := range c.WScale {
			c.WScale[o] = float32(0.001 + r.Float64()*0.01)
			c.Bias[o] = int32(r.IntRange(-1000, 1000))
		}
		c.InScale, c.InZP, c.OutScale, c.OutZP = sc[li], -128, sc[li+1], -128
	}
	q.Conv[Conv2].InScale = 0.25
	q.Norm[0] = NewQLRN(q.Conv[Conv1].OutScale, 0.25)
	q.Norm[1] = NewQLRN(q.Conv[Conv2].OutScale, q.Conv[Conv3].InScale)
	if err := q.prepare(); err != nil {
		panic(err)
	}
	return q
}

func testFile(t testing.TB) *File {
	q := testQNet(t)
	return &File{Q: q, Seed: q.Seed, Sections: map[string][]byte{
		"units":   []byte("unit map bytes"),
		"decoder": {1, 2, 3},
		"empty":   {},
	}}
}

// resign recomputes the checksum of a (modified) encoded file.
func resign(b []byte) []byte {
	b = bytes.Clone(b)
	s := sha256.Sum256(b[:len(b)-sumSize])
	copy(b[len(b)-sumSize:], s[:])
	return b
}

func TestFileRoundTrip(t *testing.T) {
	f := testFile(t)
	b, err := Encode(f)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("model file: %d bytes", len(b))
	g, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if g.Seed != f.Seed || g.Q.Calib != f.Q.Calib || len(g.Sections) != 3 ||
		string(g.Sections["units"]) != "unit map bytes" || !bytes.Equal(g.Sections["decoder"], []byte{1, 2, 3}) {
		t.Fatalf("round trip lost data: %+v", g.Sections)
	}
	if info := g.Info(); !strings.Contains(info, "units") || !strings.Contains(info, "595.5 M") || !strings.Contains(info, "11616") {
		t.Errorf("Info:\n%s", info)
	}
	b2, _ := Encode(g)
	if !bytes.Equal(b, b2) {
		t.Fatal("re-encoding gives different bytes")
	}
	// The decoded network runs to the same bytes.
	img := localDots(21, 10)
	e1, e2 := NewEngine(f.Q, 1), NewEngine(g.Q, 2)
	defer e1.Close()
	defer e2.Close()
	e1.Run(img)
	e2.Run(img)
	if !bytes.Equal(int8Bytes(e1.Relu5()), int8Bytes(e2.Relu5())) {
		t.Fatal("decoded network computes something else")
	}
}

func int8Bytes(x []int8) []byte {
	b := make([]byte, len(x))
	for i, v := range x {
		b[i] = byte(v)
	}
	return b
}

func TestFileErrors(t *testing.T) {
	good, err := Encode(testFile(t))
	if err != nil {
		t.Fatal(err)
	}
	archOff := headerSize + 2 // first byte of the architecture id
	cases := []struct {
		name string
		data []byte
		want error
		text string
	}{
		{"empty", nil, ErrTruncated, "truncated"},
		{"wrong magic", append([]byte("PK\x03\x04xxxx"), good[8:]...), ErrMagic, "magic"},
		{"short header", good[:5], ErrTruncated, "truncated"},
		{"truncated", good[:len(good)/2], ErrTruncated, "truncated"},
		{"truncated by one", good[:len(good)-1], ErrTruncated, "header says"},
		{"trailing", append(bytes.Clone(good), 0), ErrFormat, "trailing"},
		{"corrupted weight", func() []byte { b := bytes.Clone(good); b[len(b)/2] ^= 0x10; return b }(), ErrChecksum, "checksum"},
		{"corrupted checksum", func() []byte { b := bytes.Clone(good); b[len(b)-1] ^= 1; return b }(), ErrChecksum, "checksum"},
		{"version 3", func() []byte { b := bytes.Clone(good); b[8] = 3; return resign(b) }(), ErrVersion, "version 3"},
		{"no networks", func() []byte {
			b := bytes.Clone(good)
			binary.LittleEndian.PutUint32(b[archOff+len(ArchID):], 0)
			return resign(b)
		}(), ErrFormat, "0 networks"},
		{"too many networks", func() []byte {
			b := bytes.Clone(good)
			binary.LittleEndian.PutUint32(b[archOff+len(ArchID):], MaxNetworks+1)
			return resign(b)
		}(), ErrFormat, "17 networks"},
		{"network missing", func() []byte {
			b := bytes.Clone(good)
			binary.LittleEndian.PutUint32(b[archOff+len(ArchID):], 2)
			return resign(b)
		}(), ErrFormat, "left"},
		{"other architecture", func() []byte { b := bytes.Clone(good); b[archOff] = 'X'; return resign(b) }(), ErrArch, "architecture"},
		{"LRN beta", func() []byte {
			b := bytes.Clone(good)
			i := bytes.Index(b, binary.LittleEndian.AppendUint64(nil, 0x3FE8000000000000)) // 0.75
			b[i+6] = 0xE0                                                                  // 0.5
			return resign(b)
		}(), ErrArch, "beta"},
	}
	for _, c := range cases {
		f, err := Decode(c.data)
		if err == nil || f != nil {
			t.Errorf("%s: accepted", c.name)
			continue
		}
		if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.text) {
			t.Errorf("%s: error %q, want %v mentioning %q", c.name, err, c.want, c.text)
		}
	}
	// Load names the file.
	dir := t.TempDir()
	p := filepath.Join(dir, "bad.nsm")
	os.WriteFile(p, good[:1000], 0o644)
	if _, err := Load(p); err == nil || !strings.Contains(err.Error(), p) || !errors.Is(err, ErrTruncated) {
		t.Errorf("Load of a truncated file: %v", err)
	}
	if _, err := Load(filepath.Join(dir, "missing.nsm")); err == nil || !strings.Contains(err.Error(), "missing.nsm") {
		t.Errorf("Load of a missing file: %v", err)
	}
	if _, err := Encode(&File{Q: testFile(t).Q, Sections: map[string][]byte{"": nil}}); err == nil {
		t.Error("empty section name encoded")
	}
}

func TestSaveLoad(t *testing.T) {
	f := testFile(t)
	dir := t.TempDir()
	p := filepath.Join(dir, "net.nsm")
	if err := Save(p, f); err != nil {
		t.Fatal(err)
	}
	if err := Save(p, f); err != nil { // over an existing file
		t.Fatal(err)
	}
	g, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if g.Seed != f.Seed || string(g.Sections["units"]) != "unit map bytes" {
		t.Fatal("Load differs")
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("temporary files left: %v", ents)
	}
	if err := Save(filepath.Join(dir, "no", "such", "dir.nsm"), f); err == nil || !strings.Contains(err.Error(), "dir.nsm") {
		t.Errorf("Save into a missing directory: %v", err)
	}
}

// FuzzDecode: no input panics or allocates beyond its own size. Each input is also
// decoded with its checksum repaired, so that mutations reach the parser behind
// the checksum.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(FileMagic))
	f.Add([]byte{})
	good, err := Encode(&File{Q: syntheticQNet(5), Seed: 5, Sections: map[string][]byte{"units": {1, 2}}})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good[:200])
	f.Fuzz(func(t *testing.T, data []byte) {
		if file, err := Decode(data); err == nil {
			if _, err := Encode(file); err != nil {
				t.Fatalf("decoded file does not re-encode: %v", err)
			}
		}
		if len(data) >= headerSize+sumSize && string(data[:8]) == FileMagic {
			b := bytes.Clone(data)
			binary.LittleEndian.PutUint64(b[16:24], uint64(len(b)))
			Decode(resign(b))
		}
		// Splice the mutation into a valid file's header region too.
		if len(data) > 0 && len(data) < 4096 {
			b := bytes.Clone(good)
			copy(b[headerSize:], data)
			Decode(resign(b))
		}
	})
}

// encodeV1 writes f's network 0 and sections in the layout of version 1
// (docs/model-format.md), written out here on its own from the specification:
// the format numsense wrote before populations.
func encodeV1(f *File) []byte {
	le := binary.LittleEndian
	b := []byte(FileMagic)
	b = le.AppendUint32(b, 1)
	b = le.AppendUint32(b, 0)
	b = le.AppendUint64(b, 0)
	str := func(s string) { b = le.AppendUint16(b, uint16(len(s))); b = append(b, s...) }
	f32 := func(v float32) { b = le.AppendUint32(b, math.Float32bits(v)) }
	f64 := func(v float64) { b = le.AppendUint64(b, math.Float64bits(v)) }
	str(ArchID)
	b = le.AppendUint64(b, f.Seed)
	str(f.Q.Calib)
	b = le.AppendUint32(b, NumConv)
	for li, l := range Arch {
		c := &f.Q.Conv[li]
		str(l.Name)
		for _, v := range []int{l.Out, l.In, l.K, l.Stride, l.Pad, l.Groups, l.InSize, l.OutSize} {
			b = le.AppendUint32(b, uint32(v))
		}
		f32(c.InScale)
		b = le.AppendUint32(b, uint32(c.InZP))
		f32(c.OutScale)
		b = le.AppendUint32(b, uint32(c.OutZP))
		b = le.AppendUint32(b, uint32(len(c.W)))
		for _, v := range c.W {
			b = append(b, byte(v))
		}
		b = le.AppendUint32(b, uint32(len(c.WScale)))
		for _, v := range c.WScale {
			f32(v)
		}
		for _, v := range c.Bias {
			b = le.AppendUint32(b, uint32(v))
		}
	}
	b = le.AppendUint32(b, 2)
	for _, n := range f.Q.Norm {
		b = le.AppendUint32(b, LRNSize)
		f64(LRNAlpha)
		f64(LRNBeta)
		f64(LRNK)
		f32(n.InScale)
		b = le.AppendUint32(b, uint32(n.InZP))
		f32(n.OutScale)
		b = le.AppendUint32(b, uint32(n.OutZP))
		b = le.AppendUint32(b, n.Shift)
		b = le.AppendUint32(b, uint32(len(n.Table)))
		for _, v := range n.Table {
			b = le.AppendUint32(b, uint32(v))
		}
	}
	names := make([]string, 0, len(f.Sections))
	for n := range f.Sections {
		names = append(names, n)
	}
	sort.Strings(names)
	b = le.AppendUint32(b, uint32(len(names)))
	for _, n := range names {
		str(n)
		b = le.AppendUint64(b, uint64(len(f.Sections[n])))
		b = append(b, f.Sections[n]...)
	}
	le.PutUint64(b[16:24], uint64(len(b)+sumSize))
	sum := sha256.Sum256(b)
	return append(b, sum[:]...)
}

// sameFile reports whether two decoded files hold the same networks (bit for
// bit, quantisation included) and sections.
func sameFile(t *testing.T, a, b *File) {
	t.Helper()
	if a.Seed != b.Seed || len(a.Population) != len(b.Population) || !reflect.DeepEqual(a.Sections, b.Sections) {
		t.Fatalf("files differ: seeds %d/%d, %d/%d more networks, sections equal %v", a.Seed, b.Seed,
			len(a.Population), len(b.Population), reflect.DeepEqual(a.Sections, b.Sections))
	}
	for i, q := range a.Networks() {
		if r := b.Networks()[i]; q.Seed != r.Seed || q.Calib != r.Calib || !reflect.DeepEqual(q.Conv, r.Conv) || !reflect.DeepEqual(q.Norm, r.Norm) {
			t.Fatalf("network %d differs", i)
		}
	}
}

// Version 1 files still load: the test's own version 1 writer gives exactly the
// bytes numsense wrote before version 2 (SHA-256 of the old Encode of the same
// file, commit 0483673), and the embedded model written as version 1 decodes to
// the same network and sections as the embedded file itself.
func TestDecodeVersion1(t *testing.T) {
	syn := &File{Q: syntheticQNet(5), Seed: 5, Sections: map[string][]byte{"units": {1, 2}, "decoder": []byte("d")}}
	old := encodeV1(syn)
	if got := fmt.Sprintf("%x", sha256.Sum256(old)); got != "ba2d80dffbc1742c484aca1ce4382c98625af8b379cb06c3dbede4871f98337e" || len(old) != 2363016 {
		t.Fatalf("version 1 writer: %d bytes, SHA-256 %s; not the old Encode's bytes", len(old), got)
	}
	g, err := Decode(old)
	if err != nil {
		t.Fatal(err)
	}
	sameFile(t, syn, g)
	data, err := os.ReadFile(filepath.Join("defaultmodel", "default.nsm"))
	if err != nil {
		t.Fatal(err)
	}
	emb, err := Decode(data)
	if err != nil {
		t.Fatalf("embedded model: %v", err)
	}
	v1 := &File{Q: emb.Q, Seed: emb.Seed, Sections: emb.Sections}
	g, err = Decode(encodeV1(v1))
	if err != nil {
		t.Fatalf("embedded model as version 1: %v", err)
	}
	sameFile(t, v1, g)
}

// A population file holds every network with its seed, in order, and encodes
// to the same bytes again.
func TestFilePopulation(t *testing.T) {
	f := &File{Q: syntheticQNet(5), Seed: 5, Population: []*QNet{syntheticQNet(6), syntheticQNet(7)},
		Sections: map[string][]byte{"units": {1}, "units.1": {2}, "units.2": {3}}}
	b, err := Encode(f)
	if err != nil {
		t.Fatal(err)
	}
	g, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	sameFile(t, f, g)
	if g.Population[1].Seed != 7 || len(g.Networks()) != 3 {
		t.Fatalf("networks %d, last seed %d", len(g.Networks()), g.Population[1].Seed)
	}
	if info := g.Info(); !strings.Contains(info, "networks: 3 (seeds 5, 6, 7)") {
		t.Errorf("Info does not list the networks:\n%s", info)
	}
	if b2, _ := Encode(g); !bytes.Equal(b, b2) {
		t.Fatal("re-encoding gives different bytes")
	}
	many := &File{Q: f.Q, Seed: 5}
	for i := 0; i < MaxNetworks; i++ {
		many.Population = append(many.Population, f.Q)
	}
	if _, err := Encode(many); err == nil || !strings.Contains(err.Error(), "17 networks") {
		t.Errorf("Encode of %d networks: %v", MaxNetworks+1, err)
	}
	if _, err := Encode(&File{Q: f.Q, Population: []*QNet{nil}}); err == nil || !strings.Contains(err.Error(), "network 1") {
		t.Errorf("Encode with a missing network: %v", err)
	}
}

// A network whose weights are drawn from its seed is stored as the seed and a
// checksum (2.3 MB smaller) and reads back bit for bit; a false claim is refused
// when writing, and a checksum or scale that does not match when reading.
func TestFileWeightsFromSeed(t *testing.T) {
	if testing.Short() {
		t.Skip("drawing 2.3 M weights takes seconds under emulation; the host run checks it")
	}
	q := *testQNet(t) // the embedded seed-1 network: drawn from its seed (defaultmodel.TestWeights)
	q.FromSeed = true
	plain := *testQNet(t)
	plain.FromSeed = false
	stored, err := Encode(&File{Q: &plain, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	drawn, err := Encode(&File{Q: &q, Seed: 1, Population: []*QNet{&q}})
	if err != nil {
		t.Fatal(err)
	}
	if len(drawn) > len(stored)/10 {
		t.Errorf("drawn weights: %d bytes for two networks, %d stored for one", len(drawn), len(stored))
	}
	g, err := Decode(drawn)
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range g.Networks() {
		if !n.FromSeed || !reflect.DeepEqual(n.Conv, testQNet(t).Conv) {
			t.Fatalf("network %d read back differs", i)
		}
	}
	if again, _ := Encode(g); !bytes.Equal(again, drawn) {
		t.Error("re-encoding gives different bytes")
	}
	liar := *syntheticQNet(5)
	liar.FromSeed = true
	if _, err := Encode(&File{Q: &liar, Seed: 5}); err == nil || !strings.Contains(err.Error(), "drawn from seed 5") {
		t.Errorf("a network not drawn from its seed: %v", err)
	}
	sumAt := headerSize + 2 + len(ArchID) + 4 + 8 + 2 + len(q.Calib) + 4 // after count, seed, note, source
	bad := bytes.Clone(drawn)
	bad[sumAt] ^= 1
	if _, err := Decode(resign(bad)); !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "checksum") {
		t.Errorf("a wrong weight checksum: %v", err)
	}
	bad = bytes.Clone(drawn)
	binary.LittleEndian.PutUint32(bad[sumAt-4:], 7)
	if _, err := Decode(resign(bad)); !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "weight source 7") {
		t.Errorf("weight source 7: %v", err)
	}
}
