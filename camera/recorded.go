package camera

import (
	"context"
	"fmt"
	_ "image/png" // PNG recordings
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/numsense/numsense/model/quote"
)

// pacer spaces frames of a recording at a rate (0: no waiting).
type pacer struct {
	rate float64
	next time.Time
}

func (p *pacer) wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if p.rate <= 0 {
		return nil
	}
	now := time.Now()
	if p.next.IsZero() || now.After(p.next.Add(time.Second)) {
		p.next = now
	}
	if d := p.next.Sub(now); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
	p.next = p.next.Add(time.Duration(float64(time.Second) / p.rate))
	return nil
}

// A Recording is a Source that replays files: an image directory or glob, a .y4m,
// .mjpeg or .avi file. Unlike a live camera its frames are data to process one by
// one, in order, and a failure (a corrupt or truncated file, a directory deleted
// while read) is final: a file does not come back as an unplugged camera does.
type Recording interface {
	Source
	// Stills reports whether the frames are separate pictures (an image directory
	// or glob), each a scene of its own, rather than the frames of one video.
	Stills() bool
	// FrameRate is the rate the recording declares in frames per second (0: none).
	FrameRate() float64
}

// Images is a Source reading PNG/JPEG files in name order.
type Images struct {
	name    string
	files   []string
	counts  map[string]int
	i       int
	loop    bool
	pace    pacer
	seq     uint64
	scratch []byte
}

func isImageFile(p string) bool {
	switch strings.ToLower(filepath.Ext(p)) {
	case ".png", ".jpg", ".jpeg":
		return true
	}
	return false
}

// OpenImages opens a directory of images, a glob or a single image file. Files are
// read in name order. A counts.csv in the directory (or the glob's directory) gives
// Frame.Count; rows naming missing files make OpenImages fail, listing them.
func OpenImages(spec string, o *Opts) (*Images, error) {
	oo := o.withDefaults(640, 480)
	var files []string
	var dir string
	if st, err := os.Stat(spec); err == nil && st.IsDir() {
		dir = spec
		ents, err := os.ReadDir(spec)
		if err != nil {
			return nil, fmt.Errorf("camera: %w", err)
		}
		for _, e := range ents {
			if !e.IsDir() && isImageFile(e.Name()) {
				files = append(files, filepath.Join(spec, e.Name()))
			}
		}
		if len(files) == 0 {
			// Images in subdirectories named by counts.csv (e.g. images/…).
			if _, err := os.Stat(filepath.Join(spec, CountsFile)); err != nil {
				return nil, fmt.Errorf("camera: directory %s holds no .png/.jpg images", spec)
			}
		}
	} else if err == nil {
		dir = filepath.Dir(spec)
		files = []string{spec}
	} else {
		m, gerr := filepath.Glob(spec)
		if gerr != nil {
			return nil, fmt.Errorf("camera: bad glob %s: %v", quote.Short(spec), gerr)
		}
		for _, f := range m {
			if isImageFile(f) {
				files = append(files, f)
			}
		}
		if len(files) == 0 {
			if !strings.ContainsAny(spec, "*?[") {
				return nil, fmt.Errorf("camera: %s: %w", quote.Short(spec), err)
			}
			return nil, fmt.Errorf("camera: glob %s matches no .png/.jpg images", quote.Short(spec))
		}
		dir = filepath.Dir(files[0])
	}
	s := &Images{name: spec, loop: oo.Loop, pace: pacer{rate: oo.playRate(0)}}
	if _, err := os.Stat(filepath.Join(dir, CountsFile)); err == nil {
		rows, err := ReadCounts(filepath.Join(dir, CountsFile))
		if err != nil {
			return nil, err
		}
		s.counts = make(map[string]int, len(rows))
		for _, r := range rows {
			s.counts[filepath.Clean(r.Path)] = r.Count
		}
		if len(files) == 0 { // a directory described by its counts.csv only
			for _, r := range rows {
				files = append(files, r.Path)
			}
		}
	}
	sort.Strings(files)
	s.files = files
	return s, nil
}

// Name returns the spec the source was opened with.
func (s *Images) Name() string { return s.name }

// Len returns the number of images.
func (s *Images) Len() int { return len(s.files) }

// Stills is true: the pictures of a directory are separate scenes unless the caller
// decides otherwise (see Recording).
func (s *Images) Stills() bool { return true }

// FrameRate is 0: pictures declare no rate.
func (s *Images) FrameRate() float64 { return 0 }

// Close does nothing: files are opened one at a time.
func (s *Images) Close() error { return nil }

// Next decodes the next image into dst (a 4:2:0 JPEG becomes I420, grey images Gray,
// others RGBA). It returns io.EOF after the last image unless looping. A file that
// cannot be read or decoded gives an error naming it; the next call moves on.
func (s *Images) Next(ctx context.Context, dst *Frame) error {
	if err := s.pace.wait(ctx); err != nil {
		return err
	}
	if s.i >= len(s.files) {
		if !s.loop || len(s.files) == 0 {
			return io.EOF
		}
		s.i = 0
	}
	p := s.files[s.i]
	s.i++
	if err := readFrame(p, &s.scratch, dst, MaxImagePixels); err != nil {
		return fmt.Errorf("camera: image %w", err)
	}
	s.seq++
	dst.Seq, dst.Time, dst.Name = s.seq, time.Now(), p
	dst.Count = -1
	if c, ok := s.counts[filepath.Clean(p)]; ok {
		dst.Count = c
	}
	return nil
}

var (
	_ Recording = (*Images)(nil)
	_ Recording = (*Y4M)(nil)
	_ Recording = (*MJPEG)(nil)
)
