package report

import (
	"encoding/json"
	"regexp"
	"strings"
)

var computing = regexp.MustCompile(`Computing time [^.]*\.`)

// WithoutTimings returns the content of a report file with the fields that measure
// time blanked (elapsed_seconds in results.json, the seconds column of
// networks.csv, the computing time in report.md), so that the reports of separate
// runs (one process, or merged shards) can be compared byte for byte.
func WithoutTimings(name string, b []byte) []byte {
	switch name {
	case "results.json":
		var r map[string]any
		if err := json.Unmarshal(b, &r); err != nil {
			return b
		}
		delete(r, "elapsed_seconds")
		b, _ = json.Marshal(r)
	case "networks.csv":
		lines := strings.Split(string(b), "\n")
		for i, l := range lines {
			if k := strings.LastIndex(l, ","); k >= 0 {
				lines[i] = l[:k]
			}
		}
		b = []byte(strings.Join(lines, "\n"))
	case "report.md":
		b = computing.ReplaceAll(b, []byte("Computing time X."))
	}
	return b
}
