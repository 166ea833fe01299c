package main

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/keyscan/keyscan/report"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/history"
)

// warnReplaceText names, after keyscan history --replace-text, every
// finding that the README's recipe (git filter-repo --replace-text and
// --replace-message with the file written) does not scrub, with the step
// that does: without it, the recipe's last check finds the key again.
// left are the values split into pieces too short to replace; hide
// redacts the values the paths in a warning hold (a member named after a
// secret), as for every warning (warningHider).
func warnReplaceText(w io.Writer, res *history.Result, left scanner.Findings, hide func(string) string) {
	for _, f := range left {
		// Split into pieces too short to replace safely: a person
		// must clean these.
		fmt.Fprintf(w, "keyscan: warning: --replace-text: %s in %s (commit %.12s) is split into pieces too short to replace everywhere: clean it by hand\n",
			scanner.Redact(f.Secret), f.File, f.Commit)
	}
	// git filter-repo --replace-text rewrites text blobs only: a value in
	// a binary blob, an archive member, a compressed file or a Git LFS
	// object stays (newuser MEDIUM-7); --replace-message rewrites the text
	// of messages, not an archive encoded in one, nor header lines (qa14
	// MEDIUM-5). One warning per file or message, with the step that
	// removes it.
	type place struct {
		o      history.Opaque
		values []string
	}
	places := map[history.Opaque]*place{}
	var order []history.Opaque
	for _, f := range res.Findings {
		o, ok := res.Opaque(f)
		if !ok || f.InPath {
			continue
		}
		k := history.Opaque{Path: o.Path, Message: o.Message}
		p := places[k]
		if p == nil {
			p = &place{o: o}
			places[k] = p
			order = append(order, k)
		}
		if v := scanner.Redact(f.Secret); !slices.Contains(p.values, v) {
			p.values = append(p.values, v)
		}
	}
	sort.Slice(order, func(i, j int) bool {
		if order[i].Message != order[j].Message {
			return !order[i].Message
		}
		return order[i].Path < order[j].Path
	})
	for _, k := range order {
		p := places[k]
		values := strings.Join(p.values, ", ")
		switch {
		case !k.Message:
			fmt.Fprintf(w, "keyscan: warning: --replace-text: git filter-repo --replace-text does not rewrite %s, which holds %s %s: "+
				"remove the file from every commit in the same git filter-repo run (--invert-paths --path %s), or rebuild it without the keys "+
				"(--blob-callback), then check again\n",
				hide(report.Printable(k.Path)), values, hide(report.Printable(p.o.Reason)), hide(shellQuote(k.Path)))
		case strings.HasSuffix(k.Path, " header"):
			fmt.Fprintf(w, "keyscan: warning: --replace-text: git filter-repo --replace-message does not rewrite %s, which holds %s %s: "+
				"rewrite it in the same git filter-repo run (--mailmap FILE for a name or an email, --commit-callback or --tag-callback for another header), then check again\n",
				k.Path, values, hide(p.o.Reason))
		default:
			reword := "reword that commit (git rebase -i, reword)"
			if strings.HasPrefix(k.Path, "tag ") {
				reword = "re-create that tag without it"
			}
			fmt.Fprintf(w, "keyscan: warning: --replace-text: git filter-repo --replace-message does not scrub %s, which holds %s %s: "+
				"the message must be rewritten whole: %s before it is pushed, "+
				"else rewrite the message in the same git filter-repo run (--message-callback), then check again\n",
				k.Path, values, hide(report.Printable(p.o.Reason)), reword)
		}
	}
	var refs []string
	for _, f := range res.Findings {
		if history.IsRefNamePath(f.File) && !slices.Contains(refs, f.File) {
			refs = append(refs, f.File)
		}
	}
	for _, p := range refs {
		// git filter-repo rewrites objects, not the names of refs: the
		// mirror pushed back would publish the name again (qa14 MEDIUM-12).
		name := strings.TrimSuffix(strings.TrimPrefix(p, "ref "), " (name)")
		fmt.Fprintf(w, "keyscan: warning: --replace-text: a key is in the name of the ref %s, which git filter-repo does not rename: "+
			"in the mirror, rename it (git branch -m OLD NEW; a tag: git tag NEW OLD, then git tag -d OLD; git for-each-ref lists the names) "+
			"or delete it (git update-ref -d NAME) before git push --force --mirror, which then deletes the old name on the remote\n", report.Printable(name))
	}
	for _, f := range res.Findings {
		if f.InPath {
			// git filter-repo --replace-text rewrites contents, not
			// names: the last check of the recipe would find these again.
			fmt.Fprintf(w, "keyscan: warning: --replace-text: %s is in a file or folder name (%s), which --replace-text does not rewrite: "+
				"rename it in the same git filter-repo run (--path-rename OLD:NEW, or --filename-callback)\n",
				scanner.Redact(f.Secret), hide(f.File))
		}
	}
}
