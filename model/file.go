package model

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"sort"
	"sync"

	"github.com/numsense/numsense/model/atomicfile"
)

// Model file format constants (see docs/model-format.md).
const (
	FileMagic = "NSMODEL\x1a"
	// FileVersion is the version Encode writes: 2 holds one or more networks (a
	// population); version 1 files, which hold exactly one, are still read.
	FileVersion = 2
	// MaxNetworks bounds the networks of one file (numsense calibrate --networks).
	MaxNetworks = 16
	// MaxFileSize bounds what Decode reads (one network is about 2.4 MB).
	MaxFileSize = 256 << 20
	headerSize  = 8 + 4 + 4 + 8 // magic, version, reserved, total length
	sumSize     = sha256.Size
)

// Errors wrapped by Decode and Load; test with errors.Is.
var (
	ErrMagic     = errors.New("not a numsense model file (wrong magic)")
	ErrVersion   = errors.New("unsupported model file version")
	ErrTruncated = errors.New("model file truncated")
	ErrChecksum  = errors.New("model file checksum mismatch (corrupted)")
	ErrArch      = errors.New("model file is for a different architecture")
	ErrFormat    = errors.New("malformed model file")
)

// File is the content of a model file: the quantised network, the seed it was drawn
// from, and opaque tagged sections that other packages encode (e.g. "units" for the
// number-unit map, "decoder"). A population model (numsense calibrate --networks K)
// holds K networks: Q is network 0 and Population networks 1..K-1.
type File struct {
	Q    *QNet
	Seed uint64 // the seed of network 0 (the others carry theirs in QNet.Seed)
	// Population holds networks 1..K-1 of a population of K networks, in order,
	// each with its own seed (QNet.Seed); empty for a file of one network.
	Population []*QNet
	Sections   map[string][]byte
}

// Networks returns the file's networks in order: Q, then Population.
func (f *File) Networks() []*QNet { return append([]*QNet{f.Q}, f.Population...) }

type enc struct{ b bytes.Buffer }

func (e *enc) u16(v uint16) { e.b.Write(binary.LittleEndian.AppendUint16(nil, v)) }
func (e *enc) u32(v uint32) { e.b.Write(binary.LittleEndian.AppendUint32(nil, v)) }
func (e *enc) u64(v uint64) { e.b.Write(binary.LittleEndian.AppendUint64(nil, v)) }
func (e *enc) i32(v int32)  { e.u32(uint32(v)) }
func (e *enc) f32(v float32) {
	e.u32(math.Float32bits(v))
}
func (e *enc) f64(v float64) { e.u64(math.Float64bits(v)) }
func (e *enc) str(s string) {
	e.u16(uint16(len(s)))
	e.b.WriteString(s)
}

// Encode serialises f in the current format (FileVersion). It fails if a network
// is invalid, there are more than MaxNetworks, or a section name is empty or
// longer than 255 bytes.
func Encode(f *File) ([]byte, error) {
	if f == nil || f.Q == nil {
		return nil, errors.New("model: Encode: no network")
	}
	nets := f.Networks()
	if len(nets) > MaxNetworks {
		return nil, fmt.Errorf("model: Encode: %d networks, at most %d", len(nets), MaxNetworks)
	}
	for i, q := range nets {
		if q == nil {
			return nil, fmt.Errorf("model: Encode: network %d missing", i)
		}
		if err := q.validate(); err != nil {
			return nil, fmt.Errorf("model: Encode: network %d: %w", i, err)
		}
		seed := q.Seed
		if i == 0 {
			seed = f.Seed
		}
		if q.FromSeed && !q.drawnFrom(seed) {
			return nil, fmt.Errorf("model: Encode: network %d: its weights are not those drawn from seed %d", i, seed)
		}
		if len(q.Calib) > 4096 {
			return nil, fmt.Errorf("model: Encode: network %d: calibration note longer than 4096 bytes", i)
		}
	}
	names := make([]string, 0, len(f.Sections))
	for n := range f.Sections {
		if n == "" || len(n) > 255 {
			return nil, fmt.Errorf("model: Encode: bad section name %q (1..255 bytes)", n)
		}
		names = append(names, n)
	}
	sort.Strings(names)
	e := &enc{}
	e.b.WriteString(FileMagic)
	e.u32(FileVersion)
	e.u32(0)
	e.u64(0) // total length, patched below
	e.str(ArchID)
	e.u32(uint32(len(nets)))
	for i, q := range nets {
		seed := q.Seed
		if i == 0 {
			seed = f.Seed
		}
		e.network(q, seed)
	}
	e.u32(uint32(len(names)))
	for _, n := range names {
		e.str(n)
		e.u64(uint64(len(f.Sections[n])))
		e.b.Write(f.Sections[n])
	}
	out := e.b.Bytes()
	total := len(out) + sumSize
	if total > MaxFileSize {
		return nil, fmt.Errorf("model: Encode: file would be %d bytes, limit %d", total, MaxFileSize)
	}
	binary.LittleEndian.PutUint64(out[16:24], uint64(total))
	sum := sha256.Sum256(out)
	return append(out, sum[:]...), nil
}

// Weight sources of a network block (version 2).
const (
	weightsStored = 0 // the int8 weights follow in each conv layer
	weightsDrawn  = 1 // drawn from the seed (QNet.FromSeed); their SHA-256 follows
)

// network writes one network block: seed, calibration note, the weights' source
// (version 2; with drawn weights their SHA-256), the conv layers and the LRN
// layers (version 1's body up to its sections, but for the source).
func (e *enc) network(q *QNet, seed uint64) {
	e.u64(seed)
	e.str(q.Calib)
	if q.FromSeed {
		e.u32(weightsDrawn)
		sum := q.weightSum()
		e.b.Write(sum[:])
	} else {
		e.u32(weightsStored)
	}
	e.u32(NumConv)
	for li, l := range Arch {
		c := &q.Conv[li]
		e.str(l.Name)
		for _, v := range []int{l.Out, l.In, l.K, l.Stride, l.Pad, l.Groups, l.InSize, l.OutSize} {
			e.u32(uint32(v))
		}
		e.f32(c.InScale)
		e.i32(c.InZP)
		e.f32(c.OutScale)
		e.i32(c.OutZP)
		if q.FromSeed {
			e.u32(0)
		} else {
			e.u32(uint32(len(c.W)))
			for _, v := range c.W {
				e.b.WriteByte(byte(v))
			}
		}
		e.u32(uint32(len(c.WScale)))
		for _, v := range c.WScale {
			e.f32(v)
		}
		for _, v := range c.Bias {
			e.i32(v)
		}
	}
	e.u32(uint32(len(q.Norm)))
	for i := range q.Norm {
		n := &q.Norm[i]
		e.u32(LRNSize)
		e.f64(LRNAlpha)
		e.f64(LRNBeta)
		e.f64(LRNK)
		e.f32(n.InScale)
		e.i32(n.InZP)
		e.f32(n.OutScale)
		e.i32(n.OutZP)
		e.u32(n.Shift)
		e.u32(uint32(len(n.Table)))
		for _, v := range n.Table {
			e.i32(v)
		}
	}
}

// dec reads the body; every read checks the remaining length first, so a corrupt
// length can never cause a large allocation or a panic.
type dec struct {
	b   []byte
	off int
	err error
}

func (d *dec) need(n int, what string) bool {
	if d.err != nil {
		return false
	}
	if n < 0 || n > len(d.b)-d.off {
		d.err = fmt.Errorf("%w: %s at offset %d needs %d bytes, %d left", ErrFormat, what, d.off, n, len(d.b)-d.off)
		return false
	}
	return true
}

func (d *dec) bytes(n int, what string) []byte {
	if !d.need(n, what) {
		return nil
	}
	p := d.b[d.off : d.off+n]
	d.off += n
	return p
}

func (d *dec) u16(what string) uint16 {
	if p := d.bytes(2, what); p != nil {
		return binary.LittleEndian.Uint16(p)
	}
	return 0
}

func (d *dec) u32(what string) uint32 {
	if p := d.bytes(4, what); p != nil {
		return binary.LittleEndian.Uint32(p)
	}
	return 0
}

func (d *dec) u64(what string) uint64 {
	if p := d.bytes(8, what); p != nil {
		return binary.LittleEndian.Uint64(p)
	}
	return 0
}

func (d *dec) i32(what string) int32   { return int32(d.u32(what)) }
func (d *dec) f32(what string) float32 { return math.Float32frombits(d.u32(what)) }
func (d *dec) f64(what string) float64 { return math.Float64frombits(d.u64(what)) }
func (d *dec) str(what string) string  { return string(d.bytes(int(d.u16(what+" length")), what)) }

// count reads a uint32 element count and checks that count*size bytes remain.
func (d *dec) count(size int, what string) int {
	n := d.u32(what + " count")
	if d.err == nil && uint64(n)*uint64(size) > uint64(len(d.b)-d.off) {
		d.err = fmt.Errorf("%w: %s count %d exceeds the %d bytes left", ErrFormat, what, n, len(d.b)-d.off)
		return 0
	}
	return int(n)
}

func (d *dec) fail(format string, a ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: "+format, append([]any{ErrArch}, a...)...)
	}
}

// Decode parses a model file held in memory, version 1 or 2. Errors wrap
// ErrMagic, ErrVersion, ErrTruncated, ErrChecksum, ErrArch or ErrFormat.
func Decode(data []byte) (*File, error) {
	body, version, err := checkEnvelope(data)
	if err != nil {
		return nil, err
	}
	d := &dec{b: body, off: headerSize}
	if a := d.str("architecture id"); d.err == nil && a != ArchID {
		return nil, fmt.Errorf("%w: %q, this program runs %q", ErrArch, a, ArchID)
	}
	f := &File{Sections: map[string][]byte{}}
	nets := d.networkCount(version)
	var sums [][]byte
	for i := 0; i < nets && d.err == nil; i++ {
		q, sum := d.network(version)
		sums = append(sums, sum)
		if i == 0 {
			f.Q, f.Seed = q, q.Seed
		} else {
			f.Population = append(f.Population, q)
		}
	}
	d.sections(f.Sections)
	if d.err == nil && d.off != len(d.b) {
		d.err = fmt.Errorf("%w: %d unexpected bytes after the last section", ErrFormat, len(d.b)-d.off)
	}
	if d.err != nil {
		return nil, d.err
	}
	if err := drawWeights(f.Networks(), sums); err != nil {
		return nil, err
	}
	for i, q := range f.Networks() {
		if err := q.prepare(); err != nil {
			return nil, fmt.Errorf("%w: network %d: %v", ErrFormat, i, err)
		}
	}
	return f, nil
}

// checkEnvelope checks what surrounds the body (magic, version, length, checksum,
// reserved field) and returns the data without its checksum and the version.
func checkEnvelope(data []byte) ([]byte, uint32, error) {
	if len(data) < len(FileMagic) || string(data[:len(FileMagic)]) != FileMagic {
		if len(data) < len(FileMagic) && string(data) == FileMagic[:len(data)] {
			return nil, 0, fmt.Errorf("%w: %d bytes, shorter than the header", ErrTruncated, len(data))
		}
		return nil, 0, ErrMagic
	}
	if len(data) < headerSize+sumSize {
		return nil, 0, fmt.Errorf("%w: %d bytes, shorter than header and checksum (%d)", ErrTruncated, len(data), headerSize+sumSize)
	}
	v := binary.LittleEndian.Uint32(data[8:12])
	if v != 1 && v != FileVersion {
		return nil, 0, fmt.Errorf("%w: version %d, this program reads versions 1 and %d", ErrVersion, v, FileVersion)
	}
	total := binary.LittleEndian.Uint64(data[16:24])
	if total > uint64(len(data)) {
		return nil, 0, fmt.Errorf("%w: %d bytes, header says %d", ErrTruncated, len(data), total)
	}
	if total < uint64(len(data)) {
		return nil, 0, fmt.Errorf("%w: %d bytes, header says %d (trailing data)", ErrFormat, len(data), total)
	}
	body := data[:len(data)-sumSize]
	if sum := sha256.Sum256(body); !bytes.Equal(sum[:], data[len(data)-sumSize:]) {
		return nil, 0, ErrChecksum
	}
	if r := binary.LittleEndian.Uint32(data[12:16]); r != 0 {
		return nil, 0, fmt.Errorf("%w: reserved header field is %d, want 0", ErrFormat, r)
	}
	return body, v, nil
}

// networkCount is 1 for a version 1 file; version 2 stores it (1..MaxNetworks).
func (d *dec) networkCount(version uint32) int {
	if version == 1 {
		return 1
	}
	n := d.u32("network count")
	if d.err == nil && (n < 1 || n > MaxNetworks) {
		d.err = fmt.Errorf("%w: %d networks, want 1..%d", ErrFormat, n, MaxNetworks)
	}
	return int(n)
}

// network reads one network block (see enc.network); for weights drawn from the
// seed it returns their checksum (drawWeights draws them).
func (d *dec) network(version uint32) (*QNet, []byte) {
	q := &QNet{}
	q.Seed = d.u64("seed")
	q.Calib = d.str("calibration note")
	var sum []byte
	if version >= 2 {
		switch src := d.u32("weight source"); {
		case d.err != nil:
		case src == weightsDrawn:
			q.FromSeed = true
			sum = d.bytes(sha256.Size, "weight checksum")
		case src != weightsStored:
			d.err = fmt.Errorf("%w: weight source %d, want %d (stored) or %d (drawn from the seed)", ErrFormat, src, weightsStored, weightsDrawn)
		}
	}
	if n := d.u32("layer count"); d.err == nil && n != NumConv {
		d.fail("%d conv layers, want %d", n, NumConv)
	}
	for li := range Arch {
		if d.err != nil {
			break
		}
		d.conv(li, &q.Conv[li], q.FromSeed)
	}
	if n := d.u32("norm count"); d.err == nil && n != 2 {
		d.fail("%d LRN layers, want 2", n)
	}
	for i := range q.Norm {
		if d.err != nil {
			break
		}
		d.norm(i, &q.Norm[i])
	}
	return q, sum
}

// drawWeights sets the weights of the networks that have them drawn from their
// seed (all at once, one goroutine each: about 60 ms of one x86 core per network)
// and checks them against the file: their checksum sums[i] and every stored scale.
func drawWeights(qs []*QNet, sums [][]byte) error {
	errs := make([]error, len(qs))
	var wg sync.WaitGroup
	for i, q := range qs {
		if !q.FromSeed {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = q.setDrawn(sums[i])
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return fmt.Errorf("%w: network %d: %v", ErrFormat, i, err)
		}
	}
	return nil
}

// setDrawn sets q's weights from its seed and checks them against sum and the
// scales q holds.
func (q *QNet) setDrawn(sum []byte) error {
	w, s := seedWeights(q.Seed)
	for li := range q.Conv {
		q.Conv[li].W = w[li]
		for o, v := range s[li] {
			if v != q.Conv[li].WScale[o] {
				return fmt.Errorf("%s weight scale %d drawn from seed %d is %g, the file says %g", Arch[li].Name, o, q.Seed, v, q.Conv[li].WScale[o])
			}
		}
	}
	if got := q.weightSum(); !bytes.Equal(got[:], sum) {
		return fmt.Errorf("the weights drawn from seed %d do not match the file's checksum", q.Seed)
	}
	return nil
}

// drawnFrom reports whether q's weights and scales are those drawn from seed.
func (q *QNet) drawnFrom(seed uint64) bool {
	w, s := seedWeights(seed)
	for li := range q.Conv {
		if !slices.Equal(w[li], q.Conv[li].W) || !slices.Equal(s[li], q.Conv[li].WScale) {
			return false
		}
	}
	return true
}

// conv reads conv layer li, checking its name and geometry against Arch; with
// drawn weights the layer holds none.
func (d *dec) conv(li int, c *QConv, drawn bool) {
	l := &Arch[li]
	if name := d.str("layer name"); d.err == nil && name != l.Name {
		d.fail("layer %d is %q, want %q", li+1, name, l.Name)
	}
	want := []int{l.Out, l.In, l.K, l.Stride, l.Pad, l.Groups, l.InSize, l.OutSize}
	for i, w := range want {
		if v := d.u32(l.Name + " geometry"); d.err == nil && int(v) != w {
			d.fail("%s geometry field %d is %d, want %d", l.Name, i, v, w)
		}
	}
	c.InScale = d.f32(l.Name + " input scale")
	c.InZP = d.i32(l.Name + " input zero point")
	c.OutScale = d.f32(l.Name + " output scale")
	c.OutZP = d.i32(l.Name + " output zero point")
	nw := d.count(1, l.Name+" weights")
	if want := l.Out * l.KDim(); d.err == nil && drawn && nw != 0 {
		d.err = fmt.Errorf("%w: %s stores %d weights, but they are drawn from the seed", ErrFormat, l.Name, nw)
	} else if d.err == nil && !drawn && nw != want {
		d.fail("%s has %d weights, want %d", l.Name, nw, want)
	}
	if p := d.bytes(nw, l.Name+" weights"); p != nil {
		c.W = make([]int8, nw)
		for i, v := range p {
			c.W[i] = int8(v)
		}
	}
	no := d.count(8, l.Name+" channel")
	if d.err == nil && no != l.Out {
		d.fail("%s has %d output channels, want %d", l.Name, no, l.Out)
	}
	if d.err != nil {
		return
	}
	c.WScale = make([]float32, no)
	c.Bias = make([]int32, no)
	for i := range c.WScale {
		c.WScale[i] = d.f32(l.Name + " weight scale")
	}
	for i := range c.Bias {
		c.Bias[i] = d.i32(l.Name + " bias")
	}
}

// norm reads LRN layer i, checking its parameters against the architecture's.
func (d *dec) norm(i int, n *QLRN) {
	size, alpha, beta, k := d.u32("LRN size"), d.f64("LRN alpha"), d.f64("LRN beta"), d.f64("LRN k")
	if d.err == nil && (size != LRNSize || alpha != LRNAlpha || beta != LRNBeta || k != LRNK) {
		d.fail("norm%d parameters n=%d alpha=%g beta=%g k=%g, want n=%d alpha=%g beta=%g k=%g",
			i+1, size, alpha, beta, k, LRNSize, LRNAlpha, LRNBeta, LRNK)
	}
	n.InScale = d.f32("LRN input scale")
	n.InZP = d.i32("LRN input zero point")
	n.OutScale = d.f32("LRN output scale")
	n.OutZP = d.i32("LRN output zero point")
	n.Shift = d.u32("LRN shift")
	nt := d.count(4, "LRN table")
	if d.err == nil && nt != lrnTableLen {
		d.fail("norm%d table has %d entries, want %d", i+1, nt, lrnTableLen)
	}
	if d.err != nil {
		return
	}
	n.Table = make([]int32, nt)
	for j := range n.Table {
		n.Table[j] = d.i32("LRN table")
	}
}

// sections reads the named sections into into (names unique and not empty).
func (d *dec) sections(into map[string][]byte) {
	ns := d.count(2+8, "section")
	for i := 0; i < ns && d.err == nil; i++ {
		name := d.str("section name")
		size := d.u64("section length")
		if d.err != nil {
			return
		}
		if name == "" {
			d.err = fmt.Errorf("%w: section %d has an empty name", ErrFormat, i)
			return
		}
		if _, dup := into[name]; dup {
			d.err = fmt.Errorf("%w: section %q appears twice", ErrFormat, name)
			return
		}
		if size > uint64(len(d.b)-d.off) {
			d.err = fmt.Errorf("%w: section %q length %d exceeds the %d bytes left", ErrFormat, name, size, len(d.b)-d.off)
			return
		}
		into[name] = bytes.Clone(d.bytes(int(size), "section "+name))
	}
}

// Read decodes a model file from r (at most MaxFileSize bytes).
func Read(r io.Reader) (*File, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrFormat, MaxFileSize)
	}
	return Decode(data)
}

// Load reads and decodes the model file at path. Errors name the file.
func Load(path string) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("model: load: %w", err)
	}
	defer fh.Close()
	f, err := Read(fh)
	if err != nil {
		return nil, fmt.Errorf("model: load %s: %w", path, err)
	}
	return f, nil
}

// FileKind is the model file for model/atomicfile: an existing target is replaced
// only if it is empty or a model file.
var FileKind = atomicfile.Kind{Name: "a numsense model file", Ours: func(head []byte) bool {
	return len(head) >= len(FileMagic) && string(head[:len(FileMagic)]) == FileMagic
}}

// Save encodes f and writes it to path atomically (model/atomicfile: a new
// temporary file in the same directory, fsync, rename; a target that is not a
// regular file, or a file that is not a model file, is refused).
func Save(path string, f *File) error {
	data, err := Encode(f)
	if err != nil {
		return err
	}
	if err := FileKind.WriteFile(path, data); err != nil {
		return fmt.Errorf("model: save: %w", err)
	}
	return nil
}

// Info summarises the file: the network (QNet.Info), the seeds of the other
// networks of a population, and the sections with their sizes.
func (f *File) Info() string {
	s := ""
	if f.Q != nil {
		s = f.Q.Info()
	}
	if len(f.Population) > 0 {
		s += fmt.Sprintf("networks: %d (seeds %d", 1+len(f.Population), f.Seed)
		for _, q := range f.Population {
			s += fmt.Sprintf(", %d", q.Seed)
		}
		s += ")\n"
	}
	names := make([]string, 0, len(f.Sections))
	for n := range f.Sections {
		names = append(names, n)
	}
	sort.Strings(names)
	s += fmt.Sprintf("sections: %d\n", len(names))
	for _, n := range names {
		s += fmt.Sprintf("  %-16s %d bytes\n", n, len(f.Sections[n]))
	}
	return s
}
