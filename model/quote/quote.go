// Package quote puts user input into error messages without letting it flood them:
// a counts.csv row, a configuration value or a source name can be a whole binary
// file, and an error that repeats 200 KB of escaped bytes helps nobody (and fills
// the journal of an exhibit in a crash loop). Short quotes at most Max bytes of its
// input and says how long the rest was; Text does the same without quotes, for the
// messages of other libraries that may echo their input.
package quote

import (
	"strconv"
	"unicode/utf8"
)

// Max is how many bytes of the input Short and Text keep.
const Max = 64

// Short returns s quoted as Go quotes it (%q), cut after Max bytes (on a rune
// boundary) with the full length appended: "abc..." (200000 bytes).
func Short(s string) string {
	if len(s) <= Max {
		return strconv.Quote(s)
	}
	return strconv.Quote(cut(s)) + "... (" + strconv.Itoa(len(s)) + " bytes)"
}

// Text returns s cut after 4*Max bytes like Short, unquoted, with control
// characters and invalid UTF-8 replaced by U+FFFD so that a message stays one
// printable line.
func Text(s string) string {
	n := len(s)
	long := n > 4*Max
	if long {
		s = cutAt(s, 4*Max)
	}
	b := make([]byte, 0, len(s)+24)
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			r = utf8.RuneError
		}
		b = utf8.AppendRune(b, r)
	}
	if long {
		b = append(b, "... ("...)
		b = strconv.AppendInt(b, int64(n), 10)
		b = append(b, " bytes)"...)
	}
	return string(b)
}

func cut(s string) string { return cutAt(s, Max) }

// cutAt returns the longest prefix of s of at most n bytes that does not split a
// UTF-8 sequence.
func cutAt(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && i > n-utf8.UTFMax && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i]
}
