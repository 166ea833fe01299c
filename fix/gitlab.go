package fix

import (
	"path"
	"strings"

	"github.com/keyscan/keyscan/scanner"
)

// A GitLab CI job that GitLab.com's hosted runners take (a job without
// tags:, when the project's instance runners are on, or one tagged
// saas-linux-…, saas-macos-…, saas-windows-…) runs on a machine GitLab
// owns, with no instance role: without its keys the next pipeline fails.
// The change that works there is OpenID Connect (id_tokens: and
// AssumeRoleWithWebIdentity), as for GitHub's hosted runners (actions.go).
// A job whose tags all name runners of the project's own (a runner on an
// instance with a role) is fixed as before. Whether instance runners serve
// untagged jobs is a project setting, not in the file, so an untagged job
// stays for a person. A default: tags: counts for every job without its
// own; top-level variables: reach every job.

// gitlabFile reports whether name is a GitLab CI configuration by its
// name: .gitlab-ci.yml, a file of .gitlab/ci/, or NAME.gitlab-ci.yml.
func gitlabFile(name string) bool {
	p := strings.ToLower(strings.ReplaceAll(name, `\`, "/"))
	base, ext := path.Base(p), path.Ext(p)
	if ext != ".yml" && ext != ".yaml" {
		return false
	}
	return strings.HasSuffix(strings.TrimSuffix(base, ext), ".gitlab-ci") || base == ".gitlab-ci"+ext ||
		strings.Contains("/"+p, "/.gitlab/ci/")
}

// gitlabJobKeys are keys that only a GitLab CI job holds (a job is known by
// one of them at its top).
var gitlabJobKeys = map[string]bool{"script": true, "trigger": true, "extends": true}

// gitlabRunner says why the keys of f, in a GitLab CI file, stay: a job
// that reaches them may run on a GitLab-hosted runner. Empty: every such
// job is tagged for runners of the project's own.
//
// The jobs of every file of the pipeline (p) get the top-level variables
// of each: the file that includes this one and the files it includes,
// which cmd/keyscan reads (pipelineJobs).
func (e *editor) gitlabRunner(f scanner.Finding, p *GitLabPipeline) string {
	jobs, defTags, defTagged, top := e.gitlabJobs(e.lineAt(f.Offset))
	if !defTagged && p != nil && p.Top != nil {
		// GitLab merges the files of a pipeline: the including file's
		// default: is this file's too.
		_, defTags, defTagged, _ = newEditor(p.Top, YAML).gitlabJobs(-1)
	}
	why := ""
	switch {
	case top == -2:
		if why = hostedJob(jobs, defTags, defTagged); why == "" {
			why = pipelineJobs(e.data, p, defTags, defTagged)
		}
	case top >= 0 && top < len(jobs):
		j := jobs[top] // a template (.name) is judged by its own tags too
		tags, tagged := j.tags, j.tagged
		if !tagged {
			tags, tagged = defTags, defTagged
		}
		if w := gitlabHosted(j.name, tags, tagged); w != "" {
			why = "the job " + w
		}
	default:
		return ""
	}
	if why == "" {
		return ""
	}
	return why + ": without the keys its next pipeline fails. Use OpenID Connect instead: an IAM " +
		"OIDC identity provider for gitlab.com (or your GitLab's URL) and a role that trusts it for this project, id_tokens: " +
		"with aud: in the job (id_tokens: { AWS_ID_TOKEN: { aud: https://gitlab.com } }), and aws sts " +
		"assume-role-with-web-identity --role-arn arn:aws:iam::ACCOUNT:role/ROLE --web-identity-token $AWS_ID_TOKEN " +
		"(or AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE); then remove the keys by hand and deactivate them in IAM."
}

// gitlabCIJob is a job of a GitLab CI file: its lines, its name and its
// own tags: (tagged: it has the key).
type gitlabCIJob struct {
	first, last int
	name        string
	tags        []string
	tagged      bool
}

// gitlabJobs returns the jobs of a GitLab CI file (hidden ones, templates
// for extends:, included) and the tags of its default:. top says which
// top-level key holds line i: the index of its job, -2 for variables: or
// default: (which reach every job), -1 for another key (include:,
// stages:) or none.
func (e *editor) gitlabJobs(i int) (jobs []gitlabCIJob, defTags []string, defTagged bool, top int) {
	top = -1
	for l := 0; l < len(e.lines); l++ {
		if !e.isContent(l) || indentOf(e.text(l)) != 0 {
			continue
		}
		a, ok := e.parseAssign(l)
		if !ok {
			continue
		}
		last := l
		for k := l + 1; k < len(e.lines); k++ {
			if e.isContent(k) && indentOf(e.text(k)) == 0 {
				break
			}
			last = k
		}
		in := i >= l && i <= last
		tags, tagged := e.gitlabTags(l, last)
		switch {
		case a.key == "default":
			defTags, defTagged = tags, tagged
			if in {
				top = -2
			}
		case a.key == "variables":
			if in {
				top = -2
			}
		case strings.HasPrefix(a.key, ".") || e.gitlabJob(l, last):
			if in {
				top = len(jobs)
			}
			jobs = append(jobs, gitlabCIJob{l, last, a.key, tags, tagged})
		}
		l = last
	}
	return jobs, defTags, defTagged, top
}

// gitlabJob reports whether the top-level key on lines first..last is a
// job: one of gitlabJobKeys at the top of its body.
func (e *editor) gitlabJob(first, last int) bool {
	body := -1
	for l := first + 1; l <= last; l++ {
		if !e.isContent(l) {
			continue
		}
		if body < 0 {
			body = indentOf(e.text(l))
		}
		if a, ok := e.parseAssign(l); ok && indentOf(e.text(l)) == body && gitlabJobKeys[a.key] {
			return true
		}
	}
	return false
}

// gitlabTags reads the tags: of the body on lines first..last (a list
// below or [a, b] on the line); tagged is false when there is none.
func (e *editor) gitlabTags(first, last int) (tags []string, tagged bool) {
	l, a, ok := e.bodyKey(first+1, last, "tags")
	if !ok {
		return nil, false
	}
	if v := unquote(a.inner); strings.HasPrefix(v, "[") {
		for _, x := range strings.Split(strings.Trim(v, "[]"), ",") {
			if x = unquote(x); x != "" {
				tags = append(tags, x)
			}
		}
		return tags, true
	}
	for k := l + 1; k <= last; k++ {
		if !e.isContent(k) {
			continue
		}
		item, ok := strings.CutPrefix(strings.TrimSpace(e.text(k)), "- ")
		if !ok {
			break
		}
		tags = append(tags, unquote(item))
	}
	return tags, true
}

// gitlabHosted describes the runner of a job with those tags when it may
// be GitLab-hosted; empty for runners of the project's own.
func gitlabHosted(name string, tags []string, tagged bool) string {
	if !tagged || len(tags) == 0 {
		return name + " has no tags:, so GitLab.com's hosted runners may take it (they have no instance role)"
	}
	for _, t := range tags {
		switch {
		case strings.HasPrefix(strings.ToLower(t), "saas-"):
			return name + " runs on a GitLab-hosted runner (tags: " + t + "), which has no instance role"
		case strings.Contains(t, "$"):
			return name + " picks its runner by a variable (tags: " + t + "), which may be GitLab-hosted, with no instance role"
		}
	}
	return ""
}
