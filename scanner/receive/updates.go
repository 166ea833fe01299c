package receive

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Update is one line git hands a pre-receive hook: a ref moving from Old to
// New. A zero Old creates the ref, a zero New deletes it.
type Update struct {
	Old, New, Ref string
}

const zeroID = "0000000000000000000000000000000000000000"

// Deletes reports whether the update deletes its ref.
func (u Update) Deletes() bool { return u.New == zeroID }

// Creates reports whether the update creates its ref.
func (u Update) Creates() bool { return u.Old == zeroID }

// maxLine bounds one line of standard input: two object IDs and a ref name,
// which git limits to far less.
const maxLine = 64 << 10

// maxUpdates bounds the number of lines read.
const maxUpdates = 1 << 20

// ParseUpdates reads the "<old> <new> <ref>" lines of a pre-receive hook's
// standard input. Any line that is not of that form is an error naming the
// line: the gate cannot tell what such a push adds.
func ParseUpdates(r io.Reader) ([]Update, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	var out []Update
	n := 0
	for sc.Scan() {
		n++
		if n > maxUpdates {
			return nil, fmt.Errorf("standard input: more than %d lines", maxUpdates)
		}
		line := strings.TrimSuffix(sc.Text(), "\r")
		if line == "" {
			continue // a hook script that relays its input may add one
		}
		u, err := parseUpdate(line)
		if err != nil {
			return nil, fmt.Errorf("standard input line %d: %w (want \"<old-id> <new-id> <ref>\", as git gives a pre-receive hook)", n, err)
		}
		if u.Old == zeroID && u.New == zeroID {
			// The deletion of a ref the repository no longer has (git push
			// :gone after a teammate deleted it, --prune, --mirror): git
			// sends it, and it adds nothing (qa10 LOW-7).
			continue
		}
		out = append(out, u)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("standard input line %d: longer than %d bytes", n+1, maxLine)
		}
		return nil, fmt.Errorf("reading standard input: %w", err)
	}
	return out, nil
}

func parseUpdate(line string) (Update, error) {
	f := strings.Split(line, " ")
	if len(f) != 3 {
		return Update{}, fmt.Errorf("%d fields", len(f))
	}
	u := Update{Old: f[0], New: f[1], Ref: f[2]}
	for _, id := range []string{u.Old, u.New} {
		if err := checkID(id); err != nil {
			return Update{}, err
		}
	}
	if !strings.HasPrefix(u.Ref, "refs/") || strings.ContainsAny(u.Ref, "\x00\t\x7f") {
		return Update{}, fmt.Errorf("ref %s: not a full ref name", redactToken(u.Ref))
	}
	return u, nil
}

func checkID(id string) error {
	if len(id) == 64 && isHex(id) {
		return fmt.Errorf("object ID %s: SHA-256 repositories are not supported", id)
	}
	if len(id) != 40 || !isHex(id) {
		return fmt.Errorf("object ID %s: not 40 lowercase hex digits", redactToken(id))
	}
	return nil
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// AllowOption is the push option that asks for an exception:
// git push -o keyscan.allow=<fingerprint>.
const AllowOption = "keyscan.allow"

// AllowedFingerprints returns the fingerprints the push options name with
// keyscan.allow=<fingerprint> (several may be given, or one option with a
// comma-separated list); other options are ignored.
func AllowedFingerprints(options []string) []string {
	var out []string
	for _, o := range options {
		v, ok := strings.CutPrefix(o, AllowOption+"=")
		if !ok {
			continue
		}
		for _, fp := range strings.Split(v, ",") {
			if fp = strings.TrimSpace(fp); fp != "" {
				out = append(out, fp)
			}
		}
	}
	return out
}
