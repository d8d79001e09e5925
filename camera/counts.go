package camera

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/numsense/numsense/model/quote"
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

// MaxCountsRows bounds the rows of a counts.csv (a million photos is far beyond any
// bench set; a larger file is not one).
const MaxCountsRows = 1 << 20

// maxListed is how many bad rows an error lists one by one.
const maxListed = 20

// ReadCounts reads a counts.csv: a header "file,count" and one row per image, the file
// relative to the csv's directory, the count a whole number >= 0 (0: an empty table).
// Further columns, named in the header, are kept as the row's Labels. Every bad row,
// every file listed twice and every missing file is reported, by line and name, in
// one error (the first 20 of them, then how many more; nil rows are never returned
// with a non-nil error). Quoted input in errors is cut short (model/quote).
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
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			return nil, fmt.Errorf("camera: counts %s: empty file, want header \"file,count\"", path)
		}
		return nil, fmt.Errorf("camera: counts %s: header: %s", path, quote.Text(err.Error()))
	}
	head = slices.Clone(head) // the reader reuses its record for the rows
	if len(head) < 2 || !strings.EqualFold(strings.TrimSpace(strings.TrimPrefix(head[0], "\ufeff")), "file") || !strings.EqualFold(strings.TrimSpace(head[1]), "count") {
		return nil, fmt.Errorf("camera: counts %s: header %s, want \"file,count\"", path, quote.Short(strings.Join(head, ",")))
	}
	type seen struct{ line, count int }
	first := map[string]seen{}
	var out []Labelled
	var errs []error
	bad := 0
	fail := func(e error) {
		if bad++; bad <= maxListed {
			errs = append(errs, e)
		}
	}
	for rows := 0; ; rows++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if rows == MaxCountsRows {
			fail(fmt.Errorf("more than %d rows", MaxCountsRows))
			break
		}
		if err != nil {
			// A malformed row (a stray or unterminated quote): the reader names its
			// line and goes on with the next one. Any other error ends the file.
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				fail(fmt.Errorf("line %d: %s", pe.StartLine, quote.Text(pe.Err.Error())))
				continue
			}
			fail(err)
			break
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) < 2 {
			fail(fmt.Errorf("line %d: %s: want file,count", line, quote.Short(strings.Join(rec, ","))))
			continue
		}
		file := strings.TrimSpace(rec[0])
		n, err := strconv.Atoi(strings.TrimSpace(rec[1]))
		if file == "" {
			fail(fmt.Errorf("line %d: empty file name", line))
			continue
		}
		if err != nil || n < 0 {
			fail(fmt.Errorf("line %d: %s: bad count %s (want a whole number >= 0)", line, quote.Short(file), quote.Short(rec[1])))
			continue
		}
		p := file
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, filepath.FromSlash(file))
		}
		key := filepath.Clean(p)
		if s, dup := first[key]; dup {
			if s.count != n {
				fail(fmt.Errorf("line %d: %s: count %d contradicts line %d (count %d)", line, quote.Short(file), n, s.line, s.count))
			} else {
				fail(fmt.Errorf("line %d: %s: already listed on line %d", line, quote.Short(file), s.line))
			}
			continue
		}
		first[key] = seen{line, n}
		if checkFiles {
			if st, err := os.Stat(p); err != nil {
				fail(fmt.Errorf("line %d: %s: missing file %s", line, quote.Short(file), p))
				continue
			} else if st.IsDir() {
				fail(fmt.Errorf("line %d: %s: is a directory", line, quote.Short(file)))
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
	if bad > 0 {
		if bad > maxListed {
			errs = append(errs, fmt.Errorf("and %d more", bad-maxListed))
		}
		return nil, fmt.Errorf("camera: counts %s: %d bad rows: %w", path, bad, errors.Join(errs...))
	}
	return out, nil
}
