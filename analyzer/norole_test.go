package analyzer

import (
	"strings"
	"testing"
)

// TestLaptopRelease checks qa26 M4's GoReleaser rule: a release for macOS
// or Windows (named, or GoReleaser's default goos) or through a desktop
// publisher runs on people's own computers; builds for Linux only (a
// Docker image, deb and rpm packages for servers) do not say so, and a
// goos under ignore: or an archive's format_overrides builds nothing.
func TestLaptopRelease(t *testing.T) {
	for _, c := range []struct {
		src, want string // want: a word of what, "" for none
		line      int
	}{
		{"builds:\n  - env: [CGO_ENABLED=0]\n    goos: [linux, windows, darwin]\n", "goos: windows", 3},
		{"builds:\n  - goos:\n      - linux\n      # - windows\n      - \"darwin\"\n", "goos: darwin", 2},
		{"project_name: app\nbuilds:\n  - main: ./cmd/app\n", "default goos", 2},
		{"project_name: app\n", "default goos", 1},
		{"builds:\n  - goos: [linux]\nbrews:\n  - name: app\n", "brews", 3},
		{"builds:\n  - goos: [linux]\nscoops:\n  - name: app\n", "scoops", 3},
		{"builds:\n  - targets: [linux_amd64_v1, darwin_arm64]\n", "targets: darwin_arm64", 2},
		{"builds:\n  - targets: [go_first_class]\n", "first_class", 2},
		// Linux only: servers.
		{"builds:\n  - env: [CGO_ENABLED=0]\n    goos: [linux]\n    goarch: [amd64, arm64]\ndockers:\n  - image_templates: [\"ghcr.io/o/app:{{ .Tag }}\"]\n", "", 0},
		{"builds:\n  - goos:\n      - linux\n    ignore:\n      - goos: windows\n        goarch: arm\nnfpms:\n  - formats: [deb, rpm]\n", "", 0},
		{"builds:\n  - goos: [linux] # not windows\narchives:\n  - format_overrides:\n      - goos: windows\n        format: zip\n", "", 0},
		{"# brews:\nbuilds:\n  - goos: [linux, freebsd]\n", "", 0},
	} {
		what, line := laptopRelease([]byte(c.src))
		if c.want == "" && what != "" || c.want != "" && (!strings.Contains(what, c.want) || line != c.line) {
			t.Errorf("laptopRelease(%q) = %q, %d; want %q, %d", c.src, what, line, c.want, c.line)
		}
	}
}

// TestNoRoleFile checks that the platforms keyscan fix knows withhold go
// fix with a reason that says no AWS role exists there, and that other
// YAML does not.
func TestNoRoleFile(t *testing.T) {
	for _, c := range []struct {
		rel, src, want string
	}{
		{"heroku.yml", "build:\n  docker:\n    web: Dockerfile\n", "Heroku"},
		{"deploy/service.yaml", "apiVersion: serving.knative.dev/v1\nkind: Service\n", "Cloud Run"},
		{"app.yaml", "runtime: go122\ninstance_class: F2\n", "App Engine"},
		{".goreleaser.yaml", "builds:\n  - goos: [darwin]\n", "IAM Identity Center"},
		{"deploy/app.yaml", "apiVersion: apps/v1\nkind: Deployment\n", ""},
		{"config/app.yaml", "name: app\nruntime: {}\n", ""},
		{".goreleaser.yml", "builds:\n  - goos: [linux]\n", ""},
	} {
		got := noRoleFile([]byte(c.src), c.rel, c.rel[strings.LastIndex(c.rel, "/")+1:])
		if c.want == "" && got != "" || c.want != "" && (!strings.HasPrefix(got, noRoleMark) || !strings.Contains(got, c.want) || !strings.Contains(got, "no AWS role exists at all")) {
			t.Errorf("noRoleFile(%s) = %q; want %q", c.rel, got, c.want)
		}
	}
}

// FuzzLaptopRelease checks that laptopRelease never panics and gives a
// line within the file whenever it answers.
func FuzzLaptopRelease(f *testing.F) {
	for _, s := range []string{"builds:\n  - goos: [linux, darwin]\n", "builds:\n  - goos:\n    - windows\n", "builds:\n- ignore:\n  - goos: darwin\n  goos: [linux]\n",
		"brews:\n", "builds:\n  - targets:\n", "builds:\n  - goos: [\"linux\" # x\n", "'builds':\n\t- goos: 'x'\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		what, line := laptopRelease(b)
		if what != "" && (line < 1 || line > strings.Count(string(b), "\n")+1) {
			t.Fatalf("laptopRelease(%q) = %q at line %d", b, what, line)
		}
	})
}
