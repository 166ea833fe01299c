package walk

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/keyscan/keyscan/internal/readfile"
)

// A kernel pseudo-filesystem (/proc, /sys) holds thousands of entries that
// cannot be read as files: a process that exits between the listing and
// the open, write-only and root-only controls, files whose read is refused
// (EINVAL, EIO), links to every process's files. Each is counted as before
// (not scanned: unreadable, links not followed), so --strict fails and the
// summary is not "clean" for what was not read; but the warnings of one
// pseudo-filesystem are one warning, by reason, at its mount point, instead
// of one line per file (qa10 LOW-4: 20,000 lines for keyscan scan /proc).

// pseudoFS is one pseudo-filesystem met in a walk: the folder where it
// starts and what could not be read below it.
type pseudoFS struct {
	shown, kind string
	reasons     map[string]int
	first       map[string]string // a path for each reason, as an example
}

// mounted notes the pseudo-filesystem the open folder d (shown as shown,
// listed in parent, nil for a root) is on: the parent's when it is the
// same kind, a new one when d is its mount point.
func (w *walker) mounted(d, parent *folder, shown string) {
	kind := pseudoKind(d.handle)
	if kind == "" {
		return
	}
	if parent != nil && parent.pseudo != nil && parent.pseudo.kind == kind {
		d.pseudo = parent.pseudo
		return
	}
	d.pseudo = &pseudoFS{shown: shown, kind: kind, reasons: map[string]int{}, first: map[string]string{}}
	w.mu.Lock()
	w.pseudos = append(w.pseudos, d.pseudo)
	w.mu.Unlock()
}

// warnIn warns about shown, found in the folder d: a warning of its own,
// or one more of its pseudo-filesystem's.
func (w *walker) warnIn(d *folder, shown string, err error) {
	if d == nil || d.pseudo == nil {
		w.warn(shown, err)
		return
	}
	reason := pseudoReason(err)
	w.mu.Lock()
	if d.pseudo.reasons[reason] == 0 {
		d.pseudo.first[reason] = shown
	}
	d.pseudo.reasons[reason]++
	w.mu.Unlock()
}

// pseudoReason is the reason a warning gives, without the file's own
// details (a link's target).
func pseudoReason(err error) string {
	var nr notRegular
	switch msg := readfile.UnwrapPath(err).Error(); {
	case errors.As(err, &nr):
		return "not a regular file (" + readfile.ModeName(nr.Mode) + "): never opened"
	case strings.HasPrefix(msg, "symlink to "):
		return "symlink outside the scan root: not followed"
	default:
		return msg
	}
}

// warning is the one warning of the pseudo-filesystem, nil when all its
// files were read.
func (p *pseudoFS) warning() *Warning {
	if len(p.reasons) == 0 {
		return nil
	}
	type reason struct {
		why string
		n   int
	}
	var rs []reason
	total := 0
	for why, n := range p.reasons {
		rs = append(rs, reason{why, n})
		total += n
	}
	slices.SortFunc(rs, func(a, b reason) int {
		if a.n != b.n {
			return b.n - a.n
		}
		return strings.Compare(a.why, b.why)
	})
	var parts []string
	for _, r := range rs {
		parts = append(parts, fmt.Sprintf("%d %s (such as %s)", r.n, r.why, p.first[r.why]))
	}
	return &Warning{p.shown, fmt.Errorf("a kernel pseudo-filesystem (%s), whose files are the kernel's live state: %d entries below it not scanned: %s", p.kind, total, strings.Join(parts, "; "))}
}
