package kernel

import (
	"fmt"
	"unsafe"
)

// The stages around the GEMM: integer LRN across channels, int8 max-pooling 3x3/2
// and im2col from a zero-point-padded input. Like Gemm, each is one function
// (LRN, MaxPool, Im2col) with a plain reference (stages_ref.go), a portable version
// (stages_go.go) and, where the CPU has them, SIMD versions, all bit-exact with the
// reference. StageImpls lists them, UseStages picks one; the three functions always
// switch together.

// StageImpl is one implementation of the stages: a name and the three functions,
// each with the signature and contract of the exported function of the same name.
type StageImpl struct {
	// Name identifies the implementation: "ref", "go", "neon" (arm64), "avx512"
	// (amd64 with AVX-512 F, BW and VBMI).
	Name    string
	LRN     func(x, y []int8, c, plane, c0, c1 int, tab []int32, shift uint32, scratch []uint32)
	MaxPool func(x []int8, size, c0, c1 int, y []int8, pad int)
	Im2col  func(xp []int8, g Im2colGeom, j0, j1 int, col []int8, kp int)
}

// stageImpls lists the implementations usable on this CPU, slowest first; archStages
// adds the SIMD one where the CPU supports it.
var stageImpls = append([]StageImpl{
	{"ref", lrnRef, maxPoolRef, im2colRef},
	{"go", lrnGo, maxPoolGo, im2colGo},
}, archStages()...)

var stageCur = stageImpls[len(stageImpls)-1]

// StageImpls returns the stage implementations that run on this CPU, slowest first.
// The last one is what LRN, MaxPool and Im2col use unless UseStages chose another.
func StageImpls() []StageImpl {
	return append([]StageImpl(nil), stageImpls...)
}

// UseStages makes LRN, MaxPool and Im2col dispatch to the implementation with the
// given name. Like Use, it is meant for tests, benchmarks and diagnostics and must
// not run concurrently with the stages.
func UseStages(name string) error {
	for _, im := range stageImpls {
		if im.Name == name {
			stageCur = im
			return nil
		}
	}
	names := make([]string, len(stageImpls))
	for i, im := range stageImpls {
		names[i] = im.Name
	}
	return fmt.Errorf("kernel: no stage implementation %q on this CPU (have %v)", name, names)
}

// StageName reports which implementation the stages dispatch to.
func StageName() string { return stageCur.Name }

// LRN geometry: the table index of a window sum S is exact below 1024, then 512
// buckets per power of two.
const (
	lrnMantBits = 9
	// LRNTabLen is the length of the table LRN takes (a power of two, so that the
	// portable version masks the index instead of checking it); only the entries
	// up to LRNIndex(5*255*255) = 5243 are ever read.
	LRNTabLen = 8192
	// LRNScratchLen is the number of uint32 of scratch LRN needs.
	LRNScratchLen = 3 * lrnChunk
	// lrnChunk is how many pixels of each channel LRN keeps window sums for at a
	// time (a multiple of 64).
	lrnChunk = 1024
	lrnMaxS  = 5 * 255 * 255
)

// LRNIndex maps a window sum S (at most 5*255^2) to its table index: with
// E = max(bitlen(S) - 10, 0), the index is E<<9 + S>>E, which is S below 1024 and
// above it the power of two's offset plus the 9 bits after the leading one.
func LRNIndex(s uint32) uint32 {
	e := uint32(0)
	for s>>e >= 1<<(lrnMantBits+1) {
		e++
	}
	return e<<lrnMantBits + s>>e
}

// LRN computes output channels [c0, c1) of the integer local response
// normalisation across channels (window 5) of x, c channels of plane values (CHW,
// ReLU-range codes with zero point -128), into the same places of y. With
// u(ch, i) = x[ch*plane+i] + 128 (and 0 for channels outside 0..c-1) and
// S = u(ch-2, i)^2 + ... + u(ch+2, i)^2,
//
//	y[ch*plane+i] = min(127, (u(ch,i)*tab[LRNIndex(S)] + 2^(shift-1) - 128*2^shift) >> shift)
//
// in int32 (>> arithmetic). tab has LRNTabLen entries, each in
// [0, (2^31 - 1 - 2^(shift-1)) / 255] (so the product, rounding term and result fit
// int32 and the result is at least -128); 1 <= shift <= 24. scratch holds at least
// LRNScratchLen values. Calls on disjoint channel ranges of one y may run
// concurrently (each with its own scratch).
func LRN(x, y []int8, c, plane, c0, c1 int, tab []int32, shift uint32, scratch []uint32) {
	stageCur.LRN(x, y, c, plane, c0, c1, tab, shift, scratch)
}

// checkLRN panics unless LRN's arguments are consistent (a programming error).
func checkLRN(x, y []int8, c, plane, c0, c1 int, tab []int32, shift uint32, scratch []uint32) {
	if c0 < 0 || c0 > c1 || c1 > c || plane < 0 || len(x) < c*plane || len(y) < c*plane ||
		len(tab) != LRNTabLen || shift < 1 || shift > 24 || len(scratch) < LRNScratchLen {
		panic(fmt.Sprintf("kernel: LRN of channels [%d, %d) of %d x %d with %d, %d bytes, table %d, shift %d, scratch %d",
			c0, c1, c, plane, len(x), len(y), len(tab), shift, len(scratch)))
	}
}

// lrnBias is the rounding term of LRN with the output zero point folded in:
// (X + 2^(shift-1))>>shift - 128 = (X + 2^(shift-1) - 128<<shift)>>shift, and with
// X + 2^(shift-1) in [0, 2^31) the sum stays in int32.
func lrnBias(shift uint32) int32 { return int32(1)<<(shift-1) - int32(128)<<shift }

// PoolOut is the output size of MaxPool on size x size planes: (size-3)/2 + 1.
func PoolOut(size int) int { return (size-3)/2 + 1 }

// MaxPool is max pooling 3x3 with stride 2 (no padding) on channels [c0, c1) of x
// (planes of size x size int8 values): output channel ch, row oy, column ox is the
// max of x[ch][2oy..2oy+2][2ox..2ox+2]. y holds planes of (o+2*pad) squared,
// o = PoolOut(size), and the output is written into their interior:
// y[(ch*(o+2*pad) + pad+oy)*(o+2*pad) + pad+ox]; the border is not touched (pad 0:
// y is the plain o x o output). Calls on disjoint channel ranges may run
// concurrently.
func MaxPool(x []int8, size, c0, c1 int, y []int8, pad int) {
	stageCur.MaxPool(x, size, c0, c1, y, pad)
}

func checkMaxPool(x []int8, size, c0, c1 int, y []int8, pad int) {
	o := PoolOut(size)
	yp := o + 2*pad
	if size < 3 || c0 < 0 || c0 > c1 || pad < 0 || len(x) < c1*size*size || len(y) < c1*yp*yp {
		panic(fmt.Sprintf("kernel: MaxPool of channels [%d, %d), size %d, pad %d, with %d and %d bytes", c0, c1, size, pad, len(x), len(y)))
	}
}

// Im2colGeom is the geometry of one group of a convolution as Im2col sees it.
type Im2colGeom struct {
	K        int // kernel height = width
	Stride   int
	Channels int // input channels of the group
	InSize   int // side of the padded input planes
	OutSize  int // side of the output: (InSize-K)/Stride + 1
}

// KDim is the length of one patch: K*K*Channels.
func (g Im2colGeom) KDim() int { return g.K * g.K * g.Channels }

// Im2colSlack is how many bytes past the last input plane Im2col's input must hold
// (SIMD versions load whole vectors; the values read there are never used).
const Im2colSlack = 64

// Im2col writes, for output pixels [j0, j1) of a convolution with geometry g (pixel
// j at output row j/OutSize, column j%OutSize), the patch of pixel j into
// col[(j-j0)*kp : (j-j0)*kp + g.KDim()], in the order channel, ky, kx:
//
//	col[(j-j0)*kp + (c*K + ky)*K + kx] = xp[(c*InSize + y*Stride+ky)*InSize + x*Stride+kx]
//
// xp holds the Channels padded input planes (InSize x InSize, already bordered with
// the input zero point) and Im2colSlack bytes after them. Bytes of col between
// g.KDim() and kp in each row, and rows outside the share, are not written, so
// calls on disjoint pixel ranges of one col may run concurrently.
func Im2col(xp []int8, g Im2colGeom, j0, j1 int, col []int8, kp int) {
	stageCur.Im2col(xp, g, j0, j1, col, kp)
}

func checkIm2col(xp []int8, g Im2colGeom, j0, j1 int, col []int8, kp int) {
	if g.K < 1 || g.Stride < 1 || g.Channels < 1 || g.InSize < g.K || g.OutSize != (g.InSize-g.K)/g.Stride+1 ||
		j0 < 0 || j0 > j1 || j1 > g.OutSize*g.OutSize || kp < g.KDim() ||
		len(xp) < g.Channels*g.InSize*g.InSize+Im2colSlack || len(col) < (j1-j0)*kp {
		panic(fmt.Sprintf("kernel: Im2col %+v of pixels [%d, %d), kp %d, with %d and %d bytes", g, j0, j1, kp, len(xp), len(col)))
	}
}

// CopyRows copies rows rows of width bytes from src, rows srcPitch bytes apart, to
// dst, rows dstPitch apart (the engine copies conv outputs into the interior of the
// next conv's padded input with it). Rows of 8 to 16 bytes are copied as two
// overlapping 8-byte words.
func CopyRows(dst []int8, dstPitch int, src []int8, srcPitch, width, rows int) {
	if rows <= 0 || width <= 0 {
		return
	}
	if width > dstPitch || width > srcPitch || len(dst) < (rows-1)*dstPitch+width || len(src) < (rows-1)*srcPitch+width {
		panic(fmt.Sprintf("kernel: CopyRows of %d rows of %d bytes, pitches %d and %d, with %d and %d bytes", rows, width, dstPitch, srcPitch, len(dst), len(src)))
	}
	if width < 8 || width > 16 {
		for r := 0; r < rows; r++ {
			copy(dst[r*dstPitch:r*dstPitch+width], src[r*srcPitch:r*srcPitch+width])
		}
		return
	}
	rows8to16(unsafe.Pointer(unsafe.SliceData(dst)), unsafe.Pointer(unsafe.SliceData(src)), width, rows, dstPitch, srcPitch)
}
