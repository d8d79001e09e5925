package camera

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// Y4M is a Source reading a YUV4MPEG2 file: "mono" (and "mono16" is rejected) gives Gray
// frames, the 4:2:0 variants (420jpeg, 420paldv, 420mpeg2, 420, the default) give
// I420, 4:2:2 and 4:4:4 give Gray (luma only; chroma skipped).
type Y4M struct {
	path   string
	f      *os.File
	r      *bufio.Reader
	w, h   int
	cs     string
	chroma int // bytes of chroma after the luma plane
	format Format
	loop   bool
	pace   pacer
	seq    uint64
}

// OpenY4M opens a YUV4MPEG2 file and reads its header.
func OpenY4M(path string, o *Opts) (*Y4M, error) {
	oo := o.withDefaults(640, 480)
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("camera: %w", err)
	}
	s := &Y4M{path: path, f: f, r: bufio.NewReaderSize(f, 1<<16), loop: oo.Loop, pace: pacer{rate: oo.Rate}}
	if err := s.header(); err != nil {
		f.Close()
		return nil, fmt.Errorf("camera: y4m %s: %w", path, err)
	}
	return s, nil
}

func (s *Y4M) header() error {
	line, err := s.r.ReadString('\n')
	if err != nil {
		return fmt.Errorf("no header: %v", err)
	}
	fields := strings.Fields(line)
	if len(fields) == 0 || fields[0] != "YUV4MPEG2" {
		return errors.New("not a YUV4MPEG2 file")
	}
	s.cs = "420jpeg"
	for _, f := range fields[1:] {
		switch f[0] {
		case 'W':
			s.w, _ = strconv.Atoi(f[1:])
		case 'H':
			s.h, _ = strconv.Atoi(f[1:])
		case 'C':
			s.cs = f[1:]
		}
	}
	if s.w <= 0 || s.h <= 0 {
		return fmt.Errorf("bad size W%d H%d", s.w, s.h)
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
		return fmt.Errorf("colour space C%s: %w", s.cs, ErrUnsupported)
	}
	return nil
}

// Name returns the file name.
func (s *Y4M) Name() string { return s.path }

// Close closes the file.
func (s *Y4M) Close() error { return s.f.Close() }

// Next reads the next frame into dst; io.EOF at the end unless looping.
func (s *Y4M) Next(ctx context.Context, dst *Frame) error {
	if err := s.pace.wait(ctx); err != nil {
		return err
	}
	line, err := s.r.ReadSlice('\n')
	if err == io.EOF && len(line) == 0 {
		if !s.loop || s.seq == 0 {
			return io.EOF
		}
		if _, err := s.f.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("camera: y4m %s: %w", s.path, err)
		}
		s.r.Reset(s.f)
		if err := s.header(); err != nil {
			return fmt.Errorf("camera: y4m %s: %w", s.path, err)
		}
		line, err = s.r.ReadSlice('\n')
	}
	if err != nil {
		return fmt.Errorf("camera: y4m %s frame %d: %v", s.path, s.seq+1, err)
	}
	if !strings.HasPrefix(string(line), "FRAME") {
		return fmt.Errorf("camera: y4m %s frame %d: no FRAME marker", s.path, s.seq+1)
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
