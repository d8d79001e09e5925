package web

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
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
	w, h    int // the box
	small   image.YCbCr
	smallG  image.Gray
	jw      jpegWriter
	pal     *image.Paletted
	penc    png.Encoder
	pool    encPool
	pb      bytes.Buffer
	url     []byte
	quality int
}

// NewEncoder returns an encoder whose previews fit in w x h pixels.
func NewEncoder(w, h int) *Encoder {
	e := &Encoder{w: w, h: h, quality: 70}
	e.pal = image.NewPaletted(image.Rect(0, 0, 227, 227), color.Palette{color.Gray{0}, color.Gray{255}})
	e.penc = png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: &e.pool}
	return e
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

// Preview encodes img as the page's preview does (for tests and benchmarks).
func (e *Encoder) Preview(img image.Image) ([]byte, error) {
	var p picture
	p.set(img)
	return e.preview(&p)
}

// Silhouette encodes a binary image (lit >= 0x80) as a 1-bit PNG data URL; the result
// is valid until the next call.
func (e *Encoder) Silhouette(s *image.Gray) ([]byte, error) {
	b := s.Rect
	if e.pal.Rect.Dx() != b.Dx() || e.pal.Rect.Dy() != b.Dy() {
		e.pal = image.NewPaletted(image.Rect(0, 0, b.Dx(), b.Dy()), e.pal.Palette)
	}
	for y := 0; y < b.Dy(); y++ {
		src := s.Pix[y*s.Stride : y*s.Stride+b.Dx()]
		dst := e.pal.Pix[y*e.pal.Stride:]
		for x, v := range src {
			dst[x] = v >> 7
		}
	}
	e.pb.Reset()
	if err := e.penc.Encode(&e.pb, e.pal); err != nil {
		return nil, err
	}
	e.url = append(e.url[:0], "data:image/png;base64,"...)
	e.url = base64.StdEncoding.AppendEncode(e.url, e.pb.Bytes())
	return e.url, nil
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
// chroma at each block's centre.
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
	for oy := 0; oy < oh; oy++ {
		for ox := 0; ox < ow; ox++ {
			i := oy*ow + ox
			sum := 0
			switch p.kind {
			case picYCbCr:
				m := &p.ycc
				for dy := 0; dy < k; dy++ {
					row := m.Y[(oy*k+dy)*m.YStride+ox*k:]
					for _, v := range row[:k] {
						sum += int(v)
					}
				}
				ci := m.COffset(m.Rect.Min.X+ox*k+c, m.Rect.Min.Y+oy*k+c)
				d.Cb[i], d.Cr[i] = m.Cb[ci], m.Cr[ci]
			case picYUYV:
				m := &p.yuyv
				for dy := 0; dy < k; dy++ {
					row := m.Pix[(oy*k+dy)*m.Stride+2*ox*k:]
					for j := 0; j < 2*k; j += 2 {
						sum += int(row[j])
					}
				}
				pair := m.Pix[(oy*k+c)*m.Stride+4*((ox*k+c)/2):]
				d.Cb[i], d.Cr[i] = pair[1], pair[3]
			case picRGBA:
				m := &p.rgba
				r, g, b := 0, 0, 0
				for dy := 0; dy < k; dy++ {
					row := m.Pix[(oy*k+dy)*m.Stride+4*ox*k:]
					for j := 0; j < 4*k; j += 4 {
						r, g, b = r+int(row[j]), g+int(row[j+1]), b+int(row[j+2])
					}
				}
				yy, cb, cr := color.RGBToYCbCr(uint8(r*inv>>16), uint8(g*inv>>16), uint8(b*inv>>16))
				d.Y[i], d.Cb[i], d.Cr[i] = yy, cb, cr
				continue
			}
			d.Y[i] = uint8(sum * inv >> 16)
		}
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

// encPool keeps the PNG encoder's buffers between images.
type encPool struct{ b *png.EncoderBuffer }

func (p *encPool) Get() *png.EncoderBuffer  { return p.b }
func (p *encPool) Put(b *png.EncoderBuffer) { p.b = b }

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
