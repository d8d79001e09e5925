package display

import (
	"math"

	"github.com/numsense/numsense/display/ht16k33"
)

// lcdText is a character-LCD frame: up to 4 rows of up to 40 bytes. Bytes
// 0..7 are the bar user characters (levels 1..8), bytes >= 0x80 raw ROM
// codes.
type lcdText struct {
	cols, rows int
	line       [4][40]byte
	n          [4]int
}

// lcdBeat is the ROM code of the heartbeat (a centred dot in the A00 ROM).
const lcdBeat = 0xA5

func (t *lcdText) reset(cols, rows int) {
	t.cols, t.rows = cols, rows
	for i := range t.line {
		for j := range t.line[i] {
			t.line[i][j] = ' '
		}
		t.n[i] = cols
	}
}

// put writes s at (row, col); text past the row end is cut.
func (t *lcdText) put(row, col int, s string) int {
	for i := 0; i < len(s) && col < t.cols; i++ {
		t.line[row][col] = s[i]
		col++
	}
	return col
}

func (t *lcdText) putInt(row, col, v int) int {
	return t.put(row, col, itoa(v))
}

// intLen is the number of decimal digits of v >= 0.
func intLen(v int) int {
	n := 1
	for v >= 10 {
		v /= 10
		n++
	}
	return n
}

// layoutLCD fills t with the character layout of r. beat lights the
// heartbeat cell (bottom right of row 1).
//
//	16x2: "about 12 (9-15)"      20x4: "about 12      (9-15)"
//	      "looking         ·"          "looking            ·"
//	                                   "  ▁▂▅█▆▃▂▁▁          "
//	                                   "  1      ^     30    "
func layoutLCD(t *lcdText, r *Reading, cols, rows int, beat bool) {
	t.reset(cols, rows)
	state := ""
	extra := [2]string{}
	switch r.State {
	case Starting:
		t.put(0, 0, "numsense")
		state = "starting..."
		extra = [2]string{"loading the network", ""}
	case Empty:
		t.put(0, 0, "empty table")
		state = "add objects"
		extra = [2]string{"put a few objects", "under the camera"}
	case CameraLost:
		t.put(0, 0, "camera lost")
		state = "reconnecting"
		extra = [2]string{"check the camera", "cable and power"}
	case Stopped:
		t.put(0, 0, "numsense")
		state = "stopped"
	default:
		n := r.Rounded()
		hasInt := r.Lo > 0 || r.Hi > 0
		ilen := 0
		if hasInt {
			ilen = 3 + intLen(r.Lo) + intLen(r.Hi)
		}
		about := "about "
		if 6+intLen(n)+1+ilen > cols {
			about = ""
		}
		c := t.put(0, 0, about)
		c = t.putInt(0, c, n)
		if hasInt {
			c++
			if rows >= 4 {
				c = cols - ilen
			}
			c = t.put(0, c, "(")
			c = t.putInt(0, c, r.Lo)
			c = t.put(0, c, "-")
			c = t.putInt(0, c, r.Hi)
			t.put(0, c, ")")
		}
		state = "looking"
		if r.State == Unstable {
			state = "settling..."
		}
	}
	t.put(1, 0, state)
	if beat && r.State != Stopped && rows >= 2 {
		t.line[1][cols-1] = lcdBeat
	}
	if rows < 4 {
		return
	}
	if (r.State == Estimating || r.State == Unstable) && len(r.Activity) > 0 {
		lcdBars(t, r)
		return
	}
	t.put(2, 0, extra[0])
	t.put(3, 0, extra[1])
}

// lcdBars draws the activity on row 2 with the eight bar characters, and the
// first and last numerosity plus a '^' under the one nearest the estimate
// on row 3.
func lcdBars(t *lcdText, r *Reading) {
	n := len(r.Activity)
	if n > t.cols {
		n = t.cols
	}
	x0 := (t.cols - n) / 2
	best, bestD := -1, math.Inf(1)
	for i := 0; i < n; i++ {
		a := r.Activity[i]
		if math.IsNaN(a) || a < 0 {
			a = 0
		}
		if a > 1 {
			a = 1
		}
		lv := int(math.Round(a * 8))
		if lv == 0 {
			t.line[2][x0+i] = '_'
		} else {
			t.line[2][x0+i] = byte(lv - 1)
		}
		if i < len(r.Numerosities) && r.Numerosities[i] > 0 && r.Value > 0 {
			if d := math.Abs(math.Log(float64(r.Numerosities[i]) / r.Value)); d < bestD {
				best, bestD = i, d
			}
		}
	}
	if len(r.Numerosities) >= n && n > 0 {
		t.putInt(3, x0, r.Numerosities[0])
		last := r.Numerosities[n-1]
		t.putInt(3, x0+n-intLen(last), last)
	}
	if best >= 0 && t.line[3][x0+best] == ' ' {
		t.line[3][x0+best] = '^'
	}
}

// barChars are the eight LCD user characters: bars of 1..8 rows.
var barChars = func() (c [8][8]byte) {
	for lv := 0; lv < 8; lv++ {
		for row := 7 - lv; row < 8; row++ {
			c[lv][row] = 0x1F
		}
	}
	return
}()

// layoutSeg7 returns the four digit patterns of r and whether the display
// should blink.
//
//	estimating "  12." (decimal point = heartbeat)   unstable: the same, blinking
//	starting   a dash walking across                 empty table "nonE"
//	camera lost " Err"                               stopped "StOP"
func layoutSeg7(r *Reading, beat bool, tick int) (d [4]byte, blink bool) {
	enc := func(s string) [4]byte {
		v, _ := ht16k33.Encode(s)
		return v
	}
	switch r.State {
	case Starting:
		d[tick%4] = ht16k33.SegG
		return d, false
	case Empty:
		d = enc("nonE")
	case CameraLost:
		d = enc("Err")
	case Stopped:
		return enc("StOP"), false
	default:
		d = enc(itoa(r.Rounded()))
		blink = r.State == Unstable
	}
	if beat {
		d[3] |= ht16k33.SegDP
	}
	return d, blink
}
