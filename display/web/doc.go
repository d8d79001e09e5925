// Package web is the exhibit's screen as a web page: what the camera sees, the
// silhouette the network sees, the estimate ("about 12") with its 68 % interval on
// a log number line, the scene's state, and the number units at work (the
// population's activity by class and the classes' response curves), live.
//
// A Server holds the page and its assets (embedded: no CDN, no build step, works
// with no network), a stream of Server-Sent Events (/api/stream) and a preview
// encoder. The exhibit mounts Server.Handler on its HTTP server and publishes every
// estimate to it; the package knows nothing of cameras or models beyond the plain
// data it is given (Estimate, Info, image.Image), so display never imports camera.
//
// # Why it is shaped as it is
//
//   - Latest wins. Publish formats the estimate into one slot per kind of event
//     (info, estimate, silhouette, preview) and wakes the clients; each client's
//     handler goroutine copies what is new into its own buffer and writes it. A
//     client that reads slowly misses intermediate updates (at most one pending
//     update per kind: a bounded buffer that drops), and never slows the caller.
//     Publish does not allocate and never blocks on a client.
//   - The camera preview is held in memory only, never written or logged, and can
//     be switched off (Options.Preview). OfferPreview copies a frame into a reused
//     buffer on the caller's goroutine, at most PreviewFPS times a second and only
//     while someone watches; scaling and JPEG encoding run on the Server's own
//     goroutine. The silhouette is copied the same way and sent as a 1-bit PNG.
//   - Read-only. Only GET and HEAD are served; no endpoint changes state. The
//     number of streams is capped (Options.MaxClients) and a stream whose client
//     stops reading is dropped after a write deadline.
//   - Words in one place: every string the page shows comes from a language file
//     (lang/en.json embedded; Options.Lang names another, whose keys must be known).
//
// # Endpoints
//
//	/                the page (index.html, app.js, style.css under /static/)
//	/lang.json       the page's strings
//	/api/info        the model's numerosities and unit classes, the source, whether the preview is on
//	/api/stream      text/event-stream: events info, estimate, silhouette, preview
package web
