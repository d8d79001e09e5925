package kernel

import (
	"sync"
	"testing"

	"github.com/numsense/numsense/model/rng"
)

// lrnTable returns a random LRN table for shift sh within LRN's contract, with
// the largest allowed entry at a few places.
func lrnTable(r *rng.Rand, sh uint32) []int32 {
	hi := (int64(1)<<31 - 1 - int64(1)<<(sh-1)) / 255
	t := make([]int32, LRNTabLen)
	for i := range t {
		switch r.IntN(8) {
		case 0:
			t[i] = int32(hi)
		case 1:
			t[i] = 0
		default:
			t[i] = int32(r.Uint64() % uint64(hi+1))
		}
	}
	return t
}

// codes fills x with int8 codes: ReLU zeros (-128), the extremes, or anything.
func codes(r *rng.Rand, x []int8) {
	mode := r.IntN(4)
	for i := range x {
		switch {
		case mode == 0: // all at the top: the largest window sums
			x[i] = 127
		case r.IntN(3) == 0:
			x[i] = -128
		case r.IntN(8) == 0:
			x[i] = 127
		default:
			x[i] = int8(r.IntRange(-128, 127))
		}
	}
}

func TestLRNIndex(t *testing.T) {
	for s := uint32(0); s <= lrnMaxS; s++ {
		if got, want := lrnIndexFast(s), LRNIndex(s); got != want {
			t.Fatalf("lrnIndexFast(%d) = %d, LRNIndex = %d", s, got, want)
		}
	}
	if n := LRNIndex(lrnMaxS); n >= LRNTabLen {
		t.Fatalf("LRNIndex(max S) = %d, table length %d", n, LRNTabLen)
	}
}

func TestLRNBitExact(t *testing.T) {
	r := rng.New(21)
	planes := []int{1, 7, 16, 17, 33, 64, 100, 169, 729, 1025, 3025}
	trials := 40
	if testing.Short() {
		planes = []int{1, 7, 16, 17, 33, 64, 100, 169, 1025}
		trials = 12
	}
	scratch := make([]uint32, LRNScratchLen)
	for trial := 0; trial < trials; trial++ {
		plane := planes[trial%len(planes)]
		c := r.IntRange(1, 9)
		c0 := r.IntN(c)
		c1 := r.IntRange(c0, c)
		if trial%3 == 0 {
			c0, c1 = 0, c
		}
		sh := uint32(r.IntRange(1, 24))
		if trial%4 == 0 {
			sh = 24
		}
		tab := lrnTable(r, sh)
		x := make([]int8, c*plane)
		codes(r, x)
		want := make([]int8, len(x))
		for i := range want {
			want[i] = 55 // outside [c0, c1): untouched
		}
		lrnRef(x, want, c, plane, c0, c1, tab, sh, scratch)
		for _, im := range StageImpls() {
			got := make([]int8, len(x))
			for i := range got {
				got[i] = 55
			}
			for i := range scratch {
				scratch[i] = uint32(r.Uint64())
			}
			im.LRN(x, got, c, plane, c0, c1, tab, sh, scratch)
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("%s: c=%d plane=%d channels [%d,%d) shift %d: y[%d][%d] = %d, want %d (x %d)",
						im.Name, c, plane, c0, c1, sh, i/plane, i%plane, got[i], want[i], x[i])
				}
			}
		}
	}
}

func TestMaxPoolBitExact(t *testing.T) {
	r := rng.New(22)
	sizes := []int{3, 4, 5, 7, 13, 19, 20, 27, 31, 33, 35, 37, 55, 67, 70}
	for trial, size := range append(sizes, sizes...) {
		c := r.IntRange(1, 5)
		c0 := r.IntN(c)
		c1 := r.IntRange(c0, c)
		pad := trial % 3
		x := make([]int8, c*size*size)
		codes(r, x)
		o := PoolOut(size)
		yp := o + 2*pad
		want := make([]int8, c*yp*yp)
		for i := range want {
			want[i] = 99
		}
		maxPoolRef(x, size, c0, c1, want, pad)
		for _, im := range StageImpls() {
			got := make([]int8, len(want))
			for i := range got {
				got[i] = 99
			}
			im.MaxPool(x, size, c0, c1, got, pad)
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("%s: size %d pad %d channels [%d,%d): y[%d] = %d, want %d", im.Name, size, pad, c0, c1, i, got[i], want[i])
				}
			}
		}
	}
}

// im2colGeoms are the AlexNet groups (conv1; conv2; conv3; conv4 and conv5) and
// other shapes with every kernel size and stride up to the largest.
var im2colGeoms = []Im2colGeom{
	{11, 4, 1, 227, 55},
	{5, 1, 48, 31, 27},
	{3, 1, 256, 15, 13},
	{3, 1, 192, 15, 13},
	{3, 1, 2, 20, 18},
	{3, 1, 5, 35, 33},
	{3, 2, 3, 17, 8},
	{5, 1, 3, 8, 4},
	{5, 1, 2, 40, 36},
	{5, 2, 2, 21, 9},
	{1, 1, 4, 9, 9},
	{2, 1, 3, 9, 8},
	{7, 3, 2, 30, 8},
	{11, 4, 2, 31, 6},
	{11, 4, 1, 15, 2},
	{3, 1, 4, 10, 8},
	{3, 1, 3, 19, 17},
	{3, 1, 2, 9, 7},
	{5, 1, 2, 13, 9},
	{8, 2, 2, 20, 7},
	{16, 1, 2, 20, 5},
	{9, 1, 1, 12, 4},
	{3, 1, 1, 15, 13},
	{3, 1, 2, 15, 13},
}

func TestIm2colBitExact(t *testing.T) {
	r := rng.New(23)
	for gi, g := range im2colGeoms {
		if testing.Short() && g.Channels > 100 {
			g.Channels = 7 // the pixel loop is the same; fewer channels under emulation
		}
		kd := g.KDim()
		kp := PadK(kd) + 16*(gi%2)
		plane := g.InSize * g.InSize
		xp := make([]int8, g.Channels*plane+Im2colSlack)
		codes(r, xp)
		p := g.OutSize * g.OutSize
		for _, sh := range [][2]int{{0, p}, {0, 1}, {p / 3, 2*p/3 + 1}, {p - 1, p}, {p, p}, {r.IntN(p), p}} {
			j0, j1 := sh[0], sh[1]
			want := make([]int8, (j1-j0+1)*kp)
			for i := range want {
				want[i] = 99
			}
			im2colRef(xp, g, j0, j1, want, kp)
			for _, im := range StageImpls() {
				got := make([]int8, len(want))
				for i := range got {
					got[i] = 99
				}
				im.Im2col(xp, g, j0, j1, got, kp)
				for i := range got {
					if got[i] != want[i] {
						t.Fatalf("%s: %+v kp %d pixels [%d,%d): col[%d][%d] = %d, want %d", im.Name, g, kp, j0, j1, i/kp, i%kp, got[i], want[i])
					}
				}
			}
		}
	}
}

// TestIm2colBounds checks that Im2col refuses buffers too small for its share.
func TestIm2colBounds(t *testing.T) {
	g := im2colGeoms[1]
	kp := PadK(g.KDim())
	for _, im := range StageImpls() {
		for _, c := range []struct {
			name    string
			xp, col int
			j0, j1  int
		}{
			{"no slack", g.Channels * g.InSize * g.InSize, 729 * kp, 0, 729},
			{"short col", g.Channels*g.InSize*g.InSize + Im2colSlack, 728 * kp, 0, 729},
			{"pixels past the output", g.Channels*g.InSize*g.InSize + Im2colSlack, 731 * kp, 0, 730},
		} {
			func() {
				defer func() {
					if recover() == nil {
						t.Errorf("%s: Im2col with %s did not panic", im.Name, c.name)
					}
				}()
				im.Im2col(make([]int8, c.xp), g, c.j0, c.j1, make([]int8, c.col), kp)
			}()
		}
	}
}

// TestStagesConcurrent runs each implementation on disjoint shares from several
// goroutines, as the engine's workers do, against one reference run.
func TestStagesConcurrent(t *testing.T) {
	r := rng.New(24)
	c, plane := 11, 300
	sh := uint32(20)
	tab := lrnTable(r, sh)
	x := make([]int8, c*plane)
	codes(r, x)
	want := make([]int8, len(x))
	lrnRef(x, want, c, plane, 0, c, tab, sh, make([]uint32, LRNScratchLen))
	g := im2colGeoms[5]
	kp := PadK(g.KDim())
	xp := make([]int8, g.Channels*g.InSize*g.InSize+Im2colSlack)
	codes(r, xp)
	p := g.OutSize * g.OutSize
	wantCol := make([]int8, p*kp)
	im2colRef(xp, g, 0, p, wantCol, kp)
	for _, im := range StageImpls() {
		got := make([]int8, len(x))
		gotCol := make([]int8, p*kp)
		var wg sync.WaitGroup
		for w := 0; w < 3; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				im.LRN(x, got, c, plane, w*c/3, (w+1)*c/3, tab, sh, make([]uint32, LRNScratchLen))
				im.Im2col(xp, g, w*p/3, (w+1)*p/3, gotCol[w*p/3*kp:], kp)
			}()
		}
		wg.Wait()
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%s: LRN y[%d] = %d, want %d", im.Name, i, got[i], want[i])
			}
		}
		for i := range gotCol {
			if gotCol[i] != wantCol[i] {
				t.Fatalf("%s: Im2col col[%d] = %d, want %d", im.Name, i, gotCol[i], wantCol[i])
			}
		}
	}
}

func TestUseStages(t *testing.T) {
	defer UseStages(StageImpls()[len(StageImpls())-1].Name)
	var names []string
	for _, im := range StageImpls() {
		if err := UseStages(im.Name); err != nil {
			t.Fatal(err)
		}
		if StageName() != im.Name {
			t.Fatalf("StageName() = %q after UseStages(%q)", StageName(), im.Name)
		}
		x := []int8{-128, -128, 127, 0, -1, 3, 4, 5, 6}
		y := make([]int8, 1)
		MaxPool(x, 3, 0, 1, y, 0)
		if y[0] != 127 {
			t.Fatalf("%s: MaxPool = %d, want 127", im.Name, y[0])
		}
		names = append(names, im.Name)
	}
	if err := UseStages("no-such-stages"); err == nil {
		t.Fatal("UseStages accepted an unknown name")
	}
	t.Logf("stage implementations: %v", names)
}

func TestCopyRows(t *testing.T) {
	r := rng.New(25)
	for _, width := range []int{1, 5, 7, 8, 9, 13, 16, 17, 40} {
		for _, rows := range []int{0, 1, 2, 13} {
			sp, dp := width+r.IntN(4), width+r.IntN(5)
			src := make([]int8, max(0, (rows-1)*sp+width))
			codes(r, src)
			dst := make([]int8, max(0, (rows-1)*dp+width)+3)
			want := make([]int8, len(dst))
			for i := range dst {
				dst[i], want[i] = 77, 77
			}
			for y := 0; y < rows; y++ {
				copy(want[y*dp:y*dp+width], src[y*sp:y*sp+width])
			}
			CopyRows(dst, dp, src, sp, width, rows)
			for i := range dst {
				if dst[i] != want[i] {
					t.Fatalf("width %d rows %d pitches %d, %d: dst[%d] = %d, want %d", width, rows, dp, sp, i, dst[i], want[i])
				}
			}
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("CopyRows past the end of dst did not panic")
		}
	}()
	CopyRows(make([]int8, 20), 10, make([]int8, 30), 10, 9, 3)
}
