package camera

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// CountsFile is the name of the truth index beside recorded images.
const CountsFile = "counts.csv"

// Labelled is one row of a counts.csv: an image and the number of objects in it.
type Labelled struct {
	// Path is the image path, resolved against the directory of the csv.
	Path string
	// File is the path as written in the csv.
	File string
	// Count is the true number of objects.
	Count int
	// Labels are the row's further columns by header name (lower case), e.g. the
	// object kind of a scene set (nil when the csv has only file and count).
	Labels map[string]string
}

// ReadCounts reads a counts.csv: a header "file,count" and one row per image, the file
// relative to the csv's directory. Further columns, named in the header, are kept
// as the row's Labels. Every bad row and every missing file is reported,
// by line and name, in one error (nil rows are never returned with a non-nil error).
func ReadCounts(path string) ([]Labelled, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("camera: counts: %w", err)
	}
	defer f.Close()
	return parseCounts(f, path, true)
}

func parseCounts(r io.Reader, path string, checkFiles bool) ([]Labelled, error) {
	dir := filepath.Dir(path)
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	head, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			return nil, fmt.Errorf("camera: counts %s: empty file, want header \"file,count\"", path)
		}
		return nil, fmt.Errorf("camera: counts %s: %w", path, err)
	}
	if len(head) < 2 || !strings.EqualFold(strings.TrimSpace(strings.TrimPrefix(head[0], "\ufeff")), "file") || !strings.EqualFold(strings.TrimSpace(head[1]), "count") {
		return nil, fmt.Errorf("camera: counts %s: header %q, want \"file,count\"", path, strings.Join(head, ","))
	}
	var out []Labelled
	var errs []error
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			errs = append(errs, fmt.Errorf("line %d: %w", line, err))
			if _, ok := err.(*csv.ParseError); ok {
				continue
			}
			break
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) < 2 {
			errs = append(errs, fmt.Errorf("line %d: %q: want file,count", line, strings.Join(rec, ",")))
			continue
		}
		file := strings.TrimSpace(rec[0])
		n, err := strconv.Atoi(strings.TrimSpace(rec[1]))
		if file == "" {
			errs = append(errs, fmt.Errorf("line %d: empty file name", line))
			continue
		}
		if err != nil || n < 0 {
			errs = append(errs, fmt.Errorf("line %d: %s: bad count %q", line, file, rec[1]))
			continue
		}
		p := file
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, filepath.FromSlash(file))
		}
		if checkFiles {
			if st, err := os.Stat(p); err != nil {
				errs = append(errs, fmt.Errorf("line %d: %s: missing file %s", line, file, p))
				continue
			} else if st.IsDir() {
				errs = append(errs, fmt.Errorf("line %d: %s: is a directory", line, file))
				continue
			}
		}
		l := Labelled{Path: p, File: file, Count: n}
		for k := 2; k < len(rec) && k < len(head); k++ {
			name := strings.ToLower(strings.TrimSpace(head[k]))
			if name == "" {
				continue
			}
			if l.Labels == nil {
				l.Labels = map[string]string{}
			}
			l.Labels[name] = strings.TrimSpace(rec[k])
		}
		out = append(out, l)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("camera: counts %s: %d bad rows: %w", path, len(errs), errors.Join(errs...))
	}
	return out, nil
}
