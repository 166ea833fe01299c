package fix

import (
	"fmt"
	"slices"
	"strings"

	"github.com/keyscan/keyscan/internal/lazyre"
	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

// A key ID and its secret are removed together or not at all. Removing the
// ID alone while the secret stays in the file (left for a person, or
// written in a way the scanner does not read: a continued line, a split
// literal) would leave the leaked secret behind under a change that looks
// complete, and `fix --write` would exit 0.

// secretSetting matches a setting whose name says it holds an AWS secret
// key (aws_secret_access_key, secretKey, AWS_SECRET_ACCESS_KEY, secret_key)
// with the start of its value.
var secretSetting = lazyre.New(`(?i)(?:^|[\s"'{,;#])["']?([a-z0-9_.-]*secret[a-z0-9_.-]*(?:key|access)[a-z0-9_.-]*)["']?[ \t]*[:=][ \t]*(\S.*)$`)

// secretName matches a Kubernetes/ECS "name:" entry naming such a setting;
// its value is on the next line.
var secretName = lazyre.New(`(?i)\bname:[ \t]*["']?([a-z0-9_]*secret[a-z0-9_]*(?:key|access)[a-z0-9_]*)["']?[ \t]*$`)

// literalValue reports whether v, the start of a setting's value, is
// written in the file (not a reference to a variable, a template or a
// secret store, not empty): a secret keyscan may have missed.
func literalValue(v string) bool {
	v = strings.TrimSpace(v)
	if isBlockIndicator(v) {
		return true // the value is on the next lines
	}
	t := strings.Trim(v, `"'`)
	if len(t) < 8 || strings.ContainsAny(t[:1], "$%<!({[*&") || strings.HasPrefix(t, "{{") {
		return false
	}
	switch strings.ToLower(t) {
	case "null", "none", "undefined", "changeme":
		return false
	}
	return true
}

// unreportedSecrets returns the key IDs of mine (by offset) that stay for a
// person because a setting named for a secret, with a value written in the
// file, stands in the ID's block while the scanner reported no secret
// paired with the ID.
func (e *editor) unreportedSecrets(mine scanner.Findings) map[int]string {
	hold := map[int]string{}
	if len(e.lines) == 0 {
		return hold
	}
	found := map[int]bool{} // lines that hold a finding
	for _, f := range mine {
		for l := e.lineAt(f.Offset); l <= e.lineAt(f.EndOffset-1); l++ {
			found[l] = true
		}
	}
	// The secrets' fingerprints and the pairs they name, once: a file of
	// many pairs asked every finding about every other.
	secrets := map[string]bool{}
	for _, g := range mine {
		if g.Kind == rules.SecretAccessKey {
			secrets[g.Fingerprint] = true
			if g.Pair != "" {
				secrets["pair\x00"+g.Pair] = true
			}
		}
	}
	for _, f := range mine {
		if f.Kind != rules.AccessKeyID || f.Pair != "" && secrets[f.Pair] || secrets["pair\x00"+f.Fingerprint] {
			continue
		}
		if j := e.secretBeside(e.lineAt(f.Offset), found); j >= 0 {
			hold[f.Offset] = fmt.Sprintf("line %d sets a secret key that keyscan did not read (split or continued?): "+
				"removing the key ID alone would leave it in the file; remove both by hand. %s", j+1, f.Suggestion)
		}
	}
	return hold
}

func paired(f, g scanner.Finding) bool {
	return f.Pair != "" && f.Pair == g.Fingerprint || g.Pair != "" && g.Pair == f.Fingerprint
}

// secretBeside returns the line near line i, in the same block (INI
// section, paragraph, YAML mapping, a few lines either way), that sets a
// secret with a written value and holds no finding; -1 when there is none.
func (e *editor) secretBeside(i int, found map[int]bool) int {
	stop := -1 // YAML: the indentation of the block's key
	if e.syn == YAML {
		p := e.parent(i)
		if _, item := e.itemIndent(max(p, 0)); p >= 0 && item {
			p = e.parent(p)
		}
		if p >= 0 {
			stop = indentOf(e.text(p))
		}
	}
	for _, dir := range []int{-1, 1} {
	walk:
		for j := i + dir; j >= 0 && j < len(e.lines) && (j-i)*dir <= 8; j += dir {
			t := strings.TrimSpace(e.text(j))
			switch {
			case e.syn == INI && strings.HasPrefix(t, "["),
				e.syn != INI && e.syn != YAML && t == "",
				e.syn == YAML && e.isContent(j) && indentOf(e.text(j)) <= stop,
				e.syn == YAML && docBreak(e.text(j)):
				break walk
			}
			if found[j] {
				continue
			}
			if m := secretSetting.FindStringSubmatch(e.text(j)); m != nil && literalValue(m[2]) {
				return j
			}
			if m := secretName.FindStringSubmatch(e.text(j)); m != nil && j+1 < len(e.lines) && !found[j+1] {
				if v, ok := strings.CutPrefix(strings.TrimSpace(e.text(j+1)), "value:"); ok && literalValue(v) {
					return j + 1
				}
			}
		}
	}
	return -1
}

// halfPairs returns hold with the findings of res.Fixed added whose pair
// (the key ID or secret the scanner paired each with) res leaves for a
// person; nil when there are none. A pair is known by its values: where
// the same key ID is written twice (a setting, and a comment that names
// it), one removed copy is enough.
func halfPairs(res *Result, hold map[int]string) map[int]string {
	var more map[int]string
	for _, f := range res.Fixed {
		for _, m := range res.Manual {
			if f.Pair == "" || f.Pair != m.Finding.Fingerprint || f.Kind == m.Finding.Kind || nearerFixed(res.Fixed, f, m.Finding) {
				continue
			}
			if more == nil {
				more = map[int]string{}
				for k, v := range hold {
					more[k] = v
				}
			}
			more[f.Offset] = fmt.Sprintf("its pair on line %d stays for a person; remove both by hand. %s", m.Finding.Line, f.Suggestion)
			break
		}
	}
	return more
}

// nearerFixed reports whether a removed copy of f's pair (the same
// value as m) stands at least as near f as m, which stays: then that copy
// is f's pair (the same key ID written twice, a setting and a comment that
// names it, or two blocks each with the pair), and m belongs to another
// occurrence. Judged by value alone, a pair repeated in a second block
// whose secret stays lost its key ID there (qa12 LOW-2).
func nearerFixed(fixed scanner.Findings, f, m scanner.Finding) bool {
	dist := func(g scanner.Finding) int {
		if d := g.Line - f.Line; d >= 0 {
			return d
		}
		return f.Line - g.Line
	}
	for _, g := range fixed {
		if g.Fingerprint == m.Fingerprint && g.Kind == m.Kind && dist(g) < dist(m) {
			return true
		}
	}
	return false
}

// wholePairs runs apply (JSON, Python, JavaScript) on mine and res, and
// again without the findings whose pair it left for a person, which then
// stay for a person too: in code, an SDK call given a secret without its
// key ID fails ("partial credentials") where one given neither falls back
// to the instance role.
func wholePairs(mine scanner.Findings, res *Result, apply func(scanner.Findings, *Result) (*Result, error)) (*Result, error) {
	base := *res
	base.Manual = slices.Clone(res.Manual)
	first := base
	first.Manual = slices.Clone(base.Manual)
	out, err := apply(mine, &first)
	if err != nil {
		return out, err
	}
	hold := halfPairs(out, nil)
	if len(hold) == 0 {
		return out, nil
	}
	var rest scanner.Findings
	for _, f := range mine {
		if r, ok := hold[f.Offset]; ok {
			base.Manual = append(base.Manual, Manual{f, r})
			continue
		}
		rest = append(rest, f)
	}
	if len(rest) == 0 {
		return &base, nil
	}
	return apply(rest, &base)
}
