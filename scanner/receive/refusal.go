package receive

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/history"
)

// Offers are the ways to an exception that a server offers the pusher.
type Offers struct {
	// PushOptions: the server honours `git push -o keyscan.allow=<fingerprint>`.
	PushOptions bool
	// AllowComments: the server honours a `keyscan:allow <reason>` comment.
	AllowComments bool
}

// WriteRefusal writes why the push is refused and what the pusher can do.
// git shows a pre-receive hook's standard error to the pusher, each line
// prefixed with "remote:", so the text is plain, one item a line, values
// redacted. offers says which exceptions the refusal may suggest.
func WriteRefusal(w io.Writer, res Result, offers Offers) error {
	pushOptions := offers.PushOptions
	var b strings.Builder
	n := len(res.Refused)
	fmt.Fprintf(&b, "keyscan: push refused: it adds %d AWS credential%s\n", n, plural(n))
	for _, f := range res.Refused {
		b.WriteString("keyscan:\n")
		writeFinding(&b, f)
	}
	b.WriteString("keyscan:\n")
	b.WriteString("keyscan: what to do:\n")
	b.WriteString("keyscan:  1. if the key is real, treat it as exposed (it is in your commits and wherever they went):\n")
	b.WriteString("keyscan:     deactivate and rotate it in AWS IAM (`keyscan fix` moves code to the instance role)\n")
	b.WriteString("keyscan:  2. take it out of every commit of the push, not only the last one, then push again:\n")
	b.WriteString("keyscan:     git rebase -i <commit>^   (edit the commit named above), or git commit --amend for the last one\n")
	if inMessage, inRef := where(res.Refused); inMessage || inRef {
		b.WriteString("keyscan:     a key in a commit message: reword that commit (git rebase -i, reword; git commit --amend for the last);\n")
		b.WriteString("keyscan:     in a tag's message or a ref's name: delete the tag or ref locally and create it again without the key\n")
	}
	b.WriteString("keyscan:  3. if it is not a real key (a test fixture), ")
	if offers.AllowComments {
		b.WriteString("mark its line `keyscan:allow <reason>`,\nkeyscan:     or ")
	} else {
		b.WriteString("(this server does not take `keyscan:allow` comments as exceptions)\nkeyscan:     ")
	}
	if pushOptions {
		b.WriteString("push with -o keyscan.allow=<fingerprint> (every exception is logged)\n")
	} else {
		b.WriteString("ask the server's administrator for an exception (give the fingerprint)\n")
	}
	for _, fp := range res.UnusedAllows {
		fmt.Fprintf(&b, "keyscan: note: push option keyscan.allow=%s %s\n", fp, unusedWhy(pushOptions))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// where reports whether findings are in commit or tag messages, or in ref
// names (the pseudo-paths history and scanRefNames give them).
func where(fs scanner.Findings) (inMessage, inRef bool) {
	for _, f := range fs {
		msg, _, _ := strings.Cut(f.File, "!") // a member of an archive encoded in a message
		switch {
		case history.IsMessagePath(msg):
			inMessage = true
		case history.IsRefNamePath(f.File):
			inRef = true
		}
	}
	return inMessage, inRef
}

func unusedWhy(pushOptions bool) string {
	if !pushOptions {
		return "was not honoured: this server does not take exceptions by push option"
	}
	return "matches nothing this push adds"
}

func writeFinding(b *strings.Builder, f scanner.Finding) {
	fmt.Fprintf(b, "keyscan:   %s:%d  %s  %s\n", f.File, f.Line, f.Rule, scanner.Redact(f.Secret))
	if f.Commit != "" {
		fmt.Fprintf(b, "keyscan:     introduced in commit %s", f.Commit)
		if f.Author != "" {
			fmt.Fprintf(b, " by %s", f.Author)
		}
		b.WriteString("\n")
	}
	if len(f.Paths) > 1 {
		fmt.Fprintf(b, "keyscan:     also in: %s\n", strings.Join(others(f.Paths, f.File), ", "))
	}
	if f.Allowed != "" {
		fmt.Fprintf(b, "keyscan:     its keyscan:allow comment (%s) is not an exception on this server\n", f.Allowed)
	}
	fmt.Fprintf(b, "keyscan:     fingerprint %s\n", f.Fingerprint)
}

func others(paths []string, first string) []string {
	var out []string
	for _, p := range paths {
		if p != first {
			out = append(out, p)
		}
	}
	return out
}

// WriteExceptions tells the pusher which credentials were let through and
// that the exception was recorded.
func WriteExceptions(w io.Writer, res Result) error {
	var b strings.Builder
	for _, e := range res.Excepted {
		how := "the server's baseline"
		switch e.By {
		case ByPushOption:
			how = "push option keyscan.allow"
		case ByAllowComment:
			how = "its keyscan:allow comment (" + e.Reason + ")"
		}
		fmt.Fprintf(&b, "keyscan: let through by %s: %s:%d %s %s (fingerprint %s)\n",
			how, e.Finding.File, e.Finding.Line, e.Finding.Rule, scanner.Redact(e.Finding.Secret), e.Finding.Fingerprint)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// WriteUnrecorded follows the refusal of a push whose exceptions were
// taken back because they could not be recorded: n of the credentials it
// lists had an exception, and why says why it could not be recorded.
func WriteUnrecorded(w io.Writer, n int, why string) error {
	_, err := fmt.Fprintf(w, "keyscan: %d of them had an exception, NOT granted: an exception is granted only when the audit log records it,\n"+
		"keyscan: and %s. This is a problem on the server, not in your commits: tell the server's administrator\n", n, why)
	return err
}

// pathsHidden returns res with the values paths hold redacted in every
// path its findings show (scanner.Scanner.HidePaths): the refusal is shown
// to the pusher, often in a CI log, and the audit log never holds a
// secret. Check calls it last.
func (res Result) pathsHidden(sc *scanner.Scanner) Result {
	ex := make(scanner.Findings, len(res.Excepted))
	for i, e := range res.Excepted {
		ex[i] = e.Finding
	}
	res.Refused = sc.HidePaths(res.Refused, ex)
	hidden := sc.HidePaths(ex, res.Refused)
	if len(hidden) > 0 && &hidden[0] != &ex[0] {
		excepted := slices.Clone(res.Excepted)
		for i := range excepted {
			excepted[i].Finding = hidden[i]
		}
		res.Excepted = excepted
	}
	return res
}
