package camera

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/numsense/numsense/model/atomicfile"
)

// Record saves frames of src as PNG files in dir, one every `every` (0: every frame),
// until ctx is done, the source ends (io.EOF) or max frames are saved (0: no limit).
// Files are named by capture time (20061102T150405.000.png). When the source knows
// the true count, a counts.csv (file,count) is kept up to date beside them, so the
// directory can be benched or replayed as a labelled recording. Progress goes to log
// (nil: none). A lost camera is logged and waited for; other source errors end the
// recording.
//
// dir is a growing directory of model/atomicfile (OpenAppendDir): it must not
// exist, be empty, or be an earlier recording, which is continued (its counts.csv
// extended). Every frame is written under a temporary name and moved into place
// under a name that did not exist; counts.csv is replaced atomically, and only if
// Record wrote it. A counts.csv of the user's (true counts added by hand) is left
// alone: with a source that knows the truth Record then stops with an error.
// Nothing is ever deleted, and no output of numsense may replace the recording.
func Record(ctx context.Context, src Source, dir string, every time.Duration, max int, log io.Writer) error {
	if log == nil {
		log = io.Discard
	}
	d, err := atomicfile.OpenAppendDir(dir, "record")
	if err != nil {
		return fmt.Errorf("camera: record: %w", err)
	}
	countsPath := filepath.Join(dir, CountsFile)
	var rows []Labelled
	if d.Listed(CountsFile) {
		f, err := os.Open(countsPath)
		if err != nil {
			return fmt.Errorf("camera: record: %w", err)
		}
		rows, err = parseCounts(f, countsPath, false)
		f.Close()
		if err != nil {
			return fmt.Errorf("camera: record: continuing %s: %w", dir, err)
		}
	}
	var f Frame
	var last time.Time
	saved := 0
	for max <= 0 || saved < max {
		err := src.Next(ctx, &f)
		if err != nil {
			if errors.Is(err, io.EOF) || ctx.Err() != nil {
				break
			}
			if errors.Is(err, ErrCameraLost) {
				fmt.Fprintf(log, "record: %v\n", err)
				continue
			}
			return fmt.Errorf("camera: record from %s: %w", src.Name(), err)
		}
		if every > 0 && !last.IsZero() && f.Time.Sub(last) < every {
			continue
		}
		last = f.Time
		if f.Count >= 0 && d.Has(CountsFile) && !d.Listed(CountsFile) {
			return fmt.Errorf("camera: record: %s was not written by numsense record and the source knows the true counts: record into a new directory, or move it away: %w", countsPath, atomicfile.ErrNotOurs)
		}
		img, err := frameImage(&f)
		if err != nil {
			return fmt.Errorf("camera: record from %s: %w", src.Name(), err)
		}
		stamp := f.Time.UTC().Format("20060102T150405.000")
		name := stamp + ".png"
		for i := 1; ; i++ { // several frames within a millisecond, or a name taken
			if !d.Has(name) {
				err = d.Add(name, func(w io.Writer) error { return png.Encode(w, img) })
				if !errors.Is(err, atomicfile.ErrNotOurs) {
					break
				}
			}
			name = fmt.Sprintf("%s-%d.png", stamp, i)
		}
		if err != nil {
			return fmt.Errorf("camera: record: %w", err)
		}
		saved++
		if f.Count >= 0 {
			rows = append(rows, Labelled{File: name, Count: f.Count})
			if err := d.Rewrite(CountsFile, func(w io.Writer) error { return writeCounts(w, rows) }); err != nil {
				return fmt.Errorf("camera: record: %w", err)
			}
			fmt.Fprintf(log, "record: %s (count %d)\n", name, f.Count)
		} else {
			fmt.Fprintf(log, "record: %s\n", name)
		}
	}
	return nil
}

// writeCounts writes a counts.csv of rows.
func writeCounts(out io.Writer, rows []Labelled) error {
	w := csv.NewWriter(out)
	w.Write([]string{"file", "count"})
	for _, r := range rows {
		w.Write([]string{r.File, strconv.Itoa(r.Count)})
	}
	w.Flush()
	return w.Error()
}

// frameImage converts a frame to an image for saving: Gray stays grey, YUYV and I420
// become YCbCr (colour kept), RGBA stays RGBA.
func frameImage(f *Frame) (image.Image, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	r := image.Rect(0, 0, f.Width, f.Height)
	switch f.Format {
	case Gray:
		g := image.NewGray(r)
		for y := 0; y < f.Height; y++ {
			copy(g.Pix[y*g.Stride:], f.Pix[y*f.Stride:y*f.Stride+f.Width])
		}
		return g, nil
	case RGBA:
		m := image.NewRGBA(r)
		for y := 0; y < f.Height; y++ {
			copy(m.Pix[y*m.Stride:], f.Pix[y*f.Stride:y*f.Stride+4*f.Width])
		}
		return m, nil
	case YUYV:
		m := image.NewYCbCr(r, image.YCbCrSubsampleRatio422)
		for y := 0; y < f.Height; y++ {
			row := f.Pix[y*f.Stride:]
			for x := 0; x < f.Width; x++ {
				m.Y[y*m.YStride+x] = row[2*x]
				if x%2 == 0 && 2*x+3 < len(row) {
					m.Cb[y*m.CStride+x/2] = row[2*x+1]
					m.Cr[y*m.CStride+x/2] = row[2*x+3]
				}
			}
		}
		return m, nil
	case I420:
		if len(f.Pix) < i420Size(f) {
			g, _ := f.Gray()
			out := image.NewGray(r)
			for y := 0; y < f.Height; y++ {
				copy(out.Pix[y*out.Stride:], g.Pix[y*g.Stride:y*g.Stride+f.Width])
			}
			return out, nil
		}
		m := image.NewYCbCr(r, image.YCbCrSubsampleRatio420)
		cs, ch := f.Stride/2, (f.Height+1)/2
		u0, v0 := f.Stride*f.Height, f.Stride*f.Height+cs*ch
		for y := 0; y < f.Height; y++ {
			copy(m.Y[y*m.YStride:], f.Pix[y*f.Stride:y*f.Stride+f.Width])
		}
		cw := (f.Width + 1) / 2
		for y := 0; y < ch; y++ {
			copy(m.Cb[y*m.CStride:], f.Pix[u0+y*cs:u0+y*cs+cw])
			copy(m.Cr[y*m.CStride:], f.Pix[v0+y*cs:v0+y*cs+cw])
		}
		return m, nil
	}
	return nil, fmt.Errorf("%w: %v", ErrUnsupported, f.Format)
}

func i420Size(f *Frame) int {
	return f.Stride*f.Height + 2*(f.Stride/2)*((f.Height+1)/2)
}

// Image returns the frame as an image.Image (a copy): Gray, YCbCr or RGBA.
func (f *Frame) Image() (image.Image, error) { return frameImage(f) }
