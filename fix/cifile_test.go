package fix

import "testing"

// TestCIFile holds CIFile to every spelling the CI rules know (review16 B
// F4: cmd/keyscan's own copy missed the .yaml spellings, NAME.gitlab-ci.yml
// and CircleCI), and keeps an application's configuration out.
func TestCIFile(t *testing.T) {
	for name, want := range map[string]bool{
		".gitlab-ci.yml":                    true,
		".gitlab-ci.yaml":                   true,
		"deploy.gitlab-ci.yml":              true,
		".gitlab/ci/build.yml":              true,
		".github/workflows/ci.yml":          true,
		".github/workflows/ci.yaml":         true,
		".github/actions/deploy/action.yml": true,
		"svc/.github/workflows/x.yml":       true,
		`.github\workflows\ci.yml`:          true,
		".travis.yml":                       true,
		".travis.yaml":                      true,
		".circleci/config.yml":              true,
		".circleci/config.yaml":             true,
		"azure-pipelines.yml":               true,
		"azure-pipelines.yaml":              true,
		"build.azure-pipelines.yml":         true,
		".azure-pipelines/deploy.yml":       true,
		"bitbucket-pipelines.yml":           true,
		"bitbucket-pipelines.yaml":          true,
		"BITBUCKET-PIPELINES.YML":           true,
		"config.yml":                        false,
		"config/app.yaml":                   false,
		"circleci/config.yml":               false,
		"travis.yml":                        false,
		"github/workflows/ci.yml":           false,
		"application-local.yml":             false,
		"gitlab-ci.md":                      false,
		"docs/azure-pipelines-howto.md":     false,
		"settings/bitbucket-pipelines.json": false,
	} {
		if got := CIFile(name); got != want {
			t.Errorf("CIFile(%q) = %v, want %v", name, got, want)
		}
	}
}
