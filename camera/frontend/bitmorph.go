package frontend

// Morphology on the working mask packed one bit per pixel (64 pixels per word, bit
// x%64 of word x/64 of a row is pixel x). Square structuring elements are separable:
// a horizontal pass shifts words (with the carry from the neighbouring word), a
// vertical pass combines rows. Mask bytes are 0 or 255 elsewhere in the pipeline;
// pack and unpack convert 8 pixels at a time.

// gatherMSB is the multiplier that gathers the top bits of the 8 bytes of a word
// (masked with 0x8080808080808080) into the word's top byte, byte i to bit i.
const gatherMSB = 0x0002040810204081

// spread[b] holds 8 bytes, byte i 0xff where bit i of b is set.
var spread = func() (t [256]uint64) {
	for b := range t {
		for i := 0; i < 8; i++ {
			if b>>i&1 == 1 {
				t[b] |= 0xff << (8 * i)
			}
		}
	}
	return
}()

// pack packs fe.mask into fe.bits. Bits past the picture's width are 0.
func (fe *FrontEnd) pack() {
	ow, bw := fe.ow, fe.bw
	for y := 0; y < fe.oh; y++ {
		row := fe.mask[y*ow : (y+1)*ow]
		dst := fe.bits[y*bw : (y+1)*bw]
		for k := range dst {
			var w uint64
			x0 := 64 * k
			for j := 0; j < 8; j++ {
				i := x0 + 8*j
				if i+8 <= ow {
					v := le64(row, i)
					w |= ((v & 0x8080808080808080) * gatherMSB >> 56) << (8 * j)
					continue
				}
				for t := i; t < min(i+8, ow); t++ {
					if row[t] != 0 {
						w |= 1 << (t - x0)
					}
				}
			}
			dst[k] = w
		}
	}
}

// unpack writes fe.bits back into fe.mask as 0 and 255.
func (fe *FrontEnd) unpack() {
	ow, bw := fe.ow, fe.bw
	for y := 0; y < fe.oh; y++ {
		row := fe.mask[y*ow : (y+1)*ow]
		src := fe.bits[y*bw : (y+1)*bw]
		for k, w := range src {
			x0 := 64 * k
			for j := 0; j < 8; j++ {
				i := x0 + 8*j
				b := byte(w >> (8 * j))
				if i+8 <= ow {
					put64(row, i, spread[b])
					continue
				}
				for t := i; t < min(i+8, ow); t++ {
					row[t] = byte(0) - (b >> (t - i) & 1)
				}
			}
		}
	}
}

// bmorph applies a (2r+1)x(2r+1) square dilation (dilate) or erosion to fe.bits in
// place, r < 64. Pixels outside the picture are background for a dilation and
// foreground for an erosion (neither spreads into the picture).
func (fe *FrontEnd) bmorph(r int, dilate bool) {
	ow, oh, bw := fe.ow, fe.oh, fe.bw
	a, t := fe.bits[:bw*oh], fe.bitsT[:bw*oh]
	var pad uint64 // bits past the width in a row's last word
	if e := ow % 64; e != 0 {
		pad = ^uint64(0) << e
	}
	var out uint64 // neutral word outside the row
	if !dilate {
		out = ^uint64(0)
	}
	for y := 0; y < oh; y++ {
		row := a[y*bw : (y+1)*bw]
		if dilate {
			row[bw-1] &^= pad
		} else {
			row[bw-1] |= pad
		}
		dst := t[y*bw : (y+1)*bw]
		for k, w := range row {
			prev, next := out, out
			if k > 0 {
				prev = row[k-1]
			}
			if k+1 < bw {
				next = row[k+1]
			}
			acc := w
			for s := uint(1); s <= uint(r); s++ {
				right := w>>s | next<<(64-s) // pixel x+s
				left := w<<s | prev>>(64-s)  // pixel x-s
				if dilate {
					acc |= right | left
				} else {
					acc &= right & left
				}
			}
			dst[k] = acc
		}
	}
	for y := 0; y < oh; y++ {
		y0, y1 := max(0, y-r), min(oh-1, y+r)
		dst := a[y*bw : (y+1)*bw]
		copy(dst, t[y0*bw:(y0+1)*bw])
		for yy := y0 + 1; yy <= y1; yy++ {
			src := t[yy*bw : (yy+1)*bw]
			if dilate {
				for k, v := range src {
					dst[k] |= v
				}
			} else {
				for k, v := range src {
					dst[k] &= v
				}
			}
		}
	}
}

// morphN applies a square dilation or erosion of radius r to fe.mask.
func (fe *FrontEnd) morphN(r int, dilate bool) {
	if r <= 0 {
		return
	}
	fe.pack()
	fe.bmorphN(r, dilate)
	fe.unpack()
}

// bmorphN is bmorph for any radius (in steps below 64).
func (fe *FrontEnd) bmorphN(r int, dilate bool) {
	for r > 0 {
		k := min(r, 63)
		fe.bmorph(k, dilate)
		r -= k
	}
}
