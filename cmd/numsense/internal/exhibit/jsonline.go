package exhibit

import (
	"math"
	"strconv"
	"time"

	"github.com/numsense/numsense/model/estimate"
)

// AppendJSONLine writes one estimate as a JSON object and a newline, without
// allocating (the per-frame path): time, value, shown, interval, state, fused,
// latency_ms and, when the source knows it, true_count.
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
