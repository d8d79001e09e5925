package experiment

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// Progress reports how far a long computation is, with an estimate of the time
// left. On a terminal it redraws one line (a bar with percentage and ETA); on
// anything else (a log file, a pipe, a test buffer) it writes a plain line at
// most every Interval and at the end. A nil *Progress ignores every call, and
// Progress is safe for concurrent use.
type Progress struct {
	mu       sync.Mutex
	w        io.Writer
	label    string
	total    int64
	done     int64
	start    time.Time
	last     time.Time
	tty      bool
	finished bool
	now      func() time.Time

	// Interval is the shortest time between two plain lines (default 10 s) or
	// two terminal redraws (200 ms).
	Interval time.Duration
}

// NewProgress starts a progress report of total work items on w (nil w: no
// output). The label starts every line.
func NewProgress(w io.Writer, label string, total int) *Progress {
	p := &Progress{w: w, label: label, total: int64(total), now: time.Now, tty: isTerminal(w)}
	p.start = p.now()
	p.Interval = 10 * time.Second
	if p.tty {
		p.Interval = 200 * time.Millisecond
	}
	return p
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Total returns the amount of work announced.
func (p *Progress) Total() int {
	if p == nil {
		return 0
	}
	return int(p.total)
}

// Done returns the work done so far.
func (p *Progress) Done() int {
	if p == nil {
		return 0
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return int(p.done)
}

// Add records n more items done.
func (p *Progress) Add(n int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += int64(n)
	if p.w == nil || p.finished {
		return
	}
	t := p.now()
	if t.Sub(p.last) < p.Interval && p.done < p.total {
		return
	}
	p.last = t
	p.write(false)
}

// Finish writes the final line (total time) once.
func (p *Progress) Finish() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.finished || p.w == nil {
		p.finished = true
		return
	}
	p.write(true)
	p.finished = true
}

// Line returns the text of the current report (without line ending).
func (p *Progress) Line() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.line(false)
}

func (p *Progress) line(final bool) string {
	el := p.now().Sub(p.start)
	frac := 0.0
	if p.total > 0 {
		frac = min(1, float64(p.done)/float64(p.total))
	}
	var b strings.Builder
	b.WriteString(p.label)
	if p.tty {
		const width = 30
		k := int(frac * width)
		b.WriteString(" [" + strings.Repeat("=", k) + strings.Repeat(" ", width-k) + "]")
	}
	fmt.Fprintf(&b, " %3.0f%% %d/%d elapsed %s", 100*frac, p.done, p.total, el.Round(time.Second))
	switch {
	case final:
		b.WriteString(" done")
	case p.done > 0 && p.done < p.total:
		eta := time.Duration(float64(el) * float64(p.total-p.done) / float64(p.done))
		fmt.Fprintf(&b, " ETA %s", eta.Round(time.Second))
	}
	return b.String()
}

func (p *Progress) write(final bool) {
	if p.tty {
		end := ""
		if final {
			end = "\n"
		}
		fmt.Fprintf(p.w, "\r%s\x1b[K%s", p.line(final), end)
		return
	}
	fmt.Fprintln(p.w, p.line(final))
}
