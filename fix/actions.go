package fix

import (
	"path"
	"strings"

	"github.com/keyscan/keyscan/internal/lazyre"
	"github.com/keyscan/keyscan/scanner"
)

// A GitHub Actions job on a GitHub-hosted runner (runs-on: ubuntu-latest,
// windows-2022, macos-14) runs on a machine GitHub owns, with no instance
// role: without its keys the next run fails ("Could not load credentials
// from any providers"). The change that works there is OpenID Connect,
// which needs an IAM role set up in the account first, so such keys stay
// for a person with that advice. A self-hosted runner (the self-hosted
// label, or a label of the organisation's own) may run on an instance
// with a role, and is fixed as before. A runs-on that is an expression
// (${{ matrix.os }}) or missing (a job that calls a reusable workflow)
// could be either, and stays for a person too.

// githubHosted matches the labels of GitHub's own runner images.
var githubHosted = lazyre.New(`(?i)^(ubuntu|windows|macos)-`)

// workflowFile reports whether name is a GitHub Actions workflow.
func workflowFile(name string) bool {
	p := strings.ToLower(strings.ReplaceAll(name, `\`, "/"))
	ext := path.Ext(p)
	return (ext == ".yml" || ext == ".yaml") && strings.Contains("/"+p, "/.github/workflows/")
}

// workflowContent reports whether a YAML file reads as a GitHub Actions
// workflow wherever it lies: top-level on: (or "on":) and jobs: keys.
func (e *editor) workflowContent() bool {
	on, jobs := false, false
	for l := range e.lines {
		if a, ok := e.parseAssign(l); ok && indentOf(e.text(l)) == 0 {
			switch a.key {
			case "on", `"on"`, "'on'":
				on = true
			case "jobs":
				jobs = true
			}
		}
	}
	return on && jobs
}

// githubRunner says why the keys of f, in a GitHub Actions workflow,
// stay: the job that uses them (every job, for a key outside jobs:) runs
// on a GitHub-hosted runner or one keyscan cannot tell. Empty: a
// self-hosted runner, where the instance role may apply.
func (e *editor) githubRunner(f scanner.Finding) string {
	i := e.lineAt(f.Offset)
	jobs := -1
	for l := range e.lines {
		if a, ok := e.parseAssign(l); ok && indentOf(e.text(l)) == 0 && a.key == "jobs" {
			jobs = l
			break
		}
	}
	if jobs < 0 {
		return ""
	}
	jobsEnd := len(e.lines) - 1
	for l := jobs + 1; l < len(e.lines); l++ {
		if e.isContent(l) && indentOf(e.text(l)) == 0 {
			jobsEnd = l - 1
			break
		}
	}
	top := i < jobs || i > jobsEnd // a key of the whole workflow (env: at the top) reaches every job
	topEnv := top && e.topKeyOf(i) == "env"
	jobIndent := -1
	var why string
	for j := jobs + 1; j < len(e.lines); j++ {
		if !e.isContent(j) {
			continue
		}
		d := indentOf(e.text(j))
		if d == 0 {
			break
		}
		if jobIndent < 0 {
			jobIndent = d
		}
		if d != jobIndent {
			continue
		}
		last := j
		for k := j + 1; k < len(e.lines); k++ {
			if e.isContent(k) && indentOf(e.text(k)) <= jobIndent {
				break
			}
			last = k
		}
		in := i >= j && i <= last
		if _, a, ok := e.bodyKey(j+1, last, "uses"); ok && (in || topEnv) {
			if in {
				return calledWorkflow(unquote(a.inner))
			}
			// The caller's env: never reaches a called workflow
			// (GitHub passes only with: and secrets:).
			j = last
			continue
		}
		if in || top {
			if w := e.runnerOf(j, last); w != "" && why == "" {
				why = w
			}
		}
		j = last
	}
	if why == "" {
		return ""
	}
	return "the job runs on " + why + ": without the keys its next run fails " +
		"(\"Could not load credentials from any providers\"). Use OpenID Connect instead: an IAM role that trusts " +
		"token.actions.githubusercontent.com for this repository, permissions: id-token: write in the job, and " +
		"aws-actions/configure-aws-credentials with role-to-assume: arn:aws:iam::ACCOUNT:role/ROLE; then remove the keys by hand " +
		"and deactivate them in IAM."
}

// topKeyOf is the top-level key whose block holds line i ("" when none).
func (e *editor) topKeyOf(i int) string {
	for l := min(i, len(e.lines)-1); l >= 0; l-- {
		if e.isContent(l) && indentOf(e.text(l)) == 0 {
			if a, ok := e.parseAssign(l); ok {
				return a.key
			}
			return ""
		}
	}
	return ""
}

// calledWorkflow says why a key in a job that calls the reusable workflow
// ref (jobs.ID.uses:, so in its with: or secrets:) stays: the called
// workflow reads it by name (inputs.NAME, secrets.NAME), so removing it
// breaks the call, and its own jobs decide where it runs. A workflow of
// this repository (./.github/workflows/x.yml) can be read and changed
// with it; one of another repository (owner/repo/…@ref) keyscan cannot
// read at all.
func calledWorkflow(ref string) string {
	how := "move the called workflow to OpenID Connect (an IAM role that trusts token.actions.githubusercontent.com, " +
		"permissions: id-token: write, aws-actions/configure-aws-credentials with role-to-assume:) and drop the input; " +
		"then remove the keys here by hand and deactivate them in IAM."
	if strings.HasPrefix(ref, "./") {
		return "the job passes it to the reusable workflow " + shorten(ref) + " (with: or secrets:), which reads it by name " +
			"(inputs.NAME or secrets.NAME): removing it breaks the call, and the called workflow's jobs decide where it runs. " +
			"Change both files together: " + how
	}
	return "the job passes it to " + shorten(ref) + ", a reusable workflow of another repository that keyscan cannot read: it " +
		"reads the value by name (inputs.NAME or secrets.NAME), so removing it breaks the call, and its jobs may run on " +
		"GitHub-hosted runners, with no instance role. If you own that workflow, " + how
}

// actionFile reports whether name is a GitHub Action's metadata file
// (action.yml or action.yaml, at a repository's top or under
// .github/actions/NAME/).
func actionFile(name string) bool {
	b := strings.ToLower(path.Base(strings.ReplaceAll(name, `\`, "/")))
	return b == "action.yml" || b == "action.yaml"
}

// actionRunner says why the keys of a GitHub Action's metadata file
// (action.yml with runs:) stay: a composite, Docker or JavaScript action
// has no runner of its own; it runs on the runner of each job that uses
// it, in this repository or in any other that names it, which keyscan
// cannot tell (qa12 MEDIUM-15). Empty: a file without a top-level runs:.
func (e *editor) actionRunner() string {
	using := ""
	runs := false
	for l := range e.lines {
		a, ok := e.parseAssign(l)
		if !ok {
			continue
		}
		if indentOf(e.text(l)) == 0 {
			runs = a.key == "runs"
			if runs && using == "" {
				using = "?"
			}
			continue
		}
		if runs && a.key == "using" {
			using = unquote(a.inner)
		}
	}
	if using == "" {
		return ""
	}
	kind := "the action"
	if using != "?" {
		kind = "the action (runs: using: " + using + ")"
	}
	return kind + " runs on the runner of each job that uses it, here or in any repository that names it, which keyscan " +
		"cannot tell: on a GitHub-hosted runner there is no instance role, and without the keys its next run fails. Take the " +
		"credentials from the caller instead: in each workflow that uses the action, OpenID Connect (an IAM role that trusts " +
		"token.actions.githubusercontent.com, permissions: id-token: write, aws-actions/configure-aws-credentials with " +
		"role-to-assume:) before the step that uses it, or inputs: the action declares; then remove the keys by hand and " +
		"deactivate them in IAM."
}

// runnerOf describes the runner of the job on lines first..last when it
// is GitHub-hosted or cannot be told; empty for a self-hosted one.
func (e *editor) runnerOf(first, last int) string {
	if l, a, ok := e.bodyKey(first+1, last, "runs-on"); ok {
		labels, why := e.runsOn(unquote(a.inner), l, last, indentOf(e.text(l)))
		if why != "" {
			return why
		}
		hosted := ""
		for _, x := range labels {
			x = unquote(x)
			switch {
			case strings.EqualFold(x, "self-hosted"):
				return ""
			case strings.Contains(x, "${{"):
				hosted = "a runner chosen by an expression (runs-on: " + shorten(x) + "), which may be GitHub-hosted, with no instance role"
			case githubHosted.MatchString(x) && hosted == "":
				hosted = "a GitHub-hosted runner (runs-on: " + x + "), which has no instance role"
			}
		}
		return hosted
	}
	if _, _, ok := e.bodyKey(first+1, last, "uses"); ok {
		return "the runner of a reusable workflow (uses:), which may be GitHub-hosted, with no instance role"
	}
	return "a runner the job does not name (no runs-on:), which may be GitHub-hosted, with no instance role"
}

// runsOn reads the value v of the runs-on: key on line l (its job ends at
// last, its keys at indentation body) as GitHub reads it: a label, a list
// of labels (flow or block), a mapping of group: and labels: (flow or
// block), or a block scalar (>-, |) whose text is one label. It returns
// the labels, or why the runner cannot be told: a group (larger runners
// are groups of GitHub's own), an alias, a flow collection that does not
// close on its line, anything else it does not parse (qa12 MEDIUM-3).
func (e *editor) runsOn(v string, l, last, body int) (labels []string, why string) {
	cannot := "a runner keyscan cannot tell (runs-on: " + shorten(v) + "), which may be GitHub-hosted, with no instance role"
	group := func(g string) string {
		return "the runner group " + g + ", which may be GitHub's (larger runners are groups), with no instance role"
	}
	flowList := func(x string) ([]string, bool) {
		x = strings.TrimSpace(x)
		if !strings.HasPrefix(x, "[") {
			return []string{unquote(x)}, x != ""
		}
		if !strings.HasSuffix(x, "]") {
			return nil, false
		}
		var out []string
		for _, y := range strings.Split(strings.Trim(x, "[]"), ",") {
			out = append(out, unquote(strings.TrimSpace(y)))
		}
		return out, true
	}
	if a, rest, ok := strings.Cut(v, " "); ok && strings.HasPrefix(a, "&") {
		v = strings.TrimSpace(rest) // an anchor's name says nothing of the runner
	}
	switch {
	case strings.HasPrefix(v, "*"):
		return nil, cannot
	case strings.HasPrefix(v, "{"):
		if !strings.HasSuffix(v, "}") {
			return nil, cannot
		}
		inner := strings.TrimSpace(strings.Trim(v, "{}"))
		// Split on the commas outside brackets: labels: [a, b].
		var parts []string
		depth, start := 0, 0
		for i := 0; i < len(inner); i++ {
			switch inner[i] {
			case '[':
				depth++
			case ']':
				depth--
			case ',':
				if depth == 0 {
					parts = append(parts, inner[start:i])
					start = i + 1
				}
			}
		}
		parts = append(parts, inner[start:])
		for _, p := range parts {
			k, val, ok := strings.Cut(p, ":")
			if !ok {
				return nil, cannot
			}
			switch unquote(strings.TrimSpace(k)) {
			case "group":
				return nil, group(unquote(strings.TrimSpace(val)))
			case "labels":
				ls, ok := flowList(val)
				if !ok {
					return nil, cannot
				}
				labels = append(labels, ls...)
			}
		}
		if len(labels) == 0 {
			return nil, cannot
		}
		return labels, ""
	case strings.HasPrefix(v, "["):
		ls, ok := flowList(v)
		if !ok {
			return nil, cannot
		}
		return ls, ""
	case strings.HasPrefix(v, "|") || strings.HasPrefix(v, ">"):
		var text []string
		for k := l + 1; k <= last; k++ {
			if !e.isContent(k) {
				continue
			}
			if indentOf(e.text(k)) <= body {
				break
			}
			text = append(text, strings.TrimSpace(e.text(k)))
		}
		if len(text) != 1 {
			return nil, cannot // a label holds no newline: not one GitHub would match
		}
		return text, ""
	case v != "":
		return []string{v}, ""
	}
	// A block list, or group:/labels: below.
	for k := l + 1; k <= last; k++ {
		if !e.isContent(k) {
			continue
		}
		if indentOf(e.text(k)) <= body && !strings.HasPrefix(strings.TrimSpace(e.text(k)), "- ") {
			break
		}
		t := strings.TrimSpace(e.text(k))
		if item, ok := strings.CutPrefix(t, "- "); ok {
			labels = append(labels, unquote(item))
		} else if b, ok := e.parseAssign(k); ok && b.key == "group" {
			return nil, group(unquote(b.inner))
		} else if ok && b.key == "labels" && unquote(b.inner) != "" {
			ls, ok := flowList(unquote(b.inner))
			if !ok {
				return nil, cannot
			}
			labels = append(labels, ls...)
		}
	}
	if len(labels) == 0 {
		return nil, cannot
	}
	return labels, ""
}
