package frontend

// simpleLUT[b] tells whether a background pixel whose 8 neighbours are the bits of b
// (bit 0 east, then counter-clockwise: NE, N, NW, W, SW, S, SE) touches exactly one
// 8-connected group of foreground neighbours: setting it then joins nothing that was
// apart (a "simple" point in the sense of digital topology).
var simpleLUT = func() (t [256]bool) {
	for b := 1; b < 256; b++ {
		// Union-find over the ring: neighbours i and i+1 are always 8-adjacent;
		// i and i+2 are too when i is a 4-neighbour (even index: E, N, W, S).
		var parent [8]int
		for i := range parent {
			parent[i] = i
		}
		find := func(i int) int {
			for parent[i] != i {
				i = parent[i]
			}
			return i
		}
		on := func(i int) bool { return b>>(uint(i)%8)&1 == 1 }
		for i := 0; i < 8; i++ {
			if !on(i) {
				continue
			}
			if on(i + 1) {
				parent[find(i)] = find((i + 1) % 8)
			}
			if i%2 == 0 && on(i+2) {
				parent[find(i)] = find((i + 2) % 8)
			}
		}
		groups := 0
		for i := 0; i < 8; i++ {
			if on(i) && find(i) == i {
				groups++
			}
		}
		t[b] = groups == 1
	}
	return
}()

// split separates objects that touch through narrow necks without ever counting
// them: the mask is eroded by Opts.Split (necks narrower than 2*Split+1 break), then
// grown back inside the original mask only through pixels whose foreground neighbours
// form one group (so growth never joins two pieces), Split+1 times. Pieces that the
// erosion removed entirely (small objects) are restored unchanged.
func (fe *FrontEnd) split() {
	k := fe.o.Split
	if k <= 0 {
		return
	}
	ow, oh := fe.ow, fe.oh
	n := ow * oh
	orig := fe.work[:n]
	copy(orig, fe.mask[:n])
	fe.morphN(k, false)
	t := fe.mask[:n]
	// Mark the parts of the original mask reachable from the eroded cores.
	reach := fe.dev[:n]
	clear(reach)
	st := fe.stack[:0]
	for i, v := range t {
		if v != 0 {
			reach[i] = 1
			st = append(st, int32(i))
		}
	}
	for len(st) > 0 {
		i := int(st[len(st)-1])
		st = st[:len(st)-1]
		x, y := i%ow, i/ow
		for dy := -1; dy <= 1; dy++ {
			yy := y + dy
			if yy < 0 || yy >= oh {
				continue
			}
			for dx := -1; dx <= 1; dx++ {
				xx := x + dx
				if xx < 0 || xx >= ow {
					continue
				}
				j := yy*ow + xx
				if orig[j] != 0 && reach[j] == 0 {
					reach[j] = 1
					st = append(st, int32(j))
				}
			}
		}
	}
	fe.stack = st[:0]
	// Grow back without joining.
	at := func(x, y int) byte {
		if x < 0 || y < 0 || x >= ow || y >= oh {
			return 0
		}
		return t[y*ow+x] & 1
	}
	for it := 0; it <= k; it++ {
		for yi := 0; yi < oh; yi++ {
			y := yi
			if it%2 == 1 {
				y = oh - 1 - yi
			}
			for xi := 0; xi < ow; xi++ {
				x := xi
				if it%2 == 1 {
					x = ow - 1 - xi
				}
				i := y*ow + x
				if orig[i] == 0 || t[i] != 0 {
					continue
				}
				b := at(x+1, y) | at(x+1, y-1)<<1 | at(x, y-1)<<2 | at(x-1, y-1)<<3 |
					at(x-1, y)<<4 | at(x-1, y+1)<<5 | at(x, y+1)<<6 | at(x+1, y+1)<<7
				if simpleLUT[b] {
					t[i] = 255
				}
			}
		}
	}
	// Restore what erosion removed entirely.
	for i, v := range orig {
		if v != 0 && reach[i] == 0 {
			t[i] = 255
		}
	}
}
