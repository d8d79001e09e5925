package camera

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
)

// The fuzz targets of the parsers of user files in camera (issue 13, "keep it
// proven"): counts.csv, .y4m, raw MJPEG, MJPEG AVI and the image decoders. Each
// must return an error, never panic, hang or allocate beyond its limits, and what
// it accepts must be well formed. Their seed corpora (testdata/fuzz/NAME, run by
// every go test) hold the cases of issue 13 and the formats' good cases. make
// fuzz-short runs each target for a few seconds, make fuzz for FUZZTIME.

// fuzzPixels is the decode limit in fuzzing: 1 MP keeps each input fast; the real
// limit (MaxImagePixels) is the same code with another number.
const fuzzPixels = 1 << 20

type nopCloser struct{}

func (nopCloser) Close() error { return nil }

func FuzzCounts(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := parseCounts(bytes.NewReader(data), "set/counts.csv", false)
		if err != nil {
			if rows != nil {
				t.Fatal("rows with an error")
			}
			if len(err.Error()) > 16<<10 {
				t.Fatalf("an error of %d bytes", len(err.Error()))
			}
			return
		}
		seen := map[string]bool{}
		for _, r := range rows {
			if r.File == "" || r.Count < 0 || seen[r.Path] {
				t.Fatalf("accepted row %+v", r)
			}
			seen[r.Path] = true
		}
	})
}

// drain reads up to 4 frames of src and checks each.
func drain(t *testing.T, src Source) {
	var fr Frame
	for i := 0; i < 4; i++ {
		err := src.Next(context.Background(), &fr)
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			if !strings.Contains(err.Error(), src.Name()) {
				t.Fatalf("an error that does not name the file: %v", err)
			}
			return
		}
		if err := fr.Validate(); err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		if int64(fr.Width)*int64(fr.Height) > MaxImagePixels {
			t.Fatalf("frame %d: %dx%d", i, fr.Width, fr.Height)
		}
	}
}

func FuzzY4M(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := newY4M("fuzz.y4m", bytes.NewReader(data), nopCloser{}, nil)
		if err != nil {
			return
		}
		if s.w*s.h > fuzzPixels {
			return // accepted (under MaxImagePixels) but too slow to read here
		}
		drain(t, s)
	})
}

func FuzzMJPEG(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		s := newMJPEG("fuzz.mjpeg", bytes.NewReader(data), nopCloser{}, nil)
		s.limit = fuzzPixels
		drain(t, s)
	})
}

func FuzzAVI(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := newAVI("fuzz.avi", bytes.NewReader(data), nopCloser{}, nil)
		if err != nil {
			return
		}
		s.limit = fuzzPixels
		drain(t, s)
	})
}

func FuzzDecodeImage(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		var fr Frame
		var scratch []byte
		if err := decodeImageLimit(data, &scratch, &fr, fuzzPixels); err != nil {
			return
		}
		if err := fr.Validate(); err != nil {
			t.Fatal(err)
		}
		if fr.Width*fr.Height > fuzzPixels {
			t.Fatalf("decoded %dx%d over the limit", fr.Width, fr.Height)
		}
	})
}
