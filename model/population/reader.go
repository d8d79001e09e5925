package population

import (
	"errors"
	"fmt"
	"image"
	"runtime"
	"sync"

	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/unitmap"
)

// Member is one network of a population with its number units.
type Member struct {
	Net   *model.QNet
	Units *unitmap.Map
}

// Reader reads the number units of a population of networks from a silhouette,
// averaged over views: for every network k and view v (a pass), the network runs on
// view v of the silhouette and its number units (in the order of its unit map) are
// dequantised; the responses of each unit are averaged over the views. The result
// holds the units of all networks, network 0's first: what a population's decoder
// reads.
//
// The passes are shared out over lanes: min(passes, threads) lanes, pass p on lane
// p mod lanes, the threads divided among the lanes as evenly as whole threads allow
// (the first lanes get one more). Each lane has its own model.Engine per network it
// runs (with the lane's threads) and runs its passes one after the other; the
// lanes run at the same time, lane 0 on the calling goroutine. So one network on
// four cores is one engine of four threads, as before; three networks are three
// engines of 2, 1 and 1 threads. The average does not depend on the lanes: every
// pass writes its own buffer and the views are summed in order.
//
// Read allocates nothing. A Reader is not safe for concurrent use.
type Reader struct {
	members []Member
	views   []View
	off     []int // offset of each network's units in out
	out     []float32
	resp    [][]float32 // per pass: the network's units on the view
	lanes   []*lane
	wg      sync.WaitGroup
	img     *image.Gray // the silhouette of the current Read
	err     []error     // per lane
	closed  bool
}

// lane runs its passes on its own engines and view buffer.
type lane struct {
	passes []int
	eng    map[int]*model.Engine // by network
	view   *image.Gray
	start  chan struct{} // nil for lane 0
}

// New makes a Reader for the members and views with threads worker threads in all
// (<= 0: runtime.GOMAXPROCS(0)). views nil means the silhouette alone. Call Close
// to stop the engines.
func New(members []Member, views []View, threads int) (*Reader, error) {
	if len(members) == 0 {
		return nil, errors.New("population: no networks")
	}
	if len(views) == 0 {
		views = []View{Identity}
	}
	if len(views) > MaxViews {
		return nil, fmt.Errorf("population: %d views, at most %d", len(views), MaxViews)
	}
	for i, v := range views {
		if !v.valid() {
			return nil, fmt.Errorf("population: view %d is invalid: %+v", i, v)
		}
	}
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	r := &Reader{members: members, views: views}
	n := 0
	for k, m := range members {
		if m.Net == nil || m.Units == nil || len(m.Units.Units) == 0 {
			return nil, fmt.Errorf("population: network %d has no network or no number units", k)
		}
		for _, u := range m.Units.Units {
			if u.Index < 0 || u.Index >= model.Relu5Units {
				return nil, fmt.Errorf("population: network %d: unit %d is not a relu5 unit", k, u.Index)
			}
		}
		r.off = append(r.off, n)
		n += len(m.Units.Units)
	}
	r.out = make([]float32, n)
	passes := len(members) * len(views)
	r.resp = make([][]float32, passes)
	for p := range r.resp {
		r.resp[p] = make([]float32, len(members[r.member(p)].Units.Units))
	}
	nl := min(passes, threads)
	r.err = make([]error, nl)
	for w := 0; w < nl; w++ {
		t := threads / nl
		if w < threads%nl {
			t++
		}
		l := &lane{eng: map[int]*model.Engine{}, view: image.NewGray(image.Rect(0, 0, model.InputSize, model.InputSize))}
		for p := w; p < passes; p += nl {
			l.passes = append(l.passes, p)
			if k := r.member(p); l.eng[k] == nil {
				l.eng[k] = model.NewEngine(members[k].Net, t)
			}
		}
		if w > 0 {
			l.start = make(chan struct{})
			go r.serve(w, l)
		}
		r.lanes = append(r.lanes, l)
	}
	return r, nil
}

// member and view of pass p: passes run network by network within a view.
func (r *Reader) member(p int) int { return p % len(r.members) }
func (r *Reader) view(p int) View  { return r.views[p/len(r.members)] }

// serve runs lane w's passes whenever Read starts it; it returns when Close
// closes the start channel.
func (r *Reader) serve(w int, l *lane) {
	for range l.start {
		r.err[w] = r.run(l)
		r.wg.Done()
	}
}

// run runs the passes of lane l on r.img.
func (r *Reader) run(l *lane) error {
	for _, p := range l.passes {
		k := r.member(p)
		img := r.img
		if v := r.view(p); v != Identity {
			v.Apply(l.view, img)
			img = l.view
		}
		e := l.eng[k]
		if err := e.Run(img); err != nil {
			return err
		}
		r.members[k].Units.GatherInt8(e.Relu5(), e.Relu5Scale(), e.Relu5ZeroPoint(), r.resp[p])
	}
	return nil
}

// Read runs every pass on img (227x227, objects 255 on 0) and returns the
// responses of all networks' number units averaged over the views, network 0's
// units first. The slice is the Reader's: valid until the next Read.
func (r *Reader) Read(img *image.Gray) ([]float32, error) {
	if r.closed {
		return nil, errors.New("population: Read on a closed Reader")
	}
	if b := img.Bounds(); b.Dx() != model.InputSize || b.Dy() != model.InputSize {
		return nil, fmt.Errorf("population: image is %dx%d, want %dx%d", b.Dx(), b.Dy(), model.InputSize, model.InputSize)
	}
	r.img = img
	r.wg.Add(len(r.lanes) - 1)
	for _, l := range r.lanes[1:] {
		l.start <- struct{}{}
	}
	r.err[0] = r.run(r.lanes[0])
	r.wg.Wait()
	r.img = nil
	for _, err := range r.err {
		if err != nil {
			return nil, err
		}
	}
	nv := len(r.views)
	inv := 1 / float32(nv)
	for k := range r.members {
		out := r.out[r.off[k] : r.off[k]+len(r.resp[k])]
		copy(out, r.resp[k])
		for v := 1; v < nv; v++ {
			for u, x := range r.resp[v*len(r.members)+k] {
				out[u] += x
			}
		}
		if nv > 1 {
			for u := range out {
				out[u] *= inv
			}
		}
	}
	return r.out, nil
}

// Units is the length of Read's result: the number units of all networks.
func (r *Reader) Units() int { return len(r.out) }

// Offset is where network k's units start in Read's result.
func (r *Reader) Offset(k int) int { return r.off[k] }

// Passes is the number of network runs per Read: networks x views.
func (r *Reader) Passes() int { return len(r.resp) }

// Lanes returns the threads of each lane's engines (see Reader).
func (r *Reader) Lanes() []int {
	t := make([]int, len(r.lanes))
	for i, l := range r.lanes {
		for _, e := range l.eng {
			t[i] = e.Threads()
			break
		}
	}
	return t
}

// Views returns the views the responses are averaged over.
func (r *Reader) Views() []View { return r.views }

// Close stops the lanes and their engines. The Reader must not be used
// afterwards.
func (r *Reader) Close() {
	if r.closed {
		return
	}
	r.closed = true
	for _, l := range r.lanes {
		if l.start != nil {
			close(l.start)
		}
		for _, e := range l.eng {
			e.Close()
		}
	}
}
