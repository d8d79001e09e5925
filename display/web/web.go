package web

import (
	"bytes"
	"embed"
	"encoding/json"
	"image"
	"io/fs"
	"math"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/numsense/numsense/model/unitmap"
)

//go:embed assets
var assets embed.FS

// Options configure a Server. Zero values mean the defaults.
type Options struct {
	// Lang is a language file (JSON, the keys of lang/en.json); "" is English.
	Lang string
	// Preview shows the camera picture on the page. The picture is held in memory
	// only; false keeps it off the page entirely.
	Preview bool
	// PreviewFPS bounds how often the preview is encoded (default 4, at most 10).
	PreviewFPS float64
	// PreviewWidth and PreviewHeight bound the preview's size (default 400x300): the
	// frame is shrunk by the smallest whole factor that fits.
	PreviewWidth, PreviewHeight int
	// MaxClients caps the number of open streams (default 16); more get 503.
	MaxClients int
	// WriteTimeout drops a stream whose client has not taken a write for this long
	// (default 10 s).
	WriteTimeout time.Duration
	// KeepAlive is the interval of comment lines on an idle stream (default 15 s).
	KeepAlive time.Duration
}

// Info is what the page needs to know once: what the model's units are and where
// the frames come from.
type Info struct {
	// Numerosities label Estimate.Activity (the unit map's calibration numerosities).
	Numerosities []int
	// Classes are the model's unit classes (model-file section "unit-classes"); they
	// label Estimate.ClassActivity. Nil for a model without them: the page then shows
	// the units grouped by preferred numerosity as found on the selection draw,
	// labelled as such, and no response curves.
	Classes *unitmap.Classes
	// Units is the number of number-selective units the decoder reads.
	Units int
	// Decoder and Source name the decoder and the frame source.
	Decoder, Source string
}

// Estimate is one estimate as the page shows it.
type Estimate struct {
	// Time is the capture time of the frame.
	Time time.Time
	// State is "starting", "estimating", "unstable", "empty", "camera lost" or "stopped".
	State string
	// Value is the decoded number; Shown the number on display (held with
	// hysteresis); Lo and Hi bound the 68 % interval.
	Value  float64
	Shown  int
	Lo, Hi float64
	// Fused is the number of frames averaged into this estimate.
	Fused int
	// TrueCount is the number of objects in view when the source knows it (the
	// synthetic camera), else -1.
	TrueCount int
	// Latency is the capture-to-estimate time.
	Latency time.Duration
	// Activity is the units' mean activity (0..1) per Info.Numerosities level;
	// ClassActivity per class of Info.Classes. The Server copies what it keeps.
	Activity      []float64
	ClassActivity []float64
}

// event kinds, one slot each in the hub.
const (
	evInfo = iota
	evEstimate
	evSilhouette
	evPreview
	nKinds
)

var eventNames = [nKinds]string{"info", "estimate", "silhouette", "preview"}

// Server serves the page and streams estimates to it. Publish, OfferPreview and
// WantPreview are for one publishing goroutine (the exhibit's loop); the handlers
// are safe for any number of requests.
type Server struct {
	o    Options
	lang []byte // the merged strings, JSON
	mux  *http.ServeMux
	hub  *hub
	img  *imager

	infoMu sync.Mutex
	info   []byte // /api/info

	line   []byte   // the estimate event being formatted (publisher only)
	last   Estimate // the last estimate's numbers (no slices), shown as stopped by Close
	frames uint64
	closed atomic.Bool
}

// New makes a Server. It fails only on a bad language file (the error names it).
func New(o Options) (*Server, error) {
	if o.PreviewFPS <= 0 {
		o.PreviewFPS = 4
	}
	o.PreviewFPS = math.Min(o.PreviewFPS, 10)
	if o.PreviewWidth <= 0 {
		o.PreviewWidth = 400
	}
	if o.PreviewHeight <= 0 {
		o.PreviewHeight = 300
	}
	if o.MaxClients <= 0 {
		o.MaxClients = 16
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = 10 * time.Second
	}
	if o.KeepAlive <= 0 {
		o.KeepAlive = 15 * time.Second
	}
	lang, err := LoadLang(o.Lang)
	if err != nil {
		return nil, err
	}
	s := &Server{o: o, hub: newHub()}
	if s.lang, err = json.Marshal(lang); err != nil {
		return nil, err
	}
	s.img = newImager(s.hub, o)
	s.mux = http.NewServeMux()
	static, _ := fs.Sub(assets, "assets")
	s.mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		serveFile(w, r, static, "index.html")
	})
	s.mux.HandleFunc("GET /static/{file}", func(w http.ResponseWriter, r *http.Request) {
		serveFile(w, r, static, r.PathValue("file"))
	})
	s.mux.HandleFunc("GET /lang.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(s.lang)
	})
	s.mux.HandleFunc("GET /api/info", func(w http.ResponseWriter, r *http.Request) {
		s.infoMu.Lock()
		b := s.info
		s.infoMu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
	})
	s.mux.HandleFunc("GET /api/stream", s.stream)
	s.SetInfo(Info{})
	return s, nil
}

// Handler serves the page, its assets and the stream. It answers GET and HEAD
// only, with a strict content security policy (everything from this server).
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-cache")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			http.Error(w, "read-only: only GET and HEAD", http.StatusMethodNotAllowed)
			return
		}
		s.mux.ServeHTTP(w, r)
	})
}

// serveFile serves one embedded asset.
func serveFile(w http.ResponseWriter, r *http.Request, static fs.FS, name string) {
	b, err := fs.ReadFile(static, name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
}

// infoJSON is /api/info and the stream's info event.
type infoJSON struct {
	Numerosities []int       `json:"numerosities"`
	Grouping     string      `json:"grouping"` // "classes" or "pn"
	Groups       []groupJSON `json:"groups"`
	Units        int         `json:"units"`
	Decoder      string      `json:"decoder"`
	Source       string      `json:"source"`
	Preview      bool        `json:"preview"`
}

type groupJSON struct {
	Shape string    `json:"shape"`           // decreasing, increasing, tuned; "pn" for the fallback
	PN    int       `json:"pn"`              // the preferred numerosity (not its index), 0 for monotonic classes
	Units int       `json:"units"`           // how many units
	Curve []float32 `json:"curve,omitempty"` // the class's response curve (0..1) per numerosity
}

// SetInfo sets what the page shows about the model and the source; open streams
// get it at once.
func (s *Server) SetInfo(in Info) {
	j := infoJSON{Numerosities: in.Numerosities, Units: in.Units, Decoder: in.Decoder, Source: in.Source, Preview: s.o.Preview}
	if j.Numerosities == nil {
		j.Numerosities = []int{}
	}
	if c := in.Classes; c != nil {
		j.Grouping = "classes"
		for _, k := range c.Classes {
			g := groupJSON{Shape: k.Shape, Units: len(k.Units), Curve: k.Curve}
			if k.Shape == unitmap.Tuned && k.PN >= 0 && k.PN < len(c.Numerosities) {
				g.PN = c.Numerosities[k.PN]
			}
			j.Groups = append(j.Groups, g)
		}
	} else {
		j.Grouping = "pn"
		for _, n := range in.Numerosities {
			j.Groups = append(j.Groups, groupJSON{Shape: "pn", PN: n})
		}
	}
	if j.Groups == nil {
		j.Groups = []groupJSON{}
	}
	b, err := json.Marshal(j)
	if err != nil { // cannot happen: plain types, finite curves (validated by unitmap)
		b = []byte(`{}`)
	}
	s.infoMu.Lock()
	s.info = b
	s.infoMu.Unlock()
	s.hub.set(evInfo, b)
}

// Watching reports whether any page is connected.
func (s *Server) Watching() bool { return s.hub.count() > 0 }

// Publish sends an estimate and the silhouette the network saw (may be nil) to
// every open page. It copies what it keeps, does not allocate once warm, and never
// waits for a client.
func (s *Server) Publish(e *Estimate, sil *image.Gray) {
	if s.closed.Load() {
		return
	}
	s.frames++
	s.last = *e
	s.last.Activity, s.last.ClassActivity = nil, nil
	s.line = appendEstimate(s.line[:0], e, s.frames)
	s.hub.set(evEstimate, s.line)
	if sil != nil && s.Watching() {
		s.img.offerSilhouette(sil)
	}
}

// WantPreview reports whether OfferPreview would take a frame now: the preview is
// on, a page is watching, the last preview is encoded and 1/PreviewFPS has passed.
func (s *Server) WantPreview() bool {
	return s.o.Preview && !s.closed.Load() && s.Watching() && s.img.previewDue(time.Now())
}

// OfferPreview copies img (the camera frame) into the preview's buffer for the
// encoder goroutine, if WantPreview. *image.Gray, *image.YCbCr, *image.RGBA and
// *YUYV are copied as they are (no allocation once warm); other images are drawn
// pixel by pixel (slow). The picture never leaves memory except as the page's
// preview.
func (s *Server) OfferPreview(img image.Image) {
	if s.WantPreview() {
		s.img.offerPreview(img)
	}
}

// Close ends every stream and stops the encoder goroutine. The pages show the last
// estimate marked "stopped", and try to reconnect.
func (s *Server) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	st := s.last
	if st.State == "" {
		st.TrueCount = -1
	}
	st.State, st.Time = "stopped", time.Now()
	s.line = appendEstimate(s.line[:0], &st, s.frames+1)
	s.hub.set(evEstimate, s.line)
	s.hub.close(time.Second) // the pages get "stopped" before the HTTP server closes
	s.img.close()
	return nil
}

// appendEstimate formats the estimate event's JSON.
func appendEstimate(b []byte, e *Estimate, n uint64) []byte {
	b = append(b, `{"n":`...)
	b = strconv.AppendUint(b, n, 10)
	b = append(b, `,"time":"`...)
	b = e.Time.UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","state":`...)
	b = strconv.AppendQuote(b, e.State)
	b = append(b, `,"value":`...)
	b = appendNum(b, e.Value)
	b = append(b, `,"shown":`...)
	b = strconv.AppendInt(b, int64(e.Shown), 10)
	b = append(b, `,"lo":`...)
	b = appendNum(b, e.Lo)
	b = append(b, `,"hi":`...)
	b = appendNum(b, e.Hi)
	b = append(b, `,"fused":`...)
	b = strconv.AppendInt(b, int64(e.Fused), 10)
	b = append(b, `,"true_count":`...)
	if e.TrueCount >= 0 {
		b = strconv.AppendInt(b, int64(e.TrueCount), 10)
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"latency_ms":`...)
	b = appendNum(b, float64(e.Latency)/1e6)
	b = append(b, `,"activity":`...)
	b = appendNums(b, e.Activity)
	b = append(b, `,"class_activity":`...)
	b = appendNums(b, e.ClassActivity)
	return append(b, '}')
}

func appendNums(b []byte, v []float64) []byte {
	b = append(b, '[')
	for i, x := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendNum(b, x)
	}
	return append(b, ']')
}

// appendNum writes v rounded to 3 decimals; NaN and infinities as 0.
func appendNum(b []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		v = 0
	}
	return strconv.AppendFloat(b, math.Round(v*1000)/1000, 'f', -1, 64)
}
