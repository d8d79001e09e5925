// Package exhibit is the service numsense run starts: it reads the newest frame of
// a camera, estimates its number through the pipeline of model/estimate, and
// publishes every estimate to the display, to JSON lines, to an HTTP API with
// Prometheus metrics and to the web page (display/web, served at / beside the API),
// while it keeps systemd's watchdog fed.
//
// Why it is shaped as it is:
//   - Capture runs on its own goroutine and keeps only the newest frame (two frame
//     buffers swapped under a mutex): a slow pipeline skips frames of a live camera
//     instead of falling behind, and nothing is allocated per frame.
//   - The display is wrapped by the caller in display.NewAsync, so a slow or failing
//     I2C display never blocks the loop; HTTP handlers read a copy of the last
//     estimate under a mutex, so a slow client never blocks it either.
//   - A camera failure is reported once (state "camera lost"), the source reopens
//     itself with backoff, and estimates resume when frames come back.
//   - A recording (camera.Recording: image directories, .y4m, .mjpeg, .avi) is data,
//     not a camera: by default capture hands over every frame and waits until the
//     loop has taken it, so every frame is estimated in order and the JSON lines
//     (each naming its frame and file) are the same on every run but for the
//     timings; Options.Realtime plays it like a camera instead. The pictures of an
//     image directory are separate scenes (the tracker is reset before each) unless
//     Options.FuseStills. A recording that fails (a truncated or lying file, a
//     directory deleted while read) ends Run with the error: it is never retried
//     as a lost camera.
//   - The empty table the front end learns (camera.learn) is kept in the state
//     directory (Options.Background, background.nsbg): read at start, written by a
//     goroutine whenever a new one is learned (background.go).
//
// The loop (Run) reads as its stages: wait for a frame, report a lost camera (or
// end a failed recording), estimate, publish, feed the watchdog, stop when asked.
package exhibit
