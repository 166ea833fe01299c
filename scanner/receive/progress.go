package receive

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/keyscan/keyscan/scanner/history"
)

// ProgressLine tells the pusher that the gate is at work when a check takes
// longer than a delay: git relays a hook's standard error as it comes, so a
// push that waits on a long first scan shows a line that moves instead of
// looking stuck. Lines end in \r (git's own progress does the same) until
// Stop ends the last one.
type ProgressLine struct {
	w       io.Writer
	start   time.Time
	mu      sync.Mutex
	last    history.Progress
	printed bool
	stop    chan struct{}
	done    chan struct{}
}

// StartProgress starts a progress line on w that appears after delay and is
// redrawn every interval.
func StartProgress(w io.Writer, delay, interval time.Duration) *ProgressLine {
	p := &ProgressLine{w: w, start: time.Now(), stop: make(chan struct{}), done: make(chan struct{})}
	go p.run(delay, interval)
	return p
}

// Update records how far the scan has got; pass it as history.Options.Progress.
func (p *ProgressLine) Update(pr history.Progress) {
	p.mu.Lock()
	p.last = pr
	p.mu.Unlock()
}

func (p *ProgressLine) run(delay, interval time.Duration) {
	defer close(p.done)
	t := time.NewTimer(delay)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.draw("\r")
			t.Reset(interval)
		}
	}
}

func (p *ProgressLine) draw(end string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	el := time.Since(p.start).Round(time.Second)
	if p.last.TotalObjects == 0 {
		fmt.Fprintf(p.w, "keyscan: checking the push for AWS keys: walking the new commits (%s)%s", el, end)
	} else {
		fmt.Fprintf(p.w, "keyscan: checking the push for AWS keys: %d/%d files, %d/%d MB (%s)%s",
			p.last.Objects, p.last.TotalObjects, p.last.Bytes>>20, max(p.last.TotalBytes, p.last.Bytes)>>20, el, end)
	}
	p.printed = true
}

// Stop ends the progress line; when it was shown, its last state stays on
// its own line.
func (p *ProgressLine) Stop() {
	close(p.stop)
	<-p.done
	p.mu.Lock()
	printed := p.printed
	p.mu.Unlock()
	if printed {
		p.draw(", done.\n")
	}
}
