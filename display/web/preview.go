package web

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"slices"
	"sync"
	"time"
)

// YUYV is a packed 4:2:2 picture (Y0 U Y1 V for each two pixels, V4L2's "YUYV"), as
// USB cameras deliver it; row y starts at Pix[(y-Rect.Min.Y)*Stride], pixel x of a row
// at byte 2*(x-Rect.Min.X). It is an image.Image so that a camera frame can be
// offered to the preview without conversion.
type YUYV struct {
	Pix    []byte
	Stride int
	Rect   image.Rectangle
}

// ColorModel implements image.Image.
func (p *YUYV) ColorModel() color.Model { return color.YCbCrModel }

// Bounds implements image.Image.
func (p *YUYV) Bounds() image.Rectangle { return p.Rect }

// At implements image.Image.
func (p *YUYV) At(x, y int) color.Color {
	if !(image.Point{x, y}.In(p.Rect)) {
		return color.YCbCr{}
	}
	row := p.Pix[(y-p.Rect.Min.Y)*p.Stride:]
	dx := x - p.Rect.Min.X
	pair := row[4*(dx/2):]
	return color.YCbCr{Y: row[2*dx], Cb: pair[1], Cr: pair[3]}
}

// Picture kinds the preview copies as they are.
const (
	picNone = iota
	picGray
	picYCbCr
	picRGBA
	picYUYV
)

// picture is a copy of a frame, reusing its buffers from copy to copy.
type picture struct {
	kind int
	gray image.Gray
	ycc  image.YCbCr
	rgba image.RGBA
	yuyv YUYV
}

// set copies img. The usual camera layouts are copied as they are; anything else is
// drawn into RGBA.
func (p *picture) set(img image.Image) {
	switch m := img.(type) {
	case *image.Gray:
		p.kind = picGray
		p.gray.Pix = append(p.gray.Pix[:0], m.Pix...)
		p.gray.Stride, p.gray.Rect = m.Stride, m.Rect
	case *image.YCbCr:
		p.kind = picYCbCr
		y, cb, cr := p.ycc.Y, p.ycc.Cb, p.ycc.Cr
		p.ycc = *m
		p.ycc.Y = append(y[:0], m.Y...)
		p.ycc.Cb = append(cb[:0], m.Cb...)
		p.ycc.Cr = append(cr[:0], m.Cr...)
	case *image.RGBA:
		p.kind = picRGBA
		p.rgba.Pix = append(p.rgba.Pix[:0], m.Pix...)
		p.rgba.Stride, p.rgba.Rect = m.Stride, m.Rect
	case *YUYV:
		p.kind = picYUYV
		p.yuyv.Pix = append(p.yuyv.Pix[:0], m.Pix...)
		p.yuyv.Stride, p.yuyv.Rect = m.Stride, m.Rect
	default:
		p.kind = picRGBA
		b := img.Bounds()
		n := 4 * b.Dx() * b.Dy()
		if cap(p.rgba.Pix) < n {
			p.rgba.Pix = make([]byte, n)
		}
		p.rgba.Pix, p.rgba.Stride, p.rgba.Rect = p.rgba.Pix[:n], 4*b.Dx(), b
		draw.Draw(&p.rgba, b, img, b.Min, draw.Src)
	}
}

// bounds of the copy.
func (p *picture) bounds() image.Rectangle {
	switch p.kind {
	case picGray:
		return p.gray.Rect
	case picYCbCr:
		return p.ycc.Rect
	case picRGBA:
		return p.rgba.Rect
	case picYUYV:
		return p.yuyv.Rect
	}
	return image.Rectangle{}
}

// Encoder turns pictures into the page's preview (a JPEG, shrunk by a whole factor
// to fit a box, grey pictures in grey) and silhouettes into 1-bit PNGs, as data URLs.
// It keeps its buffers from call to call. Not safe for concurrent use.
type Encoder struct {
	w, h    int     // the box
	pic     picture // Preview's copy
	small   image.YCbCr
	smallG  image.Gray
	jw      jpegWriter
	raw     []byte // the silhouette's scanlines
	zw      *zlib.Writer
	zb      bytes.Buffer
	pb      bytes.Buffer
	url     []byte
	quality int
}

// NewEncoder returns an encoder whose previews fit in w x h pixels.
func NewEncoder(w, h int) *Encoder {
	return &Encoder{w: w, h: h, quality: 70}
}

// Preview encodes a copy of a frame as a JPEG data URL; the result is valid until
// the next call.
func (e *Encoder) preview(p *picture) ([]byte, error) {
	src := p.bounds()
	if src.Empty() {
		return nil, nil
	}
	k := max((src.Dx()+e.w-1)/e.w, (src.Dy()+e.h-1)/e.h, 1)
	ow, oh := max(src.Dx()/k, 1), max(src.Dy()/k, 1)
	var img image.Image
	if p.kind == picGray {
		shrinkGray(&e.smallG, &p.gray, k, ow, oh)
		img = &e.smallG
	} else {
		e.shrinkColour(p, k, ow, oh)
		img = &e.small
	}
	e.jw.b.Reset()
	if err := jpeg.Encode(&e.jw, img, &jpeg.Options{Quality: e.quality}); err != nil {
		return nil, err
	}
	e.url = append(e.url[:0], "data:image/jpeg;base64,"...)
	e.url = base64.StdEncoding.AppendEncode(e.url, e.jw.b.Bytes())
	return e.url, nil
}

// Preview encodes img as the page's preview does: a copy (into a buffer kept from
// call to call), the shrink, the JPEG. The result is valid until the next call.
func (e *Encoder) Preview(img image.Image) ([]byte, error) {
	e.pic.set(img)
	return e.preview(&e.pic)
}

// Silhouette encodes a binary image (lit >= 0x80) as a 1-bit greyscale PNG data URL;
// the result is valid until the next call. The PNG is written here rather than by
// image/png, whose encoder reads a paletted image pixel by pixel through an
// interface (five times the work).
func (e *Encoder) Silhouette(s *image.Gray) ([]byte, error) {
	w, h := s.Rect.Dx(), s.Rect.Dy()
	if w <= 0 || h <= 0 {
		return nil, errors.New("web: empty silhouette")
	}
	// Raw scanlines: filter type 0, then the row packed 8 pixels a byte, MSB first.
	rowLen := 1 + (w+7)/8
	e.raw = slices.Grow(e.raw[:0], rowLen*h)[:rowLen*h]
	for y := 0; y < h; y++ {
		src := s.Pix[y*s.Stride : y*s.Stride+w]
		dst := e.raw[y*rowLen : (y+1)*rowLen]
		clear(dst)
		for x, v := range src {
			dst[1+x>>3] |= (v >> 7) << (7 - uint(x&7))
		}
	}
	e.pb.Reset()
	e.pb.Write(pngSignature)
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 1, 0 // bit depth 1, greyscale
	e.chunk("IHDR", ihdr[:])
	e.zb.Reset()
	if e.zw == nil {
		e.zw, _ = zlib.NewWriterLevel(&e.zb, zlib.BestSpeed)
	} else {
		e.zw.Reset(&e.zb)
	}
	e.zw.Write(e.raw)
	if err := e.zw.Close(); err != nil {
		return nil, err
	}
	e.chunk("IDAT", e.zb.Bytes())
	e.chunk("IEND", nil)
	e.url = append(e.url[:0], "data:image/png;base64,"...)
	e.url = base64.StdEncoding.AppendEncode(e.url, e.pb.Bytes())
	return e.url, nil
}

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// chunk appends a PNG chunk to e.pb.
func (e *Encoder) chunk(typ string, data []byte) {
	var hdr [8]byte
	binary.BigEndian.PutUint32(hdr[:4], uint32(len(data)))
	copy(hdr[4:], typ)
	e.pb.Write(hdr[:])
	e.pb.Write(data)
	crc := crc32.Update(crc32.Update(0, crc32.IEEETable, hdr[4:]), crc32.IEEETable, data)
	binary.BigEndian.PutUint32(hdr[:4], crc)
	e.pb.Write(hdr[:4])
}

// shrinkGray box-filters src by k into dst (ow x oh).
func shrinkGray(dst, src *image.Gray, k, ow, oh int) {
	setGray(dst, ow, oh)
	inv := (1 << 16) / (k * k)
	for oy := 0; oy < oh; oy++ {
		out := dst.Pix[oy*dst.Stride:]
		for ox := 0; ox < ow; ox++ {
			sum := 0
			for dy := 0; dy < k; dy++ {
				row := src.Pix[(oy*k+dy)*src.Stride+ox*k:]
				for _, v := range row[:k] {
					sum += int(v)
				}
			}
			out[ox] = uint8(sum * inv >> 16)
		}
	}
}

// shrinkColour box-filters the luma of p by k into e.small (4:4:4) and samples the
// chroma at each block's centre. One loop per layout: this runs for every preview.
func (e *Encoder) shrinkColour(p *picture, k, ow, oh int) {
	d := &e.small
	n := ow * oh
	if cap(d.Y) < n {
		d.Y, d.Cb, d.Cr = make([]byte, n), make([]byte, n), make([]byte, n)
	}
	d.Y, d.Cb, d.Cr = d.Y[:n], d.Cb[:n], d.Cr[:n]
	d.YStride, d.CStride, d.SubsampleRatio, d.Rect = ow, ow, image.YCbCrSubsampleRatio444, image.Rect(0, 0, ow, oh)
	inv := (1 << 16) / (k * k)
	c := k / 2
	switch {
	case k == 2 && p.kind == picYUYV:
		shrinkYUYV2(d, &p.yuyv, ow, oh)
		return
	case k == 2 && p.kind == picYCbCr && p.ycc.SubsampleRatio == image.YCbCrSubsampleRatio420 && p.ycc.Rect.Min == (image.Point{}):
		shrinkI420x2(d, &p.ycc, ow, oh)
		return
	}
	switch p.kind {
	case picYCbCr:
		m := &p.ycc
		for oy := 0; oy < oh; oy++ {
			yrow, crow := d.Y[oy*ow:(oy+1)*ow], oy*ow
			for ox := range yrow {
				sum := 0
				for dy := 0; dy < k; dy++ {
					for _, v := range m.Y[(oy*k+dy)*m.YStride+ox*k:][:k] {
						sum += int(v)
					}
				}
				yrow[ox] = uint8(sum * inv >> 16)
				ci := m.COffset(m.Rect.Min.X+ox*k+c, m.Rect.Min.Y+oy*k+c)
				d.Cb[crow+ox], d.Cr[crow+ox] = m.Cb[ci], m.Cr[ci]
			}
		}
	case picYUYV:
		m := &p.yuyv
		for oy := 0; oy < oh; oy++ {
			yrow, cb, cr := d.Y[oy*ow:(oy+1)*ow], d.Cb[oy*ow:(oy+1)*ow], d.Cr[oy*ow:(oy+1)*ow]
			mid := m.Pix[(oy*k+c)*m.Stride:]
			for ox := range yrow {
				sum := 0
				for dy := 0; dy < k; dy++ {
					row := m.Pix[(oy*k+dy)*m.Stride+2*ox*k:][:2*k]
					for j := 0; j < len(row); j += 2 {
						sum += int(row[j])
					}
				}
				yrow[ox] = uint8(sum * inv >> 16)
				pair := mid[4*((ox*k+c)/2):][:4]
				cb[ox], cr[ox] = pair[1], pair[3]
			}
		}
	case picRGBA:
		m := &p.rgba
		for oy := 0; oy < oh; oy++ {
			for ox := 0; ox < ow; ox++ {
				r, g, b := 0, 0, 0
				for dy := 0; dy < k; dy++ {
					row := m.Pix[(oy*k+dy)*m.Stride+4*ox*k:][:4*k]
					for j := 0; j < len(row); j += 4 {
						r, g, b = r+int(row[j]), g+int(row[j+1]), b+int(row[j+2])
					}
				}
				i := oy*ow + ox
				d.Y[i], d.Cb[i], d.Cr[i] = color.RGBToYCbCr(uint8(r*inv>>16), uint8(g*inv>>16), uint8(b*inv>>16))
			}
		}
	}
}

// shrinkYUYV2 is shrinkColour for YUYV by 2 (a 640x480 USB camera frame): each
// output pixel is the mean of a 2x2 block of luma, with the U and V of its lower row.
func shrinkYUYV2(d *image.YCbCr, m *YUYV, ow, oh int) {
	for oy := 0; oy < oh; oy++ {
		r0 := m.Pix[2*oy*m.Stride:][:4*ow]
		r1 := m.Pix[(2*oy+1)*m.Stride:][:4*ow]
		yrow, cb, cr := d.Y[oy*ow:][:ow], d.Cb[oy*ow:][:ow], d.Cr[oy*ow:][:ow]
		for ox := range yrow {
			a, b := r0[4*ox:][:4], r1[4*ox:][:4]
			yrow[ox] = uint8((int(a[0]) + int(a[2]) + int(b[0]) + int(b[2]) + 2) >> 2)
			cb[ox], cr[ox] = b[1], b[3]
		}
	}
}

// shrinkI420x2 is shrinkColour for 4:2:0 by 2 (the Pi camera's frames): the chroma
// planes already have the output's size.
func shrinkI420x2(d *image.YCbCr, m *image.YCbCr, ow, oh int) {
	for oy := 0; oy < oh; oy++ {
		r0 := m.Y[2*oy*m.YStride:][:2*ow]
		r1 := m.Y[(2*oy+1)*m.YStride:][:2*ow]
		yrow := d.Y[oy*ow:][:ow]
		for ox := range yrow {
			a, b := r0[2*ox:][:2], r1[2*ox:][:2]
			yrow[ox] = uint8((int(a[0]) + int(a[1]) + int(b[0]) + int(b[1]) + 2) >> 2)
		}
		copy(d.Cb[oy*ow:][:ow], m.Cb[oy*m.CStride:])
		copy(d.Cr[oy*ow:][:ow], m.Cr[oy*m.CStride:])
	}
}

func setGray(g *image.Gray, w, h int) {
	if cap(g.Pix) < w*h {
		g.Pix = make([]byte, w*h)
	}
	g.Pix, g.Stride, g.Rect = g.Pix[:w*h], w, image.Rect(0, 0, w, h)
}

// jpegWriter lets image/jpeg write straight into a buffer (it wraps any writer
// without Flush in a new bufio.Writer).
type jpegWriter struct{ b bytes.Buffer }

func (w *jpegWriter) Write(p []byte) (int, error) { return w.b.Write(p) }
func (w *jpegWriter) WriteByte(c byte) error      { return w.b.WriteByte(c) }
func (w *jpegWriter) Flush() error                { return nil }

// imager hands silhouettes and frames from the publisher to its encoder goroutine:
// one pending copy of each, swapped, never waited for.
type imager struct {
	hub    *hub
	period time.Duration
	enc    *Encoder

	mu      sync.Mutex
	sil     image.Gray // pending silhouette
	silNew  bool
	pic     *picture // pending frame
	picNew  bool
	busy    bool // the goroutine is encoding a frame
	last    time.Time
	stopped bool

	silWork image.Gray
	picWork *picture
	wake    chan struct{}
	done    chan struct{}
}

func newImager(h *hub, o Options) *imager {
	m := &imager{hub: h, period: time.Duration(float64(time.Second) / o.PreviewFPS), enc: NewEncoder(o.PreviewWidth, o.PreviewHeight),
		pic: new(picture), picWork: new(picture), wake: make(chan struct{}, 1), done: make(chan struct{})}
	go m.loop()
	return m
}

func (m *imager) offerSilhouette(s *image.Gray) {
	m.mu.Lock()
	m.sil.Pix = append(m.sil.Pix[:0], s.Pix...)
	m.sil.Stride, m.sil.Rect = s.Stride, s.Rect
	m.silNew = true
	m.mu.Unlock()
	m.poke()
}

func (m *imager) previewDue(now time.Time) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return !m.stopped && !m.picNew && !m.busy && now.Sub(m.last) >= m.period
}

func (m *imager) offerPreview(img image.Image) {
	m.mu.Lock()
	m.pic.set(img)
	m.picNew, m.last = true, time.Now()
	m.mu.Unlock()
	m.poke()
}

func (m *imager) poke() {
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

func (m *imager) loop() {
	defer close(m.done)
	for range m.wake {
		m.mu.Lock()
		if m.stopped {
			m.mu.Unlock()
			return
		}
		doSil, doPic := m.silNew, m.picNew
		if doSil {
			m.sil, m.silWork = m.silWork, m.sil
			m.silNew = false
		}
		if doPic {
			m.pic, m.picWork = m.picWork, m.pic
			m.picNew, m.busy = false, true
		}
		m.mu.Unlock()
		if doSil {
			if url, err := m.enc.Silhouette(&m.silWork); err == nil {
				m.hub.set(evSilhouette, url)
			}
		}
		if doPic {
			if url, err := m.enc.preview(m.picWork); err == nil && url != nil {
				m.hub.set(evPreview, url)
			}
			m.mu.Lock()
			m.busy = false
			m.mu.Unlock()
		}
	}
}

func (m *imager) close() {
	m.mu.Lock()
	m.stopped = true
	m.mu.Unlock()
	m.poke()
	<-m.done
}
