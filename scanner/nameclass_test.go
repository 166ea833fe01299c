package scanner_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// nameShapes are contents whose findings depend on the file's name: split
// literals, generic names, Django settings, medium keywords, Dockerfile and
// .env blocks, a credentials file.
func nameShapes(seed uint64) []string {
	g := fakekey.New(seed)
	id, sec := g.KeyID("AKIA"), g.Secret()
	return []string{
		"aws_secret_access_key = (\"" + sec[:20] + "\"\n                         \"" + sec[20:] + "\")\n",
		"const id = \"AKIA\" + \"" + id[4:] + "\";\nconst secret = \"" + sec[:20] + "\" +\n  \"" + sec[20:] + "\";\n",
		"AWS_REGION=us-east-1\nSECRET=" + sec + "\n",
		"AWS_REGION=us-east-1\nKEY=" + sec + "\n",
		"SECRET_KEY = '" + sec + "'\nAWS_STORAGE_BUCKET_NAME = 'media'\n",
		"import boto3\nsecret_key = '" + sec + "'\n",
		"access_key = " + id[:4] + "\nsecret_key = " + sec + "\n",
		"[default]\naccess_key = x\nsecret = " + sec + "\n",
		"ENV AWS_DEFAULT_REGION us-east-1\nENV SECRET " + sec + "\n",
		"FROM alpine\nENV SECRET=" + sec + "\n",
		"apiVersion: v1\nkind: Secret\nstringData:\n  secret: " + sec + "\n  region: us-east-1\n",
		"password: " + sec + "\nregion: us-east-1\nbucket: b\n",
		"#!/bin/sh\nexport AWS_REGION=us-east-1\nexport SECRET=" + sec + "\n",
		"s3 = boto3.client('s3', aws_access_key_id='" + id + "',\n  aws_secret_access_key='" + sec[:20] + "' '" + sec[20:] + "')\n",
		"terraform {\n  backend \"s3\" {\n    access_key = \"" + id + "\"\n    secret_key = \"" + sec + "\"\n  }\n}\n",
	}
}

// nameCorpus is file names built from base names, folders and backup
// suffixes that the name rules tell apart.
func nameCorpus() []string {
	bases := []string{"b.py", "B.PY", "README", "readme.md", "notes.cfg", "a.ini", "x.conf", "t.txt", "c.yaml", "c.yml",
		"c.json", "x.template", "x.toml", "x.properties", "application.yml", "settings.py", "config.py", "main.go", "a.js",
		"a.ts", "Dockerfile", "dockerfile.dev", "x.dockerfile", "Containerfile", "containerfile.x", "Jenkinsfile", ".env",
		".env.local", "env", "env.production", "a.env", ".envrc", "credentials", "config", ".s3cfg", "rclone.conf", "x.sh",
		"x.bash", ".bashrc", "main.tf", "x.tfvars", "x.hcl", "a.tf.json", "terragrunt.hcl", "x.pkr.hcl", "x.auto.tfvars", "Makefile", "LICENSE", "x.rb", "x.php", "x.lua",
		"x.java", "x.kt", "x.html", "x.c", "x.rs", "x.ipynb", "compose.yaml", "docker-compose.yml", "buildspec.yml",
		".gitlab-ci.yml", "x.cfn.yaml", "cloudformation.json", "x.xml", "x.csv", "x.go.txt", "a.py.gz", "a.env.gz",
		"a.gz", "x.zip", "a.b.c", "x.", ".x", "x.py~", "ΚΕΙ.PY", "\u212a.py", "x.markdown", "x.mdx"}
	dirs := []string{"", "src/", "settings/", "Settings/", ".aws/", "a/.AWS/", ".github/workflows/", ".circleci/", "k8s/",
		"deploy/kubernetes/", "manifests/", "helm/", "charts/x/", "a.b/", `w\`, "z.zip!", "mysettings/"}
	suffixes := []string{"", ".bak", ".orig", "~", ".Old", ".tmp"}
	var names []string
	for _, d := range dirs {
		for _, b := range bases {
			for _, s := range suffixes {
				names = append(names, d+b+s)
			}
		}
	}
	return names
}

// TestNameClassDecides holds the matcher to NameClass: names of one class
// give the same findings (but for the name and fingerprint they carry) on
// contents whose findings depend on the name. A rule that reads the name
// and that NameClass does not ask fails it.
func TestNameClassDecides(t *testing.T) {
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	shapes := nameShapes(41)
	summary := func(name, data string) string {
		var b strings.Builder
		for _, f := range sc.ScanAll(name, []byte(data)) {
			fmt.Fprintf(&b, "%s %s %d:%d-%d:%d %s %s %v|%s|%s;", f.Rule, f.Secret, f.Line, f.Column, f.EndLine, f.EndColumn,
				f.Severity, f.Encoding, f.TestKey, f.Context, f.Suggestion)
		}
		return b.String()
	}
	first := map[string]string{} // class -> first name
	want := map[string][]string{}
	classes, differ := 0, map[int]bool{}
	for _, name := range nameCorpus() {
		c := scanner.NameClass(name)
		got := make([]string, len(shapes))
		for i, d := range shapes {
			got[i] = summary(name, d)
		}
		w, ok := want[c]
		if !ok {
			first[c], want[c] = name, got
			classes++
			continue
		}
		for i := range shapes {
			if got[i] != w[i] {
				t.Errorf("%q and %q are of one class %q but shape %d gives\n%s\nand\n%s", first[c], name, c, i, w[i], got[i])
			}
		}
	}
	// The corpus must tell classes apart, and the shapes must depend on
	// the name, or the test proves nothing.
	for i := range shapes {
		seen := map[string]bool{}
		for _, w := range want {
			seen[w[i]] = true
		}
		if len(seen) > 1 {
			differ[i] = true
		}
	}
	t.Logf("%d classes, %d of %d shapes depend on the name", classes, len(differ), len(shapes))
	if classes < 40 || len(differ) < len(shapes)/2 {
		t.Errorf("%d classes, %d of %d shapes depend on the name: the corpus is too weak", classes, len(differ), len(shapes))
	}
}

// TestDirClass: names below two folders of one DirClass are of one class.
func TestDirClass(t *testing.T) {
	dirs := []string{"src", "lib/x", "settings", "a/settings", "Settings", ".aws", "x/.aws", ".AWS", ".github", "a/.github",
		".github/workflows", "k8s", "k8", "myk8s", "kubernetes", "x/manifests", "helm", "charts", "a.b", "c.d/e", "s",
		"mysettings", "settings2", ".circle", "w\\x", "z.zip!a", "Kubernetes", "work", "set"}
	rels := []string{"b.py", "workflows/ci.yml", "s/x.yaml", "credentials", "config", "x.yaml", "settings.py",
		"ettings/a.py", "flows/a.yml", "/x", "a!b/x.env", "Makefile", "x\\y.py", ".env", "aws/credentials"}
	for _, a := range dirs {
		for _, b := range dirs {
			if scanner.DirClass(a) != scanner.DirClass(b) {
				continue
			}
			for _, r := range rels {
				if x, y := scanner.NameClass(a+"/"+r), scanner.NameClass(b+"/"+r); x != y {
					t.Errorf("DirClass(%q) == DirClass(%q) but %q is of class %q and %q of %q", a, b, a+"/"+r, x, b+"/"+r, y)
				}
			}
		}
	}
	if scanner.DirClass("src") != scanner.DirClass("lib/x") || scanner.DirClass("src") == scanner.DirClass("k8s") {
		t.Errorf("DirClass tells apart too little or too much")
	}
}
