package camera

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCountsMalformedQuotes is issue 13 item 2: a counts.csv row with a stray or an
// unterminated quote made FieldPos panic (bench, run --source DIR and record). Now
// every such row is an error naming its line, and the other rows are still checked.
func TestCountsMalformedQuotes(t *testing.T) {
	for _, c := range []struct{ name, text, want string }{
		{"stray quote", "file,count\na.png,3\nb\"x.png,4\n", "line 3"},
		{"unterminated quote", "file,count\na.png,3\n\"b.png,4\n", "line 3"},
		{"quote in the count", "file,count\na.png,\"3\n", "line 2"},
		{"quote in the header", "\"file,count\n", "header"},
		{"bare quote then good rows", "file,count\nx\"y,1\na.png,2\nb.png,x\n", "bad count"},
	} {
		rows, err := parseCounts(strings.NewReader(c.text), "set/counts.csv", false)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "set/counts.csv") {
			t.Errorf("%s: rows %v, error %v; want an error naming set/counts.csv and %q", c.name, rows, err, c.want)
		}
	}
}

// TestCountsDuplicatesAndZero (issue 13, low): a file listed twice is an error,
// whether the counts agree or contradict each other; count 0 (an empty table) is a
// valid label and negative counts are not.
func TestCountsDuplicatesAndZero(t *testing.T) {
	_, err := parseCounts(strings.NewReader("file,count\na.png,3\nb.png,0\n./a.png,4\nb.png,0\n"), "counts.csv", false)
	for _, w := range []string{"line 4", "contradicts line 2", "line 5", "already listed on line 3"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("duplicates: %v; want %q", err, w)
		}
	}
	rows, err := parseCounts(strings.NewReader("file,count\nempty.png,0\n"), "counts.csv", false)
	if err != nil || len(rows) != 1 || rows[0].Count != 0 {
		t.Errorf("count 0: %v %v", rows, err)
	}
	if _, err := parseCounts(strings.NewReader("file,count\na.png,-1\n"), "counts.csv", false); err == nil || !strings.Contains(err.Error(), "bad count") {
		t.Errorf("count -1: %v", err)
	}
}

// TestCountsErrorsAreShort (issue 13, low): a binary file as counts.csv, or one with
// thousands of bad rows, gives an error of a few kilobytes, not the file escaped.
func TestCountsErrorsAreShort(t *testing.T) {
	bin := make([]byte, 200000)
	for i := range bin {
		bin[i] = byte(i*7 + i>>8)
	}
	for _, text := range []string{
		string(bin),
		"file,count\n" + string(bin),
		"file,count\n" + strings.Repeat("x.png,many\n", 10000),
		"file,count\n" + strings.Repeat("y", 200000) + ",1\n" + strings.Repeat("y", 200000) + ",2\n",
	} {
		_, err := parseCounts(strings.NewReader(text), "counts.csv", false)
		if err == nil || len(err.Error()) > 8<<10 {
			n := 0
			if err != nil {
				n = len(err.Error())
			}
			t.Errorf("error of %d bytes for a %d-byte counts.csv", n, len(text))
		}
	}
}

// TestCountsMissingFilesReadCounts: ReadCounts also checks that the files exist.
func TestCountsMissingFilesReadCounts(t *testing.T) {
	dir := t.TempDir()
	writePNG(t, filepath.Join(dir, "a.png"), 1)
	os.WriteFile(filepath.Join(dir, CountsFile), []byte("file,count\na.png,1\n\"gone.png\",2\n"), 0o644)
	if _, err := ReadCounts(filepath.Join(dir, CountsFile)); err == nil || !strings.Contains(err.Error(), "missing file") {
		t.Errorf("missing file: %v", err)
	}
}
