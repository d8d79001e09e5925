package backoff

import (
	"context"
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	b := New(100*time.Millisecond, time.Second)
	want := []time.Duration{100, 200, 400, 800, 1000, 1000}
	for i, w := range want {
		if d := b.Next(); d != w*time.Millisecond {
			t.Fatalf("retry %d: %v, want %v", i, d, w*time.Millisecond)
		}
	}
	b.Reset()
	if d := b.Peek(); d != 100*time.Millisecond {
		t.Fatalf("after Reset: %v", d)
	}
	if d := New(0, 0).Next(); d != time.Millisecond {
		t.Fatalf("degenerate bounds give %v", d)
	}
}

func TestWaitCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	b := New(time.Hour, time.Hour)
	if err := b.Wait(ctx); err != context.Canceled {
		t.Fatalf("Wait on a cancelled context: %v", err)
	}
	if err := New(time.Millisecond, time.Millisecond).Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
}
