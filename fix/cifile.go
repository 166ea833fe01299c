package fix

import (
	"path"
	"strings"
)

// The CI services whose files fix knows by name (ciService). Each has
// rules of its own for where a job's keys are read (hostedCI, gitlab.go,
// actions.go).
const (
	ciTravis     = "travis"
	ciCircle     = "circleci"
	ciAzure      = "azure"
	ciBitbucket  = "bitbucket"
	ciAppVeyor   = "appveyor"
	ciSemaphore  = "semaphore"
	ciCirrus     = "cirrus"
	ciCodemagic  = "codemagic"
	ciBitrise    = "bitrise"
	ciHarness    = "harness"
	ciCloudBuild = "cloudbuild"
)

// ciService names the hosted CI service whose configuration file p (a
// slash path, lower case) is by its name: .travis.yml, CircleCI's
// .circleci/config.yml, Azure Pipelines' azure-pipelines.yml (and
// NAME.azure-pipelines.yml, files of .azure-pipelines/ or
// azure-pipelines/), bitbucket-pipelines.yml, Google Cloud Build's
// cloudbuild.yaml (and cloudbuild-NAME.yaml), each also spelt .yaml.
// "" for another file.
func ciService(p string) string {
	base := path.Base(p)
	yml := func(s string) bool { return s == base || strings.HasSuffix("/"+p, "/"+s) }
	switch {
	case yml(".travis.yml") || yml(".travis.yaml"):
		return ciTravis
	case yml(".circleci/config.yml") || yml(".circleci/config.yaml"):
		return ciCircle
	case base == "azure-pipelines.yml" || base == "azure-pipelines.yaml" || strings.HasSuffix(base, ".azure-pipelines.yml") ||
		strings.HasSuffix(base, ".azure-pipelines.yaml") || strings.Contains("/"+p, "/.azure-pipelines/") || strings.Contains("/"+p, "/azure-pipelines/"):
		return ciAzure
	case base == "bitbucket-pipelines.yml" || base == "bitbucket-pipelines.yaml":
		return ciBitbucket
	case yml("appveyor.yml") || yml("appveyor.yaml") || yml(".appveyor.yml") || yml(".appveyor.yaml"):
		return ciAppVeyor
	case strings.Contains("/"+p, "/.semaphore/") && (strings.HasSuffix(base, ".yml") || strings.HasSuffix(base, ".yaml")):
		return ciSemaphore
	case yml(".cirrus.yml") || yml(".cirrus.yaml"):
		return ciCirrus
	case yml("codemagic.yaml") || yml("codemagic.yml"):
		return ciCodemagic
	case yml("bitrise.yml") || yml("bitrise.yaml"):
		return ciBitrise
	case strings.Contains("/"+p, "/.harness/") && (strings.HasSuffix(base, ".yml") || strings.HasSuffix(base, ".yaml")):
		return ciHarness
	case strings.HasPrefix(base, "cloudbuild") && (strings.HasSuffix(base, ".yml") || strings.HasSuffix(base, ".yaml")):
		return ciCloudBuild // cloudbuild.yaml, cloudbuild-prod.yaml, cloudbuild.release.yml
	}
	return ""
}

// CIFile reports whether name (a path below the root) is a CI pipeline's
// file by its name: a GitLab CI file (gitlabFile), any file of .github/
// (workflows and their composite actions), or a file of the hosted
// services ciService knows. Such a file's jobs have rules of their own
// and load a .env only when they name it, so the rules that read an
// application's configuration beside a .env leave it out (review16 B F4:
// a second copy of these tests in cmd/keyscan missed the .yaml spellings,
// NAME.gitlab-ci.yml and CircleCI).
func CIFile(name string) bool {
	p := strings.ToLower(strings.ReplaceAll(name, `\`, "/"))
	return gitlabFile(p) || strings.Contains("/"+p, "/.github/") || ciService(p) != ""
}
