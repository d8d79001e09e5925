package bench

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html/template"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/numsense/numsense/model/accuracy"
)

// MaxPictures bounds how many frames keep their pictures for report.html (the
// report of a long live run would otherwise grow without bound); later frames are
// listed without pictures.
const MaxPictures = 2000

// Pictures are a frame's thumbnail and silhouette, encoded for report.html.
type Pictures struct {
	Thumb      []byte // JPEG, at most thumbSize pixels wide or high
	Silhouette []byte // 1-bit PNG, 227x227 (nil when the table came out empty)
}

const thumbSize = 192

// picturesOf encodes img as a thumbnail and sil (may be empty) as a PNG.
func picturesOf(img image.Image, sil *image.Gray) Pictures {
	var p Pictures
	var b bytes.Buffer
	if t := thumbnail(img, thumbSize); t != nil && jpeg.Encode(&b, t, &jpeg.Options{Quality: 75}) == nil {
		p.Thumb = bytes.Clone(b.Bytes())
	}
	if sil != nil && !sil.Rect.Empty() {
		pal := image.NewPaletted(sil.Rect, color.Palette{color.Gray{0}, color.Gray{255}})
		for y := sil.Rect.Min.Y; y < sil.Rect.Max.Y; y++ {
			for x := sil.Rect.Min.X; x < sil.Rect.Max.X; x++ {
				if sil.GrayAt(x, y).Y >= 0x80 {
					pal.SetColorIndex(x, y, 1)
				}
			}
		}
		b.Reset()
		if (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&b, pal) == nil {
			p.Silhouette = bytes.Clone(b.Bytes())
		}
	}
	return p
}

// thumbnail shrinks img by box filtering to fit size x size (RGBA).
func thumbnail(img image.Image, size int) *image.RGBA {
	b := img.Bounds()
	if b.Empty() {
		return nil
	}
	k := max((b.Dx()+size-1)/size, (b.Dy()+size-1)/size, 1)
	w, h := max(b.Dx()/k, 1), max(b.Dy()/k, 1)
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	for oy := 0; oy < h; oy++ {
		for ox := 0; ox < w; ox++ {
			var r, g, bl, n uint32
			for y := b.Min.Y + oy*k; y < b.Min.Y+(oy+1)*k && y < b.Max.Y; y++ {
				for x := b.Min.X + ox*k; x < b.Min.X+(ox+1)*k && x < b.Max.X; x++ {
					cr, cg, cb, _ := img.At(x, y).RGBA()
					r, g, bl, n = r+cr>>8, g+cg>>8, bl+cb>>8, n+1
				}
			}
			out.SetRGBA(ox, oy, color.RGBA{uint8(r / n), uint8(g / n), uint8(bl / n), 255})
		}
	}
	return out
}

// errorOf is how far a frame's estimate is from its truth, |accuracy.LogRatio|
// (ln(estimate/true), an estimate below 0.5 counting as 0.5); -1 without truth.
func errorOf(r Row) float64 {
	if r.True < 1 {
		return -1
	}
	return math.Abs(accuracy.LogRatio(r.Estimate, r.True))
}

// worstFirst orders rows by errorOf, largest first; frames without truth last, in
// their order.
func worstFirst(rows []Row) []int {
	idx := make([]int, len(rows))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return errorOf(rows[idx[a]]) > errorOf(rows[idx[b]]) })
	return idx
}

// reportFrame is one card of report.html.
type reportFrame struct {
	Rank       int
	File       string
	True       string
	Estimate   string
	Interval   string
	State      string
	Inside     string // "inside", "outside" or "" without truth
	Error      string
	Thumb      template.URL
	Silhouette template.URL
}

type reportData struct {
	S         Summary
	Figures   [][2]string
	Plot      template.HTML
	Frames    []reportFrame
	NoPicture int
}

// writeReport writes report.html: the summary, the estimate-against-truth plot and
// every frame, worst first, with its thumbnail and silhouette. One self-contained
// file (pictures inlined as data URLs, no script, no network): it opens from disk.
func writeReport(w io.Writer, rows []Row, s Summary) error {
	d := reportData{S: s, Plot: template.HTML(plotSVG(rows))}
	f := func(p *float64, format string) string {
		if p == nil {
			return "–"
		}
		return fmt.Sprintf(format, *p)
	}
	d.Figures = [][2]string{
		{"frames (labelled)", fmt.Sprintf("%d (%d)", s.Frames, s.Labelled)},
		{"median |relative error|", f(s.MedianAbsRelErr, "%.3f")},
		{"mean |relative error|", f(s.MeanAbsRelError, "%.3f")},
		{"inside the 68 % interval", f(s.IntervalCoverage, "%.3f")},
		{"Weber fraction (sd of ln(estimate/true))", f(s.WeberFraction, "%.3f")},
		{"log bias", f(s.LogBias, "%+.3f")},
		{"latency p50 / p95", fmt.Sprintf("%.1f / %.1f ms", s.LatencyP50, s.LatencyP95)},
		{"decoder", s.Decoder},
		{"source", s.Source},
	}
	for rank, i := range worstFirst(rows) {
		r := rows[i]
		fr := reportFrame{Rank: rank + 1, File: r.File, Estimate: fmt.Sprintf("%.1f", r.Estimate),
			Interval: fmt.Sprintf("%.1f–%.1f", r.Lo, r.Hi), State: r.State, True: "–"}
		if r.True >= 0 {
			fr.True = fmt.Sprint(r.True)
		}
		if e := errorOf(r); e >= 0 {
			fr.Inside = "outside"
			if accuracy.Inside(r.True, r.Lo, r.Hi) {
				fr.Inside = "inside"
			}
			fr.Error = fmt.Sprintf("%.2f", e)
		}
		if r.Pictures.Thumb != nil {
			fr.Thumb = dataURL("image/jpeg", r.Pictures.Thumb)
		} else {
			d.NoPicture++
		}
		if r.Pictures.Silhouette != nil {
			fr.Silhouette = dataURL("image/png", r.Pictures.Silhouette)
		}
		d.Frames = append(d.Frames, fr)
	}
	return reportTemplate.Execute(w, d)
}

func dataURL(mime string, b []byte) template.URL {
	return template.URL("data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(b))
}

// plotSVG draws every estimate with its interval against the true count on log
// axes, with the identity line (frames without truth are left out).
func plotSVG(rows []Row) string {
	const W, H, l, r, t, bm = 640.0, 480.0, 60.0, 20.0, 20.0, 50.0
	lo, hi := 0.8, 40.0
	for _, row := range rows {
		if row.True >= 1 {
			hi = math.Max(hi, math.Max(float64(row.True), row.Hi)*1.15)
		}
	}
	x := func(v float64) float64 { return l + (W-l-r)*math.Log(math.Max(v, lo)/lo)/math.Log(hi/lo) }
	y := func(v float64) float64 { return H - bm - (H-t-bm)*math.Log(math.Max(v, lo)/lo)/math.Log(hi/lo) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="plot" viewBox="0 0 %.0f %.0f" role="img" aria-label="estimate against true count">`, W, H)
	fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" class="frame"/>`, l, t, W-l-r, H-t-bm)
	for _, v := range []float64{1, 2, 5, 10, 20, 50, 100, 200} {
		if v > hi {
			break
		}
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" class="grid"/>`, x(v), t, x(v), H-bm)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" class="grid"/>`, l, y(v), W-r, y(v))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" class="tx">%g</text>`, x(v), H-bm+18, v)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" class="ty">%g</text>`, l-8, y(v)+4, v)
	}
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" class="identity"/>`, x(lo), y(lo), x(hi), y(hi))
	i := 0
	for _, row := range rows {
		if row.True < 1 {
			continue
		}
		// a fixed jitter so that frames of the same count do not hide each other
		jx := x(float64(row.True) * math.Exp(0.03*math.Sin(float64(i)*2.39996)))
		i++
		cls := "out"
		if accuracy.Inside(row.True, row.Lo, row.Hi) {
			cls = "in"
		}
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" class="bar %s"/>`, jx, y(row.Lo), jx, y(row.Hi), cls)
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3" class="pt %s"/>`, jx, y(row.Estimate), cls)
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" class="lab">true count</text>`, l+(W-l-r)/2, H-10)
	fmt.Fprintf(&b, `<text x="14" y="%.1f" class="lab" transform="rotate(-90 14 %.1f)">estimate (68 %% interval)</text>`, t+(H-t-bm)/2, t+(H-t-bm)/2)
	b.WriteString(`</svg>`)
	return b.String()
}

var reportTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"mul100":      func(v float64) float64 { return 100 * v },
	"maxPictures": func() int { return MaxPictures },
}).Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>numsense bench: {{.S.Source}}</title>
<style>
body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; margin: 1.5em; color: #1d2330; background: #f6f7f9; }
h1 { margin: 0 0 0.2em; font-size: 1.6em; }
h2 { margin: 1.2em 0 0.4em; font-size: 1.2em; }
.top { display: flex; flex-wrap: wrap; gap: 1.5em; align-items: flex-start; }
table { border-collapse: collapse; background: #fff; }
td, th { padding: 0.25em 0.7em; border-bottom: 1px solid #e3e6eb; text-align: right; }
td:first-child, th:first-child { text-align: left; }
.plot { width: 640px; max-width: 100%; background: #fff; }
.plot .frame { fill: none; stroke: #b8bfcb; }
.plot .grid { stroke: #eceff3; }
.plot .tx { font-size: 12px; text-anchor: middle; fill: #56607a; }
.plot .ty { font-size: 12px; text-anchor: end; fill: #56607a; }
.plot .lab { font-size: 13px; text-anchor: middle; fill: #1d2330; }
.plot .identity { stroke: #1d2330; stroke-dasharray: 5 4; }
.plot .bar { stroke-width: 1.5; opacity: 0.5; }
.plot .bar.in { stroke: #1e9a86; } .plot .bar.out { stroke: #d1495b; }
.plot .pt.in { fill: #1e9a86; } .plot .pt.out { fill: #d1495b; }
.frames { display: grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); gap: 0.8em; }
.card { background: #fff; border-radius: 6px; padding: 0.5em; box-shadow: 0 1px 2px rgba(0,0,0,0.08); border-left: 5px solid #b8bfcb; }
.card.outside { border-left-color: #d1495b; } .card.inside { border-left-color: #1e9a86; }
.pics { display: flex; gap: 4px; align-items: center; height: 116px; }
.pics img { max-height: 116px; max-width: 50%; }
.pics img.sil { width: 116px; height: 116px; image-rendering: pixelated; background: #000; }
.name { font-size: 0.8em; color: #56607a; overflow-wrap: anywhere; }
.nums { margin-top: 0.2em; }
.nums b { font-size: 1.2em; }
.note { color: #56607a; }
</style>
</head>
<body>
<h1>numsense bench</h1>
<p class="note">{{.S.Source}}: every frame through the front end, the int8 network and the decoder.</p>
<div class="top">
<div>
<h2>Summary</h2>
<table>{{range .Figures}}<tr><td>{{index . 0}}</td><td>{{index . 1}}</td></tr>{{end}}</table>
</div>
<div>
<h2>Estimate against true count</h2>
{{.Plot}}
<p class="note">Log axes; dots are estimates, lines their 68 % intervals (green: the true count is inside), dashed: estimate = truth.</p>
</div>
{{if .S.PerCount}}<div>
<h2>Per true count</h2>
<table><tr><th>count</th><th>frames</th><th>mean estimate</th><th>median |rel err|</th><th>inside</th></tr>
{{range .S.PerCount}}<tr><td>{{.Count}}</td><td>{{.Frames}}</td><td>{{printf "%.2f" .MeanEstimate}}</td><td>{{printf "%.3f" .MedianAbsRelErr}}</td><td>{{printf "%.0f%%" (mul100 .IntervalCoverage)}}</td></tr>
{{end}}</table>
</div>{{end}}
</div>
<h2>Every frame, worst first</h2>
<p class="note">Ordered by |ln(estimate / true count)|; frames without a true count last. Left: the picture; right: the silhouette the network saw.{{if .NoPicture}} {{.NoPicture}} frames have no pictures (only the first {{maxPictures}} keep them).{{end}}</p>
<div class="frames">
{{range .Frames}}<div class="card {{.Inside}}">
<div class="pics">{{if .Thumb}}<img src="{{.Thumb}}" alt="frame">{{end}}{{if .Silhouette}}<img class="sil" src="{{.Silhouette}}" alt="silhouette">{{end}}</div>
<div class="nums">#{{.Rank}} · true <b>{{.True}}</b> · estimate <b>{{.Estimate}}</b> ({{.Interval}}){{if .Error}} · error {{.Error}}{{end}}</div>
<div class="name">{{.File}} · {{.State}}{{if .Inside}} · {{.Inside}}{{end}}</div>
</div>
{{end}}</div>
</body>
</html>
`))
