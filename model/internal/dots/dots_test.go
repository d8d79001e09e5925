package dots

import "testing"

func TestRandom(t *testing.T) {
	a, b := Random(3, 12), Random(3, 12)
	white := 0
	for i, p := range a.Pix {
		if p != b.Pix[i] {
			t.Fatal("Random is not deterministic")
		}
		if p == 255 {
			white++
		} else if p != 0 {
			t.Fatalf("pixel %d is %d, want 0 or 255", i, p)
		}
	}
	// 12 discs of radius 7 cover about 12*pi*49 = 1847 pixels (no overlap).
	if white < 1700 || white > 2000 {
		t.Fatalf("%d white pixels for 12 discs of radius 7", white)
	}
}
