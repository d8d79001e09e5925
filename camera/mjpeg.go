package camera

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/image/riff"

	"github.com/numsense/numsense/model/quote"
)

// MJPEG is a Source reading JPEG frames from a raw MJPEG stream (concatenated JPEGs,
// split on SOI/EOI markers) or from the 00dc chunks of an MJPEG AVI. A frame larger
// than MaxJPEGBytes (a chunk that declares it, or a stream frame without an end)
// is refused before it is read; a truncated frame or a chunk that runs past its
// list is an error naming the file and the frame.
type MJPEG struct {
	path    string
	rs      io.ReadSeeker
	c       io.Closer
	next    func() ([]byte, error) // next JPEG
	reset   func() error
	loop    bool
	pace    pacer
	rate    float64 // the AVI's declared frame rate (0: none)
	limit   int     // pixels a frame may declare (MaxImagePixels; less in fuzzing)
	seq     uint64
	buf     []byte
	scratch []byte
	r       *bufio.Reader
	movi    []*riff.Reader // the movi list and any "rec " lists inside it
}

// OpenMJPEG opens a raw MJPEG stream file.
func OpenMJPEG(path string, o *Opts) (*MJPEG, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("camera: %w", err)
	}
	return newMJPEG(path, f, f, o), nil
}

func newMJPEG(path string, rs io.ReadSeeker, c io.Closer, o *Opts) *MJPEG {
	oo := o.withDefaults(640, 480)
	s := &MJPEG{path: path, rs: rs, c: c, loop: oo.Loop, pace: pacer{rate: oo.playRate(0)}, r: bufio.NewReaderSize(rs, 1<<16), limit: MaxImagePixels}
	s.next = s.nextRaw
	s.reset = func() error {
		if _, err := rs.Seek(0, io.SeekStart); err != nil {
			return err
		}
		s.r.Reset(rs)
		return nil
	}
	return s
}

// OpenAVI opens an MJPEG AVI file (the movi list of its first RIFF).
func OpenAVI(path string, o *Opts) (*MJPEG, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("camera: %w", err)
	}
	s, err := newAVI(path, f, f, o)
	if err != nil {
		f.Close()
		return nil, err
	}
	return s, nil
}

func newAVI(path string, rs io.ReadSeeker, c io.Closer, o *Opts) (*MJPEG, error) {
	oo := o.withDefaults(640, 480)
	s := &MJPEG{path: path, rs: rs, c: c, loop: oo.Loop, limit: MaxImagePixels}
	s.next = s.nextAVI
	s.reset = func() error {
		if _, err := rs.Seek(0, io.SeekStart); err != nil {
			return err
		}
		return s.findMovi()
	}
	if err := s.findMovi(); err != nil {
		return nil, fmt.Errorf("camera: avi %s: %w", path, err)
	}
	s.pace = pacer{rate: oo.playRate(s.rate)}
	return s, nil
}

var (
	fccAVI  = riff.FourCC{'A', 'V', 'I', ' '}
	fccMovi = riff.FourCC{'m', 'o', 'v', 'i'}
	fccHdrl = riff.FourCC{'h', 'd', 'r', 'l'}
	fccAvih = riff.FourCC{'a', 'v', 'i', 'h'}
)

func (s *MJPEG) findMovi() error {
	form, r, err := riff.NewReader(bufio.NewReaderSize(s.rs, 1<<16))
	if err != nil {
		return err
	}
	if form != fccAVI {
		return fmt.Errorf("RIFF form %s, not AVI", quote.Short(string(form[:])))
	}
	for {
		id, n, data, err := r.Next()
		if err == io.EOF {
			return errors.New("no movi list")
		}
		if err != nil {
			return err
		}
		if id != riff.LIST {
			continue
		}
		lt, lr, err := riff.NewListReader(n, data)
		if err != nil {
			return err
		}
		switch lt {
		case fccMovi:
			s.movi = []*riff.Reader{lr}
			return nil
		case fccHdrl:
			s.rate = aviRate(lr)
		}
	}
}

// aviRate reads the frame rate of the main AVI header (avih: microseconds per
// frame) in the hdrl list; 0 if there is none.
func aviRate(hdrl *riff.Reader) float64 {
	for {
		id, n, data, err := hdrl.Next()
		if err != nil {
			return 0
		}
		if id == fccAvih && n >= 4 {
			var b [4]byte
			if _, err := io.ReadFull(data, b[:]); err != nil {
				return 0
			}
			if us := binary.LittleEndian.Uint32(b[:]); us > 0 {
				return 1e6 / float64(us)
			}
			return 0
		}
	}
}

func (s *MJPEG) nextAVI() ([]byte, error) {
	for len(s.movi) > 0 {
		top := s.movi[len(s.movi)-1]
		id, n, data, err := top.Next()
		if err == io.EOF && len(s.movi) > 1 {
			s.movi = s.movi[:len(s.movi)-1] // end of a "rec " list
			continue
		}
		if err != nil {
			return nil, err
		}
		switch {
		case id == riff.LIST: // "rec " lists group chunks
			_, lr, err := riff.NewListReader(n, data)
			if err != nil {
				return nil, err
			}
			s.movi = append(s.movi, lr)
		case id[2] == 'd' && (id[3] == 'c' || id[3] == 'b'):
			if n == 0 {
				continue // dropped frame
			}
			if n > MaxJPEGBytes {
				return nil, fmt.Errorf("chunk %s declares %d bytes, more than %d MB for one frame", quote.Short(string(id[:])), n, MaxJPEGBytes>>20)
			}
			s.buf = grow(s.buf, int(n))
			if _, err := io.ReadFull(data, s.buf); err != nil {
				return nil, fmt.Errorf("truncated chunk: %v", err)
			}
			return s.buf, nil
		}
	}
	return nil, io.EOF
}

// nextRaw returns the bytes from the next SOI to its EOI, parsing marker segments
// up to the start of scan so that an EOI inside an embedded thumbnail is not taken
// for the end of the frame.
func (s *MJPEG) nextRaw() ([]byte, error) {
	r := s.r
	// Find SOI.
	for {
		b, err := r.ReadByte()
		if err != nil {
			return nil, err
		}
		if b != 0xff {
			continue
		}
		c, err := r.ReadByte()
		if err != nil {
			return nil, err
		}
		if c == 0xd8 {
			break
		}
		if c == 0xff {
			r.UnreadByte()
		}
	}
	buf := append(s.buf[:0], 0xff, 0xd8)
	trunc := func(err error) error {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return fmt.Errorf("truncated JPEG at byte %d: %w", len(buf), io.ErrUnexpectedEOF)
		}
		return err
	}
	// Marker segments.
	for {
		if len(buf) > MaxJPEGBytes {
			return nil, fmt.Errorf("no start of scan in the first %d MB of a frame", MaxJPEGBytes>>20)
		}
		b, err := r.ReadByte()
		if err != nil {
			return nil, trunc(err)
		}
		if b != 0xff {
			return nil, fmt.Errorf("bad JPEG marker at byte %d", len(buf))
		}
		m, err := r.ReadByte()
		if err != nil {
			return nil, trunc(err)
		}
		for m == 0xff {
			if m, err = r.ReadByte(); err != nil {
				return nil, trunc(err)
			}
		}
		buf = append(buf, 0xff, m)
		if m == 0xd9 {
			s.buf = buf
			return buf, nil
		}
		if m == 0x01 || (m >= 0xd0 && m <= 0xd7) {
			continue
		}
		var lb [2]byte
		if _, err := io.ReadFull(r, lb[:]); err != nil {
			return nil, trunc(err)
		}
		l := int(lb[0])<<8 | int(lb[1])
		if l < 2 {
			return nil, fmt.Errorf("bad JPEG segment length %d", l)
		}
		buf = append(buf, lb[:]...)
		start := len(buf)
		buf = append(buf, make([]byte, l-2)...)
		if _, err := io.ReadFull(r, buf[start:]); err != nil {
			return nil, trunc(err)
		}
		if m == 0xda {
			break
		}
	}
	// Entropy-coded data until a marker other than RSTn or a stuffed 0xff00.
	for {
		if len(buf) > MaxJPEGBytes {
			return nil, fmt.Errorf("no end of image in the first %d MB of a frame", MaxJPEGBytes>>20)
		}
		b, err := r.ReadByte()
		if err != nil {
			return nil, trunc(err)
		}
		buf = append(buf, b)
		if b != 0xff {
			continue
		}
		c, err := r.ReadByte()
		if err != nil {
			return nil, trunc(err)
		}
		buf = append(buf, c)
		if c == 0xd9 {
			s.buf = buf
			return buf, nil
		}
		if c == 0xff {
			buf = buf[:len(buf)-1]
			r.UnreadByte()
		}
	}
}

// Name returns the file name.
func (s *MJPEG) Name() string { return s.path }

// Close closes the file.
func (s *MJPEG) Close() error { return s.c.Close() }

// Stills is false: the frames are one video (see Recording).
func (s *MJPEG) Stills() bool { return false }

// FrameRate is the rate an AVI's main header declares (0: none, and for raw MJPEG).
func (s *MJPEG) FrameRate() float64 { return s.rate }

// Next decodes the next JPEG into dst (standard Huffman tables inserted when missing);
// io.EOF at the end unless looping. A corrupt frame gives an error naming the file
// and frame; the next call moves on to the following frame.
func (s *MJPEG) Next(ctx context.Context, dst *Frame) error {
	if err := s.pace.wait(ctx); err != nil {
		return err
	}
	data, err := s.next()
	if err == io.EOF {
		if !s.loop || s.seq == 0 {
			return io.EOF
		}
		if err := s.reset(); err != nil {
			return fmt.Errorf("camera: %s: %w", s.path, err)
		}
		data, err = s.next()
	}
	if err != nil {
		return fmt.Errorf("camera: %s frame %d: %w", s.path, s.seq+1, err)
	}
	s.seq++
	if err := decodeJPEGLimit(data, &s.scratch, dst, s.limit); err != nil {
		return fmt.Errorf("camera: %s frame %d: %w", s.path, s.seq, err)
	}
	dst.Seq, dst.Time, dst.Count, dst.Name = s.seq, time.Now(), -1, s.path
	return nil
}
