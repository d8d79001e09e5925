package model

import (
	"runtime"
	"testing"
	"time"
)

// TestEngineWorkersStopAndSleep: workers that slept between frames wake for the next
// one with the same result, more threads than cores work, and Close leaves no
// goroutine behind.
func TestEngineWorkersStopAndSleep(t *testing.T) {
	q := testQNet(t)
	img := localDots(3, 9)
	before := runtime.NumGoroutine()
	ref := NewEngine(q, 1)
	if err := ref.Run(img); err != nil {
		t.Fatal(err)
	}
	want := append([]int8(nil), ref.Relu5()...)
	ref.Close()
	e := NewEngine(q, 3)
	for i := 0; i < 2; i++ {
		if i == 1 {
			time.Sleep(20 * time.Millisecond) // long enough for the workers to park
		}
		if err := e.Run(img); err != nil {
			t.Fatal(err)
		}
		for k, v := range e.Relu5() {
			if v != want[k] {
				t.Fatalf("run %d: relu5[%d] = %d with 3 threads, %d with 1", i, k, v, want[k])
			}
		}
	}
	e.Close()
	e.Close() // idempotent
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines before, %d after Close", before, n)
	}
	if err := e.Run(img); err == nil {
		t.Error("Run after Close succeeded")
	}
}
