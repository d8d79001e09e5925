package frontend

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// The learned background of a fixed camera (Opts.Learn). A camera that stays put
// over a table sees the empty table between visitors: once the scene has been
// empty and still for Learn.Frames frames in a row, the mean of those frames
// (luma and colour) and the spread of each pixel's luma become the reference, and
// the background is that reference, not the single-picture chain (background.go):
// it cannot be fooled by objects covering most of the view, and it knows the
// table's own texture pixel by pixel.
//
//   - Light: every frame, the light level is the most frequent ratio of the
//     frame's luma to the reference's (the table is the largest uniform part of
//     the picture even under a dense array), and the reference is scaled by it.
//   - Drift: every frame that is not unstable, pixels clearly on the table
//     (deviation under half the threshold, outside the objects) move 1/Rate of the
//     way towards what the camera sees, so slow changes of the light's colour or
//     direction are followed.
//   - Change: when more than Change percent of the picture's outer band (a tenth
//     of each side, where objects seldom lie) deviates for Frames frames in a row
//     after the light level is allowed for (the camera was knocked, a lamp was
//     moved), the reference is dropped and learned again from the next empty,
//     still frames; meanwhile the single-picture chain is used, as it is before a
//     first reference exists (a start with objects already down).
//   - Persistence: SaveBackground and LoadBackground write and read the reference
//     (the exhibit keeps it in its state directory across restarts); a reference
//     of another picture geometry is ignored.

// Learn configures the learned background (see above). The zero value learns
// nothing: single pictures (numsense bench, infer) never do.
type Learn struct {
	// Frames is how many empty, still frames in a row the table must show to be
	// learned, and how many changed frames in a row drop the reference (0: never
	// learn). The exhibit sets it from camera.learn_seconds and the frame rate.
	Frames int
	// Rate: table pixels move 1/Rate of the way towards each frame (default 64).
	Rate int
	// Change is the percentage of the outer band that must deviate to count a
	// frame as changed (default 50).
	Change int
}

// reference is a learned empty table at working size.
type reference struct {
	ok      bool
	ow, oh  int
	chroma  bool
	y       []uint16 // luma mean, Q8
	sd      []uint8  // luma spread (standard deviation), quarter grey levels
	u, v    []uint16 // colour means at half size, Q8
	texture int      // the equivalent of the table blocks' interquartile range
	version uint64   // incremented each time a reference is learned

	// learning
	n        int
	sy, sy2  []uint32
	su, sv   []uint32
	changed  int
	gain     int32 // light level over the reference's, Q8
	gainHist []int32
	slack    []uint8 // each pixel's own noise (2 spreads), grey levels, at the current light
}

// Learned returns how many times the FrontEnd has learned (or loaded) a reference
// of the empty table, 0 if never; whether it is in use now; and the light level
// relative to it.
func (fe *FrontEnd) Learned() (version uint64, inUse bool, light float64) {
	r := &fe.ref
	return r.version, r.ok && r.fits(fe), float64(r.gain) / 256
}

// fits reports whether the reference has the working geometry of the frames.
func (r *reference) fits(fe *FrontEnd) bool {
	return r.ow == fe.ow && r.oh == fe.oh && r.chroma == fe.chroma && len(r.y) == fe.ow*fe.oh
}

// allocLearning makes the learning buffers for the current geometry.
func (fe *FrontEnd) allocLearning() {
	r := &fe.ref
	n := fe.ow * fe.oh
	r.sy, r.sy2 = make([]uint32, n), make([]uint32, n)
	r.slack = make([]uint8, n)
	if fe.chroma {
		hn := fe.pl[1].w * fe.pl[1].h
		r.su, r.sv = make([]uint32, hn), make([]uint32, hn)
	} else {
		r.su, r.sv = nil, nil
	}
	r.gainHist = make([]int32, 256)
	r.n = 0
	if r.ok && !r.fits(fe) {
		r.ok = false
	}
}

// referenceBackground sets the planes' backgrounds from the reference scaled by
// the light level, and the table's texture from the reference's spread.
func (fe *FrontEnd) referenceBackground() {
	r := &fe.ref
	y := fe.pl[0].pix
	// The light level: the mode of luma / reference over every other pixel of
	// every other row, in 1/64 (0..4).
	h := r.gainHist
	clear(h)
	ow := fe.ow
	for row := 0; row < fe.oh; row += 2 {
		for x := 0; x < ow; x += 2 {
			i := row*ow + x
			ref := int32(r.y[i])
			if ref < 16<<8 {
				continue
			}
			q := int32(y[i]) << 14 / ref // Q6
			h[min(q, 255)]++
		}
	}
	best, at := int32(-1), 64
	for k := 1; k < 255; k++ {
		if s := h[k-1] + 2*h[k] + h[k+1]; s > best {
			best, at = s, k
		}
	}
	r.gain = int32(at) << 2 // Q8
	g := r.gain
	back := fe.pl[0].back
	for i, m := range r.y {
		back[i] = byte(min((int32(m)*g+1<<15)>>16, 255))
		r.slack[i] = byte(min(int32(r.sd[i])*g>>9, 255)) // 2 spreads, in grey levels: sd/4 x 2
	}
	if fe.chroma {
		for k, ref := range [2][]uint16{r.u, r.v} {
			b := fe.pl[1+k].back
			for i, m := range ref {
				c := (int32(m) - 128<<8) * g >> 8 // Q8 around neutral
				b[i] = byte(min(max((c+128<<8+1<<7)>>8, 0), 255))
			}
		}
	}
	fe.texture = r.texture
}

// learn runs after each frame: accumulates empty, still frames into a new
// reference, lets an existing one drift, and drops it after a lasting change.
func (fe *FrontEnd) learn(st State, used bool) {
	r := &fe.ref
	lo := &fe.o.Learn
	if st == Unstable {
		r.n = 0
		return
	}
	if !used {
		if st != Empty {
			r.n = 0
			return
		}
		fe.accumulate()
		if r.n >= lo.Frames {
			fe.finishReference()
		}
		return
	}
	if fe.outerChange() > lo.Change {
		if r.changed++; r.changed >= lo.Frames {
			r.ok, r.changed, r.n = false, 0, 0
		}
		return
	}
	r.changed = 0
	fe.driftReference()
}

// accumulate adds the frame to the sums of the reference being learned.
func (fe *FrontEnd) accumulate() {
	r := &fe.ref
	if r.n == 0 {
		clear(r.sy)
		clear(r.sy2)
		clear(r.su)
		clear(r.sv)
	}
	for i, v := range fe.pl[0].pix[:len(r.sy)] {
		r.sy[i] += uint32(v)
		r.sy2[i] += uint32(v) * uint32(v)
	}
	if fe.chroma {
		for i, v := range fe.pl[1].pix[:len(r.su)] {
			r.su[i] += uint32(v)
		}
		for i, v := range fe.pl[2].pix[:len(r.sv)] {
			r.sv[i] += uint32(v)
		}
	}
	r.n++
}

// finishReference turns the sums into the reference.
func (fe *FrontEnd) finishReference() {
	r := &fe.ref
	n := uint64(r.n)
	np := fe.ow * fe.oh
	if len(r.y) != np {
		r.y, r.sd = make([]uint16, np), make([]uint8, np) // a new geometry: once
	}
	h := fe.hist
	clear(h)
	for i := range r.y {
		s, s2 := uint64(r.sy[i]), uint64(r.sy2[i])
		r.y[i] = uint16((s<<8 + n/2) / n)
		// variance in 1/16 grey levels squared: (n s2 - s²) 16 / n²
		vr := (n*s2 - s*s) * 16 / (n * n)
		sd := isqrt32(uint32(min(vr, 1<<31)))
		r.sd[i] = uint8(min(sd, 255))
		h[min(sd, 255)]++
	}
	// The texture, as the threshold knows it from table blocks (their luma
	// interquartile range, 1.35 standard deviations), from the median spread.
	r.texture = histQuantile(h, int32(np), 50) * 135 / 400
	if fe.chroma {
		hn := len(r.su)
		if len(r.u) != hn {
			r.u, r.v = make([]uint16, hn), make([]uint16, hn)
		}
		for i := range r.u {
			r.u[i] = uint16((uint64(r.su[i])<<8 + n/2) / n)
			r.v[i] = uint16((uint64(r.sv[i])<<8 + n/2) / n)
		}
	} else {
		r.u, r.v = r.u[:0], r.v[:0]
	}
	r.ow, r.oh, r.chroma = fe.ow, fe.oh, fe.chroma
	r.ok, r.n, r.changed, r.gain = true, 0, 0, 256
	r.version++
}

// isqrt32 is floor(sqrt(x)).
func isqrt32(x uint32) uint32 {
	var r uint32
	for b := uint32(1) << 30; b > 0; b >>= 2 {
		if x >= r+b {
			x -= r + b
			r = r>>1 + b
		} else {
			r >>= 1
		}
	}
	return r
}

// outerChange is the percentage of the picture's outer band (a tenth of each side)
// whose deviation from the reference exceeds the threshold.
func (fe *FrontEnd) outerChange() int {
	ow, oh := fe.ow, fe.oh
	bx, by := max(ow/10, 1), max(oh/10, 1)
	t := byte(fe.thr)
	n, c := 0, 0
	for y := 0; y < oh; y++ {
		row := fe.dev[y*ow : (y+1)*ow]
		if y < by || y >= oh-by {
			for _, d := range row {
				if d > t {
					c++
				}
			}
			n += ow
			continue
		}
		for x := 0; x < bx; x++ {
			if row[x] > t {
				c++
			}
			if row[ow-1-x] > t {
				c++
			}
		}
		n += 2 * bx
	}
	return 100 * c / max(n, 1)
}

// driftReference moves the reference's table pixels 1/Rate of the way towards the
// frame (divided by the light level): those deviating by less than half the
// threshold and not foreground.
func (fe *FrontEnd) driftReference() {
	r := &fe.ref
	rate := int32(fe.o.Learn.Rate)
	g := max(r.gain, 16)
	half := byte(fe.thr / 2)
	y, dev, m := fe.pl[0].pix, fe.dev, fe.mask
	for i, ref := range r.y {
		if dev[i] >= half || m[i] != 0 {
			continue
		}
		cur := int32(y[i]) << 16 / g // Q8 at the reference's light
		nr := int32(ref) + (cur-int32(ref))/rate
		r.y[i] = uint16(min(max(nr, 0), 255<<8))
	}
	if !fe.chroma {
		return
	}
	hw, ow := fe.pl[1].w, fe.ow
	for k, ref := range [2][]uint16{r.u, r.v} {
		pix := fe.pl[1+k].pix
		for i := range ref {
			yy := min((i/hw)*2, fe.oh-1)*ow + min((i%hw)*2, ow-1) // the luma pixel at its corner
			if dev[yy] >= half || m[yy] != 0 {
				continue
			}
			cur := (int32(pix[i])-128)<<16/g + 128<<8
			nr := int32(ref[i]) + (cur-int32(ref[i]))/rate
			ref[i] = uint16(min(max(nr, 0), 255<<8))
		}
	}
}

// backgroundMagic starts a saved reference; the version follows.
const backgroundMagic = "NSBG"

// SaveBackground writes the learned reference of the empty table (an error if
// there is none).
func (fe *FrontEnd) SaveBackground(w io.Writer) error {
	r := &fe.ref
	if !r.ok {
		return errors.New("frontend: no learned background to save")
	}
	bw := bufio.NewWriter(w)
	chroma := uint16(0)
	if r.chroma {
		chroma = 1
	}
	hdr := []any{[4]byte{'N', 'S', 'B', 'G'}, uint16(1), uint16(r.ow), uint16(r.oh), chroma, uint16(r.texture), uint16(len(r.u))}
	for _, v := range hdr {
		if err := binary.Write(bw, binary.LittleEndian, v); err != nil {
			return err
		}
	}
	for _, a := range []any{r.y, r.sd, r.u, r.v} {
		if err := binary.Write(bw, binary.LittleEndian, a); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// LoadBackground reads a reference written by SaveBackground; it is used from the
// next frame on if the frames have its geometry (else it is dropped then, and the
// table learned again). Errors say what is wrong with the data.
func (fe *FrontEnd) LoadBackground(rd io.Reader) error {
	br := bufio.NewReader(rd)
	var magic [4]byte
	var ver, ow, oh, chroma, texture, hn uint16
	for _, v := range []any{&magic, &ver, &ow, &oh, &chroma, &texture, &hn} {
		if err := binary.Read(br, binary.LittleEndian, v); err != nil {
			return fmt.Errorf("frontend: background: %w", err)
		}
	}
	switch {
	case string(magic[:]) != backgroundMagic:
		return errors.New("frontend: background: not a numsense background (bad magic)")
	case ver != 1:
		return fmt.Errorf("frontend: background: version %d, want 1", ver)
	case ow == 0 || oh == 0 || int(ow)*int(oh) > 1<<22 || chroma > 1 || int(hn) > int(ow)*int(oh):
		return fmt.Errorf("frontend: background: bad geometry %dx%d", ow, oh)
	}
	n := int(ow) * int(oh)
	y, sd := make([]uint16, n), make([]uint8, n)
	u, v := make([]uint16, hn), make([]uint16, hn)
	for _, a := range []any{y, sd, u, v} {
		if err := binary.Read(br, binary.LittleEndian, a); err != nil {
			return fmt.Errorf("frontend: background: %w", err)
		}
	}
	if _, err := br.ReadByte(); err != io.EOF {
		return errors.New("frontend: background: trailing data")
	}
	r := &fe.ref
	r.y, r.sd, r.u, r.v = y, sd, u, v
	r.ow, r.oh, r.chroma, r.texture = int(ow), int(oh), chroma == 1, int(texture)
	r.ok, r.n, r.changed, r.gain = true, 0, 0, 256
	r.version++
	return nil
}
