package model

import (
	"image"
	"math"
	"testing"
	"time"

	"github.com/numsense/numsense/model/kernel"
	"github.com/numsense/numsense/model/rng"
)

// refConvInt is the TFLite reference convolution for output channel o: padded taps
// skipped, acc = bias + sum w*(x - zp_x), then requantised with fused ReLU.
func refConvInt(c *QConv, l Layer, x []int8, o int) []int8 {
	out := make([]int8, l.Pixels())
	og, cg := l.OutPerGroup(), l.InPerGroup()
	g := o / og
	kd := l.KDim()
	for oy := 0; oy < l.OutSize; oy++ {
		for ox := 0; ox < l.OutSize; ox++ {
			acc := c.Bias[o]
			for ci := 0; ci < cg; ci++ {
				for ky := 0; ky < l.K; ky++ {
					for kx := 0; kx < l.K; kx++ {
						iy, ix := oy*l.Stride+ky-l.Pad, ox*l.Stride+kx-l.Pad
						if iy < 0 || ix < 0 || iy >= l.InSize || ix >= l.InSize {
							continue
						}
						xv := int32(x[((g*cg+ci)*l.InSize+iy)*l.InSize+ix]) - c.InZP
						acc += int32(c.W[o*kd+(ci*l.K+ky)*l.K+kx]) * xv
					}
				}
			}
			qm, sh := kernel.QuantizeMultiplier(float64(float64(c.InScale)*float64(c.WScale[o])) / float64(c.OutScale))
			v := kernel.MultiplyByQuantizedMultiplier(acc, qm, sh) + c.OutZP
			out[oy*l.OutSize+ox] = int8(max(-128, min(127, v)))
		}
	}
	return out
}

// interior returns the input of layer l (CHW, planes of l.InSize squared) from xp,
// its padded copy in the engine.
func interior(xp []int8, l *Layer) []int8 {
	ps := l.InSize + 2*l.Pad
	x := make([]int8, 0, l.In*l.InSize*l.InSize)
	for c := 0; c < l.In; c++ {
		for y := 0; y < l.InSize; y++ {
			o := (c*ps+y+l.Pad)*ps + l.Pad
			x = append(x, xp[o:o+l.InSize]...)
		}
	}
	return x
}

// Every conv layer of the engine equals the plain integer reference on the
// engine's own input to that layer, and max-pool equals a plain max.
func TestEngineMatchesIntReference(t *testing.T) {
	q := testQNet(t)
	e := NewEngine(q, 3)
	defer e.Close()
	if err := e.Run(localDots(11, 9)); err != nil {
		t.Fatal(err)
	}
	pool1, pool2 := interior(e.xpad[Conv2], &Arch[Conv2]), interior(e.xpad[Conv3], &Arch[Conv3])
	ins := [NumConv][]int8{e.input, pool1, pool2, e.relu3, e.relu4}
	outs := [NumConv][]int8{e.relu1, e.relu2, e.relu3, e.relu4, e.relu5}
	step := 1
	if testing.Short() {
		step = 47 // a spread of channels, both groups
	}
	for li, l := range Arch {
		for o := 0; o < l.Out; o += step {
			want := refConvInt(&q.Conv[li], l, ins[li], o)
			got := outs[li][o*l.Pixels() : (o+1)*l.Pixels()]
			for j := range want {
				if got[j] != want[j] {
					t.Fatalf("%s channel %d pixel %d: engine %d, reference %d", l.Name, o, j, got[j], want[j])
				}
			}
		}
	}
	for _, p := range []struct {
		x, y  []int8
		c, sz int
	}{{e.norm1, pool1, 96, 55}, {e.norm2, pool2, 256, 27}} {
		o := poolOut(p.sz)
		for ch := 0; ch < p.c; ch++ {
			for oy := 0; oy < o; oy++ {
				for ox := 0; ox < o; ox++ {
					m := int8(-128)
					for dy := 0; dy < 3; dy++ {
						for dx := 0; dx < 3; dx++ {
							m = max(m, p.x[(ch*p.sz+2*oy+dy)*p.sz+2*ox+dx])
						}
					}
					if p.y[(ch*o+oy)*o+ox] != m {
						t.Fatalf("pool: channel %d (%d,%d)", ch, oy, ox)
					}
				}
			}
		}
	}
}

// The integer LRN against float LRN on the dequantised input, requantised: at most
// one code apart everywhere, and mostly equal.
func TestLRNInt8(t *testing.T) {
	r := rng.New(3)
	for _, sc := range [][2]float32{{2.0, 0.55}, {1.3, 0.54}, {0.05, 0.04}, {10, 0.8}} {
		l := NewQLRN(sc[0], sc[1])
		c, plane := 96, 200
		x := make([]int8, c*plane)
		for i := range x {
			switch r.IntN(3) {
			case 0:
				x[i] = -128 // ReLU zeros are common
			default:
				x[i] = int8(r.IntRange(-128, 127))
			}
		}
		y := make([]int8, len(x))
		l.lrnInt8(x, y, c, plane, 0, plane, make([]int32, plane))
		xf := make([]float32, len(x))
		for i, v := range x {
			xf[i] = sc[0] * float32(int32(v)+128)
		}
		yf := make([]float32, len(x))
		lrnFloat(xf, c, plane, yf)
		diff := 0
		for i := range y {
			want := int32(math.Round(float64(yf[i])/float64(sc[1]))) - 128
			want = max(-128, min(127, want))
			d := int32(y[i]) - want
			if d < -1 || d > 1 {
				t.Fatalf("scales %v: element %d: int LRN %d, float %d (x=%d)", sc, i, y[i], want, x[i])
			}
			if d != 0 {
				diff++
			}
		}
		t.Logf("scales %v: %d of %d codes differ by 1 (shift %d)", sc, diff, len(y), l.Shift)
		if float64(diff) > 0.02*float64(len(y)) {
			t.Errorf("scales %v: %d of %d codes off by one", sc, diff, len(y))
		}
	}
}

// lrnFloat is the cross-channel LRN of the float reference (model/floatnet), written
// out here: y_c = x_c / LRNDenom(sum of x^2 over channels c-2..c+2).
func lrnFloat(x []float32, c, plane int, y []float32) {
	for i := 0; i < plane; i++ {
		for ch := 0; ch < c; ch++ {
			s := 0.0
			for cc := max(0, ch-LRNSize/2); cc <= min(c-1, ch+LRNSize/2); cc++ {
				v := float64(x[cc*plane+i])
				s += float64(v * v)
			}
			y[ch*plane+i] = float32(float64(x[ch*plane+i]) / LRNDenom(s))
		}
	}
}

// TestEngineThreadsAgree checks that every worker count gives the 1-thread
// outputs: the splits of plan (pixels; channels for conv3; groups, then pixels, for
// conv2, conv4 and conv5 with an even count) and the stages that start without a
// barrier with two workers (joins). Two images run back to back, so a worker still
// on one frame would show in the other.
func TestEngineThreadsAgree(t *testing.T) {
	q := testQNet(t)
	img, other := localDots(12, 20), localDots(14, 6)
	var ref4, ref5 []int8
	threads := []int{1, 2, 3, 4, 6}
	if testing.Short() {
		threads = []int{1, 2, 4}
	}
	for _, th := range threads {
		e := NewEngine(q, th)
		for _, im := range []*image.Gray{other, img} {
			if err := e.Run(im); err != nil {
				t.Fatal(err)
			}
		}
		if ref5 == nil {
			ref4, ref5 = append([]int8(nil), e.Relu4()...), append([]int8(nil), e.Relu5()...)
		} else {
			for i, v := range e.Relu5() {
				if v != ref5[i] {
					t.Fatalf("threads=%d: relu5 unit %d is %d, 1 thread gives %d", th, i, v, ref5[i])
				}
			}
			for i, v := range e.Relu4() {
				if v != ref4[i] {
					t.Fatalf("threads=%d: relu4 unit %d is %d, 1 thread gives %d", th, i, v, ref4[i])
				}
			}
		}
		e.Close()
	}
}

// TestPlan checks that the shares of every conv layer cover each (output channel,
// pixel) exactly once for every worker count, and that where joins lets a stage
// start without a barrier, each worker reads only channels it wrote itself.
func TestPlan(t *testing.T) {
	for nw := 1; nw <= 8; nw++ {
		for li := range Arch {
			l := &Arch[li]
			seen := make([]int, l.Out*l.Pixels())
			for _, sh := range plan(li, nw) {
				for o := sh.o0; o < sh.o1; o++ {
					for j := sh.j0; j < sh.j1; j++ {
						seen[o*l.Pixels()+j]++
					}
				}
			}
			for i, n := range seen {
				if n != 1 {
					t.Fatalf("%d workers, %s: output %d pixel %d computed %d times", nw, l.Name, i/l.Pixels(), i%l.Pixels(), n)
				}
			}
		}
		j := joins(nw)
		for w := 0; w < nw; w++ {
			// conv2 (group g reads input channels [48g, 48g+48)) after LRN1 and
			// pool1 by channels.
			if !j[stConv2] {
				c0, c1 := part(Arch[Conv1].Out, w, nw)
				sh := plan(Conv2, nw)[w]
				g := sh.o0 / Arch[Conv2].OutPerGroup()
				if in := Arch[Conv2].InPerGroup(); c0 != g*in || c1 != (g+1)*in {
					t.Errorf("%d workers: worker %d pools channels [%d, %d) but conv2 reads [%d, %d)", nw, w, c0, c1, g*in, (g+1)*in)
				}
			}
			for _, li := range []int{Conv4, Conv5} {
				if j[stConv3+li-Conv3] {
					continue
				}
				prev, sh := plan(li-1, nw)[w], plan(li, nw)[w]
				g := sh.o0 / Arch[li].OutPerGroup()
				in := Arch[li].InPerGroup()
				if prev.o0 != g*in || prev.o1 != (g+1)*in || prev.j0 != 0 || prev.j1 != Arch[li-1].Pixels() || sh.o1-sh.o0 != Arch[li].OutPerGroup() {
					t.Errorf("%d workers: worker %d wrote %s %+v but %s reads group %d", nw, w, Arch[li-1].Name, prev, Arch[li].Name, g)
				}
			}
		}
	}
}

func TestEngineZeroAllocs(t *testing.T) {
	q := testQNet(t)
	img := localDots(13, 5)
	dst := make([]float32, Relu5Units)
	threads, runs := []int{1, 3}, 3
	if testing.Short() {
		threads, runs = []int{3}, 1
	}
	for _, th := range threads {
		e := NewEngine(q, th)
		// Warm up as a run loop does between frames: the workers poll for spinTime,
		// then sleep on a channel. The Go runtime allocates the record of a blocked
		// goroutine (a sudog) the first time a processor's cache of them is empty,
		// and keeps it for reuse; so let every worker sleep and wake a few times
		// before counting (on a loaded machine the first sleep can fall into the
		// counted frame otherwise).
		for i := 0; i < 3; i++ {
			if err := e.Run(img); err != nil {
				t.Fatal(err)
			}
			time.Sleep(2 * spinTime)
		}
		a := testing.AllocsPerRun(runs, func() { // AllocsPerRun warms up with one call

			if err := e.Run(img); err != nil {
				t.Fatal(err)
			}
			e.Relu5Float(dst)
		})
		e.Close()
		if a != 0 {
			t.Errorf("threads=%d: %v allocations per frame, want 0", th, a)
		}
	}
}

func TestEngineBadInput(t *testing.T) {
	q := testQNet(t)
	e := NewEngine(q, 2)
	if err := e.Run(image.NewGray(image.Rect(0, 0, 200, 227))); err == nil {
		t.Error("200x227 image accepted")
	}
	if err := e.Run(nil); err == nil {
		t.Error("nil image accepted")
	}
	// A sub-image with a non-zero origin is read through its own bounds.
	big := image.NewGray(image.Rect(0, 0, 300, 300))
	src := localDots(14, 6)
	for y := 0; y < InputSize; y++ {
		copy(big.Pix[(y+10)*300+20:], src.Pix[y*InputSize:(y+1)*InputSize])
	}
	sub := big.SubImage(image.Rect(20, 10, 20+InputSize, 10+InputSize)).(*image.Gray)
	if err := e.Run(sub); err != nil {
		t.Fatal(err)
	}
	a := append([]int8(nil), e.Relu5()...)
	e.Run(src)
	for i := range a {
		if a[i] != e.Relu5()[i] {
			t.Fatal("sub-image gives a different result")
		}
	}
	e.Close()
	e.Close() // idempotent
	if err := e.Run(src); err == nil {
		t.Error("Run after Close succeeded")
	}
}

// Relu5Float dequantises relu5 exactly as scale * (q - zp).
func TestRelu5Float(t *testing.T) {
	q := testQNet(t)
	e := NewEngine(q, 1)
	defer e.Close()
	if err := e.Run(localDots(15, 3)); err != nil {
		t.Fatal(err)
	}
	f := make([]float32, Relu5Units)
	e.Relu5Float(f)
	nonzero := 0
	for i, v := range e.Relu5() {
		if want := e.Relu5Scale() * float32(int32(v)-e.Relu5ZeroPoint()); f[i] != want {
			t.Fatalf("unit %d: %g, want %g", i, f[i], want)
		}
		if f[i] != 0 {
			nonzero++
		}
	}
	if nonzero == 0 {
		t.Fatal("relu5 is all zero: the test image did not reach the output")
	}
}

func TestLRNIndex(t *testing.T) {
	prev := -1
	for s := uint32(0); s <= lrnMaxS; s++ {
		i := lrnIndex(s)
		if i != prev && i != prev+1 {
			t.Fatalf("index jumps from %d to %d at S=%d", prev, i, s)
		}
		if c := lrnBucket(i); math.Abs(c-float64(s)) > float64(s)/1024+0.5 {
			t.Fatalf("S=%d in bucket %d centred at %g", s, i, c)
		}
		prev = i
	}
	if prev+1 != lrnTableLen {
		t.Fatalf("table length %d, last index %d", lrnTableLen, prev)
	}
}
