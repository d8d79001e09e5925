package frontend

import (
	"testing"

	"github.com/numsense/numsense/model/rng"
)

// refMorph is the plain definition: a pixel of the result is the OR (dilation) or
// AND (erosion) of the (2r+1)x(2r+1) square around it, inside the picture.
func refMorph(m []byte, w, h, r int, dilate bool) []byte {
	out := make([]byte, len(m))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := !dilate
			for yy := max(0, y-r); yy <= min(h-1, y+r); yy++ {
				for xx := max(0, x-r); xx <= min(w-1, x+r); xx++ {
					if dilate {
						v = v || m[yy*w+xx] != 0
					} else {
						v = v && m[yy*w+xx] != 0
					}
				}
			}
			if v {
				out[y*w+x] = 255
			}
		}
	}
	return out
}

// TestBitMorph checks pack/unpack and the bit-packed dilation and erosion against
// the plain definition on random masks, for widths around word boundaries.
func TestBitMorph(t *testing.T) {
	g := rng.New(5)
	for _, w := range []int{7, 64, 65, 130, 340} {
		h := 23
		fe := &FrontEnd{ow: w, oh: h, bw: (w + 63) / 64}
		fe.mask = make([]byte, w*h)
		fe.bits = make([]uint64, fe.bw*h)
		fe.bitsT = make([]uint64, fe.bw*h)
		for _, r := range []int{1, 2, 3, 7} {
			for _, dilate := range []bool{true, false} {
				src := make([]byte, w*h)
				for i := range src {
					if g.IntN(100) < 30+40*btoi(!dilate) {
						src[i] = 255
					}
				}
				copy(fe.mask, src)
				fe.pack()
				fe.unpack()
				for i := range src {
					if fe.mask[i] != src[i] {
						t.Fatalf("w %d: pack/unpack changed pixel %d", w, i)
					}
				}
				fe.morphN(r, dilate)
				want := refMorph(src, w, h, r, dilate)
				for i := range want {
					if fe.mask[i] != want[i] {
						t.Fatalf("w %d r %d dilate %v: pixel (%d,%d) %d, want %d", w, r, dilate, i%w, i/w, fe.mask[i], want[i])
					}
				}
			}
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestOutside checks the packed outside sweep against a plain 4-connected flood of
// the background from the border, on random masks (spirals of runs included).
func TestOutside(t *testing.T) {
	g := rng.New(8)
	for _, w := range []int{9, 64, 70, 200} {
		h := 31
		fe := &FrontEnd{ow: w, oh: h, bw: (w + 63) / 64}
		fe.mask = make([]byte, w*h)
		fe.bits = make([]uint64, fe.bw*h)
		fe.bitsT = make([]uint64, fe.bw*h)
		for trial := 0; trial < 20; trial++ {
			p := 30 + g.IntN(40)
			for i := range fe.mask {
				fe.mask[i] = 0
				if g.IntN(100) < p {
					fe.mask[i] = 255
				}
			}
			// Reference: flood from the border.
			ref := make([]bool, w*h)
			var st []int
			push := func(i int) {
				if !ref[i] && fe.mask[i] == 0 {
					ref[i] = true
					st = append(st, i)
				}
			}
			for x := 0; x < w; x++ {
				push(x)
				push((h-1)*w + x)
			}
			for y := 0; y < h; y++ {
				push(y * w)
				push(y*w + w - 1)
			}
			for len(st) > 0 {
				i := st[len(st)-1]
				st = st[:len(st)-1]
				x, y := i%w, i/w
				if x > 0 {
					push(i - 1)
				}
				if x < w-1 {
					push(i + 1)
				}
				if y > 0 {
					push(i - w)
				}
				if y < h-1 {
					push(i + w)
				}
			}
			fe.pack()
			fe.outside()
			for i := range ref {
				x, y := i%w, i/w
				got := fe.bitsT[y*fe.bw+x/64]>>(x%64)&1 == 1
				if got != ref[i] {
					t.Fatalf("w %d trial %d: pixel (%d,%d) outside %v, want %v", w, trial, x, y, got, ref[i])
				}
			}
		}
	}
}
