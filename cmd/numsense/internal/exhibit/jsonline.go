package exhibit

import (
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/numsense/numsense/model/estimate"
)

// AppendJSONLine writes one estimate as a JSON object and a newline, without
// allocating (the per-frame path): time, value, shown, interval, state, fused,
// latency_ms, the frame's number in the stream (frame, from 1) and file (for
// recordings) and, when the source knows it, true_count.
func AppendJSONLine(b []byte, r *estimate.Result, latency time.Duration) []byte {
	b = append(b, `{"time":"`...)
	b = r.Time.UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","value":`...)
	b = strconv.AppendFloat(b, round3(r.Value), 'f', -1, 64)
	b = append(b, `,"shown":`...)
	b = strconv.AppendInt(b, int64(r.Shown), 10)
	b = append(b, `,"interval":[`...)
	b = strconv.AppendFloat(b, round3(r.Lo), 'f', -1, 64)
	b = append(b, ',')
	b = strconv.AppendFloat(b, round3(r.Hi), 'f', -1, 64)
	b = append(b, `],"state":"`...)
	b = append(b, r.State.String()...)
	b = append(b, `","fused":`...)
	b = strconv.AppendInt(b, int64(r.Fused), 10)
	b = append(b, `,"latency_ms":`...)
	b = strconv.AppendFloat(b, round3(float64(latency)/1e6), 'f', -1, 64)
	if r.Seq > 0 {
		b = append(b, `,"frame":`...)
		b = strconv.AppendUint(b, r.Seq, 10)
	}
	if r.Name != "" {
		b = append(b, `,"file":`...)
		b = appendJSONString(b, r.Name)
	}
	if r.Count >= 0 {
		b = append(b, `,"true_count":`...)
		b = strconv.AppendInt(b, int64(r.Count), 10)
	}
	return append(b, "}\n"...)
}

func round3(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return math.Round(v*1000) / 1000
}

// appendJSONString appends s as a JSON string: quotes, backslashes and control
// characters escaped, invalid UTF-8 replaced by U+FFFD; no allocation.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b = append(b, "\\ufffd"...)
		} else {
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return append(b, '"')
}
