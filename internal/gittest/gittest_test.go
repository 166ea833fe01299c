package gittest

import (
	"os"
	"testing"
)

func TestHermetic(t *testing.T) {
	t.Setenv("GIT_DIR", "/somewhere/else/.git")
	t.Setenv("GIT_INDEX_FILE", "/somewhere/else/index")
	t.Setenv("GITHUB_TOKEN_NOT_GIT", "kept")
	Hermetic()
	for _, name := range []string{"GIT_DIR", "GIT_INDEX_FILE"} {
		if v, ok := os.LookupEnv(name); ok {
			t.Errorf("%s is still set to %q", name, v)
		}
	}
	if os.Getenv("GITHUB_TOKEN_NOT_GIT") != "kept" {
		t.Error("a variable that is not git's was removed")
	}
}
