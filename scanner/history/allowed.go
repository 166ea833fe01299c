package history

import (
	"context"
	"strings"

	"github.com/keyscan/keyscan/internal/gitobj"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/content"
)

// A scanner made with scanner.Options.ReportAllowed returns the values that
// keyscan:allow directives allow (Finding.Allowed set), for the server gate
// to record or refuse. They are attributed like every finding, but as
// values of their own (valueKey): the same key allowed in one file and
// bare in another is two findings, the second reported as always.
//
// A push is judged by the values it adds, and a file the push edits is a
// new blob whose every value is found again: a test fixture allowed years
// ago would come back with every edit of its file. So in a push scan
// (Options.Not), an allowed value that the boundary's version of each of
// its paths (the commits the push builds on) already held, allowed too, is
// not one the push adds and is left out (heldBefore). A value allowed
// there but bare before, or allowed at a new path, stays.

// valueKey identifies a finding's value for attribution: its rule, its
// value, and whether a directive allows it.
func valueKey(f *scanner.Finding) string {
	if f.Allowed != "" {
		return f.Rule + "\x00" + f.Secret + "\x00allowed"
	}
	return f.Rule + "\x00" + f.Secret
}

// maxHeldPaths bounds the paths of one allowed value looked up in the
// boundary; a value held under more is kept (judged as added).
const maxHeldPaths = 64

// dropHeldAllowed leaves out of s.findings the allowed values that the
// boundary held, allowed, at each of their paths (see above).
func (s *scan) dropHeldAllowed(ctx context.Context) {
	if s.old == nil || len(s.boundary) == 0 {
		return
	}
	out := s.findings[:0]
	for _, f := range s.findings {
		if f.Allowed == "" || !s.heldBefore(ctx, &f) {
			out = append(out, f)
		}
	}
	s.findings = out
}

// heldBefore reports whether the boundary's version of every path of f
// held f's value, allowed by a directive.
func (s *scan) heldBefore(ctx context.Context, f *scanner.Finding) bool {
	if len(f.Paths) == 0 || len(f.Paths) > maxHeldPaths {
		return false
	}
	for _, p := range f.Paths {
		held := false
		for _, h := range s.boundary {
			if ctx.Err() != nil {
				return false
			}
			if s.heldAt(h, p, f) {
				held = true
				break
			}
		}
		if !held {
			return false
		}
	}
	return true
}

// heldAt reports whether commit h has, at path p, a blob that holds f's
// value allowed by a directive.
func (s *scan) heldAt(h gitobj.ID, p string, f *scanner.Finding) bool {
	c, err := s.readCommit(h)
	if err != nil {
		return false
	}
	id, ok := c.Tree, true
	parts := strings.Split(p, "/")
	for i, name := range parts {
		id, ok = s.treeEntry(id, name, i < len(parts)-1)
		if !ok {
			return false
		}
	}
	t, data, err := s.objr.Read(id)
	if err != nil || t != gitobj.Blob || s.tooLarge(data) {
		return false
	}
	for _, g := range content.Scan(s.ctx, s.sc, p, data, s.opts.Content).Findings {
		if g.Allowed != "" && g.Rule == f.Rule && g.Secret == f.Secret {
			return true
		}
	}
	return false
}

// treeEntry returns the ID of the entry called name in tree id: a folder
// when dir, else a file.
func (s *scan) treeEntry(id gitobj.ID, name string, dir bool) (gitobj.ID, bool) {
	t, data, err := s.objr.Read(id)
	if err != nil || t != gitobj.Tree {
		return gitobj.ID{}, false
	}
	var out gitobj.ID
	found := false
	_ = gitobj.ParseTree(data, func(e gitobj.TreeEntry) {
		if found || string(e.Name) != name {
			return
		}
		if e.IsDir() == dir && e.Mode != gitobj.ModeSubmodule {
			out, found = e.ID, true
		}
	})
	return out, found
}

// splitAllowed separates the allowed findings from the others, keeping the
// order of each.
func splitAllowed(fs scanner.Findings) (kept, allowed scanner.Findings) {
	for _, f := range fs {
		if f.Allowed != "" {
			allowed = append(allowed, f)
		} else {
			kept = append(kept, f)
		}
	}
	return kept, allowed
}
