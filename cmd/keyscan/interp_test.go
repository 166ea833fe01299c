package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestInterpolationSplits: a key ID split between a variable of a file and
// the text that interpolates or concatenates it was not found by scan,
// staged or history in any language but Go. scan finds it in each
// language's shape, at the interpolating site, with the encoding
// "interpolation"; staged and history, which share the matcher, too.
func TestInterpolationSplits(t *testing.T) {
	g := fakekey.New(3301)
	files := map[string]string{}
	sites := map[string]string{} // the text each file's finding starts at
	add := func(name, text, site string) {
		files[name], sites[name] = text, site
	}
	id := func() (string, string, string) {
		k := g.KeyID("AKIA")
		return k, k[:8], k[8:]
	}
	_, h, tl := id()
	add("a.sh", "HEAD="+h+"\nexport AWS_ACCESS_KEY_ID=\"${HEAD}"+tl+"\"\n", "${HEAD}")
	_, h, tl = id()
	add(".env", "HEAD="+h+"\nAWS_ACCESS_KEY_ID=${HEAD}"+tl+"\n", "${HEAD}")
	_, h, tl = id()
	add("Dockerfile", "FROM alpine\nARG HEAD="+h+"\nENV AWS_ACCESS_KEY_ID=${HEAD}"+tl+"\n", "${HEAD}")
	_, h, tl = id()
	add("b.py", "head = \""+h+"\"\nkey = f\"{head}"+tl+"\"\n", "{head}")
	_, h, tl = id()
	add("c.js", "const head = \""+h+"\"; const key = `${head}"+tl+"`;\n", "${head}")
	_, h, tl = id()
	add("d.rb", "head = \""+h+"\"\nkey = \"#{head}"+tl+"\"\n", "#{head}")
	_, h, tl = id()
	add("e.tf", "locals {\n  head = \""+h+"\"\n  key  = \"${local.head}"+tl+"\"\n}\n", "${local.head}")
	_, h, tl = id()
	add("Makefile", "HEAD := "+h+"\nexport AWS_ACCESS_KEY_ID := $(HEAD)"+tl+"\n", "$(HEAD)")
	_, h, tl = id()
	add("f.php", "<?php\n$head = \""+h+"\";\n$key = $head . \""+tl+"\";\n", "$head .")
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := keyscanIn(t, dir, "scan", "--format", "json", ".")
	var fs []struct {
		File     string `json:"file"`
		Line     int    `json:"line"`
		Column   int    `json:"column"`
		Encoding string `json:"encoding"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &fs); err != nil || r.code != exitFindings {
		t.Fatalf("scan: exit %d (%v), want 1\n%s%s", r.code, err, r.stdout, r.stderr)
	}
	var got []string
	for _, f := range fs {
		got = append(got, f.File)
		text, ok := files[f.File]
		if !ok {
			t.Errorf("scan: a finding in %s", f.File)
			continue
		}
		at := strings.LastIndex(text, sites[f.File])
		line := strings.Count(text[:at], "\n") + 1
		col := at - strings.LastIndex(text[:at], "\n")
		if f.Encoding != "interpolation" || f.Line != line || f.Column != col {
			t.Errorf("scan: %s finding at %d:%d encoding %q, want %d:%d interpolation", f.File, f.Line, f.Column, f.Encoding, line, col)
		}
	}
	var want []string
	for name := range files {
		want = append(want, name)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("scan: findings in %v, want one in each of %v\n%s", got, want, r.stdout)
	}

	repo := newCommittedRepo(t)
	writeRepoFile(t, repo, "deploy/env.sh", files["a.sh"])
	gitOK(t, repo, "add", "deploy/env.sh")
	if r := keyscanIn(t, repo, "staged"); r.code != exitFindings || !strings.Contains(r.stdout, "deploy/env.sh") {
		t.Errorf("staged: exit %d, want 1 and the key\n%s%s", r.code, r.stdout, r.stderr)
	}
	gitOK(t, repo, "commit", "-q", "--no-verify", "-m", "deploy")
	if r := keyscanIn(t, repo, "history", "."); r.code != exitFindings || !strings.Contains(r.stdout, "deploy/env.sh") {
		t.Errorf("history: exit %d, want 1 and the key\n%s%s", r.code, r.stdout, r.stderr)
	}
}
