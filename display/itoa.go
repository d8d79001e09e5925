package display

import "strconv"

// smallInts holds the decimal strings of 0..999 so that per-frame text needs
// no allocation.
var smallInts = func() (t [1000]string) {
	for i := range t {
		t[i] = strconv.Itoa(i)
	}
	return
}()

// itoa is strconv.Itoa without allocation for 0..999.
func itoa(v int) string {
	if v >= 0 && v < len(smallInts) {
		return smallInts[v]
	}
	return strconv.Itoa(v)
}
