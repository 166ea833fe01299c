package fix

import (
	"strings"

	"github.com/keyscan/keyscan/scanner"
)

// Like a GitHub-hosted runner (actions.go), the machines that CircleCI,
// Azure Pipelines, Travis CI and Bitbucket Pipelines run a job on by
// default are the service's own: no instance role reaches them, and a job
// whose keys are removed has no credentials at its next run. Each file
// says plainly where it runs: a CircleCI job's docker:, machine: or macos:
// executor runs on CircleCI's machines unless its resource_class names a
// self-hosted runner (namespace/name); an Azure Pipelines job runs on a
// Microsoft-hosted agent unless a pool names an agent pool of your own
// (pool: name: X, no vmImage); every Travis CI job runs on Travis's
// machines; a Bitbucket Pipelines step runs on Atlassian's unless its
// runs-on names self.hosted. So the keys of such a job stay for a person,
// with the advice that works on that service (OpenID Connect to an IAM
// role where it offers it), and a file keyscan cannot place stays too.
// The same holds for the services whose jobs run on their own machines
// unless the file names one of yours (qa27 M5): AppVeyor unless a
// build_cloud: names a private build cloud; Semaphore unless every agent
// machine type is a self-hosted one (s1-...); Cirrus CI unless every
// instance is a persistent_worker: or one in your AWS account
// (ec2_instance:, eks_container:); Harness unless its runtime is a
// delegate of yours (not type: Cloud); Codemagic and Bitrise always; and
// Google Cloud Build always, whose private pools are Google's machines
// too (qa29 M3).

// hostedCI says why the keys of f, in the CI configuration file called
// name, stay: the job that uses them runs on the CI service's own
// machines, or keyscan cannot tell. Empty when the file is none of these
// services' or the job runs on a machine of your own.
func (e *editor) hostedCI(name string, f scanner.Finding) string {
	i := e.lineAt(f.Offset)
	switch ciService(strings.ToLower(strings.ReplaceAll(name, `\`, "/"))) {
	case ciTravis:
		return hostedReason("a Travis CI machine (every Travis CI job runs on Travis's own machines)",
			"store them as encrypted variables in the repository settings (travis encrypt), not in the file")
	case ciCircle:
		job, first, last := e.topChild(i, "jobs")
		if job == "" {
			return hostedReason("CircleCI, outside a job of its own (keyscan cannot tell on which machines what reads it runs)", circleOIDC)
		}
		if rc := e.childValue(first, last, "resource_class"); strings.Contains(rc, "/") {
			return "" // a self-hosted runner's resource class: namespace/name
		}
		return hostedReason("CircleCI's own machines (job "+job+": a docker:, machine: or macos: executor, or one keyscan cannot tell, "+
			"with no self-hosted resource_class namespace/name)", circleOIDC)
	case ciAzure:
		if why := e.azureHosted(); why != "" {
			return hostedReason(why, azureOIDC)
		}
		return ""
	case ciAppVeyor:
		if e.childValue(-1, len(e.lines)-1, "build_cloud") != "" {
			return "" // a private build cloud: machines of your own
		}
		return hostedReason("AppVeyor's own build machines (no build_cloud: names a private build cloud)", appVeyorAdvice)
	case ciSemaphore:
		if why := e.semaphoreHosted(); why != "" {
			return hostedReason(why, "store them in a Semaphore secret (sem create secret) that the job names under secrets:, or use "+
				"Semaphore's OpenID Connect token ($SEMAPHORE_OIDC_TOKEN) with an IAM role that trusts your organization's issuer")
		}
		return ""
	case ciCirrus:
		if why := e.cirrusHosted(); why != "" {
			return hostedReason(why, "store them as encrypted variables (ENCRYPTED[...], made in the repository settings), not in the file")
		}
		return ""
	case ciCodemagic:
		return hostedReason("Codemagic's own machines (every Codemagic build runs on them)",
			"store them in an environment variable group (Secret) in Codemagic's settings and name the group under environment: groups:")
	case ciBitrise:
		return hostedReason("Bitrise's own machines (every Bitrise build runs on them)",
			"store them as Secrets in the app's Workflow Editor, not in bitrise.yml")
	case ciHarness:
		if why := e.harnessHosted(); why != "" {
			return hostedReason(why, "store them as Harness secrets (<+secrets.getValue(\"...\")>), or use an AWS connector with OpenID Connect")
		}
		return ""
	case ciCloudBuild:
		return hostedReason("Google Cloud Build's workers (every build step runs on Google's machines, a private pool's too)",
			"keep them in Secret Manager (availableSecrets: secretManager, and secretEnv: in the step), or use workload identity "+
				"federation: an IAM role that trusts accounts.google.com for the build's Google service account (AssumeRoleWithWebIdentity "+
				"with its ID token)")
	case ciBitbucket:
		if step, first, last := e.enclosing(i, "step"); step >= 0 && strings.Contains(e.block(first, last), "self.hosted") {
			return ""
		}
		return hostedReason("Bitbucket Cloud's own machines (the step's runs-on does not name self.hosted)",
			"use OpenID Connect: oidc: true in the step, an IAM role that trusts the repository's Bitbucket identity provider, "+
				"and AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE set from $BITBUCKET_STEP_OIDC_TOKEN")
	}
	return ""
}

const (
	circleOIDC = "use OpenID Connect: an IAM role that trusts oidc.circleci.com/org/ORG_ID, and in the job the aws-cli orb's setup " +
		"with role_arn (it reads $CIRCLE_OIDC_TOKEN)"
	azureOIDC = "use an AWS service connection (AWS Toolkit for Azure DevOps) with OpenID Connect, or a secret variable, " +
		"instead of keys in the file"
)

const appVeyorAdvice = "store them as secure variables (encrypted with AppVeyor's Encrypt YAML tool, secure:) or in the project's " +
	"environment settings, not in the file"

// semaphoreHosted describes the hosted machines a Semaphore file's jobs
// run on: a machine type: that is not a self-hosted agent type (s1-...),
// or none that keyscan sees. Empty when every type is a self-hosted one.
func (e *editor) semaphoreHosted() string {
	own := false
	for l := range e.lines {
		if !e.isContent(l) {
			continue
		}
		if k, v := itemKey(e.text(l)); k == "type" {
			v = unquote(v)
			if strings.HasPrefix(v, "s1-") {
				own = true
				continue
			}
			if v != "" && !strings.Contains(v, " ") {
				return "Semaphore's own machines (machine type: " + v + ")"
			}
		}
	}
	if own {
		return ""
	}
	return "Semaphore's own machines or ones keyscan cannot tell (no self-hosted agent type s1-...)"
}

// cirrusHosted describes the Cirrus CI machines of a .cirrus.yml: any
// instance of Cirrus's own (container:, macos_instance:...) or of a cloud
// with no EC2 instance role (gce_instance:, gke_container:...), or none
// keyscan sees. Empty when every instance is a persistent_worker: or an
// ec2_instance: or eks_container: of your AWS account.
func (e *editor) cirrusHosted() string {
	own := false
	for l := range e.lines {
		if !e.isContent(l) {
			continue
		}
		k, _ := itemKey(e.text(l))
		switch {
		case k == "persistent_worker" || k == "ec2_instance" || k == "eks_container":
			own = true
		case strings.HasSuffix(k, "_container") || strings.HasSuffix(k, "_instance") || k == "container" || k == "compute_engine_instance":
			return "Cirrus CI's own machines or another cloud's (" + k + ":)"
		}
	}
	if own {
		return ""
	}
	return "Cirrus CI's own machines or ones keyscan cannot tell (no persistent_worker:, ec2_instance: or eks_container:)"
}

// harnessHosted describes Harness Cloud's machines (a runtime or platform
// of type: Cloud), or machines keyscan cannot tell (no type: of a
// delegate's infrastructure). Empty when the stage runs on a delegate of
// yours (KubernetesDirect, VM, Docker).
func (e *editor) harnessHosted() string {
	own := false
	for l := range e.lines {
		if !e.isContent(l) {
			continue
		}
		if k, v := itemKey(e.text(l)); k == "type" {
			switch unquote(v) {
			case "Cloud":
				return "Harness Cloud's own machines (type: Cloud)"
			case "KubernetesDirect", "VM", "Docker":
				own = true
			}
		}
	}
	if own {
		return ""
	}
	return "Harness Cloud's machines or ones keyscan cannot tell (no delegate infrastructure: KubernetesDirect, VM, Docker)"
}

// hostedReason is the reason the keys of a job on a hosted machine stay.
func hostedReason(where, advice string) string {
	return "the job runs on " + where + ", which no instance role reaches: without the keys its next run fails. " +
		"Instead, " + advice + "; then remove the keys by hand and deactivate them in IAM."
}

// azureHosted describes the Microsoft-hosted agents an Azure Pipelines
// file runs on: any vmImage:, or no pool of your own (the default pool is
// Microsoft-hosted). Empty when every pool it names is an agent pool of
// your own (pool: NAME or pool: name: NAME, not "Azure Pipelines").
func (e *editor) azureHosted() string {
	own := false
	for l := range e.lines {
		if !e.isContent(l) {
			continue
		}
		k, v := itemKey(e.text(l))
		switch k {
		case "vmImage":
			return "a Microsoft-hosted agent (vmImage: " + unquote(v) + ")"
		case "pool":
			v = unquote(v)
			if v == "" {
				if img := e.childValue(l, e.blockEnd(l), "vmImage"); img != "" {
					return "a Microsoft-hosted agent (vmImage: " + img + ")"
				}
				if n := e.childValue(l, e.blockEnd(l), "name"); n != "" && !strings.EqualFold(n, "Azure Pipelines") {
					own = true
					continue
				}
				return "a Microsoft-hosted agent or one keyscan cannot tell (a pool: without a name of your own)"
			}
			if strings.EqualFold(v, "Azure Pipelines") || strings.HasPrefix(v, "{") || strings.HasPrefix(v, "$") {
				return "a Microsoft-hosted agent or one keyscan cannot tell (pool: " + v + ")"
			}
			own = true
		}
	}
	if !own {
		return "a Microsoft-hosted agent (no pool: of your own; the default pool is Microsoft-hosted)"
	}
	return ""
}

// itemKey returns the key and the value of a YAML line, a list item's
// first key included ("- step:" is step).
func itemKey(s string) (string, string) {
	t := strings.TrimSpace(s)
	t = strings.TrimSpace(strings.TrimPrefix(t, "- "))
	if strings.HasPrefix(t, "#") {
		return "", ""
	}
	k, v, ok := strings.Cut(t, ":")
	if !ok || strings.ContainsAny(k, " \t\"'{[") {
		return "", ""
	}
	return k, strings.TrimSpace(stripComment(v))
}

// stripComment drops a YAML comment after a value.
func stripComment(v string) string {
	if i := strings.Index(v, " #"); i >= 0 {
		return v[:i]
	}
	return v
}

// blockEnd is the last line of the block that line l opens (its children,
// indented deeper).
func (e *editor) blockEnd(l int) int {
	d := indentOf(e.text(l))
	last := l
	for k := l + 1; k < len(e.lines); k++ {
		if e.isContent(k) && indentOf(e.text(k)) <= d {
			break
		}
		last = k
	}
	return last
}

// block is the text of lines first..last.
func (e *editor) block(first, last int) string {
	var b strings.Builder
	for l := first; l <= last && l < len(e.lines); l++ {
		b.WriteString(e.text(l))
		b.WriteByte('\n')
	}
	return b.String()
}

// childValue returns the value of the key named key among lines
// first+1..last (the block of line first), at any depth; "" when none.
func (e *editor) childValue(first, last int, key string) string {
	for l := first + 1; l <= last && l < len(e.lines); l++ {
		if !e.isContent(l) {
			continue
		}
		if k, v := itemKey(e.text(l)); k == key {
			return unquote(v)
		}
	}
	return ""
}

// topChild returns the child of the top-level key top (a job under jobs:)
// whose block holds line i, with its lines; "" when i is in none.
func (e *editor) topChild(i int, top string) (string, int, int) {
	for l := i; l >= 0; l = e.parent(l) {
		p := e.parent(l)
		if p < 0 {
			return "", 0, 0
		}
		if indentOf(e.text(p)) == 0 {
			if k, _ := itemKey(e.text(p)); k != top {
				return "", 0, 0
			}
			k, _ := itemKey(e.text(l))
			return unquote(k), l, e.blockEnd(l)
		}
	}
	return "", 0, 0
}

// enclosing returns the nearest line above i (an ancestor) whose key is
// key, with the lines of its block; -1 when none.
func (e *editor) enclosing(i int, key string) (int, int, int) {
	for l := e.parent(i); l >= 0; l = e.parent(l) {
		if k, _ := itemKey(e.text(l)); k == key {
			return l, l, e.blockEnd(l)
		}
	}
	return -1, 0, 0
}

// HostedJob says why the job of the CI configuration file called name
// (content) that holds offset runs where no instance role reaches, as
// keyscan fix says it of keys at that place: a GitHub Actions job on a
// GitHub-hosted runner (or one keyscan cannot tell), a GitLab CI job that
// GitLab's hosted runners may take, a job of the hosted services hostedCI
// knows. "" for a job on machines of your own, or a file of no CI service.
// go vet's fix asks it where a job runs the program (go run), so that both
// fixers place a CI job alike (qa29 M3).
func HostedJob(name string, content []byte, offset int) string {
	if offset < 0 || offset > len(content) {
		return ""
	}
	ed := newEditor(content, YAML)
	f := scanner.Finding{Offset: offset}
	switch {
	case workflowFile(name) || ed.workflowContent():
		return ed.githubRunner(f)
	case gitlabFile(name):
		return ed.gitlabRunner(f, nil)
	}
	return ed.hostedCI(name, f)
}
