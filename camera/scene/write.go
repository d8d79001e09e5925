package scene

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"sync"

	"github.com/numsense/numsense/model/atomicfile"
)

// Columns of the counts.csv of a bench set, after file and count: labels by which
// numsense bench breaks its figures down (kind, table, layout, size, array), then
// numbers for analysis (extent, cover, quality).
var Columns = []string{"file", "count", "kind", "table", "layout", "size", "array", "extent", "cover", "quality"}

// File is the name of scene i's picture in a bench set.
func File(i int) string { return fmt.Sprintf("images/%05d.jpg", i) }

// SizeClass is the label of an object extent (a fraction of the picture width).
func SizeClass(extent float64) string {
	switch {
	case extent < 0.05:
		return "2-5%"
	case extent < 0.10:
		return "5-10%"
	default:
		return "10-25%"
	}
}

// ArrayClass is "dense" for a dense array (Scene.Dense), else "sparse".
func ArrayClass(s Scene) string {
	if s.Dense() {
		return "dense"
	}
	return "sparse"
}

// Row is s's row of counts.csv (see Columns).
func Row(s Scene) []string {
	return []string{File(s.Index), strconv.Itoa(s.Count), s.Kind.String(), s.Table.String(), s.Layout.String(),
		SizeClass(s.Size), ArrayClass(s), strconv.FormatFloat(s.Size, 'f', 4, 64),
		strconv.FormatFloat(s.Cover, 'f', 4, 64), strconv.Itoa(s.Quality)}
}

// WriteSet renders scenes 0..n-1 of o into the output directory dir (through
// model/atomicfile: complete or not at all, replacing only an earlier output of
// numsense): images/NNNNN.jpg and counts.csv (Columns). Rendering runs on
// `workers` goroutines (0: all cores); progress, if set, is called after each
// scene. The files do not depend on the number of workers.
func WriteSet(ctx context.Context, dir string, o Opts, n, workers int, progress func(done int)) ([]Scene, error) {
	if n < 1 {
		return nil, fmt.Errorf("scene: %d scenes asked for, want at least 1", n)
	}
	if _, err := New(o); err != nil {
		return nil, err
	}
	d, err := atomicfile.NewDir(dir, "scenes")
	if err != nil {
		return nil, err
	}
	defer d.Abort()
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	scenes := make([]Scene, n)
	jobs := make(chan int)
	var mu sync.Mutex
	var firstErr error
	done := 0
	var wg sync.WaitGroup
	for w := 0; w < min(workers, n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g, _ := New(o)
			for i := range jobs {
				sc, data, err := g.Render(i)
				if err == nil {
					err = d.WriteFile(File(i), data)
				}
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				scenes[i] = sc
				done++
				if progress != nil {
					progress(done)
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for i := 0; i < n; i++ {
		mu.Lock()
		failed := firstErr != nil
		mu.Unlock()
		if failed {
			break
		}
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := d.Write("counts.csv", func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write(Columns)
		for _, s := range scenes {
			cw.Write(Row(s))
		}
		cw.Flush()
		return cw.Error()
	}); err != nil {
		return nil, err
	}
	return scenes, d.Commit()
}
