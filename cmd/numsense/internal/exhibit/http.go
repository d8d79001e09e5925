package exhibit

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/numsense/numsense/model/estimate"
)

// status is what the HTTP endpoints and the metrics see of the loop.
type status struct {
	mu       sync.Mutex
	last     estimate.Result
	latency  time.Duration
	lastAt   time.Time
	started  time.Time
	lost     error
	reg      *prometheus.Registry
	value    prometheus.Gauge
	shown    prometheus.Gauge
	lo, hi   prometheus.Gauge
	frames   prometheus.Counter
	errors   prometheus.Counter
	conns    prometheus.Gauge
	refused  prometheus.Counter
	lat      prometheus.Histogram
	stateVec *prometheus.GaugeVec
	states   [5]prometheus.Gauge
}

func newStatus() *status {
	s := &status{started: time.Now(), reg: prometheus.NewRegistry()}
	g := func(name, help string) prometheus.Gauge {
		v := prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "numsense", Name: name, Help: help})
		s.reg.MustRegister(v)
		return v
	}
	s.value = g("estimate", "The decoded numerosity of the latest frame (0 when the table is empty).")
	s.shown = g("estimate_shown", "The value on the display (held with hysteresis).")
	s.lo = g("interval_low", "Lower end of the 68% interval.")
	s.hi = g("interval_high", "Upper end of the 68% interval.")
	s.frames = prometheus.NewCounter(prometheus.CounterOpts{Namespace: "numsense", Name: "frames_total", Help: "Frames estimated."})
	s.errors = prometheus.NewCounter(prometheus.CounterOpts{Namespace: "numsense", Name: "frame_errors_total", Help: "Frames that failed in the pipeline."})
	s.lat = prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: "numsense", Name: "latency_seconds", Help: "Capture-to-estimate latency.",
		Buckets: prometheus.ExponentialBuckets(0.005, 2, 10)})
	s.stateVec = prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: "numsense", Name: "state", Help: "1 for the current state of the scene."}, []string{"state"})
	s.conns = g("http_connections", "Open HTTP connections (at most the cap, see docs/reliability.md).")
	s.refused = prometheus.NewCounter(prometheus.CounterOpts{Namespace: "numsense", Name: "http_refused_total", Help: "HTTP connections refused because the cap was reached."})
	s.reg.MustRegister(s.frames, s.errors, s.refused, s.lat, s.stateVec,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for i := range s.states {
		s.states[i] = s.stateVec.WithLabelValues(estimate.State(i).String())
	}
	s.setState(estimate.Starting)
	return s
}

func (s *status) setState(st estimate.State) {
	for i, g := range s.states {
		if estimate.State(i) == st {
			g.Set(1)
		} else {
			g.Set(0)
		}
	}
}

func (s *status) publish(r *estimate.Result, latency time.Duration) {
	s.mu.Lock()
	s.last, s.latency, s.lastAt, s.lost = *r, latency, time.Now(), nil
	s.mu.Unlock()
	s.value.Set(r.Value)
	s.shown.Set(float64(r.Shown))
	s.lo.Set(r.Lo)
	s.hi.Set(r.Hi)
	s.frames.Inc()
	s.lat.Observe(latency.Seconds())
	s.setState(r.State)
}

// setLost records a camera failure; it returns true the first time in a row.
func (s *status) setLost(err error) bool {
	s.mu.Lock()
	first := s.lost == nil
	s.lost = err
	s.last.State = estimate.CameraLost
	s.mu.Unlock()
	s.setState(estimate.CameraLost)
	return first
}

// handler serves /api/estimate, /metrics and /healthz, and page (if not nil) at /.
func (s *status) handler(page http.Handler) http.Handler {
	mux := http.NewServeMux()
	if page != nil {
		mux.Handle("/", page)
	}
	mux.HandleFunc("/api/estimate", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		res, lat, at := s.last, s.latency, s.lastAt
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if at.IsZero() && res.State != estimate.CameraLost {
			res = estimate.Result{State: estimate.Starting, Time: time.Now(), Count: -1}
		}
		w.Write(AppendJSONLine(nil, &res, lat))
	})
	mux.Handle("/metrics", promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		at, lost, started := s.lastAt, s.lost, s.started
		s.mu.Unlock()
		switch {
		case lost != nil:
			http.Error(w, "camera lost: "+lost.Error(), http.StatusServiceUnavailable)
		case at.IsZero() && time.Since(started) > 10*time.Second:
			http.Error(w, "no estimate yet", http.StatusServiceUnavailable)
		case !at.IsZero() && time.Since(at) > 10*time.Second:
			http.Error(w, "no estimate for "+time.Since(at).Round(time.Second).String(), http.StatusServiceUnavailable)
		default:
			fmt.Fprintln(w, "ok")
		}
	})
	return mux
}

// Limits of the HTTP server. An idle keep-alive connection is closed after
// httpIdleTimeout; at most maxConns connections are open at once (a client over the
// cap gets 503 and its connection closed), so idle or slow clients cannot hold the
// memory of a Pi (5,000 idle keep-alives held 72 MB before the limits). Request
// headers must arrive within 5 s and be at most 16 KB. There is no write timeout:
// responses may be streams (the page's /api/stream).
var (
	httpIdleTimeout = 30 * time.Second
	maxConns        = 64
)

// serve starts the API server (and page, if not nil) on addr; it returns the server
// and the bound address.
func (s *status) serve(addr string, page http.Handler) (*http.Server, string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", fmt.Errorf("run.listen %s: %w", addr, err)
	}
	srv := &http.Server{Handler: s.handler(page), ReadHeaderTimeout: 5 * time.Second, IdleTimeout: httpIdleTimeout, MaxHeaderBytes: 16 << 10}
	go srv.Serve(&capListener{Listener: ln, free: make(chan struct{}, maxConns), st: s})
	return srv, ln.Addr().String(), nil
}

// capListener admits at most cap(free) connections at once. Over the cap a
// connection gets a short 503 response and is closed at once, so that a flood of
// clients queues nowhere.
type capListener struct {
	net.Listener
	free chan struct{} // one token per open connection
	st   *status
}

const refusal = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: 21\r\n\r\ntoo many connections\n"

func (l *capListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		select {
		case l.free <- struct{}{}:
			l.st.conns.Inc()
			return &capConn{Conn: c, l: l}, nil
		default:
			l.st.refused.Inc()
			c.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
			io.WriteString(c, refusal)
			c.Close()
		}
	}
}

// capConn gives its token back when it is closed (once).
type capConn struct {
	net.Conn
	l    *capListener
	once sync.Once
}

func (c *capConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		<-c.l.free
		c.l.st.conns.Dec()
	})
	return err
}
