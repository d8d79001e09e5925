package camera

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"time"
)

// Format is the pixel layout of a Frame.
type Format int

const (
	// Invalid is the zero Format; a Frame with it is rejected everywhere.
	Invalid Format = iota
	// Gray is 8-bit luma, one byte per pixel.
	Gray
	// YUYV is packed 4:2:2 (V4L2 fourcc "YUYV", 0x56595559): Y0 U Y1 V. Luma is every even byte of a row.
	YUYV
	// I420 is planar 4:2:0: the Y plane (Stride bytes a row), then the U and V planes at half
	// resolution. Only the Y plane is required in Pix for grey processing, but sources deliver all three.
	I420
	// RGBA is 4 bytes per pixel, R G B A, as image.RGBA.
	RGBA
)

// String returns the name of the format.
func (f Format) String() string {
	switch f {
	case Gray:
		return "Gray"
	case YUYV:
		return "YUYV"
	case I420:
		return "I420"
	case RGBA:
		return "RGBA"
	case Invalid:
		return "Invalid"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// BytesPerPixel returns the bytes a pixel takes in a row (1 for the planar I420 Y plane),
// or 0 for an unknown format.
func (f Format) BytesPerPixel() int {
	switch f {
	case Gray, I420:
		return 1
	case YUYV:
		return 2
	case RGBA:
		return 4
	}
	return 0
}

// Frame is one captured picture. Pix holds the pixels in the layout given by Format;
// row y starts at Pix[y*Stride]. Sources fill a caller's Frame, reusing cap(Pix).
type Frame struct {
	Format        Format
	Width, Height int
	// Stride is the number of bytes between the starts of two rows (of the Y plane for I420).
	Stride int
	Pix    []byte
	// Time is the capture time (the wall clock when the frame was read if the source has none).
	Time time.Time
	// Seq counts the frames a source has delivered, from 1.
	Seq uint64
	// Count is the true number of objects in view when the source knows it
	// (synthetic scenes, labelled recordings), else -1.
	Count int
	// Name is the file the frame came from, if any.
	Name string
}

// MinLen returns the smallest len(Pix) a well-formed frame of this geometry needs.
func (f *Frame) MinLen() int {
	bpp := f.Format.BytesPerPixel()
	if bpp == 0 || f.Width <= 0 || f.Height <= 0 {
		return 0
	}
	// For I420 this is the Y plane only: chroma is optional (grey processing).
	return (f.Height-1)*f.Stride + f.Width*bpp
}

// Validate reports whether the frame's geometry and buffer are consistent.
func (f *Frame) Validate() error {
	bpp := f.Format.BytesPerPixel()
	switch {
	case bpp == 0:
		return fmt.Errorf("camera: frame %s: unsupported pixel format %v", f.label(), f.Format)
	case f.Width <= 0 || f.Height <= 0:
		return fmt.Errorf("camera: frame %s: bad size %dx%d", f.label(), f.Width, f.Height)
	case len(f.Pix) == 0:
		return fmt.Errorf("camera: frame %s: zero-length frame (%v %dx%d)", f.label(), f.Format, f.Width, f.Height)
	case f.Stride < f.Width*bpp:
		return fmt.Errorf("camera: frame %s: stride %d < width %d x %d bytes", f.label(), f.Stride, f.Width, bpp)
	case len(f.Pix) < f.MinLen():
		return fmt.Errorf("camera: frame %s: %d bytes, %v %dx%d stride %d needs %d", f.label(), len(f.Pix), f.Format, f.Width, f.Height, f.Stride, f.MinLen())
	}
	return nil
}

func (f *Frame) label() string {
	if f.Name != "" {
		return fmt.Sprintf("%q", f.Name)
	}
	return fmt.Sprintf("#%d", f.Seq)
}

// Gray returns the frame's luma as an image.Gray. For Gray and I420 frames the image
// shares Pix; for other formats it is a copy.
func (f *Frame) Gray() (*image.Gray, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	r := image.Rect(0, 0, f.Width, f.Height)
	switch f.Format {
	case Gray, I420:
		return &image.Gray{Pix: f.Pix, Stride: f.Stride, Rect: r}, nil
	}
	g := image.NewGray(r)
	for y := 0; y < f.Height; y++ {
		row := f.Pix[y*f.Stride:]
		out := g.Pix[y*g.Stride:]
		for x := 0; x < f.Width; x++ {
			switch f.Format {
			case YUYV:
				out[x] = row[2*x]
			case RGBA:
				out[x] = luma(row[4*x], row[4*x+1], row[4*x+2])
			}
		}
	}
	return g, nil
}

// luma is the BT.601 luma of an 8-bit RGB triple, as image/color computes it.
func luma(r, g, b byte) byte {
	return byte((19595*uint32(r) + 38470*uint32(g) + 7471*uint32(b) + 1<<15) >> 16)
}

// CopyFrom makes f a deep copy of src, reusing f.Pix's capacity.
func (f *Frame) CopyFrom(src *Frame) {
	pix := f.Pix
	*f = *src
	f.Pix = append(pix[:0], src.Pix...)
}

// SetImage fills f from a decoded image, reusing f.Pix: *image.Gray becomes Gray,
// a 4:2:0 *image.YCbCr (what image/jpeg gives for camera JPEGs) becomes I420 without
// conversion, everything else becomes RGBA.
func (f *Frame) SetImage(img image.Image) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	f.Width, f.Height = w, h
	switch m := img.(type) {
	case *image.Gray:
		f.setGray(m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride, w, h)
		return
	case *image.YCbCr:
		if m.SubsampleRatio == image.YCbCrSubsampleRatio420 && b.Min.X%2 == 0 && b.Min.Y%2 == 0 {
			s := (w + 1) &^ 1
			cs, ch := s/2, (h+1)/2
			f.Format, f.Stride = I420, s
			f.Pix = grow(f.Pix, s*h+2*cs*ch)
			for y := 0; y < h; y++ {
				copy(f.Pix[y*s:y*s+w], m.Y[m.YOffset(b.Min.X, b.Min.Y+y):])
			}
			u0, v0 := s*h, s*h+cs*ch
			cw := (w + 1) / 2
			for y := 0; y < ch; y++ {
				c := m.COffset(b.Min.X, b.Min.Y+2*y)
				copy(f.Pix[u0+y*cs:u0+y*cs+cw], m.Cb[c:])
				copy(f.Pix[v0+y*cs:v0+y*cs+cw], m.Cr[c:])
			}
			return
		}
	}
	f.Format, f.Stride = RGBA, 4*w
	f.Pix = grow(f.Pix, 4*w*h)
	i := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			f.Pix[i], f.Pix[i+1], f.Pix[i+2], f.Pix[i+3] = c.R, c.G, c.B, 255
			i += 4
		}
	}
}

func (f *Frame) setGray(pix []byte, stride, w, h int) {
	f.Format, f.Stride = Gray, w
	f.Pix = grow(f.Pix, w*h)
	for y := 0; y < h; y++ {
		copy(f.Pix[y*w:(y+1)*w], pix[y*stride:])
	}
}

// grow returns b resized to n bytes, reusing its capacity.
func grow(b []byte, n int) []byte {
	if cap(b) >= n {
		return b[:n]
	}
	return make([]byte, n)
}

// Source delivers frames. Implementations are not safe for concurrent use:
// one goroutine calls Next in a loop.
type Source interface {
	// Next fills dst with the newest frame, reusing dst.Pix's capacity (no allocation in
	// steady state for raw formats). It blocks until a frame is ready or ctx is done.
	// io.EOF means a recording has ended; ErrCameraLost means a live camera
	// disappeared and the source is trying to reopen it (call Next again to retry).
	Next(ctx context.Context, dst *Frame) error
	// Close releases the device, child process or files.
	Close() error
	// Name describes the source for logs and displays.
	Name() string
}

// Errors a run loop can test for with errors.Is. They are wrapped with the device or file name.
var (
	// ErrNoDevice means the named camera does not exist or cannot be opened.
	ErrNoDevice = errors.New("no camera device")
	// ErrCameraLost means a live camera stopped delivering (unplugged, I/O errors,
	// child process died); the source keeps trying to reopen it.
	ErrCameraLost = errors.New("camera lost")
	// ErrUnsupported means a device or file offers no pixel format this package reads.
	ErrUnsupported = errors.New("unsupported pixel format")
)

// Error is the error type of live sources: Op failed on Device with Err
// (one of ErrNoDevice, ErrCameraLost, ErrUnsupported, or an underlying error).
type Error struct {
	Device string
	Op     string
	Err    error
}

func (e *Error) Error() string {
	return fmt.Sprintf("camera %s: %s: %v", e.Device, e.Op, e.Err)
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// lostError wraps cause as ErrCameraLost for device.
func lostError(device, op string, cause error) error {
	return &Error{Device: device, Op: op, Err: fmt.Errorf("%w: %w", ErrCameraLost, cause)}
}
