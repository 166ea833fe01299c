package fix

import (
	"reflect"
	"testing"
)

// TestGitLabIncludes reads each way include: names a file.
func TestGitLabIncludes(t *testing.T) {
	for in, want := range map[string][]gitlabInclude{
		"include: ci/a.yml\n":                  {{"local", "ci/a.yml"}},
		"include: 'https://x.example/a.yml'\n": {{"remote", "https://x.example/a.yml"}},
		"include:\n  local: /ci/a.yml\n":       {{"local", "/ci/a.yml"}},
		"include:\n  - project: g/p\n    file: a.yml\n  - template: Auto-DevOps.gitlab-ci.yml\n": {
			{"project", "g/p"}, {"template", "Auto-DevOps.gitlab-ci.yml"}},
		"include:\n  - component: gitlab.com/g/c@1\n  - remote: https://x/a.yml\n  - ci/b.yml\n": {
			{"component", "gitlab.com/g/c@1"}, {"remote", "https://x/a.yml"}, {"local", "ci/b.yml"}},
		"include:\n  - inputs: {a: 1}\n": {{"?", ""}},
		"job:\n  script: [ls]\n":         nil,
		"include: [":                     nil,
	} {
		if got := gitlabIncludes([]byte(in)); !reflect.DeepEqual(got, want) {
			t.Errorf("gitlabIncludes(%q) = %v, want %v", in, got, want)
		}
	}
}

// FuzzGitLabPipeline holds the include: reader and the judge of included
// jobs to any text: no panic, and a pipeline that includes anything
// unread is never judged safe.
func FuzzGitLabPipeline(f *testing.F) {
	f.Add([]byte("include:\n  - local: ci/a.yml\n  - project: g/p\nvariables:\n  A: b\njob:\n  tags: [x]\n  script: [ls]\n"))
	f.Add([]byte("include: ci/a.yml\ndefault:\n  tags:\n    - saas-linux\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		incs := gitlabIncludes(data)
		p := &GitLabPipeline{Included: map[string][][]byte{"ci/a.yml": {data}}}
		w := includedJobs(data, p.Included, nil, false)
		for _, in := range incs {
			if in.kind != "local" && w == "" {
				t.Fatalf("an include of kind %q was judged safe", in.kind)
			}
		}
		_ = pipelineJobs(data, &GitLabPipeline{Top: data, Included: p.Included}, nil, false)
	})
}
