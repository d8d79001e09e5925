package camera

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/numsense/numsense/model/quote"
)

// Y4M is a Source reading a YUV4MPEG2 file: "mono" (and "mono16" is rejected) gives Gray
// frames, the 4:2:0 variants (420jpeg, 420paldv, 420mpeg2, 420, the default) give
// I420, 4:2:2 and 4:4:4 give Gray (luma only; chroma skipped).
//
// The header is checked before anything is allocated: a width and a height of
// 1..MaxY4MSide each and at most MaxImagePixels in all, a frame rate F of two
// positive numbers; a header or a FRAME line longer than 64 KB is refused. A file
// that ends inside a frame is an error (a truncated or lying recording), not the
// end of the recording.
type Y4M struct {
	path   string
	rs     io.ReadSeeker
	c      io.Closer
	r      *bufio.Reader
	w, h   int
	cs     string
	chroma int // bytes of chroma after the luma plane
	format Format
	rate   float64 // the F header in frames per second (0: none)
	loop   bool
	pace   pacer
	seq    uint64
}

// MaxY4MSide bounds the width and the height a .y4m header may declare.
const MaxY4MSide = 1 << 16

// y4mLineMax bounds a header or FRAME line (the bufio buffer).
const y4mLineMax = 1 << 16

// OpenY4M opens a YUV4MPEG2 file and reads its header.
func OpenY4M(path string, o *Opts) (*Y4M, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("camera: %w", err)
	}
	s, err := newY4M(path, f, f, o)
	if err != nil {
		f.Close()
		return nil, err
	}
	return s, nil
}

func newY4M(path string, rs io.ReadSeeker, c io.Closer, o *Opts) (*Y4M, error) {
	oo := o.withDefaults(640, 480)
	s := &Y4M{path: path, rs: rs, c: c, r: bufio.NewReaderSize(rs, y4mLineMax), loop: oo.Loop}
	if err := s.header(); err != nil {
		return nil, fmt.Errorf("camera: y4m %s: %w", path, err)
	}
	s.pace = pacer{rate: oo.playRate(s.rate)}
	return s, nil
}

// readLine reads one line of at most y4mLineMax bytes, without the newline.
func (s *Y4M) readLine(what string) ([]byte, error) {
	line, err := s.r.ReadSlice('\n')
	switch {
	case errors.Is(err, bufio.ErrBufferFull):
		if what == "FRAME" && !bytes.HasPrefix(line, []byte("FRAME")) {
			return nil, errNoFrameMarker
		}
		return nil, fmt.Errorf("%s line longer than %d KB", what, y4mLineMax>>10)
	case err != nil:
		return line, err
	}
	return line[:len(line)-1], nil
}

func (s *Y4M) header() error {
	line, err := s.readLine("header")
	if err != nil {
		if err == io.EOF {
			return errors.New("no header: the file ends before its first newline")
		}
		return fmt.Errorf("no header: %v", err)
	}
	fields := strings.Fields(string(line))
	if len(fields) == 0 || fields[0] != "YUV4MPEG2" {
		return errors.New("not a YUV4MPEG2 file")
	}
	s.w, s.h, s.rate, s.cs = 0, 0, 0, "420jpeg"
	for _, f := range fields[1:] {
		var err error
		switch f[0] {
		case 'W':
			s.w, err = side(f)
		case 'H':
			s.h, err = side(f)
		case 'C':
			s.cs = f[1:]
		case 'F':
			s.rate, err = frameRate(f)
		}
		if err != nil {
			return err
		}
	}
	if s.w == 0 || s.h == 0 {
		return fmt.Errorf("the header declares no size (W%d H%d)", s.w, s.h)
	}
	if err := CheckImageSize("frame size", s.w, s.h); err != nil {
		return err
	}
	cw, ch := (s.w+1)/2, (s.h+1)/2
	switch {
	case s.cs == "mono":
		s.format, s.chroma = Gray, 0
	case strings.HasPrefix(s.cs, "420"):
		s.format, s.chroma = I420, 2*cw*ch
		if s.w%2 != 0 {
			s.format = Gray // odd width: I420 chroma stride would not be Stride/2
		}
	case s.cs == "422":
		s.format, s.chroma = Gray, 2*cw*s.h
	case s.cs == "444":
		s.format, s.chroma = Gray, 2*s.w*s.h
	default:
		return fmt.Errorf("colour space C%s: %w", quote.Text(s.cs), ErrUnsupported)
	}
	return nil
}

// side parses a W or H field: 1..MaxY4MSide.
func side(f string) (int, error) {
	n, err := strconv.Atoi(f[1:])
	if err != nil || n < 1 || n > MaxY4MSide {
		return 0, fmt.Errorf("bad size field %s (want %c1..%c%d)", quote.Short(f), f[0], f[0], MaxY4MSide)
	}
	return n, nil
}

// frameRate parses an F field "Fnum:den" into frames per second.
func frameRate(f string) (float64, error) {
	num, den, ok := strings.Cut(f[1:], ":")
	a, err1 := strconv.ParseUint(num, 10, 32)
	b, err2 := strconv.ParseUint(den, 10, 32)
	if !ok || err1 != nil || err2 != nil || a == 0 || b == 0 {
		return 0, fmt.Errorf("bad frame rate field %s (want Fnum:den)", quote.Short(f))
	}
	return float64(a) / float64(b), nil
}

var errNoFrameMarker = errors.New("no FRAME marker (the header's size or colour space does not match the data)")

// Name returns the file name.
func (s *Y4M) Name() string { return s.path }

// Close closes the file.
func (s *Y4M) Close() error { return s.c.Close() }

// Stills is false: the frames of a .y4m are one video (see Recording).
func (s *Y4M) Stills() bool { return false }

// FrameRate is the rate of the F header (0: none).
func (s *Y4M) FrameRate() float64 { return s.rate }

// Next reads the next frame into dst; io.EOF at the end unless looping.
func (s *Y4M) Next(ctx context.Context, dst *Frame) error {
	if err := s.pace.wait(ctx); err != nil {
		return err
	}
	line, err := s.readLine("FRAME")
	if err == io.EOF && len(line) == 0 {
		if !s.loop || s.seq == 0 {
			return io.EOF
		}
		if _, err := s.rs.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("camera: y4m %s: %w", s.path, err)
		}
		s.r.Reset(s.rs)
		if err := s.header(); err != nil {
			return fmt.Errorf("camera: y4m %s: %w", s.path, err)
		}
		line, err = s.readLine("FRAME")
	}
	if err != nil {
		if err == io.EOF {
			err = errors.New("truncated: the file ends inside a FRAME line")
		}
		return fmt.Errorf("camera: y4m %s frame %d: %v", s.path, s.seq+1, err)
	}
	if !bytes.HasPrefix(line, []byte("FRAME")) {
		return fmt.Errorf("camera: y4m %s frame %d: %w", s.path, s.seq+1, errNoFrameMarker)
	}
	n := s.w * s.h
	keep := n
	if s.format == I420 {
		keep += s.chroma
	}
	dst.Pix = grow(dst.Pix, keep)
	if _, err := io.ReadFull(s.r, dst.Pix); err != nil {
		return fmt.Errorf("camera: y4m %s frame %d: truncated: %v", s.path, s.seq+1, err)
	}
	if skip := n + s.chroma - keep; skip > 0 {
		if _, err := s.r.Discard(skip); err != nil {
			return fmt.Errorf("camera: y4m %s frame %d: truncated: %v", s.path, s.seq+1, err)
		}
	}
	s.seq++
	dst.Format, dst.Width, dst.Height, dst.Stride = s.format, s.w, s.h, s.w
	dst.Seq, dst.Time, dst.Count, dst.Name = s.seq, time.Now(), -1, s.path
	return nil
}
