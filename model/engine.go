package model

import (
	"fmt"
	"image"
	"runtime"
	"sync"

	"github.com/numsense/numsense/model/kernel"
	"gorgonia.org/tensor"
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

	input                    []int8           // 227x227, q = p - 128
	relu1, norm1, pool1      []int8           // 96x55x55, 96x55x55, 96x27x27
	relu2, norm2, pool2      []int8           // 256x27x27, 256x27x27, 256x13x13
	relu3, relu4, relu5      []int8           // 384, 384, 256 x 13x13
	col                      [NumConv][]int8  // im2col: [pixels][Kpad]
	acc                      [NumConv][]int32 // [out][pixels]
	lrnScratch               [][]int32        // per worker
	relu4Tensor, relu5Tensor *tensor.Dense
	start                    []chan int
	wg                       sync.WaitGroup
	exited                   sync.WaitGroup
	closed                   bool
}

// Engine stages, run in order with a barrier between them.
const (
	stConv1 = iota
	stNorm1
	stPool1
	stConv2
	stNorm2
	stPool2
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
	e.input = sz(1, InputSize)
	e.relu1, e.norm1, e.pool1 = sz(96, 55), sz(96, 55), sz(96, 27)
	e.relu2, e.norm2, e.pool2 = sz(256, 27), sz(256, 27), sz(256, 13)
	e.relu3, e.relu4, e.relu5 = sz(384, 13), sz(384, 13), sz(256, 13)
	for li, l := range Arch {
		e.col[li] = make([]int8, l.Pixels()*kernel.PadK(l.KDim())) // pad bytes stay 0
		e.acc[li] = make([]int32, l.Out*l.Pixels())
	}
	e.lrnScratch = make([][]int32, threads)
	for i := range e.lrnScratch {
		e.lrnScratch[i] = make([]int32, Arch[Conv1].Pixels()/threads+1)
	}
	e.relu4Tensor = tensor.New(tensor.WithShape(384, 13, 13), tensor.WithBacking(e.relu4))
	e.relu5Tensor = tensor.New(tensor.WithShape(256, 13, 13), tensor.WithBacking(e.relu5))
	e.start = make([]chan int, threads)
	for w := 1; w < threads; w++ {
		e.start[w] = make(chan int)
		e.exited.Add(1)
		go e.worker(w)
	}
	return e
}

func (e *Engine) worker(w int) {
	defer e.exited.Done()
	for st := range e.start[w] {
		e.stage(st, w)
		e.wg.Done()
	}
}

// Threads is the number of threads the engine splits each layer over.
func (e *Engine) Threads() int { return e.nw }

// QNet returns the quantised network the engine runs.
func (e *Engine) QNet() *QNet { return e.q }

// Close stops the worker goroutines. The engine must not be used afterwards.
func (e *Engine) Close() {
	if e.closed {
		return
	}
	e.closed = true
	for w := 1; w < e.nw; w++ {
		close(e.start[w])
	}
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
	b := img.Bounds()
	for y := 0; y < InputSize; y++ {
		o := img.PixOffset(b.Min.X, b.Min.Y+y)
		row := img.Pix[o : o+InputSize]
		dst := e.input[y*InputSize : (y+1)*InputSize]
		for x, p := range row {
			dst[x] = int8(int32(p) - 128)
		}
	}
	for st := 0; st < numStages; st++ {
		e.runStage(st)
	}
	return nil
}

// runStage runs one stage on all workers and waits for it.
func (e *Engine) runStage(st int) {
	e.wg.Add(e.nw - 1)
	for w := 1; w < e.nw; w++ {
		e.start[w] <- st
	}
	e.stage(st, 0)
	e.wg.Wait()
}

func part(n, w, nw int) (int, int) { return w * n / nw, (w + 1) * n / nw }

func (e *Engine) stage(st, w int) {
	switch st {
	case stConv1:
		e.conv(Conv1, e.input, e.relu1, w)
	case stNorm1:
		p := Arch[Conv1].Pixels()
		j0, j1 := part(p, w, e.nw)
		e.q.Norm[0].lrnInt8(e.relu1, e.norm1, Arch[Conv1].Out, p, j0, j1, e.lrnScratch[w])
	case stPool1:
		c0, c1 := part(Arch[Conv1].Out, w, e.nw)
		maxPoolInt8(e.norm1, e.pool1, Arch[Conv1].OutSize, c0, c1)
	case stConv2:
		e.conv(Conv2, e.pool1, e.relu2, w)
	case stNorm2:
		p := Arch[Conv2].Pixels()
		j0, j1 := part(p, w, e.nw)
		e.q.Norm[1].lrnInt8(e.relu2, e.norm2, Arch[Conv2].Out, p, j0, j1, e.lrnScratch[w])
	case stPool2:
		c0, c1 := part(Arch[Conv2].Out, w, e.nw)
		maxPoolInt8(e.norm2, e.pool2, Arch[Conv2].OutSize, c0, c1)
	case stConv3:
		e.conv(Conv3, e.pool2, e.relu3, w)
	case stConv4:
		e.conv(Conv4, e.relu3, e.relu4, w)
	case stConv5:
		e.conv(Conv5, e.relu4, e.relu5, w)
	}
}

// conv runs layer li on worker w's share of output pixels: im2col of those pixels
// per group, kernel.Gemm, then kernel.Requantize per output channel with fused ReLU.
func (e *Engine) conv(li int, x, y []int8, w int) {
	l := &Arch[li]
	c := &e.q.Conv[li]
	p := l.Pixels()
	j0, j1 := part(p, w, e.nw)
	if j0 == j1 {
		return
	}
	kp := kernel.PadK(l.KDim())
	col, acc := e.col[li], e.acc[li]
	og := l.OutPerGroup()
	zp := int8(c.InZP)
	for g := 0; g < l.Groups; g++ {
		im2col(x, l, g, j0, j1, zp, col)
		kernel.Gemm(og, j1-j0, kp, c.a[g*og*kp:(g+1)*og*kp], col[j0*kp:j1*kp], c.bias[g*og:(g+1)*og], acc[g*og*p+j0:], p)
	}
	lo := int8(max(-128, c.OutZP))
	for o := 0; o < l.Out; o++ {
		kernel.Requantize(acc[o*p+j0:o*p+j1], c.qm[o], c.shift[o], c.OutZP, lo, y[o*p+j0:o*p+j1])
	}
}

// im2col writes, for output pixels [j0, j1) of layer l and group g, the patch of
// each pixel into row j of col (row length Kpad; order channel, ky, kx). Taps in the
// zero padding hold zp, the code of real 0; the row's pad bytes are left alone.
func im2col(x []int8, l *Layer, g, j0, j1 int, zp int8, col []int8) {
	k, s, pad, size, osz := l.K, l.Stride, l.Pad, l.InSize, l.OutSize
	cg := l.InPerGroup()
	kp := kernel.PadK(l.KDim())
	for j := j0; j < j1; j++ {
		oy, ox := j/osz, j%osz
		row := col[j*kp : j*kp+l.KDim()]
		ix0 := ox*s - pad
		inside := ix0 >= 0 && ix0+k <= size
		i := 0
		for c := g * cg; c < (g+1)*cg; c++ {
			plane := x[c*size*size : (c+1)*size*size]
			for ky := 0; ky < k; ky++ {
				iy := oy*s + ky - pad
				dst := row[i : i+k]
				i += k
				if iy < 0 || iy >= size {
					for t := range dst {
						dst[t] = zp
					}
					continue
				}
				src := plane[iy*size : (iy+1)*size]
				if inside {
					copy(dst, src[ix0:ix0+k])
					continue
				}
				for t := range dst {
					ix := ix0 + t
					if ix < 0 || ix >= size {
						dst[t] = zp
					} else {
						dst[t] = src[ix]
					}
				}
			}
		}
	}
}

// maxPoolInt8 is max pooling 3x3/2 on channels [c0, c1) of x (size x size planes,
// size <= 64): the max over the 3 rows first, then over 3 columns. Quantisation is
// monotonic, so pooling the codes is exact.
func maxPoolInt8(x, y []int8, size, c0, c1 int) {
	o := poolOut(size)
	var v [64]int8
	for ch := c0; ch < c1; ch++ {
		src := x[ch*size*size : (ch+1)*size*size]
		dst := y[ch*o*o : (ch+1)*o*o]
		for oy := 0; oy < o; oy++ {
			r0 := src[2*oy*size : 2*oy*size+size]
			r1 := src[(2*oy+1)*size : (2*oy+1)*size+size]
			r2 := src[(2*oy+2)*size : (2*oy+2)*size+size]
			vv := v[:size]
			for i := range vv {
				vv[i] = max(r0[i], r1[i], r2[i])
			}
			d := dst[oy*o : oy*o+o]
			for ox := range d {
				d[ox] = max(vv[2*ox], vv[2*ox+1], vv[2*ox+2])
			}
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

// Relu5Tensor returns relu5 as an int8 tensor of shape [256, 13, 13] backed by the
// engine's buffer (no copy; valid until the next Run). It is the same tensor on
// every call.
func (e *Engine) Relu5Tensor() *tensor.Dense { return e.relu5Tensor }

// Relu4Tensor returns relu4 as an int8 tensor of shape [384, 13, 13], like Relu5Tensor.
func (e *Engine) Relu4Tensor() *tensor.Dense { return e.relu4Tensor }
