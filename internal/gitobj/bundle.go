package gitobj

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// Bundle is a git bundle (`git bundle create`): a text header of
// capabilities, prerequisites and refs, a blank line, then a pack.
type Bundle struct {
	Version int // 2 or 3
	// Refs are the refs the bundle carries, in its order.
	Refs []BundleRef
	// Prerequisites are the commits the bundle's objects build on, which
	// it does not hold (an incremental bundle).
	Prerequisites []ID
	// Pack is the pack after the header.
	Pack []byte
	// PackOffset is where Pack starts in the bundle.
	PackOffset int64
}

// BundleRef is one ref of a bundle.
type BundleRef struct {
	Name string
	ID   ID
}

// IsBundle reports whether data starts with a git bundle's signature.
func IsBundle(data []byte) bool {
	return bytes.HasPrefix(data, []byte("# v2 git bundle\n")) || bytes.HasPrefix(data, []byte("# v3 git bundle\n"))
}

// maxBundleHeader bounds a bundle's header: git writes one line per ref.
const maxBundleHeader = 64 << 20

// ParseBundle reads the header of the bundle in data as git's bundle.c
// reads it: a v3 bundle's capabilities ("@object-format=sha1"; SHA-256 is
// refused, as for a repository), prerequisite lines ("-ID comment"), ref
// lines ("ID refname"), then a blank line and the pack.
func ParseBundle(data []byte) (Bundle, error) {
	var b Bundle
	switch {
	case bytes.HasPrefix(data, []byte("# v2 git bundle\n")):
		b.Version = 2
	case bytes.HasPrefix(data, []byte("# v3 git bundle\n")):
		b.Version = 3
	default:
		return b, errors.New("not a git bundle (no v2 or v3 signature)")
	}
	rest := data[len("# v2 git bundle\n"):]
	for {
		nl := bytes.IndexByte(rest, '\n')
		if nl < 0 || len(data)-len(rest) > maxBundleHeader {
			return b, errors.New("bundle header has no end (no blank line before the pack)")
		}
		line := string(rest[:nl])
		rest = rest[nl+1:]
		if line == "" {
			break
		}
		switch {
		case line[0] == '@':
			if b.Version < 3 {
				return b, fmt.Errorf("bundle header: capability %q in a v2 bundle", line)
			}
			if f, ok := strings.CutPrefix(line, "@object-format="); ok && f != "sha1" {
				if f == "sha256" {
					return b, ErrSHA256
				}
				return b, fmt.Errorf("bundle object format %q is not supported: keyscan reads SHA-1 objects only", f)
			}
		case line[0] == '-':
			id, ok := ParseID(strings.TrimRight(line[1:min(len(line), 41)], "\r"))
			if !ok {
				return b, fmt.Errorf("bundle header: malformed prerequisite line %q", clip(line))
			}
			b.Prerequisites = append(b.Prerequisites, id)
		default:
			hexID, name, _ := strings.Cut(line, " ")
			id, ok := ParseID(hexID)
			if !ok || name == "" {
				return b, fmt.Errorf("bundle header: malformed ref line %q", clip(line))
			}
			b.Refs = append(b.Refs, BundleRef{Name: name, ID: id})
		}
	}
	b.Pack = rest
	b.PackOffset = int64(len(data) - len(rest))
	return b, nil
}

// clip shortens a line of a header for a message.
func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// HeaderText returns the header lines of a commit or tag object without
// those that name objects (tree, parent, object): the author, committer,
// tagger and any other header (gpgsig, mergetag, a custom one), which git
// log and git show print as they print the message.
func HeaderText(data []byte) []byte {
	head := data
	if i := bytes.Index(data, []byte("\n\n")); i >= 0 {
		head = data[:i+1]
	} else if bytes.HasPrefix(data, []byte{'\n'}) {
		return nil
	}
	var out []byte
	for line := range bytes.SplitAfterSeq(head, []byte("\n")) {
		if bytes.HasPrefix(line, []byte("tree ")) || bytes.HasPrefix(line, []byte("parent ")) || bytes.HasPrefix(line, []byte("object ")) {
			continue
		}
		out = append(out, line...)
	}
	return out
}
