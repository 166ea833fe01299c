package fix_test

import (
	"testing"

	"github.com/keyscan/keyscan/fix"
)

// TestStartEnvFile: the names of the files that write down the environment
// a program starts in, which go vet's fix and keyscan fix both read (qa25
// H1, M1): Dockerfiles and Containerfiles by any suffix, dotenv files by
// .env-NAME and .env_NAME too, templates of either; not examples, source
// or documents.
func TestStartEnvFile(t *testing.T) {
	for name, want := range map[string]bool{
		"Dockerfile": true, "Dockerfile.dev": true, "Dockerfile-dev": true, "Dockerfile_prod": true,
		"dev.Dockerfile": true, "Containerfile": true, "Containerfile.dev": true, "Containerfile-ci": true,
		"app.containerfile": true, "Dockerfile.j2": true, "deploy/Dockerfile-dev": true,
		".env": true, ".env.local": true, ".env-local": true, ".env_dev": true, "prod.env": true, ".envrc": true,
		".env.j2": true, ".env-local.tmpl": true,
		".env.example": false, ".env-example": false, ".env_sample": false, ".env.dist": false,
		"dockerfile_test.go": false, "dockerfile_notes.md": false, "Dockerfiles": false, "mydockerfile": false,
		"containerfiles.txt": false, "environment": false, ".envoy.yaml": false, "docker-compose.yml": false,
	} {
		if got := fix.StartEnvFile(name); got != want {
			t.Errorf("StartEnvFile(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestTemplateBase: a template's suffix is removed, and only one.
func TestTemplateBase(t *testing.T) {
	for name, want := range map[string]string{
		"docker-compose.yml.j2": "docker-compose.yml", "compose.yaml.tmpl": "compose.yaml", "Dockerfile.tpl": "dockerfile",
		"values.yaml.gotmpl": "values.yaml", ".env.jinja2": ".env", "dir/X.Y": "x.y", ".j2": ".j2", "a.tmpl.j2": "a.tmpl",
	} {
		if got := fix.TemplateBase(name); got != want {
			t.Errorf("TemplateBase(%q) = %q, want %q", name, got, want)
		}
	}
}
