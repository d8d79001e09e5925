package camera

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/numsense/numsense/camera/avitest"
)

// TestY4MHeaderLimits is issue 13 item 4: a .y4m header whose width x height
// overflows (W46341 H46341 on 32-bit ARM) or asks for gigabytes panicked or
// allocated them; every declared size is now checked when the file is opened.
func TestY4MHeaderLimits(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "v.y4m")
	for _, c := range []struct{ header, want string }{
		{"YUV4MPEG2 W46341 H46341 C420jpeg\nFRAME\n", "46341x46341"},
		{"YUV4MPEG2 W16384 H16384 Cmono\nFRAME\n", "16384x16384"},
		{"YUV4MPEG2 W9223372036854775807 H2\nFRAME\n", "bad size field"},
		{"YUV4MPEG2 W-4 H2\n", "bad size field"},
		{"YUV4MPEG2 Wabc H2\n", "bad size field"},
		{"YUV4MPEG2 H2\n", "no size"},
		{"YUV4MPEG2 W4 H2 F30:0\n", "bad frame rate"},
		{"YUV4MPEG2 W4 H2 " + strings.Repeat("X", 200000) + "\n", "longer than 64 KB"},
		{"YUV4MPEG2 W4 H2", "no header"},
	} {
		os.WriteFile(p, []byte(c.header), 0o644)
		var f Frame
		var err error
		n := allocated(func() {
			var s *Y4M
			if s, err = OpenY4M(p, nil); err == nil {
				err = s.Next(context.Background(), &f)
				s.Close()
			}
		})
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), p) {
			t.Errorf("header %.60q: %v; want an error naming the file and %q", c.header, err, c.want)
		}
		if n > 1<<20 {
			t.Errorf("header %.60q: %d KB allocated", c.header, n>>10)
		}
	}
	os.WriteFile(p, []byte("YUV4MPEG2 W4 H2 F30000:1001 Cmono\nFRAME\n12345678"), 0o644)
	s, err := OpenY4M(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r := s.FrameRate(); math.Abs(r-29.97) > 0.01 {
		t.Errorf("frame rate %v, want 29.97", r)
	}
	s.Close()
}

// TestY4MLyingHeader (issue 13 item 7): frames that do not match the header end in
// an error naming the file and the frame, never in io.EOF or a hang.
func TestY4MLyingHeader(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "v.y4m")
	frame := "FRAME\n" + strings.Repeat("\x10", 4*2)
	os.WriteFile(p, []byte("YUV4MPEG2 W6 H2 Cmono\n"+frame+frame+frame), 0o644)
	s, err := OpenY4M(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var f Frame
	var errs []error
	for i := 0; i < 5; i++ {
		err := s.Next(context.Background(), &f)
		errs = append(errs, err)
		if err != nil {
			break
		}
	}
	last := errs[len(errs)-1]
	if last == nil || last == io.EOF || !strings.Contains(last.Error(), p) || !strings.Contains(last.Error(), "frame") {
		t.Errorf("a lying header: %v; want an error naming the file and the frame", errs)
	}
}

// TestAVILimits (issue 13 items 3 and 7): a chunk that declares a gigabyte is
// refused before anything is allocated, a chunk that runs past the end of the
// file is an error, and the frame rate of the main header is read.
func TestAVILimits(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "v.avi")
	good := jpegBytes(t, 32, 16)
	for _, c := range []struct {
		name string
		movi []byte
		want string
	}{
		{"a gigabyte chunk", append(avitest.RawChunk("00dc", uint32(len(good)), good), avitest.RawChunk("00dc", 1<<30, good)...), "1073741824 bytes"},
		{"a chunk past the end", append(avitest.RawChunk("00dc", uint32(len(good)), good), avitest.RawChunk("00dc", 4000, good)...), "frame 2"},
		{"a truncated JPEG", append(avitest.RawChunk("00dc", uint32(len(good)), good), avitest.RawChunk("00dc", 40, good[:40])...), "frame 2"},
	} {
		data := avitest.File(40000, c.movi)
		if c.name == "a gigabyte chunk" { // the RIFF and movi sizes lie too
			binary.LittleEndian.PutUint32(data[4:], 0xfffffff0)
			i := bytes.Index(data, []byte("movi"))
			binary.LittleEndian.PutUint32(data[i-4:], 0x7ffffff0)
		}
		os.WriteFile(p, data, 0o644)
		s, err := OpenAVI(p, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if r := s.FrameRate(); r != 25 {
			t.Errorf("%s: frame rate %v, want 25", c.name, r)
		}
		var f Frame
		if err := s.Next(context.Background(), &f); err != nil {
			t.Fatalf("%s: frame 1: %v", c.name, err)
		}
		var nerr error
		n := allocated(func() { nerr = s.Next(context.Background(), &f) })
		s.Close()
		if nerr == nil || nerr == io.EOF || !strings.Contains(nerr.Error(), c.want) || !strings.Contains(nerr.Error(), p) {
			t.Errorf("%s: %v; want an error naming the file and %q", c.name, nerr, c.want)
		}
		if n > 16<<20 {
			t.Errorf("%s: %d MB allocated", c.name, n>>20)
		}
	}
}

// TestRecordingsAreRecordings: the file sources are Recordings; image directories
// are stills, videos are not; Realtime paces a .y4m at its declared rate.
func TestRecordingsAreRecordings(t *testing.T) {
	dir := t.TempDir()
	writePNG(t, filepath.Join(dir, "a.png"), 1)
	y := filepath.Join(dir, "v.y4m")
	var b bytes.Buffer
	b.WriteString("YUV4MPEG2 W4 H2 F50:1 Cmono\n")
	for i := 0; i < 3; i++ {
		b.WriteString("FRAME\n12345678")
	}
	os.WriteFile(y, b.Bytes(), 0o644)
	for spec, stills := range map[string]bool{dir: true, y: false} {
		src, err := Open(spec, nil)
		if err != nil {
			t.Fatal(err)
		}
		r, ok := src.(Recording)
		if !ok || r.Stills() != stills {
			t.Errorf("%s: Recording %v, stills %v", spec, ok, ok && r.Stills())
		}
		src.Close()
	}
	if _, ok := Source(NewSynthetic(nil)).(Recording); ok {
		t.Error("the synthetic camera is live, not a Recording")
	}
	s, err := OpenY4M(y, &Opts{Realtime: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.pace.rate != 50 {
		t.Errorf("realtime pace %v, want the header's 50 frames/s", s.pace.rate)
	}
}
