package exhibit

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"sync"
	"sync/atomic"

	"github.com/numsense/numsense/model/atomicfile"
)

// BackgroundFile is the name of the learned empty table in the state directory.
const BackgroundFile = "background.nsbg"

// keeper keeps the tracker's learned empty table (camera.learn) in a file across
// restarts: read at start, written whenever a new table has been learned. The
// table is copied into a buffer by the loop (rarely: when one is learned) and
// written by a goroutine, so a slow SD card never holds up the loop.
type keeper struct {
	path    string
	saved   uint64
	writing atomic.Bool
	wg      sync.WaitGroup // Run waits for the last write before it returns
	buf     bytes.Buffer
}

// loadBackground reads the learned table, if there is one; a missing file is
// the first start, a bad one is logged and learned anew.
func (x *loop) loadBackground() {
	k := &x.keep
	if k.path == "" {
		return
	}
	data, err := os.ReadFile(k.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return
	case err == nil:
		err = x.tr.LoadBackground(bytes.NewReader(data))
	}
	if err != nil {
		x.logf("learned table %s: %v (learning it again)", k.path, err)
		return
	}
	k.saved, _, _ = x.tr.Background()
	x.logf("learned table read from %s", k.path)
}

// keepBackground writes the learned table when a new one has been learned since
// the last write (and no write is under way).
func (x *loop) keepBackground() {
	k := &x.keep
	if k.path == "" || k.writing.Load() {
		return
	}
	v, _, _ := x.tr.Background()
	if v == k.saved {
		return
	}
	k.buf.Reset()
	if err := x.tr.SaveBackground(&k.buf); err != nil {
		return // dropped again before it could be kept
	}
	k.saved = v
	k.writing.Store(true)
	k.wg.Add(1)
	go func() {
		defer k.wg.Done()
		defer k.writing.Store(false)
		if err := atomicfile.WriteFile(k.path, k.buf.Bytes()); err != nil {
			x.logf("learned table: %v", err)
			return
		}
		x.logf("learned the empty table; kept in %s", k.path)
	}()
}
