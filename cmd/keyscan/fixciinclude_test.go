package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestFixGitLabIncludedJobs checks fix24's item: a GitLab pipeline's
// top-level variables reach the jobs of every file it includes, and
// keyscan fix judged only the jobs of the file holding the keys. Keys
// whose pipeline includes a file with an untagged job (local, through a
// glob and a nested include), a file keyscan cannot read (another
// project's, a remote URL, a missing file), or keys in an included file
// whose including pipeline has an untagged job, were removed. When every
// job of every file is tagged for the project's runners, the keys go.
func TestFixGitLabIncludedJobs(t *testing.T) {
	requireKeyscanOnPath(t)
	vars := func(seed uint64) string {
		k := fakekey.New(seed).Values()
		return "variables:\n  AWS_ACCESS_KEY_ID: " + k["ID"] + "\n  AWS_SECRET_ACCESS_KEY: " + k["SECRET"] + "\n"
	}
	tagged := "build:\n  tags: [our-runner]\n  script:\n    - aws s3 ls\n"
	untagged := "deploy:\n  script:\n    - aws s3 sync . s3://site\n"
	pipeline := func(seed uint64, include string) string {
		return vars(seed) + "include:\n" + include + tagged
	}
	files := map[string]string{
		"p1/.gitlab-ci.yml": pipeline(2401, "  - local: ci/deploy.yml\n"),
		"p1/ci/deploy.yml":  untagged,
		"p2/.gitlab-ci.yml": pipeline(2402, "  - local: /ci/deploy.yml\n"),
		"p2/ci/deploy.yml":  "deploy:\n  tags: [our-runner]\n  script:\n    - aws s3 sync . s3://site\n",
		"p3/.gitlab-ci.yml": pipeline(2403, "  - project: acme/ci-templates\n    file: /deploy.yml\n"),
		"p4/.gitlab-ci.yml": pipeline(2404, "  - 'https://example.com/ci/deploy.yml'\n"),
		"p5/.gitlab-ci.yml": pipeline(2405, "  - local: 'ci/*.yml'\n"),
		"p5/ci/a.yml":       "a:\n  tags: [our-runner]\n  script: [ls]\n",
		"p5/ci/b.yml":       "include: ci/more/c.yml\nb:\n  tags: [our-runner]\n  script: [ls]\n",
		"p5/ci/more/c.yml":  "c:\n  script: [ls]\n",
		"p6/.gitlab-ci.yml": pipeline(2406, "  - local: ci/missing.yml\n"),
		"p7/.gitlab-ci.yml": "include:\n  - local: ci/deploy.yml\nbuild:\n  script: [ls]\n",
		"p7/ci/deploy.yml":  vars(2407) + tagged,
		"p8/.gitlab-ci.yml": "default:\n  tags: [our-runner]\ninclude:\n  - local: ci/deploy.yml\nbuild:\n  script: [ls]\n",
		"p8/ci/deploy.yml":  vars(2408) + untagged,
	}
	dir := fixFolder(t, files, []string{
		"the job deploy has no tags:, so GitLab.com's hosted runners may take it (they have no instance role) (in ci/deploy.yml, which the pipeline includes)",
		"the pipeline's include: project: acme/ci-templates names a file keyscan cannot read",
		"the pipeline's include: remote: https://example.com/ci/deploy.yml names a file keyscan cannot read",
		"the job c has no tags:, so GitLab.com's hosted runners may take it (they have no instance role) (in ci/more/c.yml, which the pipeline includes)",
		"the pipeline's include: local: ci/missing.yml was not read",
		"p7/ci/deploy.yml:2:22",
		"the job build has no tags:, so GitLab.com's hosted runners may take it (they have no instance role) (in the pipeline's file that includes this one)",
	}, "p2/.gitlab-ci.yml", "p8/ci/deploy.yml")
	for _, n := range []string{"p2/.gitlab-ci.yml", "p8/ci/deploy.yml"} {
		got, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(got), "AWS_ACCESS_KEY_ID") || !strings.Contains(string(got), "script:") {
			t.Errorf("%s: every job of the pipeline is tagged for the project's runners, but the keys stay:\n%s", n, got)
		}
	}
}

// TestFixGitHubCalledWorkflow checks fix24's item: a workflow's env:
// never reaches a reusable workflow a job calls (GitHub passes only with:
// and secrets:), so it no longer keeps the keys of the workflow's other,
// self-hosted jobs; keys passed in with: or secrets: stay, named for the
// called workflow: one of this repository (change both files together)
// or of another, which keyscan cannot read.
func TestFixGitHubCalledWorkflow(t *testing.T) {
	requireKeyscanOnPath(t)
	a, b, c := fakekey.New(2411).Values(), fakekey.New(2412).Values(), fakekey.New(2413).Values()
	call := func(k map[string]string, ref string) string {
		return "on: push\njobs:\n  deploy:\n    uses: " + ref + "\n    with:\n      access_key_id: " + k["ID"] +
			"\n    secrets:\n      secret_access_key: " + k["SECRET"] + "\n"
	}
	called := "on: workflow_call\njobs:\n  d:\n    runs-on: self-hosted\n    steps:\n      - run: aws s3 ls\n"
	files := map[string]string{
		"g1/.github/workflows/ci.yml": "on: push\nenv:\n  AWS_ACCESS_KEY_ID: " + a["ID"] + "\n  AWS_SECRET_ACCESS_KEY: " + a["SECRET"] +
			"\njobs:\n  sync:\n    runs-on: [self-hosted, linux]\n    steps:\n      - run: aws s3 sync . s3://site\n" +
			"  deploy:\n    uses: ./.github/workflows/deploy.yml\n",
		"g1/.github/workflows/deploy.yml": called,
		"g2/.github/workflows/ci.yml":     call(b, "./.github/workflows/deploy.yml"),
		"g2/.github/workflows/deploy.yml": called,
		"g3/.github/workflows/ci.yml":     call(c, "acme/infra/.github/workflows/deploy.yml@v2"),
	}
	dir := fixFolder(t, files, []string{
		"g2/.github/workflows/ci.yml:6:22: aws-access-key-id",
		"the job passes it to the reusable workflow ./.github/workflows/deploy.yml (with: or secrets:), which reads it by name",
		"the job passes it to acme/infra/.github/workflows/deploy.yml@v2, a reusable workflow of another repository that keyscan cannot read",
	}, "g1/.github/workflows/ci.yml")
	got, err := os.ReadFile(filepath.Join(dir, "g1/.github/workflows/ci.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(got), a["ID"]) || !strings.Contains(string(got), "uses: ./.github/workflows/deploy.yml") {
		t.Errorf("the workflow's env: reaches no called workflow, but its keys stay:\n%s", got)
	}
}
