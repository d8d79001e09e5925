package numunits

import (
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestMonkeyReference(t *testing.T) {
	rows := MonkeyReference()
	fromFile, err := LoadMonkey("monkey-reference.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rows, fromFile) {
		t.Fatal("LoadMonkey and the embedded table differ")
	}
	if len(rows) != len(Numerosities) {
		t.Fatalf("%d rows, want %d", len(rows), len(Numerosities))
	}
	sum := 0.0
	for i, r := range rows {
		if r.N != Numerosities[i] {
			t.Errorf("row %d: N = %d, want %d", i, r.N, Numerosities[i])
		}
		sum += r.PNFraction
	}
	if math.Abs(sum-1) > 1e-5 {
		t.Errorf("PN fractions sum to %g, want 1", sum)
	}
	// Spot values from docs/protocol.md §10.
	if rows[0].PNFraction != 0.210022 || rows[15].SigmaLin != 12.419327 || rows[1].SigmaLog != 0.221019 {
		t.Errorf("values differ from the protocol table: %+v %+v", rows[0], rows[15])
	}
}

func TestParseMonkeyErrors(t *testing.T) {
	const hdr = "numerosity,pn_fraction,sigma_lin,sigma_log\n"
	for _, c := range []struct{ in, want string }{
		{"", "x.csv: no data rows"},
		{"n,pn,a,b\n", "x.csv:1: header field 1"},
		{hdr + "1,0.2,0.7\n", "x.csv:2: 3 fields"},
		{hdr + "1,0.2,0.7,1.3\nfour,0.1,1,1\n", "x.csv:3: numerosity \"four\""},
		{hdr + "1,0.2,0.7,1.3\n2,0.1,NaN,1\n", "x.csv:3: sigma_lin"},
		{hdr + "2,0.2,0.7,1.3\n1,0.1,1,1\n", "x.csv:3: numerosity 1 does not increase"},
	} {
		_, err := ParseMonkey(strings.NewReader(c.in), "x.csv")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("input %q: error %v, want it to contain %q", c.in, err, c.want)
		}
	}
	if _, err := LoadMonkey(filepath.Join(t.TempDir(), "missing.csv")); err == nil || !strings.Contains(err.Error(), "missing.csv") {
		t.Errorf("missing file: %v", err)
	}
}
