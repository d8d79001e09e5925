// Package exhibit is the service numsense run starts: it reads the newest frame of
// a camera, estimates its number through the pipeline of model/estimate, and
// publishes every estimate to the display, to JSON lines and to an HTTP API with
// Prometheus metrics, while it keeps systemd's watchdog fed.
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
//   - The empty table the front end learns (camera.learn) is kept in the state
//     directory (Options.Background, background.nsbg): read at start, written by a
//     goroutine whenever a new one is learned (background.go).
//
// The loop (Run) reads as its stages: wait for a frame, report a lost camera,
// estimate, publish, feed the watchdog, stop when asked.
package exhibit
