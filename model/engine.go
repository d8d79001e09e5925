package model

import (
	"encoding/binary"
	"fmt"
	"image"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/numsense/numsense/model/kernel"
)

// Engine runs the int8 network on one frame at a time. Every buffer is allocated by
// NewEngine, and a persistent pool of worker goroutines (started once) splits each
// layer by output pixels, so Run allocates nothing.
//
// An Engine is not safe for concurrent use: one goroutine calls Run and reads the
// outputs. Several Engines may share one QNet.
type Engine struct {
	q  *QNet
	nw int

	input               []int8            // 227x227, q = p - 128
	relu1, norm1        []int8            // 96x55x55
	relu2, norm2        []int8            // 256x27x27
	relu3, relu4, relu5 []int8            // 384, 384, 256 x 13x13
	share               [NumConv][]share  // per layer, per worker (see plan)
	col                 [NumConv][][]int8 // per layer, per worker: im2col of its pixels, [j1-j0][Kpad]
	xpad                [NumConv][]int8   // conv input with its zero-point border (pool1 and pool2 live here)
	acc                 [][]int32         // per worker: [o1-o0][j1-j0] of the conv being run
	lrnScratch          [][]uint32        // per worker
	lrnTab              [2][]int32        // Norm[i].Table padded to kernel.LRNTabLen (see lrnPadded)
	// join[st] says that stage st reads what other workers wrote since the last
	// barrier, so all of them must have finished the stages before it (see plan).
	join [numStages]bool
	// Fork-join of the stages (see runStages): gen publishes (sequence<<8 | first
	// stage<<4 | end stage), left counts the workers still on them, parked and wake
	// let an idle worker sleep.
	gen    atomic.Uint32
	seq    uint32
	left   atomic.Int32
	parked []atomic.Bool
	wake   []chan struct{}
	exited sync.WaitGroup
	closed bool
}

// stageExit in gen tells the workers to return.
const stageExit = 15

// spinTime is how long a worker (or the caller, waiting for the workers) polls
// before it sleeps (or yields). It is longer than the usual imbalance between the
// workers' shares of a stage (up to about 100 us on the development machine), so
// the stages of a frame hand over without a scheduler wake-up (polling 16k times,
// tens of microseconds, made the 2-thread frame 8 % slower there: 3.32 against
// 3.05 ms), while an engine idle between frames costs at most this much CPU per
// worker per frame.
const spinTime = 500 * time.Microsecond

// spinCheck is how many polls go between two looks at the clock.
const spinCheck = 256

// Engine stages, run in order; joins says between which ones the workers wait for
// each other.
const (
	stConv1 = iota
	stNormPool1
	stConv2
	stNormPool2
	stConv3
	stConv4
	stConv5
	numStages
)

// NewEngine prepares an engine for q with the given number of worker threads
// (threads <= 0 means runtime.GOMAXPROCS(0)). Call Close to stop the workers.
func NewEngine(q *QNet, threads int) *Engine {
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	if q.Conv[Conv1].a == nil {
		if err := q.prepare(); err != nil {
			panic(fmt.Sprintf("model: NewEngine on an invalid QNet: %v", err))
		}
	}
	e := &Engine{q: q, nw: threads}
	sz := func(c, n int) []int8 { return make([]int8, c*n*n) }
	for li, l := range Arch {
		ps := l.InSize + 2*l.Pad
		e.xpad[li] = make([]int8, l.In*ps*ps+kernel.Im2colSlack)
		for i := range e.xpad[li] {
			e.xpad[li][i] = int8(q.Conv[li].InZP) // the border keeps the code of real 0
		}
	}
	e.input = e.xpad[Conv1][:InputSize*InputSize] // conv1 has no padding
	e.relu1, e.norm1 = sz(96, 55), sz(96, 55)
	e.relu2, e.norm2 = sz(256, 27), sz(256, 27)
	e.relu3, e.relu4, e.relu5 = sz(384, 13), sz(384, 13), sz(256, 13)
	e.acc = make([][]int32, threads)
	e.join = joins(threads)
	for li, l := range Arch {
		e.share[li] = plan(li, threads)
		e.col[li] = make([][]int8, threads)
		for w, sh := range e.share[li] {
			e.col[li][w] = make([]int8, (sh.j1-sh.j0)*kernel.PadK(l.KDim())) // pad bytes stay 0
			if n := (sh.o1 - sh.o0) * (sh.j1 - sh.j0); n > len(e.acc[w]) {
				e.acc[w] = make([]int32, n)
			}
		}
	}
	for i := range e.lrnTab {
		e.lrnTab[i] = lrnPadded(q.Norm[i].Table)
	}
	e.lrnScratch = make([][]uint32, threads)
	for i := range e.lrnScratch {
		e.lrnScratch[i] = make([]uint32, kernel.LRNScratchLen)
	}
	e.parked = make([]atomic.Bool, threads)
	e.wake = make([]chan struct{}, threads)
	for w := 1; w < threads; w++ {
		e.wake[w] = make(chan struct{}, 1)
		e.exited.Add(1)
		go e.worker(w)
	}
	return e
}

func (e *Engine) worker(w int) {
	defer e.exited.Done()
	var last uint32
	for {
		v := e.gen.Load()
		var since time.Time
		for i := 0; v == last; i++ {
			if i%spinCheck != spinCheck-1 {
				v = e.gen.Load()
				continue
			}
			if since.IsZero() {
				since = time.Now()
			}
			if time.Since(since) < spinTime {
				v = e.gen.Load()
				continue
			}
			// Sleep. The caller stores gen before it reads parked, and this worker
			// sets parked before it reads gen again, so one of them sees the other.
			e.parked[w].Store(true)
			if v = e.gen.Load(); v == last {
				<-e.wake[w]
				v = e.gen.Load()
			}
			e.parked[w].Store(false)
			i, since = 0, time.Time{}
		}
		last = v
		st, end := int(v>>4&15), int(v&15)
		if st == stageExit {
			return
		}
		for ; st < end; st++ {
			e.stage(st, w)
		}
		e.left.Add(-1)
	}
}

func (e *Engine) Threads() int { return e.nw }

// QNet returns the quantised network the engine runs.
func (e *Engine) QNet() *QNet { return e.q }

// Close stops the worker goroutines. The engine must not be used afterwards.
func (e *Engine) Close() {
	if e.closed {
		return
	}
	e.closed = true
	e.publish(stageExit, stageExit)
	e.exited.Wait()
}

// Run computes relu4 and relu5 for img, a 227x227 grey image (pixels 0..255).
// The outputs stay valid until the next Run.
func (e *Engine) Run(img *image.Gray) error {
	if e.closed {
		return fmt.Errorf("model: Run on a closed Engine")
	}
	if err := checkImage(img); err != nil {
		return err
	}
	e.wakeAll() // workers asleep since the last frame wake while the input is copied
	b := img.Bounds()
	for y := 0; y < InputSize; y++ {
		o := img.PixOffset(b.Min.X, b.Min.Y+y)
		flipSign(asBytes(e.input[y*InputSize:(y+1)*InputSize]), img.Pix[o:o+InputSize])
	}
	for st := 0; st < numStages; {
		end := st + 1
		for end < numStages && !e.join[end] {
			end++
		}
		e.runStages(st, end)
		st = end
	}
	return nil
}

// runStage runs one stage on all workers and waits for it.
func (e *Engine) runStage(st int) { e.runStages(st, st+1) }

// runStages runs stages [st, end) on all workers, each worker through all of them
// in order, and waits for every worker to finish.
func (e *Engine) runStages(st, end int) {
	if e.nw == 1 {
		for ; st < end; st++ {
			e.stage(st, 0)
		}
		return
	}
	e.left.Store(int32(e.nw - 1))
	e.publish(st, end)
	for s := st; s < end; s++ {
		e.stage(s, 0)
	}
	var since time.Time
	for i := 0; e.left.Load() != 0; i++ {
		if i%spinCheck != spinCheck-1 {
			continue
		}
		if since.IsZero() {
			since = time.Now()
		} else if time.Since(since) >= spinTime {
			runtime.Gosched() // a worker may be waiting for this core
		}
	}
}

// publish hands stages [st, end) to the workers and wakes those that sleep.
func (e *Engine) publish(st, end int) {
	e.seq++
	e.gen.Store(e.seq<<8 | uint32(st)<<4 | uint32(end))
	e.wakeAll()
}

// wakeAll wakes the workers that sleep; they poll for the next stage.
func (e *Engine) wakeAll() {
	for w := 1; w < e.nw; w++ {
		if e.parked[w].Load() {
			select {
			case e.wake[w] <- struct{}{}:
			default: // a wake-up is already pending
			}
		}
	}
}

func part(n, w, nw int) (int, int) { return w * n / nw, (w + 1) * n / nw }

func (e *Engine) stage(st, w int) {
	switch st {
	case stConv1:
		e.conv(Conv1, e.relu1, nil, w)
	case stNormPool1:
		e.normPool(0, e.relu1, e.norm1, Conv1, w)
	case stConv2:
		e.conv(Conv2, e.relu2, nil, w)
	case stNormPool2:
		e.normPool(1, e.relu2, e.norm2, Conv2, w)
	case stConv3:
		e.conv(Conv3, e.relu3, e.xpad[Conv4], w)
	case stConv4:
		e.conv(Conv4, e.relu4, e.xpad[Conv5], w)
	case stConv5:
		e.conv(Conv5, e.relu5, nil, w)
	}
}

// normPool runs LRN i and the max-pool after it on worker w's share of channels of
// x, the output of conv li; the pool writes into the interior of the padded input
// of conv li+1. Splitting by channels (not pixels, as the convs are) keeps each
// worker's writes in one contiguous block: with a split by pixels every channel row
// had a boundary between the workers, and the hardware prefetcher of one core kept
// pulling the other's freshly written cache lines (the 2-thread LRN took 1.3x its
// share's time alone). The pool needs only the same channels of the LRN output, so
// the two share one stage with no barrier between them.
func (e *Engine) normPool(i int, x, norm []int8, li, w int) {
	l := &Arch[li]
	c0, c1 := part(l.Out, w, e.nw)
	if c0 == c1 {
		return
	}
	kernel.LRN(x, norm, l.Out, l.Pixels(), c0, c1, e.lrnTab[i], e.q.Norm[i].Shift, e.lrnScratch[w])
	kernel.MaxPool(norm, l.OutSize, c0, c1, e.xpad[li+1], Arch[li+1].Pad)
}

// padded copies pixels [j0, j1) of channel c of x (CHW, planes of l.InSize squared)
// into the interior of xp, the padded input of layer l: planes of (InSize+2*Pad)
// squared whose border was set to the input zero point by NewEngine and is never
// written again. The conv that produces a conv input calls it on its own share, so
// the next conv needs no extra barrier and im2col no edge cases.
func padded(x, xp []int8, l *Layer, c, j0, j1 int) {
	size, pad := l.InSize, l.Pad
	ps := size + 2*pad
	src := x[c*size*size : (c+1)*size*size]
	dst := xp[c*ps*ps : (c+1)*ps*ps]
	at := func(j int) int { return (j/size+pad)*ps + pad + j%size }
	if r := j0 % size; r != 0 { // the rest of a row
		n := min(size-r, j1-j0)
		copy(dst[at(j0):at(j0)+n], src[j0:j0+n])
		j0 += n
	}
	if rows := (j1 - j0) / size; rows > 0 && j0 < j1 {
		kernel.CopyRows(dst[at(j0):], ps, src[j0:], size, size, rows)
		j0 += rows * size
	}
	if j0 < j1 { // the start of a row
		copy(dst[at(j0):at(j0)+j1-j0], src[j0:j1])
	}
}

// flipSign sets d[i] = s[i] ^ 0x80, the int8 code p - 128 of each pixel p, eight
// bytes at a time.
func flipSign(d, s []byte) {
	d = d[:len(s)]
	le := binary.LittleEndian
	for len(s) >= 8 {
		le.PutUint64(d, le.Uint64(s)^0x8080808080808080)
		d, s = d[8:], s[8:]
	}
	for i := range s {
		d[i] = s[i] ^ 0x80
	}
}

// asBytes is x viewed as bytes (same memory; int8 and byte differ only in sign).
func asBytes(x []int8) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(x))), len(x))
}

// share is the part of a conv layer one worker computes: output channels [o0, o1)
// at output pixels [j0, j1).
type share struct{ o0, o1, j0, j1 int }

// plan splits conv layer li over nw workers so that each worker's writes are one
// block per output channel and, where the layer allows, its inputs were written by
// itself:
//   - conv1 and conv2 (3025 and 729 pixels) by output pixels;
//   - conv3 (169 pixels, one group) by output channels: with an even number of
//     workers, the first half of them computes exactly the input channels of
//     conv4's group 0 and the second half those of group 1;
//   - conv4 and conv5 (two groups), with an even number of workers, by group (the
//     first half of the workers group 0, as for conv3) and within a group by
//     pixels, so that with two workers each one's conv3 -> conv4 -> conv5 chain
//     reads only what it wrote itself; otherwise by pixels.
//
// (Every worker has work: part of 169 pixels or 384 channels.) Splitting conv3-5 by
// pixels, as conv1-2 are, moved half of every layer's input from one core's cache
// to the other's and gave each core a tail of 84 of the 169 pixels, which the
// kernels' tiles fit worse.
func plan(li, nw int) []share {
	l := &Arch[li]
	p := l.Pixels()
	sh := make([]share, nw)
	for w := range sh {
		j0, j1 := part(p, w, nw)
		sh[w] = share{0, l.Out, j0, j1}
		switch {
		case li == Conv3 && nw > 1:
			o0, o1 := part(l.Out, w, nw)
			sh[w] = share{o0, o1, 0, p}
		case l.Groups == 2 && nw%2 == 0:
			half := nw / 2
			t, k := w/half, w%half
			og := l.OutPerGroup()
			j0, j1 := part(p, k, half)
			sh[w] = share{t * og, (t + 1) * og, j0, j1}
		}
	}
	return sh
}

// joins says before which stages the workers must wait for each other. With two
// workers, plan gives each one a chain that reads only what it wrote itself:
// LRN1 and pool1 channels [0, 48) and [48, 96) are exactly the inputs of conv2's
// groups 0 and 1, and conv3's output channels [0, 192) and [192, 384) those of
// conv4's groups, whose outputs are those of conv5's groups; so conv2, conv4 and
// conv5 start without a barrier, and a frame has 4 instead of 7. (LRN2 reads two
// channels past its share, and conv3 every channel of pool2.) With more workers
// every stage waits for the one before.
func joins(nw int) [numStages]bool {
	var j [numStages]bool
	for st := range j {
		j[st] = st > 0
	}
	if nw == 2 {
		j[stConv2], j[stConv4], j[stConv5] = false, false, false
	}
	return j
}

// conv runs worker w's share of layer li (see plan): im2col of its pixels per group
// (from the padded input e.xpad[li]) into its own buffer, kernel.Gemm of its output
// channels into its own accumulators, then kernel.Requantize per output channel
// with fused ReLU into y. If next is not nil (the padded input of the following
// conv) the share of y is copied into it as well.
func (e *Engine) conv(li int, y, next []int8, w int) {
	l := &Arch[li]
	c := &e.q.Conv[li]
	p := l.Pixels()
	sh := e.share[li][w]
	o0, o1, j0, j1 := sh.o0, sh.o1, sh.j0, sh.j1
	if j0 == j1 || o0 == o1 {
		return
	}
	kp := kernel.PadK(l.KDim())
	n := j1 - j0
	col, acc := e.col[li][w], e.acc[w]
	og := l.OutPerGroup()
	ps := l.InSize + 2*l.Pad
	geom := kernel.Im2colGeom{K: l.K, Stride: l.Stride, Channels: l.InPerGroup(), InSize: ps, OutSize: l.OutSize}
	for g := o0 / og; g*og < o1; g++ {
		lo, hi := max(o0, g*og), min(o1, (g+1)*og)
		kernel.Im2col(e.xpad[li][g*geom.Channels*ps*ps:], geom, j0, j1, col, kp)
		kernel.Gemm(hi-lo, n, kp, c.a[lo*kp:hi*kp], col[:n*kp], c.bias[lo:hi], acc[(lo-o0)*n:], n)
	}
	zlo := int8(max(-128, c.OutZP))
	for o := o0; o < o1; o++ {
		kernel.Requantize(acc[(o-o0)*n:(o-o0)*n+n], c.qm[o], c.shift[o], c.OutZP, zlo, y[o*p+j0:o*p+j1])
		if next != nil {
			padded(y, next, &Arch[li+1], o, j0, j1)
		}
	}
}

// Relu5 returns the int8 relu5 activations of the last Run, 256x13x13 CHW (unit
// index c*169 + y*13 + x). The slice is the engine's buffer: valid until the next
// Run, do not modify.
func (e *Engine) Relu5() []int8 { return e.relu5 }

// Relu4 returns the int8 relu4 activations of the last Run, 384x13x13 CHW, like Relu5.
func (e *Engine) Relu4() []int8 { return e.relu4 }

// Relu5Scale and Relu5ZeroPoint give real = scale * (q - zp) for Relu5.
func (e *Engine) Relu5Scale() float32 { return e.q.Conv[Conv5].OutScale }

// Relu5ZeroPoint is the zero point of Relu5 (-128).
func (e *Engine) Relu5ZeroPoint() int32 { return e.q.Conv[Conv5].OutZP }

// Relu4Scale is the scale of Relu4.
func (e *Engine) Relu4Scale() float32 { return e.q.Conv[Conv4].OutScale }

// Relu4ZeroPoint is the zero point of Relu4 (-128).
func (e *Engine) Relu4ZeroPoint() int32 { return e.q.Conv[Conv4].OutZP }

// Relu5Float writes the dequantised relu5 into dst, which must hold at least
// Relu5Units values. It allocates nothing.
func (e *Engine) Relu5Float(dst []float32) {
	dequant(e.relu5, e.Relu5Scale(), e.Relu5ZeroPoint(), dst)
}

// Relu4Float writes the dequantised relu4 into dst (at least Relu4Units values).
func (e *Engine) Relu4Float(dst []float32) {
	dequant(e.relu4, e.Relu4Scale(), e.Relu4ZeroPoint(), dst)
}

func dequant(q []int8, s float32, zp int32, dst []float32) {
	dst = dst[:len(q)]
	for i, v := range q {
		dst[i] = s * float32(int32(v)-zp)
	}
}
