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
	"sort"

	"github.com/numsense/numsense/model/atomicfile"
)

// Model file format constants (see docs/model-format.md).
const (
	FileMagic   = "NSMODEL\x1a"
	FileVersion = 1
	// MaxFileSize bounds what Decode reads (the network itself is about 2.4 MB).
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
// number-unit map, "decoder").
type File struct {
	Q        *QNet
	Seed     uint64
	Sections map[string][]byte
}

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

// Encode serialises f. It fails if f.Q is invalid or a section name is empty or
// longer than 255 bytes.
func Encode(f *File) ([]byte, error) {
	if f == nil || f.Q == nil {
		return nil, errors.New("model: Encode: no network")
	}
	if err := f.Q.validate(); err != nil {
		return nil, fmt.Errorf("model: Encode: %w", err)
	}
	if len(f.Q.Calib) > 4096 {
		return nil, errors.New("model: Encode: calibration note longer than 4096 bytes")
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
	e.u64(f.Seed)
	e.str(f.Q.Calib)
	e.u32(NumConv)
	for li, l := range Arch {
		c := &f.Q.Conv[li]
		e.str(l.Name)
		for _, v := range []int{l.Out, l.In, l.K, l.Stride, l.Pad, l.Groups, l.InSize, l.OutSize} {
			e.u32(uint32(v))
		}
		e.f32(c.InScale)
		e.i32(c.InZP)
		e.f32(c.OutScale)
		e.i32(c.OutZP)
		e.u32(uint32(len(c.W)))
		for _, v := range c.W {
			e.b.WriteByte(byte(v))
		}
		e.u32(uint32(len(c.WScale)))
		for _, v := range c.WScale {
			e.f32(v)
		}
		for _, v := range c.Bias {
			e.i32(v)
		}
	}
	e.u32(uint32(len(f.Q.Norm)))
	for i := range f.Q.Norm {
		n := &f.Q.Norm[i]
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

// Decode parses a model file held in memory. Errors wrap ErrMagic, ErrVersion,
// ErrTruncated, ErrChecksum, ErrArch or ErrFormat.
func Decode(data []byte) (*File, error) {
	if len(data) < len(FileMagic) || string(data[:len(FileMagic)]) != FileMagic {
		if len(data) < len(FileMagic) && string(data) == FileMagic[:len(data)] {
			return nil, fmt.Errorf("%w: %d bytes, shorter than the header", ErrTruncated, len(data))
		}
		return nil, ErrMagic
	}
	if len(data) < headerSize+sumSize {
		return nil, fmt.Errorf("%w: %d bytes, shorter than header and checksum (%d)", ErrTruncated, len(data), headerSize+sumSize)
	}
	if v := binary.LittleEndian.Uint32(data[8:12]); v != FileVersion {
		return nil, fmt.Errorf("%w: version %d, this program reads version %d", ErrVersion, v, FileVersion)
	}
	total := binary.LittleEndian.Uint64(data[16:24])
	if total > uint64(len(data)) {
		return nil, fmt.Errorf("%w: %d bytes, header says %d", ErrTruncated, len(data), total)
	}
	if total < uint64(len(data)) {
		return nil, fmt.Errorf("%w: %d bytes, header says %d (trailing data)", ErrFormat, len(data), total)
	}
	body := data[:len(data)-sumSize]
	if sum := sha256.Sum256(body); !bytes.Equal(sum[:], data[len(data)-sumSize:]) {
		return nil, ErrChecksum
	}
	if r := binary.LittleEndian.Uint32(data[12:16]); r != 0 {
		return nil, fmt.Errorf("%w: reserved header field is %d, want 0", ErrFormat, r)
	}
	d := &dec{b: body, off: headerSize}
	if a := d.str("architecture id"); d.err == nil && a != ArchID {
		return nil, fmt.Errorf("%w: %q, this program runs %q", ErrArch, a, ArchID)
	}
	f := &File{Q: &QNet{}, Sections: map[string][]byte{}}
	f.Seed = d.u64("seed")
	f.Q.Seed = f.Seed
	f.Q.Calib = d.str("calibration note")
	if n := d.u32("layer count"); d.err == nil && n != NumConv {
		d.fail("%d conv layers, want %d", n, NumConv)
	}
	for li, l := range Arch {
		if d.err != nil {
			break
		}
		c := &f.Q.Conv[li]
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
		if d.err == nil && nw != l.Out*l.KDim() {
			d.fail("%s has %d weights, want %d", l.Name, nw, l.Out*l.KDim())
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
			break
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
	if n := d.u32("norm count"); d.err == nil && n != 2 {
		d.fail("%d LRN layers, want 2", n)
	}
	for i := range f.Q.Norm {
		if d.err != nil {
			break
		}
		n := &f.Q.Norm[i]
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
			break
		}
		n.Table = make([]int32, nt)
		for j := range n.Table {
			n.Table[j] = d.i32("LRN table")
		}
	}
	ns := d.count(2+8, "section")
	for i := 0; i < ns && d.err == nil; i++ {
		name := d.str("section name")
		size := d.u64("section length")
		if d.err != nil {
			break
		}
		if name == "" {
			d.err = fmt.Errorf("%w: section %d has an empty name", ErrFormat, i)
			break
		}
		if _, dup := f.Sections[name]; dup {
			d.err = fmt.Errorf("%w: section %q appears twice", ErrFormat, name)
			break
		}
		if size > uint64(len(d.b)-d.off) {
			d.err = fmt.Errorf("%w: section %q length %d exceeds the %d bytes left", ErrFormat, name, size, len(d.b)-d.off)
			break
		}
		f.Sections[name] = bytes.Clone(d.bytes(int(size), "section "+name))
	}
	if d.err == nil && d.off != len(d.b) {
		d.err = fmt.Errorf("%w: %d unexpected bytes after the last section", ErrFormat, len(d.b)-d.off)
	}
	if d.err != nil {
		return nil, d.err
	}
	if err := f.Q.prepare(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	return f, nil
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

// Info summarises the file: the network (QNet.Info) and the sections with their sizes.
func (f *File) Info() string {
	s := ""
	if f.Q != nil {
		s = f.Q.Info()
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
