package camera

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // photos
	_ "image/png"
	"io"
	"os"
	"unsafe"
)

// MaxImagePixels bounds the pictures numsense decodes: 64 megapixels (8192 x 8192),
// far above any camera it reads (a Pi Camera Module 3 gives 12 megapixels). A file
// or frame that declares more is refused before its pixels are decoded, so a small
// file that claims a huge size cannot exhaust the memory of a Pi. Every decoder of
// camera checks it: ReadImage, ReadFrame, image directories, MJPEG and AVI frames,
// V4L2 MJPEG frames; .y4m headers are checked against it too.
const MaxImagePixels = 64 << 20

// MaxJPEGBytes bounds one compressed JPEG (a photo file, an MJPEG or AVI frame):
// 64 MB, more than a 64-megapixel photo at the highest quality usually takes. A
// recording that declares a larger frame is refused before the frame is read.
const MaxJPEGBytes = 64 << 20

// CheckImageSize returns an error naming what if a w x h picture is empty or larger
// than MaxImagePixels.
func CheckImageSize(what string, w, h int) error { return checkSize(what, w, h, MaxImagePixels) }

func checkSize(what string, w, h, limit int) error {
	if w <= 0 || h <= 0 || int64(w)*int64(h) > int64(limit) {
		return fmt.Errorf("%s: %dx%d pixels is outside 1..%d megapixels", what, w, h, limit>>20)
	}
	return nil
}

// ReadImage decodes a PNG or JPEG file, after checking its declared size against
// MaxImagePixels. Errors name the file.
func ReadImage(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	head, _ := br.Peek(24)
	head = bytes.Clone(head)
	cfg, _, err := image.DecodeConfig(br)
	if err != nil {
		if w, h, ok := pngSize(head); ok && int64(w)*int64(h) > MaxImagePixels {
			return nil, CheckImageSize(path, int(min(w, 1<<31-1)), int(min(h, 1<<31-1)))
		}
		return nil, fmt.Errorf("%s: cannot decode image: %w", path, err)
	}
	if err := CheckImageSize(path, cfg.Width, cfg.Height); err != nil {
		return nil, err
	}
	if _, err := f.Seek(0, 0); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	br.Reset(f)
	img, _, err := image.Decode(br)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot decode image: %w", path, err)
	}
	return img, nil
}

// ReadFrame decodes a PNG or JPEG file into dst like ReadImage, with one full copy
// of the picture in memory: the frame takes over the decoded pixels where their
// layout allows (8-bit grey, RGB and RGBA PNGs, 4:2:0 and grey JPEGs) instead of
// copying them (other layouts are converted, as SetImage does). The pixels are the
// same as SetImage(ReadImage(path)) gives. JPEGs without Huffman tables (saved MJPEG
// frames) get the standard ones. Errors name the file.
func ReadFrame(path string, dst *Frame) error {
	var scratch []byte
	return readFrame(path, &scratch, dst, MaxImagePixels)
}

func readFrame(path string, scratch *[]byte, dst *Frame, limit int) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	if head, _ := br.Peek(2); isJPEG(head) {
		// Read whole (bounded): a JPEG may need the standard Huffman tables inserted.
		st, err := f.Stat()
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if st.Size() > MaxJPEGBytes {
			return fmt.Errorf("%s: JPEG of %d bytes is larger than %d MB", path, st.Size(), MaxJPEGBytes>>20)
		}
		data := make([]byte, st.Size())
		if _, err := io.ReadFull(br, data); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if err := decodeJPEGLimit(data, scratch, dst, limit); err != nil {
			return fmt.Errorf("%s: cannot decode image: %w", path, err)
		}
		return nil
	}
	if err := decodeLimit(br, func() (io.Reader, error) {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, err
		}
		br.Reset(f)
		return br, nil
	}, dst, limit); err != nil {
		return fmt.Errorf("%s: cannot decode image: %w", path, err)
	}
	return nil
}

// decodeLimit reads the declared size of the image in r, refuses it above limit
// pixels, then decodes it into dst (taking over its pixels). The decoder reads r
// again from the start: r itself if it is an io.Seeker, else what again returns.
func decodeLimit(r io.Reader, again func() (io.Reader, error), dst *Frame, limit int) error {
	var head []byte
	switch rr := r.(type) {
	case *bufio.Reader:
		head, _ = rr.Peek(24)
		head = bytes.Clone(head)
	case *bytes.Reader:
		head = make([]byte, 24)
		n, _ := rr.ReadAt(head, 0)
		head = head[:n]
	}
	cfg, _, err := image.DecodeConfig(r)
	if err != nil {
		// image/png refuses a size that overflows an int of 32 bits itself: say
		// what the header declared all the same.
		if w, h, ok := pngSize(head); ok && int64(w)*int64(h) > int64(limit) {
			return checkSize("declared size", int(min(w, 1<<31-1)), int(min(h, 1<<31-1)), limit)
		}
		return err
	}
	if err := checkSize("declared size", cfg.Width, cfg.Height, limit); err != nil {
		return err
	}
	if s, ok := r.(io.Seeker); ok && again == nil {
		if _, err := s.Seek(0, io.SeekStart); err != nil {
			return err
		}
	} else if again != nil {
		if r, err = again(); err != nil {
			return err
		}
	} else {
		return errors.New("camera: decodeLimit cannot read the image again")
	}
	img, _, err := image.Decode(r)
	if err != nil {
		return err
	}
	if b := img.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return fmt.Errorf("decoded %dx%d pixels, the header declared %dx%d", b.Dx(), b.Dy(), cfg.Width, cfg.Height)
	}
	dst.adopt(img)
	return nil
}

// pngSize returns the width and height a PNG's IHDR declares, from the first 24
// bytes of the file.
func pngSize(head []byte) (w, h uint32, ok bool) {
	if len(head) < 24 || string(head[:8]) != "\x89PNG\r\n\x1a\n" || string(head[12:16]) != "IHDR" {
		return 0, 0, false
	}
	return binary.BigEndian.Uint32(head[16:20]), binary.BigEndian.Uint32(head[20:24]), true
}

// adopt fills f from an image that nothing else uses (just decoded), taking over its
// pixel buffer instead of copying it where the layout allows; the pixels are those
// SetImage gives. img must not be used afterwards.
func (f *Frame) adopt(img image.Image) {
	b := img.Bounds()
	if b.Min != (image.Point{}) || b.Empty() {
		f.SetImage(img)
		return
	}
	w, h := b.Dx(), b.Dy()
	switch m := img.(type) {
	case *image.Gray:
		f.Format, f.Width, f.Height, f.Stride, f.Pix = Gray, w, h, m.Stride, m.Pix
		return
	case *image.NRGBA:
		// SetImage keeps R, G, B and makes every pixel opaque.
		for y := 0; y < h; y++ {
			row := m.Pix[y*m.Stride : y*m.Stride+4*w]
			for i := 3; i < len(row); i += 4 {
				row[i] = 0xff
			}
		}
		f.Format, f.Width, f.Height, f.Stride, f.Pix = RGBA, w, h, m.Stride, m.Pix
		return
	case *image.RGBA:
		if m.Opaque() { // premultiplied = straight alpha
			f.Format, f.Width, f.Height, f.Stride, f.Pix = RGBA, w, h, m.Stride, m.Pix
			return
		}
	case *image.YCbCr:
		if pix := i420InPlace(m); pix != nil {
			f.Format, f.Width, f.Height, f.Stride, f.Pix = I420, w, h, m.YStride, pix
			return
		}
	}
	f.SetImage(img)
}

// i420InPlace rearranges a 4:2:0 image.YCbCr whose planes share one buffer (as
// image.NewYCbCr, and so image/jpeg, makes them) into the I420 layout of a Frame
// with Stride m.YStride, in that buffer: the Y rows stay where they are, the Cb and
// Cr planes move down to follow the last visible row. It returns the frame's Pix,
// or nil (and leaves m alone) if m is not laid out so.
func i420InPlace(m *image.YCbCr) []byte {
	h := m.Rect.Dy()
	s, cs, ch := m.YStride, m.CStride, (h+1)/2
	if m.SubsampleRatio != image.YCbCrSubsampleRatio420 || m.Rect.Min != (image.Point{}) ||
		s%2 != 0 || cs != s/2 || m.Rect.Dx() > s || len(m.Y) == 0 || len(m.Cb) == 0 || len(m.Cr) == 0 {
		return nil
	}
	ny, nc := cap(m.Y), cap(m.Cb)
	if cap(m.Cr) != nc || ny < s*h || nc < cs*ch {
		return nil
	}
	y0 := unsafe.SliceData(m.Y)
	if unsafe.Add(unsafe.Pointer(y0), ny) != unsafe.Pointer(unsafe.SliceData(m.Cb)) ||
		unsafe.Add(unsafe.Pointer(y0), ny+nc) != unsafe.Pointer(unsafe.SliceData(m.Cr)) {
		return nil
	}
	all := unsafe.Slice(y0, ny+2*nc) // the one allocation holding the three planes
	u0 := s * h
	v0 := u0 + cs*ch
	copy(all[u0:v0], all[ny:ny+cs*ch]) // memmove: the destination lies below the source
	copy(all[v0:v0+cs*ch], all[ny+nc:ny+nc+cs*ch])
	return all[:v0+cs*ch]
}
