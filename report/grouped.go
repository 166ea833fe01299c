package report

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

// The short text report, the default: findings grouped by file, a key ID
// with its secret and session token as one entry, and each piece of advice
// printed once for the whole report with a number the files refer to. A
// person reads it to decide what to do; a paragraph repeated for every
// finding hides the findings. Options.Verbose restores one block per finding.

// entry is one credential set of a file: a key ID with the secret and token
// paired with it, or a value found alone.
type entry struct {
	members []*scanner.Finding // key ID first, then secret, then token
}

// entries groups the findings of one file into credential sets, following
// the Pair links, in the order of their first finding.
func entries(fs []scanner.Finding) []entry {
	byFP := map[string]int{}
	for i := range fs {
		if _, ok := byFP[fs[i].Fingerprint]; !ok && fs[i].Fingerprint != "" {
			byFP[fs[i].Fingerprint] = i
		}
	}
	parent := make([]int, len(fs))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for i := range fs {
		if j, ok := byFP[fs[i].Pair]; ok && fs[i].Pair != "" {
			a, b := find(i), find(j)
			if a != b {
				parent[max(a, b)] = min(a, b)
			}
		}
	}
	var out []entry
	at := map[int]int{} // root -> index in out
	for i := range fs {
		r := find(i)
		k, ok := at[r]
		if !ok {
			k = len(out)
			at[r] = k
			out = append(out, entry{})
		}
		out[k].members = append(out[k].members, &fs[i])
	}
	order := map[rules.Kind]int{rules.AccessKeyID: 0, rules.SecretAccessKey: 1, rules.SessionToken: 2}
	for _, e := range out {
		slices.SortStableFunc(e.members, func(a, b *scanner.Finding) int { return order[a.Kind] - order[b.Kind] })
	}
	return out
}

// lines describes the lines of an entry: "line 4", "lines 2-3", "lines 3, 9".
func (e entry) lines() string {
	if e.members[0].InPath {
		return "in the path"
	}
	if e.members[0].Line == 0 { // a binary file: lines mean nothing there
		parts := make([]string, len(e.members))
		for i, f := range e.members {
			parts[i] = strconv.Itoa(f.Offset)
		}
		if len(parts) == 1 {
			return "byte " + parts[0]
		}
		return "bytes " + strings.Join(parts, ", ")
	}
	var ls []int
	for _, f := range e.members {
		ls = append(ls, f.Line)
	}
	slices.Sort(ls)
	ls = slices.Compact(ls)
	if len(ls) == 1 {
		return "line " + strconv.Itoa(ls[0])
	}
	if ls[len(ls)-1]-ls[0] == len(ls)-1 {
		return fmt.Sprintf("lines %d-%d", ls[0], ls[len(ls)-1])
	}
	parts := make([]string, len(ls))
	for i, l := range ls {
		parts[i] = strconv.Itoa(l)
	}
	return "lines " + strings.Join(parts, ", ")
}

// advice returns the file-specific part of a finding's suggestion: how to
// replace the value with the instance role. The response to the leak (the
// rules.Response brief) and the session-token note are dropped, since the
// report's list of keys to revoke says them once for every key.
func advice(f *scanner.Finding, responses []rules.Response) string {
	s := strings.TrimPrefix(f.Suggestion, scanner.TokenNote)
	for _, r := range responses {
		if len(s) > len(r.Brief) && s[len(s)-len(r.Brief)-1] == ' ' && strings.HasSuffix(s, r.Brief) {
			s = s[:len(s)-len(r.Brief)-1]
		}
	}
	return s
}

// grouped writes the findings file by file and returns the advice texts in
// the order of their numbers.
func (t *textWriter) grouped(fs scanner.Findings) []string {
	var adviceList []string
	number := map[string]int{}
	responses := rules.Responses() // made once: a report may hold a finding a line of a file
	for start := 0; start < len(fs); {
		end := start + 1
		for end < len(fs) && fs[end].File == fs[start].File {
			end++
		}
		file := fs[start:end]
		var refs []string
		for i := range file {
			a := advice(&file[i], responses)
			if a == "" {
				continue
			}
			n, ok := number[a]
			if !ok {
				adviceList = append(adviceList, a)
				n = len(adviceList)
				number[a] = n
			}
			if ref := "[" + strconv.Itoa(n) + "]"; !slices.Contains(refs, ref) {
				refs = append(refs, ref)
			}
		}
		header := t.style(ansiBold, file[0].File)
		if len(refs) > 0 && !t.opts.Quiet {
			header += "  fix " + strings.Join(refs, " ")
		}
		t.printf("%s\n", header)
		es := entries(file)
		width := 0
		for _, e := range es {
			width = max(width, len(e.lines()))
		}
		for _, e := range es {
			t.entry(e, width)
		}
		start = end
	}
	return adviceList
}

var memberLabel = map[rules.Kind]string{
	rules.AccessKeyID:     "key ID",
	rules.SecretAccessKey: "secret",
	rules.SessionToken:    "session token",
}

// entry writes one credential set: its lines and values on one line, then
// what only some findings carry (notes, history) on lines of their own.
func (t *textWriter) entry(e entry, width int) {
	var values []string
	for i, f := range e.members {
		color := ansiRed
		if f.Severity == rules.Warning {
			color = ansiYellow
		}
		v := t.style(color, t.short(f))
		label := memberLabel[f.Kind]
		if label == "" {
			label = strings.ReplaceAll(string(f.Kind), "_", " ")
		}
		if i > 0 || f.Kind != rules.AccessKeyID || len(e.members) == 1 {
			v = label + " " + v
		}
		if f.Encoding != "" {
			v += " (" + f.Encoding + ")"
		}
		if f.Severity == rules.Warning {
			// Colour alone is lost in a log or without a terminal: a
			// value reported on weak context says so, and why (newuser
			// LOW-26).
			w := "warning"
			if f.Context != "" {
				w += ": " + f.Context
			}
			v += " (" + w + ")"
		}
		if f.Verified != "" {
			v += " [" + f.Verified
			if f.VerifiedARN != "" {
				v += " " + f.VerifiedARN
			}
			v += "]"
		}
		values = append(values, v)
	}
	line := strings.Join(values, " + ")
	if a := e.members[0].AccountID; a != "" {
		line += "  account " + a
	}
	t.printf("  %-*s  %s\n", width, e.lines(), line)
	var notes []string
	for _, f := range e.members {
		if f.Note != "" && !slices.Contains(notes, f.Note) {
			notes = append(notes, f.Note)
		}
		if v := "verify: " + f.VerifyReason; f.VerifyReason != "" && !slices.Contains(notes, v) {
			notes = append(notes, v)
		}
	}
	for _, n := range notes {
		t.printf("  %*s  %s %s\n", width, "", t.style(ansiDim, "note:"), n)
	}
	t.history(e, width)
}

// history writes where in history an entry's values were found: the commit
// of its first value, every other commit that differs, and the other paths.
func (t *textWriter) history(e entry, width int) {
	var seen, commits, paths []string
	for _, f := range e.members {
		if f.Commit != "" && !slices.Contains(commits, f.Commit) {
			commits = append(commits, f.Commit)
			seen = append(seen, commitSummary(f))
		}
		for _, p := range f.Paths {
			if p != f.File && !slices.Contains(paths, p) {
				paths = append(paths, p)
			}
		}
	}
	pad := strings.Repeat(" ", width+4)
	for _, l := range seen {
		t.printf("%s%s %s\n", pad, t.style(ansiDim, "commit"), l)
	}
	if len(paths) > 0 {
		const most = 3
		more := ""
		if len(paths) > most {
			more = fmt.Sprintf(" and %d more", len(paths)-most)
			paths = paths[:most]
		}
		t.printf("%s%s %s%s\n", pad, t.style(ansiDim, "also in"), strings.Join(paths, ", "), more)
	}
}

// commitSummary is commitLine without the author's address, and without
// the count of paths, which the entry shows as "also in".
func commitSummary(f *scanner.Finding) string {
	g := *f
	g.Paths = nil
	if name, _, ok := strings.Cut(g.Author, " <"); ok {
		g.Author = name
	}
	return commitLine(&g)
}

// short is the value as the short report shows it: a key ID redacted as
// everywhere (its length says what it is), a secret or token with fewer
// asterisks, so that a key pair fits on one line.
func (t *textWriter) short(f *scanner.Finding) string { return shortValue(f, t.opts) }

func shortValue(f *scanner.Finding, opts Options) string {
	if opts.ShowSecrets || f.Kind == rules.AccessKeyID {
		return secret(f, opts)
	}
	if len(f.Secret) <= 8 {
		return scanner.Redact(f.Secret)
	}
	return f.Secret[:4] + "****" + f.Secret[len(f.Secret)-4:]
}

// adviceSection writes the numbered advice the file headers refer to.
func (t *textWriter) adviceSection(list []string) {
	if len(list) == 0 {
		return
	}
	t.printf("\n%s\n", t.style(ansiBold, "How to fix each file (the number after its name):"))
	for i, a := range list {
		ref := "  [" + strconv.Itoa(i+1) + "] "
		t.wrap(a, ref, strings.Repeat(" ", len(ref)))
	}
}
