package fix_test

import (
	"strings"
	"testing"

	"github.com/keyscan/keyscan/fix"
	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/internal/fixture"
	"github.com/keyscan/keyscan/rules"
)

// TestHostedCI checks qa12 MEDIUM-9: the keys of a CI job on the CI
// service's own machines (a CircleCI docker: or machine: executor, an
// Azure Pipelines vmImage or default pool, any Travis CI job, a Bitbucket
// Pipelines step not on self.hosted) stay for a person with the service's
// advice; the same job on a runner of your own (a CircleCI resource_class
// namespace/name, an Azure agent pool by name, a Bitbucket self.hosted
// step) is fixed, and the file still parses. So for AppVeyor, Semaphore,
// Cirrus CI, Codemagic, Bitrise and Harness (qa27 M5), whose files were
// not known as CI files and were fixed whatever machine ran the job.
func TestHostedCI(t *testing.T) {
	sc := fixture.Scanner(t)
	vals := fakekey.New(1241).Values()
	keys := "      AWS_ACCESS_KEY_ID: {{ID}}\n      AWS_SECRET_ACCESS_KEY: {{SECRET}}\n"
	for _, tc := range []struct {
		name, file, text string
		kept             string // a word of the reason; "" when fixed
	}{
		{"circleci docker", ".circleci/config.yml", "version: 2.1\njobs:\n  deploy:\n    docker:\n      - image: cimg/python:3.12\n    environment:\n" + strings.ReplaceAll(keys, "      ", "      ") +
			"    steps:\n      - checkout\n", "oidc.circleci.com"},
		{"circleci machine", ".circleci/config.yml", "version: 2.1\njobs:\n  deploy:\n    machine:\n      image: ubuntu-2204:current\n    environment:\n" + keys +
			"    steps:\n      - checkout\n", "CircleCI's own machines (job deploy"},
		{"circleci self-hosted", ".circleci/config.yml", "version: 2.1\njobs:\n  deploy:\n    machine: true\n    resource_class: acme/deployers\n    environment:\n" + keys +
			"    steps:\n      - checkout\n", ""},
		{"azure vmImage", "azure-pipelines.yml", "pool:\n  vmImage: ubuntu-latest\nvariables:\n  AWS_ACCESS_KEY_ID: {{ID}}\n  AWS_SECRET_ACCESS_KEY: {{SECRET}}\nsteps:\n  - script: make\n",
			"vmImage: ubuntu-latest"},
		{"azure default pool", "ci/deploy.azure-pipelines.yml", "variables:\n  AWS_ACCESS_KEY_ID: {{ID}}\n  AWS_SECRET_ACCESS_KEY: {{SECRET}}\nsteps:\n  - script: make\n",
			"the default pool is Microsoft-hosted"},
		{"azure own pool", "azure-pipelines.yml", "pool:\n  name: ec2-agents\nvariables:\n  AWS_ACCESS_KEY_ID: {{ID}}\n  AWS_SECRET_ACCESS_KEY: {{SECRET}}\n  REGION: eu-west-1\nsteps:\n  - script: make\n", ""},
		{"travis", ".travis.yml", "language: python\nenv:\n  global:\n    - AWS_ACCESS_KEY_ID={{ID}}\n    - AWS_SECRET_ACCESS_KEY={{SECRET}}\n    - A=1\nscript: make\n", "Travis CI"},
		{"bitbucket cloud", "bitbucket-pipelines.yml", "pipelines:\n  default:\n    - step:\n        name: deploy\n        script:\n          - export AWS_ACCESS_KEY_ID={{ID}}\n          - export AWS_SECRET_ACCESS_KEY={{SECRET}}\n          - make\n",
			"Bitbucket Cloud"},
		{"bitbucket self-hosted", "bitbucket-pipelines.yml", "pipelines:\n  default:\n    - step:\n        runs-on:\n          - self.hosted\n          - linux\n        name: deploy\n        script:\n          - aws configure set aws_access_key_id {{ID}}\n          - aws configure set aws_secret_access_key {{SECRET}}\n          - make\n", ""},
		// qa27 M5: the services whose jobs run on their own machines
		// unless the file names one of yours.
		{"appveyor", "appveyor.yml", "image: Ubuntu2204\nenvironment:\n  AWS_ACCESS_KEY_ID: {{ID}}\n  AWS_SECRET_ACCESS_KEY: {{SECRET}}\nbuild_script:\n  - aws s3 sync dist s3://b\n", "AppVeyor's own"},
		{"appveyor private cloud", ".appveyor.yml", "build_cloud: ec2-builders\nenvironment:\n  AWS_ACCESS_KEY_ID: {{ID}}\n  AWS_SECRET_ACCESS_KEY: {{SECRET}}\n  REGION: eu-west-1\nbuild_script:\n  - make\n", ""},
		{"semaphore", ".semaphore/semaphore.yml", "version: v1.0\nagent:\n  machine:\n    type: e1-standard-2\nblocks:\n  - name: deploy\n    task:\n      env_vars:\n        - name: AWS_ACCESS_KEY_ID\n          value: {{ID}}\n        - name: AWS_SECRET_ACCESS_KEY\n          value: {{SECRET}}\n      jobs:\n        - name: sync\n          commands:\n            - make\n", "machine type: e1-standard-2"},
		{"semaphore self-hosted", ".semaphore/deploy.yml", "version: v1.0\nagent:\n  machine:\n    type: s1-ec2\nglobal_job_config:\n  env_vars:\n    - name: AWS_ACCESS_KEY_ID\n      value: {{ID}}\n    - name: AWS_SECRET_ACCESS_KEY\n      value: {{SECRET}}\n    - name: REGION\n      value: eu-west-1\n", ""},
		{"cirrus container", ".cirrus.yml", "task:\n  container:\n    image: amazon/aws-cli\n  env:\n    AWS_ACCESS_KEY_ID: {{ID}}\n    AWS_SECRET_ACCESS_KEY: {{SECRET}}\n  script: make\n", "(container:)"},
		{"cirrus persistent worker", ".cirrus.yml", "task:\n  persistent_worker:\n    labels:\n      name: ec2\n  env:\n    AWS_ACCESS_KEY_ID: {{ID}}\n    AWS_SECRET_ACCESS_KEY: {{SECRET}}\n    REGION: eu-west-1\n  script: make\n", ""},
		{"codemagic", "codemagic.yaml", "workflows:\n  deploy:\n    instance_type: mac_mini_m2\n    environment:\n      vars:\n        AWS_ACCESS_KEY_ID: {{ID}}\n        AWS_SECRET_ACCESS_KEY: {{SECRET}}\n", "Codemagic"},
		{"bitrise", "bitrise.yml", "format_version: \"13\"\nworkflows:\n  deploy:\n    envs:\n      - AWS_ACCESS_KEY_ID: {{ID}}\n      - AWS_SECRET_ACCESS_KEY: {{SECRET}}\n", "Bitrise"},
		{"harness cloud", ".harness/deploy.yaml", "pipeline:\n  stages:\n    - stage:\n        type: CI\n        spec:\n          platform:\n            os: Linux\n          runtime:\n            type: Cloud\n          variables:\n            AWS_ACCESS_KEY_ID: {{ID}}\n            AWS_SECRET_ACCESS_KEY: {{SECRET}}\n", "Harness Cloud"},
		{"harness delegate", ".harness/deploy.yaml", "pipeline:\n  stages:\n    - stage:\n        type: CI\n        spec:\n          infrastructure:\n            type: KubernetesDirect\n          variables:\n            AWS_ACCESS_KEY_ID: {{ID}}\n            AWS_SECRET_ACCESS_KEY: {{SECRET}}\n            REGION: eu-west-1\n", ""},
		// qa29 M3: Google Cloud Build's steps run on Google's workers.
		{"cloud build", "cloudbuild.yaml", "steps:\n  - name: golang:1.26\n    entrypoint: go\n    args: [run, ./cmd/sync]\n    env:\n      - AWS_ACCESS_KEY_ID={{ID}}\n      - AWS_SECRET_ACCESS_KEY={{SECRET}}\n", "Google Cloud Build's workers"},
		{"cloud build named", "ci/cloudbuild-prod.yaml", "options:\n  env:\n    - AWS_ACCESS_KEY_ID={{ID}}\n    - AWS_SECRET_ACCESS_KEY={{SECRET}}\nsteps:\n  - name: golang\n    args: [go, run, .]\n", "Secret Manager"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := []byte(rules.Fill(tc.text, vals))
			fs := sc.Scan(tc.file, in)
			if len(fs) != 2 {
				t.Fatalf("the scanner finds %d", len(fs))
			}
			res, err := fix.Apply(tc.file, in, fs)
			if err != nil {
				t.Fatal(err)
			}
			if tc.kept != "" {
				if res.Changed() || len(res.Manual) != 2 || !strings.Contains(res.Manual[0].Reason, tc.kept) {
					t.Fatalf("fixed %d, manual %+v; want both kept with %q", len(res.Fixed), res.Manual, tc.kept)
				}
				return
			}
			if len(res.Fixed) != 2 {
				t.Fatalf("fixed %d, manual %+v; want both fixed", len(res.Fixed), res.Manual)
			}
			yamlDocs(t, res.Content)
		})
	}
}

// FuzzHostedCI runs fix.Apply on the files of the CI services hostedCI
// reads line by line (qa27 M5's among them): it must not panic, every
// finding is either fixed or left for a person, and a kept key that the
// service's machines would miss is never reported fixed beside it.
func FuzzHostedCI(f *testing.F) {
	sc := fixture.Scanner(f)
	names := []string{"appveyor.yml", ".semaphore/semaphore.yml", ".cirrus.yml", "codemagic.yaml", "bitrise.yml", ".harness/p.yaml",
		".circleci/config.yml", "azure-pipelines.yml", "bitbucket-pipelines.yml", ".travis.yml", "cloudbuild.yaml"}
	vals := fakekey.New(1242).Values()
	for i, s := range []string{
		"build_cloud: own\nenvironment:\n  AWS_ACCESS_KEY_ID: {{ID}}\n  AWS_SECRET_ACCESS_KEY: {{SECRET}}\n",
		"agent:\n  machine:\n    type: s1-x\nblocks:\n  - task:\n      env_vars:\n        - name: AWS_ACCESS_KEY_ID\n          value: {{ID}}\n        - name: AWS_SECRET_ACCESS_KEY\n          value: {{SECRET}}\n",
		"task:\n  persistent_worker: {}\n  container:\n  env:\n    AWS_ACCESS_KEY_ID: {{ID}}\n    AWS_SECRET_ACCESS_KEY: {{SECRET}}\n",
		"pipeline:\n  stages:\n    - stage:\n        spec:\n          runtime:\n            type: 'Cloud'\n          variables:\n            AWS_ACCESS_KEY_ID: {{ID}}\n            AWS_SECRET_ACCESS_KEY: {{SECRET}}\n",
	} {
		f.Add(uint8(i), []byte(rules.Fill(s, vals)))
	}
	f.Fuzz(func(t *testing.T, n uint8, data []byte) {
		name := names[int(n)%len(names)]
		fs := sc.Scan(name, data)
		res, err := fix.Apply(name, data, fs)
		if err != nil {
			return
		}
		if len(res.Fixed)+len(res.Manual) < len(fs) {
			t.Errorf("%d findings, %d fixed and %d left", len(fs), len(res.Fixed), len(res.Manual))
		}
		hosted := false
		for _, m := range res.Manual {
			hosted = hosted || strings.Contains(m.Reason, "which no instance role reaches")
		}
		if hosted && ciWhole(name) && len(res.Fixed) > 0 {
			t.Errorf("%s: keys kept for the service's machines and others fixed: %+v", name, res.Manual)
		}
	})
}

// ciWhole reports whether hostedCI judges the file called name whole (its
// answer depends on no job), so that it keeps all of its keys or none.
func ciWhole(name string) bool {
	switch name {
	case "appveyor.yml", ".semaphore/semaphore.yml", ".cirrus.yml", "codemagic.yaml", "bitrise.yml", ".harness/p.yaml", ".travis.yml", "cloudbuild.yaml":
		return true
	}
	return false
}

// TestHostedJob checks the judgement go vet's fix asks of a CI job that
// runs the program (qa29 M3): the job that holds the offset, as keyscan
// fix places keys there.
func TestHostedJob(t *testing.T) {
	for _, c := range []struct{ name, src, at, want string }{
		{".github/workflows/sync.yml", "on: push\njobs:\n  sync:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go run ./cmd/sync\n", "go run", "GitHub-hosted runner (runs-on: ubuntu-latest)"},
		{".github/workflows/sync.yml", "on: push\njobs:\n  sync:\n    runs-on: [self-hosted, ec2]\n    steps:\n      - run: go run ./cmd/sync\n", "go run", ""},
		{".github/workflows/sync.yml", "on: push\njobs:\n  a:\n    runs-on: [self-hosted]\n    steps:\n      - run: make\n  b:\n    runs-on: macos-14\n    steps:\n      - run: go run ./cmd/sync\n", "go run", "macos-14"},
		{".gitlab-ci.yml", "sync:\n  script:\n    - go run ./cmd/sync\n", "go run", "GitLab"},
		{".gitlab-ci.yml", "sync:\n  tags: [ec2-runner]\n  script:\n    - go run ./cmd/sync\n", "go run", ""},
		{".circleci/config.yml", "version: 2.1\njobs:\n  sync:\n    docker:\n      - image: cimg/go:1.26\n    steps:\n      - run: go run ./cmd/sync\n", "go run", "CircleCI"},
		{"bitbucket-pipelines.yml", "pipelines:\n  default:\n    - step:\n        script:\n          - go run ./cmd/sync\n", "go run", "Bitbucket Cloud"},
		{"azure-pipelines.yml", "pool:\n  vmImage: ubuntu-latest\nsteps:\n  - script: go run ./cmd/sync\n", "go run", "Microsoft-hosted"},
		{".travis.yml", "language: go\nscript: go run ./cmd/sync\n", "go run", "Travis"},
		{"cloudbuild.yaml", "steps:\n  - name: golang\n    args: [go, run, ./cmd/sync]\n", "go, run", "Google Cloud Build"},
		{"Makefile", "sync:\n\tgo run ./cmd/sync\n", "go run", ""},
		{".buildkite/pipeline.yml", "steps:\n  - command: go run ./cmd/sync\n", "go run", ""},
	} {
		got := fix.HostedJob(c.name, []byte(c.src), strings.Index(c.src, c.at))
		if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("HostedJob(%s, %q) = %q; want %q", c.name, c.src, got, c.want)
		}
	}
}
