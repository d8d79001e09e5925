// Command soak runs numsense's exhibit service for a while under HTTP load and
// reports whether it holds: resident memory, goroutines and open files of the
// service at the start and at the end (make soak; not part of CI).
//
// It starts `numsense run` on the synthetic camera with the HTTP API on a loopback
// port, waits for the first estimate, and then, for -minutes, keeps -clients
// keep-alive clients reading /api/estimate, /metrics and /healthz in a loop, and
// every 20 s opens a burst of connections over the server's cap (idle keep-alives
// after one request, and silent ones that never send a request). It samples the
// service every minute (VmRSS from /proc, the Go heap in use and the goroutines
// from /metrics, the open files from /proc/PID/fd) and prints the samples at the start, at the end of
// the load, and after the idle timeout has let the bursts' connections go. The run
// ends with SIGTERM, and the service must exit with status 0.
//
//	go run ./cmd/numsense/internal/soak -bin bin/numsense -minutes 10
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	bin := flag.String("bin", "bin/numsense", "the numsense binary")
	minutes := flag.Float64("minutes", envFloat("SOAK_MINUTES", 10), "how long to load the service (default $SOAK_MINUTES, else 10)")
	clients := flag.Int("clients", 8, "keep-alive clients reading the API in a loop")
	burst := flag.Int("burst", 100, "connections opened every 20 s: half idle keep-alives after one request, half silent")
	threads := flag.Int("threads", 1, "the service's network threads")
	settle := flag.Duration("settle", 40*time.Second, "wait after the load before the last sample (longer than the idle timeout)")
	flag.Parse()
	if err := run(*bin, time.Duration(*minutes*float64(time.Minute)), *clients, *burst, *threads, *settle); err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
}

func envFloat(name string, def float64) float64 {
	if v, err := strconv.ParseFloat(os.Getenv(name), 64); err == nil && v > 0 {
		return v
	}
	return def
}

// sample is what the soak measures of the service at one moment.
type sample struct {
	at                 time.Duration
	rssKB, goroutines  int
	heapMB             float64
	fds, conns, frames int
	requests, failures int64
	refused            int
}

func (s sample) String() string {
	return fmt.Sprintf("%8s  RSS %6.1f MB  heap %5.1f MB  goroutines %4d  open files %4d  HTTP connections %3d  frames %7d  requests %8d (failed %d)  refused %d",
		s.at.Round(time.Second), float64(s.rssKB)/1024, s.heapMB, s.goroutines, s.fds, s.conns, s.frames, s.requests, s.failures, s.refused)
}

func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func run(bin string, d time.Duration, clients, burst, threads int, settle time.Duration) error {
	addr, err := freePort()
	if err != nil {
		return err
	}
	cmd := exec.Command(bin, "run", "--source", "synthetic:1", "--display", "none", "--json",
		"--listen", addr, "--threads", strconv.Itoa(threads))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	var logs strings.Builder
	var logMu sync.Mutex
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	var lines atomic.Int64
	go func() { // the JSON lines: counted, not kept
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines.Add(1)
		}
	}()
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			logMu.Lock()
			if logs.Len() < 64<<10 {
				logs.WriteString(sc.Text() + "\n")
			}
			logMu.Unlock()
		}
	}()
	pid := cmd.Process.Pid
	start := time.Now()
	fmt.Printf("soak: numsense (pid %d) on the synthetic camera, API on %s, %d clients, bursts of %d connections, %v of load\n",
		pid, addr, clients, burst, d)
	base := "http://" + addr
	if err := waitEstimate(base, 2*time.Minute); err != nil {
		cmd.Process.Kill()
		return err
	}
	var requests, failures atomic.Int64
	take := func() sample {
		s := sample{at: time.Since(start), requests: requests.Load(), failures: failures.Load()}
		s.rssKB = procRSS(pid)
		s.fds = procFDs(pid)
		m := metrics(base)
		s.goroutines, s.conns, s.frames, s.refused = int(m["go_goroutines"]), int(m["numsense_http_connections"]), int(m["numsense_frames_total"]), int(m["numsense_http_refused_total"])
		s.heapMB = m["go_memstats_heap_inuse_bytes"] / (1 << 20)
		return s
	}
	time.Sleep(5 * time.Second) // past the start-up allocations
	first := take()
	fmt.Println("start:", first)

	ctx, stop := context.WithTimeout(context.Background(), d)
	defer stop()
	var wg sync.WaitGroup
	paths := []string{"/api/estimate", "/metrics", "/healthz"}
	tr := &http.Transport{MaxIdleConnsPerHost: clients, IdleConnTimeout: time.Minute}
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for i := c; ctx.Err() == nil; i++ {
				resp, err := client.Get(base + paths[i%len(paths)])
				requests.Add(1)
				if err != nil {
					if ctx.Err() == nil {
						failures.Add(1)
						time.Sleep(100 * time.Millisecond)
					}
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 && resp.StatusCode != 503 {
					failures.Add(1)
				}
			}
		}(c)
	}
	wg.Add(1)
	go func() { // bursts over the connection cap
		defer wg.Done()
		t := time.NewTicker(20 * time.Second)
		defer t.Stop()
		for {
			openBurst(addr, burst)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-tick.C:
			fmt.Println("      ", take())
		}
	}
	wg.Wait()
	tr.CloseIdleConnections()
	end := take()
	fmt.Println("end of load:", end)
	time.Sleep(settle)
	after := take()
	fmt.Printf("after %v idle: %v\n", settle, after)
	fmt.Printf("\nsummary: %v of load, %d requests (%d failed), %d frames estimated, %d JSON lines\n",
		end.at-first.at, end.requests, end.failures, after.frames, lines.Load())
	fmt.Printf("  RSS        %7.1f MB -> %7.1f MB (after idle %7.1f MB)\n", float64(first.rssKB)/1024, float64(end.rssKB)/1024, float64(after.rssKB)/1024)
	fmt.Printf("  heap in use %6.1f MB -> %7.1f MB (after idle %7.1f MB)\n", first.heapMB, end.heapMB, after.heapMB)
	fmt.Printf("  goroutines %7d    -> %7d    (after idle %7d)\n", first.goroutines, end.goroutines, after.goroutines)
	fmt.Printf("  open files %7d    -> %7d    (after idle %7d)\n", first.fds, end.fds, after.fds)
	fmt.Printf("  connections refused over the cap: %d\n", after.refused)

	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			logMu.Lock()
			defer logMu.Unlock()
			return fmt.Errorf("numsense exited with %v after SIGTERM:\n%s", err, logs.String())
		}
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		return errors.New("numsense still running 20 s after SIGTERM")
	}
	fmt.Println("  numsense stopped on SIGTERM with exit status 0")
	if end.failures > 0 {
		return fmt.Errorf("%d requests failed", end.failures)
	}
	return nil
}

// openBurst opens n connections: half send one request and stay idle (keep-alive),
// half send nothing. They are closed after 30 s, unless the server closed them.
func openBurst(addr string, n int) {
	var conns []net.Conn
	for i := 0; i < n; i++ {
		c, err := net.DialTimeout("tcp", addr, 2*time.Second)
		if err != nil {
			continue
		}
		if i%2 == 0 {
			c.SetDeadline(time.Now().Add(2 * time.Second))
			io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: soak\r\n\r\n")
			c.Read(make([]byte, 512))
			c.SetDeadline(time.Time{})
		}
		conns = append(conns, c)
	}
	go func() {
		time.Sleep(30 * time.Second)
		for _, c := range conns {
			c.Close()
		}
	}()
}

func waitEstimate(base string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if m := metrics(base); m["numsense_frames_total"] > 0 {
			return nil
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("no estimate from %s within %v", base, limit)
}

// metrics reads the unlabelled samples of /metrics.
func metrics(base string) map[string]float64 {
	out := map[string]float64{}
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(base + "/metrics")
	if err != nil {
		return out
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		name, val, ok := strings.Cut(sc.Text(), " ")
		if !ok || strings.HasPrefix(name, "#") || strings.Contains(name, "{") {
			continue
		}
		if v, err := strconv.ParseFloat(val, 64); err == nil {
			out[name] = v
		}
	}
	return out
}

// procRSS is VmRSS of pid in KB (0 if unknown).
func procRSS(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return n
		}
	}
	return 0
}

// procFDs is the number of open file descriptors of pid.
func procFDs(pid int) int {
	es, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		return 0
	}
	return len(es)
}
