package display

import (
	"image"
	"io"
	"math"
	"os"
	"time"
	"unicode/utf8"
)

// Terminal size the full-screen layout is designed for.
const (
	termCols = 80
	termRows = 24
)

// TerminalOpts configures a terminal display.
type TerminalOpts struct {
	// Plain forces one line of text per change, as used automatically when
	// the output is not a terminal (a log file, journald, a pipe).
	Plain bool
	// Color adds ANSI colours to the full-screen layout.
	Color bool
	// Every is the longest time between two plain lines when nothing
	// changes (zero means one minute; negative: only on change).
	Every time.Duration
	// Now is the clock (nil means time.Now).
	Now func() time.Time
}

// Terminal shows readings in a terminal: a full-screen 80x24 layout redrawn
// in place (cursor home, Unicode block characters) on a TTY, or plain lines
// otherwise. On a TTY smaller than 80x24 it says so once and writes plain
// lines until the window is large enough again. It is the default display of
// a machine with no I²C display.
type Terminal struct {
	w       io.Writer
	o       TerminalOpts
	plain   bool
	small   bool      // the TTY is smaller than 80x24: plain lines for now
	sizeAt  time.Time // when the TTY's size was last read
	size    func() (cols, rows int, ok bool)
	last    held // the last estimate, shown marked "stopped" by Close
	hasEst  bool
	grid    [termRows][termCols]rune
	style   [termRows][termCols]uint8
	out     []byte
	img     *image.Gray // scratch for the big number
	lastKey shownKey
	lastAt  time.Time
	shown   bool
	closed  bool
}

// cell styles
const (
	stNormal uint8 = iota
	stBold
	stDim
	stAccent
)

// NewTerminal returns a terminal display writing to w. Plain lines are used
// when w is not a character device or o.Plain is set.
func NewTerminal(w io.Writer, o TerminalOpts) *Terminal {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Every == 0 {
		o.Every = time.Minute
	}
	t := &Terminal{w: w, o: o, plain: o.Plain || !isTTY(w)}
	if f, ok := w.(*os.File); ok && !t.plain {
		t.size = func() (int, int, bool) { return termSize(f) }
	}
	t.out = make([]byte, 0, 16<<10)
	t.img = image.NewGray(image.Rect(0, 0, 36, 20))
	return t
}

func isTTY(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Show implements Display.
func (t *Terminal) Show(r Reading) error {
	if t.closed {
		return ErrClosed
	}
	switch r.State {
	case Estimating, Unstable:
		t.last.set(&r)
		t.hasEst = true
	case Empty, CameraLost:
		t.hasEst = false
	}
	if t.plain || t.tooSmall() {
		return t.showPlain(&r)
	}
	t.layout(&r)
	t.out = t.out[:0]
	if !t.shown {
		t.out = append(t.out, "\x1b[?25l\x1b[2J"...)
		t.shown = true
	}
	t.out = append(t.out, "\x1b[H"...)
	t.out = t.appendGrid(t.out, t.o.Color)
	_, err := t.w.Write(t.out)
	return err
}

// tooSmall reports whether the TTY is smaller than the full-screen layout,
// reading its size at most once a second. On a change it says so, or clears
// the screen for the full layout again.
func (t *Terminal) tooSmall() bool {
	if t.size == nil {
		return false
	}
	now := time.Now()
	if !t.sizeAt.IsZero() && now.Sub(t.sizeAt) < time.Second {
		return t.small
	}
	t.sizeAt = now
	cols, rows, ok := t.size()
	small := ok && (cols < termCols || rows < termRows)
	if small && !t.small {
		t.out = append(t.out[:0], "\x1b[?25h\x1b[2J\x1b[H"...)
		t.out = append(t.out, "numsense: this terminal is "...)
		t.out = append(t.out, itoa(cols)...)
		t.out = append(t.out, 'x')
		t.out = append(t.out, itoa(rows)...)
		t.out = append(t.out, "; the full-screen display needs 80x24. One line per change until the window is larger:\r\n"...)
		t.w.Write(t.out)
		t.shown = false // the plain lines start afresh
	} else if !small && t.small {
		t.shown = false // the next frame clears the screen and hides the cursor
	}
	t.small = small
	return small
}

// Close shows "stopped", with the last estimate if the last reading was one, and
// gives the cursor back.
func (t *Terminal) Close() error {
	if t.closed {
		return nil
	}
	r := Reading{State: Stopped, Time: t.o.Now()}
	if t.hasEst {
		r = t.last.r
		r.State, r.Time = Stopped, t.o.Now()
	}
	err := t.Show(r)
	t.closed = true
	if !t.plain && !t.small && t.shown {
		if _, werr := io.WriteString(t.w, "\x1b[?25h\n"); err == nil {
			err = werr
		}
	}
	return err
}

// showPlain writes one line when the shown number, interval or state
// changes, or after o.Every.
func (t *Terminal) showPlain(r *Reading) error {
	now := t.o.Now()
	k := shownKey{r.Rounded(), r.Lo, r.Hi, r.State}
	if t.shown && k == t.lastKey && (t.o.Every < 0 || now.Sub(t.lastAt) < t.o.Every) {
		return nil
	}
	t.shown, t.lastKey, t.lastAt = true, k, now
	ts := r.Time
	if ts.IsZero() {
		ts = now
	}
	b := ts.UTC().AppendFormat(t.out[:0], "2006-01-02T15:04:05Z")
	b = append(b, ' ')
	b = appendSummary(b, r)
	b = append(b, '\n')
	t.out = b
	_, err := t.w.Write(b)
	return err
}

// appendSummary appends the one-line description of r, with the true count when
// it is known.
func appendSummary(b []byte, r *Reading) []byte {
	b = appendState(b, r)
	if r.TrueKnown && r.State != CameraLost && r.State != Starting {
		b = append(b, ", true count "...)
		b = append(b, itoa(r.TrueCount)...)
	}
	return b
}

// appendAbout appends "about 12 (9-15)".
func appendAbout(b []byte, r *Reading) []byte {
	b = append(b, "about "...)
	b = append(b, itoa(r.Rounded())...)
	if r.Lo > 0 || r.Hi > 0 {
		b = append(b, " ("...)
		b = append(b, itoa(r.Lo)...)
		b = append(b, '-')
		b = append(b, itoa(r.Hi)...)
		b = append(b, ')')
	}
	return b
}

func appendState(b []byte, r *Reading) []byte {
	switch r.State {
	case Stopped:
		b = append(b, "stopped"...)
		if r.Value > 0 {
			b = appendAbout(append(b, ": "...), r)
		}
		return b
	case Estimating, Unstable:
		b = appendAbout(b, r)
		if r.State == Unstable {
			b = append(b, " settling"...)
		}
		return b
	case Empty:
		return append(b, "empty table"...)
	case CameraLost:
		return append(b, "camera lost, reconnecting"...)
	case Starting:
		return append(b, "starting"...)
	}
	return append(b, r.State.String()...)
}

func (t *Terminal) clear() {
	for y := range t.grid {
		for x := range t.grid[y] {
			t.grid[y][x] = ' '
			t.style[y][x] = stNormal
		}
	}
}

func (t *Terminal) put(row, col int, s string, st uint8) int {
	for _, r := range s {
		if col >= termCols-1 {
			break
		}
		t.grid[row][col] = r
		t.style[row][col] = st
		col++
	}
	return col
}

func (t *Terminal) hline(row int) {
	for x := 0; x < termCols-1; x++ {
		t.grid[row][x] = '─'
		t.style[row][x] = stDim
	}
}

// layout fills the grid:
//
//	row 0      title, clock, heartbeat
//	rows 2-20  left: what the network sees; right: the estimate, its
//	           interval and the number units' activity
//	row 23     the state in words
func (t *Terminal) layout(r *Reading) {
	t.clear()
	now := t.o.Now()
	ts := r.Time
	if ts.IsZero() {
		ts = now
	}
	t.put(0, 1, "numsense", stBold)
	t.put(0, 10, "· a visual number sense", stDim)
	var tb [16]byte
	clock := ts.AppendFormat(tb[:0], "15:04:05")
	for i, c := range clock {
		t.grid[0][68+i] = rune(c)
		t.style[0][68+i] = stDim
	}
	beat := '○'
	if (ts.UnixNano()/int64(beatPeriod))%2 == 0 {
		beat = '●'
	}
	t.grid[0][77] = beat
	t.style[0][77] = stAccent
	t.hline(1)
	t.hline(22)

	// Left panel: the silhouette, 36x18 cells of 2x2 quadrant pixels.
	t.put(2, 2, "what the network sees", stDim)
	if r.Silhouette != nil && r.State != CameraLost && (r.State != Stopped || r.Value > 0) {
		t.quadrants(3, 2, 36, 18, r.Silhouette)
	} else {
		t.box(3, 2, 36, 18)
		msg := "no image"
		if r.State == CameraLost {
			msg = "no camera"
		}
		t.put(11, 2+(36-len(msg))/2, msg, stDim)
	}

	// Right panel.
	const x0 = 42
	switch r.State {
	case Estimating, Unstable:
		head := "I see about"
		if r.State == Unstable {
			head = "settling… about"
		}
		t.put(2, x0, head, stNormal)
		t.bigNumber(3, x0, r.Rounded(), r.State == Unstable)
		if r.Lo > 0 || r.Hi > 0 {
			c := t.put(14, x0, "between ", stNormal)
			c = t.put(14, c, itoa(r.Lo), stBold)
			c = t.put(14, c, " and ", stNormal)
			c = t.put(14, c, itoa(r.Hi), stBold)
			t.put(14, c, "  (68%)", stDim)
		}
		if len(r.Activity) > 0 {
			t.put(16, x0, "number units by preferred number", stDim)
			t.termBars(17, x0, r)
		}
	case Starting:
		t.put(6, x0, "starting", stBold)
		t.put(8, x0, "loading the network and", stNormal)
		t.put(9, x0, "opening the camera…", stNormal)
	case Empty:
		t.put(6, x0, "the table is empty", stBold)
		t.put(8, x0, "put a few objects under", stNormal)
		t.put(9, x0, "the camera and I will", stNormal)
		t.put(10, x0, "tell you about how many", stNormal)
	case CameraLost:
		t.put(6, x0, "camera lost", stBold)
		t.put(8, x0, "reconnecting…", stNormal)
		t.put(10, x0, "check the camera cable", stDim)
	case Stopped:
		if r.Value <= 0 {
			t.put(6, x0, "stopped", stBold)
			break
		}
		t.put(2, x0, "stopped; I saw about", stNormal)
		t.bigNumber(3, x0, r.Rounded(), false)
		if r.Lo > 0 || r.Hi > 0 {
			c := t.put(14, x0, "between ", stNormal)
			c = t.put(14, c, itoa(r.Lo), stBold)
			c = t.put(14, c, " and ", stNormal)
			t.put(14, c, itoa(r.Hi), stBold)
		}
	}
	if r.TrueKnown && (r.State == Estimating || r.State == Unstable || r.State == Empty || (r.State == Stopped && r.Value > 0)) {
		c := t.put(15, x0, "true count ", stDim)
		t.put(15, c, itoa(r.TrueCount), stBold)
	}

	// Status line.
	c := t.put(23, 1, "● ", stAccent)
	if r.State == CameraLost || r.State == Stopped {
		t.grid[23][1] = '○'
	}
	var sb [64]byte
	s := appendSummary(sb[:0], r)
	for len(s) > 0 && c < termCols-1 {
		ru, n := utf8.DecodeRune(s)
		t.grid[23][c] = ru
		c++
		s = s[n:]
	}
}

// box draws a frame of w x h cells at (row, col).
func (t *Terminal) box(row, col, w, h int) {
	for x := col; x < col+w; x++ {
		t.grid[row][x], t.grid[row+h-1][x] = '─', '─'
		t.style[row][x], t.style[row+h-1][x] = stDim, stDim
	}
	for y := row; y < row+h; y++ {
		t.grid[y][col], t.grid[y][col+w-1] = '│', '│'
		t.style[y][col], t.style[y][col+w-1] = stDim, stDim
	}
	t.grid[row][col], t.grid[row][col+w-1] = '┌', '┐'
	t.grid[row+h-1][col], t.grid[row+h-1][col+w-1] = '└', '┘'
}

var quadrantRunes = [16]rune{' ', '▗', '▖', '▄', '▝', '▐', '▞', '▟', '▘', '▚', '▌', '▙', '▀', '▜', '▛', '█'}

// quadrants draws img into w x h cells, each 2x2 quadrant pixels; a pixel is
// lit when at least a third of the source pixels it covers are.
func (t *Terminal) quadrants(row, col, w, h int, img *image.Gray) {
	sw, sh := img.Rect.Dx(), img.Rect.Dy()
	pw, ph := 2*w, 2*h
	lit := func(px, py int) int {
		x0, x1 := px*sw/pw, (px+1)*sw/pw
		y0, y1 := py*sh/ph, (py+1)*sh/ph
		on, n := 0, 0
		for y := y0; y < y1; y++ {
			p := img.Pix[y*img.Stride:]
			for x := x0; x < x1; x++ {
				if p[x] >= 0x80 {
					on++
				}
				n++
			}
		}
		if n > 0 && 3*on >= n {
			return 1
		}
		return 0
	}
	for cy := 0; cy < h; cy++ {
		for cx := 0; cx < w; cx++ {
			q := lit(2*cx, 2*cy)<<3 | lit(2*cx+1, 2*cy)<<2 | lit(2*cx, 2*cy+1)<<1 | lit(2*cx+1, 2*cy+1)
			t.grid[row+cy][col+cx] = quadrantRunes[q]
			t.style[row+cy][col+cx] = stAccent
		}
	}
}

// bigNumber draws n 20 pixels tall with half blocks (square pixels) in 10
// rows from (row, col); hollow draws the outline only.
func (t *Terminal) bigNumber(row, col, n int, hollow bool) {
	f := fonts().term
	img := t.img
	fillRect(img, img.Rect, 0)
	s := itoa(n)
	x := (img.Rect.Dx() - f.width(s)) / 2
	if x < 0 {
		x = 0
	}
	base := f.inkHeight()
	if hollow {
		f.drawOutline(img, x, base, s)
	} else {
		f.draw(img, x, base, s, 0xFF)
	}
	for cy := 0; cy < img.Rect.Dy()/2; cy++ {
		top := img.Pix[2*cy*img.Stride:]
		bot := img.Pix[(2*cy+1)*img.Stride:]
		for cx := 0; cx < img.Rect.Dx(); cx++ {
			q := 0
			if top[cx] != 0 {
				q |= 2
			}
			if bot[cx] != 0 {
				q |= 1
			}
			t.grid[row+cy][col+cx] = [4]rune{' ', '▄', '▀', '█'}[q]
			t.style[row+cy][col+cx] = stBold
		}
	}
}

var eighths = [9]rune{' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'}

// termBars draws the activity as 4-row bars (32 levels), two columns per
// numerosity, with labels and a marker under the one nearest the estimate.
func (t *Terminal) termBars(row, col int, r *Reading) {
	const h = 4
	n := len(r.Activity)
	if n > 18 {
		n = 18
	}
	best, bestD := -1, math.Inf(1)
	for i := 0; i < n; i++ {
		a := r.Activity[i]
		if math.IsNaN(a) || a < 0 {
			a = 0
		}
		if a > 1 {
			a = 1
		}
		lv := int(math.Round(a * h * 8))
		for k := 0; k < h; k++ {
			c := lv - 8*k
			if c < 0 {
				c = 0
			}
			if c > 8 {
				c = 8
			}
			if k == 0 && c == 0 {
				c = 1 // keep a baseline under empty bars
			}
			t.grid[row+h-1-k][col+2*i] = eighths[c]
			t.style[row+h-1-k][col+2*i] = stAccent
		}
		if i < len(r.Numerosities) && r.Numerosities[i] > 0 && r.Value > 0 {
			if d := math.Abs(math.Log(float64(r.Numerosities[i]) / r.Value)); d < bestD {
				best, bestD = i, d
			}
		}
	}
	if len(r.Numerosities) >= n && n > 0 {
		t.put(row+h, col, itoa(r.Numerosities[0]), stDim)
		last := itoa(r.Numerosities[n-1])
		t.put(row+h, col+2*(n-1)+1-len(last)+1, last, stDim)
	}
	if best >= 0 {
		if x := col + 2*best; t.grid[row+h][x] == ' ' {
			t.grid[row+h][x] = '▲'
			t.style[row+h][x] = stBold
		}
	}
}

var styleSeq = [...]string{stNormal: "\x1b[0m", stBold: "\x1b[0;1m", stDim: "\x1b[0;2m", stAccent: "\x1b[0m"}
var colorSeq = [...]string{stNormal: "\x1b[0m", stBold: "\x1b[0;1;97m", stDim: "\x1b[0;90m", stAccent: "\x1b[0;36m"}

// appendGrid renders the grid: each row cut at 79 columns (no autowrap),
// erased to the end, styles switched only where they change.
func (t *Terminal) appendGrid(b []byte, color bool) []byte {
	seq := styleSeq[:]
	if color {
		seq = colorSeq[:]
	}
	for y := 0; y < termRows; y++ {
		cur := uint8(255)
		for x := 0; x < termCols-1; x++ {
			if st := t.style[y][x]; st != cur {
				b = append(b, seq[st]...)
				cur = st
			}
			b = utf8.AppendRune(b, t.grid[y][x])
		}
		b = append(b, "\x1b[0m\x1b[K"...)
		if y < termRows-1 {
			b = append(b, "\r\n"...)
		}
	}
	return b
}

// Text returns the last full-screen frame as plain text (no escapes), one
// line per row with trailing spaces removed.
func (t *Terminal) Text() string {
	var b []byte
	for y := 0; y < termRows; y++ {
		line := make([]byte, 0, termCols*3)
		for x := 0; x < termCols-1; x++ {
			line = utf8.AppendRune(line, t.grid[y][x])
		}
		for len(line) > 0 && line[len(line)-1] == ' ' {
			line = line[:len(line)-1]
		}
		b = append(b, line...)
		b = append(b, '\n')
	}
	return string(b)
}
