package fix_test

import (
	"regexp"
	"testing"

	"github.com/keyscan/keyscan/fix"
	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/internal/fixture"
	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

// programEnvSeeds are the forms in which a deployment sets a program's
// environment (qa26 M3), with the variable each names.
var programEnvSeeds = []struct{ file, text, want string }{
	{"k8s/deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: a\n          env:\n" +
		"            - name: UPLOAD_KEY_ID\n              value: {{ID}}\n            - name: UPLOAD_SECRET\n              value: {{SECRET}}\n", "UPLOAD_KEY_ID"},
	{"compose.yaml", "services:\n  a:\n    environment:\n      UPLOAD_KEY_ID: {{ID}}\n      UPLOAD_SECRET: {{SECRET}}\n", "UPLOAD_KEY_ID"},
	{"docker-compose.yml", "services:\n  a:\n    environment:\n      - UPLOAD_KEY_ID={{ID}}\n      - \"UPLOAD_SECRET={{SECRET}}\"\n", "UPLOAD_KEY_ID"},
	{"taskdef.json", "{\"containerDefinitions\": [{\"environment\": [{\"name\": \"UPLOAD_KEY_ID\", \"value\": \"{{ID}}\"}, " +
		"{\"value\": \"{{SECRET}}\", \"name\": \"UPLOAD_SECRET\"}]}]}\n", "UPLOAD_KEY_ID"},
	{"task.yaml", "Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Environment:\n" +
		"            - Name: UPLOAD_KEY_ID\n              Value: {{ID}}\n            - Name: UPLOAD_SECRET\n              Value: {{SECRET}}\n", "UPLOAD_KEY_ID"},
}

// TestProgramEnvDefinitions checks that each form names its variables as
// definitions code may read by name (ProgramEnv), and that a setting of no
// environment (an application config's aws.access_key_id) names none.
func TestProgramEnvDefinitions(t *testing.T) {
	sc := fixture.Scanner(t)
	vals := fakekey.New(2640).Values()
	for _, tc := range programEnvSeeds {
		in := []byte(rules.Fill(tc.text, vals))
		fs := sc.Scan(tc.file, in)
		if len(fs) != 2 {
			t.Fatalf("%s: the scanner finds %d", tc.file, len(fs))
		}
		got := map[string]bool{}
		for _, d := range fix.Definitions(tc.file, in, fs) {
			if d.Kind == fix.ProgramEnv {
				got[d.Name] = true
			}
		}
		if !got[tc.want] || !got["UPLOAD_SECRET"] {
			t.Errorf("%s: program variables %v, want %s and UPLOAD_SECRET", tc.file, got, tc.want)
		}
	}
	in := []byte(rules.Fill("aws:\n  access_key_id: {{ID}}\n  secret_access_key: {{SECRET}}\n", vals))
	for _, d := range fix.Definitions("config/app.yaml", in, sc.Scan("config/app.yaml", in)) {
		if d.Kind == fix.ProgramEnv {
			t.Errorf("config/app.yaml: a program variable %s", d.Name)
		}
	}
}

// FuzzProgramEnvDefinitions feeds Definitions any text under the names of
// the deployment files: it must not panic, and a program variable it names
// is a variable name.
func FuzzProgramEnvDefinitions(f *testing.F) {
	sc := fixture.Scanner(f)
	for _, s := range programEnvSeeds {
		f.Add(s.file, []byte(rules.Fill(s.text, fakekey.New(2641).Values())))
	}
	name := regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	f.Fuzz(func(t *testing.T, file string, data []byte) {
		fs := sc.Scan(file, data)
		if len(fs) == 0 {
			fs = scanner.Findings{{File: file, Offset: 0, EndOffset: min(1, len(data)), Line: 1}}
			if len(data) == 0 {
				return
			}
		}
		for _, d := range fix.Definitions(file, data, fs) {
			if d.Kind == fix.ProgramEnv && !name.MatchString(d.Name) {
				t.Errorf("program variable %q", d.Name)
			}
		}
	})
}
