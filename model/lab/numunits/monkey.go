package numunits

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// MonkeyRow is one numerosity of the monkey reference data (Nieder & Merten
// 2007, prefrontal cortex, as distributed with Kim et al. 2021).
type MonkeyRow struct {
	N          int     // numerosity
	PNFraction float64 // fraction of neurons preferring N
	SigmaLin   float64 // Gaussian tuning width on a linear axis
	SigmaLog   float64 // Gaussian tuning width on a log2 axis
}

//go:embed monkey-reference.csv
var monkeyCSV []byte

// MonkeyReference returns the embedded monkey reference (docs/protocol.md §10):
// the preferred-numerosity fractions and tuning widths of prefrontal neurons of
// Nieder & Merten 2007, one row per numerosity of Numerosities.
func MonkeyReference() []MonkeyRow {
	rows, err := ParseMonkey(bytes.NewReader(monkeyCSV), "monkey-reference.csv")
	if err != nil {
		panic(err) // the embedded table is checked by TestMonkeyReference
	}
	return rows
}

// LoadMonkey reads the monkey reference CSV (header
// "numerosity,pn_fraction,sigma_lin,sigma_log", one row per numerosity).
// Errors name the file and line.
func LoadMonkey(path string) ([]MonkeyRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("numunits: monkey reference: %w", err)
	}
	defer f.Close()
	return ParseMonkey(f, path)
}

// ParseMonkey parses monkey reference CSV from r; name is used in errors.
func ParseMonkey(r io.Reader, name string) ([]MonkeyRow, error) {
	sc := bufio.NewScanner(r)
	want := []string{"numerosity", "pn_fraction", "sigma_lin", "sigma_log"}
	var rows []MonkeyRow
	line := 0
	header := false
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		fields := strings.Split(text, ",")
		for i := range fields {
			fields[i] = strings.TrimSpace(fields[i])
		}
		if len(fields) != len(want) {
			return nil, fmt.Errorf("%s:%d: %d fields, want %d (%s)", name, line, len(fields), len(want), strings.Join(want, ","))
		}
		if !header {
			for i, w := range want {
				if fields[i] != w {
					return nil, fmt.Errorf("%s:%d: header field %d is %q, want %q", name, line, i+1, fields[i], w)
				}
			}
			header = true
			continue
		}
		n, err := strconv.Atoi(fields[0])
		if err != nil || n < 0 {
			return nil, fmt.Errorf("%s:%d: numerosity %q is not a non-negative integer", name, line, fields[0])
		}
		var v [3]float64
		for i := range v {
			v[i], err = strconv.ParseFloat(fields[i+1], 64)
			if err != nil || math.IsNaN(v[i]) || math.IsInf(v[i], 0) || v[i] < 0 {
				return nil, fmt.Errorf("%s:%d: %s %q is not a finite non-negative number", name, line, want[i+1], fields[i+1])
			}
		}
		if len(rows) > 0 && n <= rows[len(rows)-1].N {
			return nil, fmt.Errorf("%s:%d: numerosity %d does not increase", name, line, n)
		}
		rows = append(rows, MonkeyRow{N: n, PNFraction: v[0], SigmaLin: v[1], SigmaLog: v[2]})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", name, line, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: no data rows", name)
	}
	return rows, nil
}
