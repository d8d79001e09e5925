package model

import (
	"testing"

	"github.com/numsense/numsense/model/kernel"
	"github.com/numsense/numsense/model/rng"
)

// TestIm2colWords checks im2col (with the word copies of taps3 and taps5) against
// a byte-by-byte patch copy on random padded inputs, for every layer and group and
// for shares of pixels as the workers split them: the patch bytes, the zero pad of
// each row, and the rows outside the share left untouched.
func TestIm2colWords(t *testing.T) {
	r := rng.New(7)
	for li := range Arch {
		l := &Arch[li]
		ps := l.InSize + 2*l.Pad
		plane := ps * ps
		xp := make([]int8, l.In*plane+padSlack)
		for i := range xp {
			xp[i] = int8(r.IntN(256) - 128)
		}
		kd, kp := l.KDim(), kernel.PadK(l.KDim())
		p, k, cg := l.Pixels(), l.K, l.InPerGroup()
		for g := 0; g < l.Groups; g++ {
			for _, sh := range [][2]int{{0, p}, {0, 1}, {p / 3, 2 * p / 3}, {p - 1, p}} {
				j0, j1 := sh[0], sh[1]
				col := make([]int8, p*kp)
				for i := range col {
					col[i] = 99
				}
				for r := 0; r < j1-j0; r++ { // pad bytes are zero as NewEngine leaves them
					clear(col[r*kp+kd : (r+1)*kp])
				}
				im2col(xp, l, g, j0, j1, col)
				for r := 0; r < p; r++ { // row r holds pixel j0+r; rows past j1-j0 stay 99
					j := j0 + r
					oy, ox := j/l.OutSize, j%l.OutSize
					for q := 0; q < kp; q++ {
						want := int8(99)
						if j < j1 {
							want = 0
							if q < kd {
								c, ky, kx := q/(k*k), q/k%k, q%k
								want = xp[(g*cg+c)*plane+(oy*l.Stride+ky)*ps+ox*l.Stride+kx]
							}
						}
						if got := col[r*kp+q]; got != want {
							t.Fatalf("%s group %d pixels [%d,%d): col[%d][%d] = %d, want %d", l.Name, g, j0, j1, r, q, got, want)
						}
					}
				}
			}
		}
	}
}

// TestIm2colBounds checks that im2col refuses a share its buffers do not hold.
func TestIm2colBounds(t *testing.T) {
	l := &Arch[Conv2]
	ps := l.InSize + 2*l.Pad
	xp := make([]int8, l.In*ps*ps) // no padSlack: the last words would read past it
	col := make([]int8, l.Pixels()*kernel.PadK(l.KDim()))
	defer func() {
		if recover() == nil {
			t.Fatal("im2col read past its input without panicking")
		}
	}()
	im2col(xp, l, 1, 0, l.Pixels(), col)
}
