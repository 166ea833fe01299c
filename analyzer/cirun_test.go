package analyzer

import (
	"strings"
	"testing"
)

// TestCIRunsProgram checks qa29 M3's programs run by hosted CI: a job on
// the service's own machines (told as keyscan fix tells it) that runs a
// package of the program, by go run or the binary go build -o made; a
// self-hosted job, a job that runs another program or only builds or
// tests this one, and a remark in a comment do not count.
func TestCIRunsProgram(t *testing.T) {
	const mod = "example.com/app"
	runs := func(d string) bool {
		if pre, ok := strings.CutSuffix(d, "..."); ok { // as moduleScan's runsProgram: any folder at or below pre
			return pre == "" || strings.HasPrefix("cmd/sync/", pre)
		}
		return d == "cmd/sync" || d == "."
	}
	// "." is the program's too: go run . from a folder of another program
	// must not read as the top's.
	for _, c := range []struct{ rel, src, want string }{
		{".github/workflows/sync.yml", "on:\n  schedule:\n    - cron: '0 3 * * *'\njobs:\n  sync:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: go run ./cmd/sync --bucket b\n",
			"(go run ./cmd/sync --bucket b, in .github/workflows/sync.yml:9)"},
		{".github/workflows/sync.yml", "on: push\njobs:\n  sync:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          go build -o bin/sync ./cmd/sync\n          ./bin/sync --all\n",
			"(./bin/sync --all, in .github/workflows/sync.yml:8)"},
		{".github/workflows/sync.yml", "on: push\njobs:\n  sync:\n    runs-on: ubuntu-latest\n    steps:\n      - run: cd cmd/sync && go run .\n", "GitHub-hosted runner"},
		{".github/workflows/sync.yml", "on: push\njobs:\n  sync:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go run -tags prod example.com/app/cmd/sync@latest\n", "GitHub-hosted runner"},
		{".gitlab-ci.yml", "sync:\n  image: golang:1.26\n  script:\n    - go run main.go\n", "GitLab"},
		{".circleci/config.yml", "version: 2.1\njobs:\n  sync:\n    docker:\n      - image: cimg/go:1.26\n    steps:\n      - checkout\n      - run: go run ./cmd/sync\n", "CircleCI's own machines"},
		{"bitbucket-pipelines.yml", "pipelines:\n  custom:\n    sync:\n      - step:\n          script:\n            - go run ./cmd/sync\n", "Bitbucket Cloud"},
		{"azure-pipelines.yml", "pool:\n  vmImage: ubuntu-latest\nsteps:\n  - script: go run ./cmd/sync\n", "Microsoft-hosted agent"},
		{".travis.yml", "language: go\nscript:\n  - go run ./cmd/sync\n", "Travis CI"},
		{".cirrus.yml", "task:\n  container:\n    image: golang:1.26\n  script: go run ./cmd/sync\n", "Cirrus CI"},
		{".semaphore/semaphore.yml", "version: v1.0\nagent:\n  machine:\n    type: e1-standard-2\nblocks:\n  - task:\n      jobs:\n        - commands:\n            - go run ./cmd/sync\n", "Semaphore"},
		{"cloudbuild.yaml", "steps:\n  - name: golang:1.26\n    entrypoint: go\n    args: ['run', './cmd/sync']\n", "(args: ['run', './cmd/sync'], in cloudbuild.yaml:4)"},
		{"cloudbuild.yaml", "steps:\n  - name: golang:1.26\n    args: [go, run, ./cmd/sync]\n", "Google Cloud Build"},
		{"cloudbuild.yaml", "steps:\n  - name: golang:1.26\n    entrypoint: go\n    args:\n      - run\n      - ./cmd/sync\n", "Google Cloud Build"},
		{"cloudbuild.yaml", "steps:\n  - name: golang:1.26\n    entrypoint: bash\n    args: ['-c', 'go run ./cmd/sync']\n", "Google Cloud Build"},
		// The folder a step, a job's or the workflow's defaults, or a
		// CircleCI job runs in (qa29 M3).
		{".github/workflows/sync.yml", "on: push\njobs:\n  sync:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go run .\n        working-directory: cmd/sync\n", "GitHub-hosted runner"},
		{".github/workflows/sync.yml", "on: push\njobs:\n  sync:\n    runs-on: ubuntu-latest\n    steps:\n      - name: sync\n        working-directory: ./cmd/sync\n        run: |\n          go run .\n", "GitHub-hosted runner"},
		{".github/workflows/sync.yml", "on: push\ndefaults:\n  run:\n    working-directory: cmd\njobs:\n  sync:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go run ./sync\n", "GitHub-hosted runner"},
		{".github/workflows/sync.yml", "on: push\njobs:\n  sync:\n    runs-on: ubuntu-latest\n    defaults:\n      run:\n        working-directory: cmd/sync\n    steps:\n      - run: go run .\n", "GitHub-hosted runner"},
		// A script's cd on an earlier line of its run: | block or script
		// list, and go -C, move the folder a command runs in; a step of
		// its own and a subshell do not (qa30 M1, M2).
		{".github/workflows/sync.yml", "on: push\njobs:\n  sync:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          cd cmd/sync\n          go run .\n", "(go run ., in .github/workflows/sync.yml:8)"},
		{".github/workflows/sync.yml", "on: push\njobs:\n  sync:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          cd tools/gen\n          cd ../../cmd/sync\n          go run . --all\n", "GitHub-hosted runner"},
		{".github/workflows/sync.yml", "on: push\njobs:\n  sync:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go run -C cmd/sync .\n", "GitHub-hosted runner"},
		{".github/workflows/sync.yml", "on: push\njobs:\n  sync:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go run -C=cmd/sync .\n", "GitHub-hosted runner"},
		{".github/workflows/sync.yml", "on: push\njobs:\n  sync:\n    runs-on: ubuntu-latest\n    steps:\n      - run: cd tools/gen\n      - run: go run .\n", "(go run ., in .github/workflows/sync.yml:7)"},
		{".github/workflows/sync.yml", "on: push\njobs:\n  sync:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          (cd tools/gen && go generate)\n          go run .\n", "GitHub-hosted runner"},
		{".github/workflows/sync.yml", "on: push\njobs:\n  sync:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          cd tools/gen\n          cd $GITHUB_WORKSPACE\n          go run .\n", "GitHub-hosted runner"},
		{".gitlab-ci.yml", "sync:\n  script:\n    - cd cmd/sync\n    - go run .\n", "GitLab"},
		// Another program: the script's cd, or go -C, moved to tools/gen.
		{".github/workflows/gen.yml", "on: push\njobs:\n  sync:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          cd tools/gen\n          go run .\n", ""},
		{".github/workflows/gen.yml", "on: push\njobs:\n  sync:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go run -C tools/gen .\n", ""},
		{".github/workflows/gen.yml", "on: push\njobs:\n  sync:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          if true; then\n            cd tools/gen\n          fi\n          go run .\n", ""},
		{".github/workflows/gen.yml", "on: push\njobs:\n  sync:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          cd gen\n          go run .\n        working-directory: tools\n", ""},
		{".gitlab-ci.yml", "gen:\n  script:\n    - cd tools/gen\n    - go run .\n", ""},
		{"cloudbuild.yaml", "steps:\n  - name: golang:1.26\n    entrypoint: go\n    args: [run, -C, tools/gen, .]\n", ""},
		{".circleci/config.yml", "version: 2.1\njobs:\n  sync:\n    docker:\n      - image: cimg/go:1.26\n    working_directory: ~/project/cmd/sync\n    steps:\n      - checkout\n      - run: go run .\n", "CircleCI"},
		{".github/workflows/gen.yml", "on: push\njobs:\n  gen:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go run .\n        working-directory: tools/gen\n", ""},
		{".github/workflows/gen.yml", "on: push\njobs:\n  gen:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: golangci/golangci-lint-action@v6\n        with:\n          working-directory: cmd/sync\n      - run: go run ./tools/gen\n", ""},
		{".github/workflows/sync.yml", "on: push\njobs:\n  sync:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go install ./cmd/sync\n      - run: sync --all\n", "(sync --all, in .github/workflows/sync.yml:7)"},
		{".gitlab-ci.yml", "sync:\n  script:\n    - go install example.com/app/cmd/sync@latest\n    - echo start && sync --all\n", "(sync --all, in .gitlab-ci.yml:4)"},
		{".github/workflows/sync.yml", "on: push\njobs:\n  sync:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go install ./cmd/sync\n      - run: echo sync done\n", ""},
		// qa31 F5: a subshell's cd moves the commands inside it, a cd
		// below the workspace's variable, go install then the binary on
		// the same line, a package named by an expression (any of the
		// folder's programs) or by a variable an env: sets.
		{".github/workflows/sync.yml", "on: push\njobs:\n  sync:\n    runs-on: ubuntu-latest\n    steps:\n      - run: (cd cmd/sync && go run .)\n", "(go run .), in .github/workflows/sync.yml:6)"},
		{".github/workflows/sync.yml", "on: push\njobs:\n  sync:\n    runs-on: ubuntu-latest\n    steps:\n      - run: cd tools && (cd ../cmd/sync; go run . --all)\n", "GitHub-hosted runner"},
		{".github/workflows/sync.yml", "on: push\njobs:\n  sync:\n    runs-on: ubuntu-latest\n    steps:\n      - run: cd \"${{ github.workspace }}/cmd/sync\" && go run .\n", "GitHub-hosted runner"},
		{".github/workflows/sync.yml", "on: push\njobs:\n  sync:\n    runs-on: ubuntu-latest\n    steps:\n      - run: cd $GITHUB_WORKSPACE/cmd/sync && go run .\n", "GitHub-hosted runner"},
		{".github/workflows/sync.yml", "on: push\njobs:\n  sync:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go install ./cmd/sync && sync --all\n", "(sync --all, in .github/workflows/sync.yml:6)"},
		{".github/workflows/sync.yml", "on: push\njobs:\n  run:\n    strategy:\n      matrix:\n        prog: [sync]\n    runs-on: ubuntu-latest\n    steps:\n      - run: go run ./cmd/${{ matrix.prog }}\n", "GitHub-hosted runner"},
		{".github/workflows/sync.yml", "on: push\njobs:\n  sync:\n    runs-on: ubuntu-latest\n    steps:\n      - name: x\n        env:\n          APP: ./cmd/sync\n        run: go run \"$APP\"\n", "GitHub-hosted runner"},
		{".github/workflows/sync.yml", "on: push\njobs:\n  sync:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go run \"$PROG\"\n", "GitHub-hosted runner"},
		// Machines of your own, another program, a build or a test
		// only, a comment; a subshell's cd left behind; a variable set to
		// another program; an expression under another folder.
		{".github/workflows/gen.yml", "on: push\njobs:\n  gen:\n    runs-on: ubuntu-latest\n    steps:\n      - run: (cd cmd/sync && make) && cd tools/gen && go run .\n", ""},
		{".github/workflows/gen.yml", "on: push\njobs:\n  gen:\n    runs-on: ubuntu-latest\n    steps:\n      - run: cd \"${{ github.workspace }}/tools/gen\" && go run .\n", ""},
		{".github/workflows/gen.yml", "on: push\njobs:\n  gen:\n    runs-on: ubuntu-latest\n    steps:\n      - run: cd tools/gen && go run .\n", ""},
		{".github/workflows/gen.yml", "on: push\njobs:\n  gen:\n    runs-on: ubuntu-latest\n    steps:\n      - name: x\n        env:\n          APP: ./tools/gen\n        run: go run \"$APP\"\n", ""},
		{".github/workflows/gen.yml", "on: push\njobs:\n  gen:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go run ./tools/${{ matrix.tool }}\n", ""},
		{".github/workflows/sync.yml", "on: push\njobs:\n  sync:\n    runs-on: [self-hosted, linux]\n    steps:\n      - run: go run ./cmd/sync\n", ""},
		{".gitlab-ci.yml", "sync:\n  tags: [ec2]\n  script:\n    - go run ./cmd/sync\n", ""},
		{".github/workflows/gen.yml", "on: push\njobs:\n  gen:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go run ./tools/gen\n      - run: go run golang.org/x/tools/cmd/stringer@latest\n", ""},
		{".github/workflows/ci.yml", "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go build -o bin/sync ./cmd/sync\n      - run: go test ./...\n      - run: go vet ./...\n", ""},
		{".github/workflows/ci.yml", "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      # - run: go run ./cmd/sync\n      - run: go test ./...\n", ""},
		{"cloudbuild.yaml", "steps:\n  - name: gcr.io/cloud-builders/docker\n    args: [build, -t, gcr.io/p/app, .]\n  - name: node\n    args: [run, deploy]\n", ""},
		{"Makefile", "sync:\n\tgo run ./cmd/sync\n", ""},
		{".buildkite/pipeline.yml", "steps:\n  - command: go run ./cmd/sync\n", ""},
	} {
		got := ciRunsProgram([]byte(c.src), c.rel, mod, runs, nil)
		if c.want == "" && got != "" || c.want != "" && (!strings.HasPrefix(got, noRoleMark) || !strings.Contains(got, c.want) || !strings.Contains(got, "no AWS role exists at all")) {
			t.Errorf("ciRunsProgram(%s, %q)\n = %q\nwant %q", c.rel, c.src, got, c.want)
		}
	}
}

// FuzzCIRunsProgram checks that reading a CI file for runs of the program
// (go run, go build -o, working directories) never panics, and that an
// answer names a line of the file.
func FuzzCIRunsProgram(f *testing.F) {
	for _, s := range []string{
		"on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go run .\n        working-directory: cmd/sync\n",
		"defaults:\n  run:\n    working-directory: x\njobs:\n  a:\n    steps:\n      - run: |\n          go build -o bin/a ./cmd/sync\n          ./bin/a\n",
		"steps:\n- entrypoint: go\n  args:\n  - run\n  - ./cmd/sync\n",
		"jobs:\n  a:\n    working_directory: ~/project\n    steps:\n      - run: cd cmd/sync && go run -tags x .\n",
	} {
		f.Add(".github/workflows/a.yml", s)
		f.Add("cloudbuild.yaml", s)
		f.Add(".circleci/config.yml", s)
	}
	f.Fuzz(func(t *testing.T, rel, src string) {
		got := ciRunsProgram([]byte(src), rel, "example.com/app", func(string) bool { return true }, nil)
		if got != "" && (!strings.HasPrefix(got, noRoleMark) || !strings.Contains(got, rel+":")) {
			t.Fatalf("ciRunsProgram(%q, %q) = %q", rel, src, got)
		}
	})
}

// TestCIRunsProgramFiles checks qa31 F5's steps that run the program
// through a file of the project: a Makefile's recipe (make sync, make -C
// DIR), a script by its path, a Taskfile's task, each read where the step
// runs; a file that runs another program or only tests, a self-hosted
// job, a missing file, and a script run by its bare name (from PATH) do
// not count.
func TestCIRunsProgramFiles(t *testing.T) {
	const mod = "example.com/app"
	runs := func(d string) bool { return d == "cmd/sync" }
	wf := func(runsOn, step string) string {
		return "on: push\njobs:\n  sync:\n    runs-on: " + runsOn + "\n    steps:\n      - uses: actions/checkout@v4\n" + step
	}
	makefile := map[string]string{"Makefile": "test:\n\tgo test ./...\n\nsync:\n\tgo run ./cmd/sync --all\n"}
	script := map[string]string{"scripts/nightly.sh": "#!/bin/sh\nset -e\ngo run ./cmd/sync\n"}
	for _, c := range []struct {
		src   string
		files map[string]string
		want  string
	}{
		{wf("ubuntu-latest", "      - run: make sync\n"), makefile, "(make sync, whose Makefile:5 runs go run ./cmd/sync --all, in .github/workflows/sync.yml:7)"},
		{wf("ubuntu-latest", "      - run: make -C cmd/sync run\n"), map[string]string{"cmd/sync/Makefile": "run:\n\tgo run .\n"}, "whose cmd/sync/Makefile:2 runs go run ."},
		{wf("ubuntu-latest", "      - run: make run\n        working-directory: cmd/sync\n"), map[string]string{"cmd/sync/GNUmakefile": "run:\n\tgo run .\n"}, "whose cmd/sync/GNUmakefile:2"},
		{wf("ubuntu-latest", "      - run: ./scripts/nightly.sh\n"), script, "(./scripts/nightly.sh, whose scripts/nightly.sh:3 runs go run ./cmd/sync"},
		{wf("ubuntu-latest", "      - run: |\n          go mod download\n          bash scripts/nightly.sh --all\n"), script, "whose scripts/nightly.sh:3"},
		{wf("ubuntu-latest", "      - run: $GITHUB_WORKSPACE/scripts/nightly.sh\n"), script, "whose scripts/nightly.sh:3"},
		{wf("ubuntu-latest", "      - uses: arduino/setup-task@v2\n      - run: task nightly\n"), map[string]string{"Taskfile.yml": "version: \"3\"\ntasks:\n  nightly:\n    cmds:\n      - go run ./cmd/sync\n"},
			"(task nightly, whose Taskfile.yml:5 runs go run ./cmd/sync"},
		{wf("ubuntu-latest", "      - run: go mod download && make sync\n"), makefile, "GitHub-hosted runner"},
		// Not the program, not run, not hosted, not there.
		{wf("ubuntu-latest", "      - run: make test\n"), map[string]string{"Makefile": "test:\n\tgo test ./...\n"}, ""},
		{wf("ubuntu-latest", "      - run: ./scripts/gen.sh\n"), map[string]string{"scripts/gen.sh": "#!/bin/sh\ngo run ./tools/gen\n"}, ""},
		{wf("[self-hosted, linux]", "      - run: make sync\n"), makefile, ""},
		{wf("ubuntu-latest", "      - run: make sync\n"), nil, ""},
		{wf("ubuntu-latest", "      - run: nightly.sh\n"), map[string]string{"nightly.sh": "#!/bin/sh\ngo run ./cmd/sync\n"}, ""},
		{wf("ubuntu-latest", "      - run: ./scripts/notes.txt\n"), map[string]string{"scripts/notes.txt": "go run ./cmd/sync\n"}, ""},
		{"name: make\non:\n  push:\n    paths:\n      - scripts/nightly.sh\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go test ./...\n",
			map[string]string{"Makefile": makefile["Makefile"], "scripts/nightly.sh": script["scripts/nightly.sh"]}, ""},
	} {
		read := func(f string) []byte {
			if s, ok := c.files[f]; ok {
				return []byte(s)
			}
			return nil
		}
		got := ciRunsProgram([]byte(c.src), ".github/workflows/sync.yml", mod, runs, read)
		if c.want == "" && got != "" || c.want != "" && (!strings.HasPrefix(got, noRoleMark) || !strings.Contains(got, c.want)) {
			t.Errorf("ciRunsProgram(%q, %v)\n = %q\nwant %q", c.src, c.files, got, c.want)
		}
	}
}
