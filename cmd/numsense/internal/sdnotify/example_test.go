package sdnotify_test

import (
	"log"
	"time"

	"github.com/numsense/numsense/cmd/numsense/internal/sdnotify"
)

// A main loop that tells systemd when it is ready and pings the watchdog
// only after real progress, at half the configured period.
func Example() {
	interval, err := sdnotify.WatchdogInterval()
	if err != nil {
		log.Print(err)
	}
	// ... open the camera and the display, then:
	if _, err := sdnotify.Ready(); err != nil {
		log.Print(err)
	}
	defer sdnotify.Stopping()

	var lastPing time.Time
	for frame := 0; frame < 3; frame++ {
		// ... process one frame; only then:
		if interval > 0 && time.Since(lastPing) >= interval/2 {
			sdnotify.Watchdog()
			lastPing = time.Now()
		}
	}
	sdnotify.Status("about 12")
}
