package scanner

import (
	"math/rand/v2"
	"path"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/rules"
)

func TestClassify(t *testing.T) {
	ini := "[default]\naws_access_key_id = x\naws_secret_access_key = y\n"
	for _, tc := range []struct {
		name, data string
		want       FileKind
	}{
		{"aws_credentials", ini, KindSharedConfig},
		{"aws-config", "[profile ci]\naws_access_key_id = x\n", KindSharedConfig},
		{"credentials.bak", "whatever", KindSharedConfig},
		{"backup/alice/aws-credentials", ini, KindSharedConfig},
		{".aws.ini", ini, KindSharedConfig},
		{"config.orig", ini, KindSharedConfig},
		{"env.production", "APP=1\n", KindEnv},
		{".env.bak", "APP=1\n", KindEnv},
		{"settings", "# comment\nexport APP=1\nAWS_SECRET_ACCESS_KEY=x\n", KindEnv},
		{"settings", "APP=1\nsome prose here\n", KindOther},
		{"Dockerfile.worker", "FROM alpine\n", KindDocker},
		{"build.dockerfile", "FROM alpine\n", KindDocker},
		{"Containerfile", "FROM alpine\n", KindDocker},
		{"images/worker", "# syntax=docker/dockerfile:1\nFROM alpine AS base\nRUN apk add \\\n  curl\nENV A=1\n", KindDocker},
		{"notes", "FROM the start, this is prose\nand more prose\n", KindOther},
		{"bin/deploy", "#!/usr/bin/env bash\nset -e\n", KindShell},
		{"bin/deploy", "#!/bin/sh\n", KindShell},
		{"tools/sync", "#!/usr/bin/env python3\nimport boto3\n", KindPython},
		{"tools/sync", "#!/usr/bin/env node\n", KindJavaScript},
		{"deploy.sh.bak", "aws s3 ls\n", KindShell},
		{"app.yaml", "apiVersion: v1\nkind: Secret\n", KindKubernetes},
		{"main.go", "package main", KindGo},
		// A credentials file under any other name, by its content alone.
		{"prod.credentials", ini, KindSharedConfig},
		{"credentials.prod", ini, KindSharedConfig},
		{"deploy/aws.keys", "# team keys\r\n[profile ci]\r\nregion = eu-west-1\r\ns3 =\r\n  max_concurrent_requests = 20\r\naws_session_token = z\r\n", KindSharedConfig},
		{"notes.md", "# Setup\n[default]\naws_access_key_id = x\nthen run the tool\n", KindOther},
		{"creds.rb", "[default]\nputs(aws_access_key_id)\n", KindOther},
		{"keys.list", "aws_access_key_id = x\n[default]\n", KindOther},
		{"app.settings", "[server]\nport = 8080\n", KindOther},
	} {
		if got := Classify(tc.name, []byte(tc.data)); got != tc.want {
			t.Errorf("Classify(%q) = %s, want %s", tc.name, got, tc.want)
		}
	}
}

// TestPlainNameQuickLook: PlainName's quick look at the last byte answers
// as trimming the lower-cased name does, for names ending in every byte and
// in the suffixes, in any case, after runes that lower-case to ASCII.
func TestPlainNameQuickLook(t *testing.T) {
	slow := func(name string) string {
		for {
			lower := strings.ToLower(name)
			trimmed := false
			for _, s := range backupSuffixes {
				if strings.HasSuffix(lower, s) && len(path.Base(name)) > len(s) {
					name, trimmed = name[:len(name)-len(s)], true
					break
				}
			}
			if !trimmed {
				return name
			}
		}
	}
	var names []string
	for c := range 256 {
		names = append(names, "dir/file."+string(rune(c)), "f"+string([]byte{byte(c)}))
	}
	for _, s := range append(backupSuffixes, ".BAK", ".Orig~", ".Ba\u212a", "\u212a", ".OLD.bak", ".txt.Sav", "^", ".copy\xff") {
		names = append(names, "creds"+s, "a/b.json"+s+s, s, "x/"+s)
	}
	for _, n := range names {
		if got, want := PlainName(n), slow(n); got != want {
			t.Errorf("PlainName(%q) = %q, want %q", n, got, want)
		}
		if !backupSuffixed(n) && PlainName(n) != n {
			t.Errorf("backupSuffixed(%q) = false, but PlainName trims it to %q", n, PlainName(n))
		}
	}
}

// TestNameAnswersAsShared: classify's last answers in the scratch answer as
// the Scanner's nameCache does, for identifiers that repeat, collide in
// the scratch and differ only inside, with a configured keyword.
func TestNameAnswersAsShared(t *testing.T) {
	s, err := New(Options{Keywords: []string{"vault_pass"}})
	if err != nil {
		t.Fatal(err)
	}
	m := newMatch(s, "a.go", nil)
	defer m.release()
	parts := []string{"aws", "secret", "access", "key", "client", "vault", "pass", "token", "id", "_", "-", ".", "X", ""}
	r := rand.New(rand.NewPCG(13, 14))
	for range 20000 {
		var b strings.Builder
		for k := r.IntN(5); k >= 0; k-- {
			b.WriteString(parts[r.IntN(len(parts))])
		}
		ident := []byte(b.String())
		got, want := *m.classify(ident), m.classifyShared(ident)
		if got != want {
			t.Fatalf("classify(%q) = %+v, the nameCache says %+v", ident, got, want)
		}
	}
}

// TestMaybeGenericFileFromTheEnd: maybeGenericFile, reading the extension
// from the end, answers as cutting the base name first did, on names with
// and without dots, separators after the last dot, dot files and archive
// members.
func TestMaybeGenericFileFromTheEnd(t *testing.T) {
	old := func(name string) bool {
		base := name[strings.LastIndexAny(name, "/\\!")+1:]
		dot := strings.LastIndexByte(base, '.')
		if dot <= 0 {
			return true
		}
		ext := base[dot+1:]
		if len(ext) > 10 {
			return false
		}
		var b [10]byte
		for i := 0; i < len(ext); i++ {
			b[i] = ext[i] | 0x20
		}
		switch string(b[:len(ext)]) {
		case "go", "json", "md", "java", "js", "ts", "c", "h", "cc", "cpp", "rs", "rb", "php", "html", "css", "xml", "txt",
			"rst", "kt", "scala", "cs", "swift", "tf", "hcl", "sum", "mod", "lock", "svg", "png", "jpg", "gif", "pdf", "zip", "gz", "s":
			return false
		}
		return true
	}
	parts := []string{"a", ".", "/", "\\", "!", "go", "GO", "env", "json", "x.tar", "config", "verylongextension", ""}
	r := rand.New(rand.NewPCG(15, 16))
	for range 20000 {
		var b strings.Builder
		for k := r.IntN(6); k >= 0; k-- {
			b.WriteString(parts[r.IntN(len(parts))])
		}
		if name := b.String(); maybeGenericFile(name) != old(name) {
			t.Fatalf("maybeGenericFile(%q) = %v, want %v", name, !old(name), old(name))
		}
	}
}

// TestHCLSuggestion: .hcl is Terraform's language and also Packer's,
// Terragrunt's, Nomad's and Vault's; only Terraform has a provider "aws"
// block to take the keys out of.
func TestHCLSuggestion(t *testing.T) {
	for _, tc := range []struct{ name, want, not string }{
		{"main.tf", `provider "aws"`, ""},
		{"prod.tfvars", `provider "aws"`, ""},
		{"live/terragrunt.hcl", `provider "aws"`, ""},
		{"ami.pkr.hcl", "Packer's amazon plugin", `provider "aws"`},
		{"vars.pkrvars.hcl", "Packer's amazon plugin", `provider "aws"`},
		{"jobs/app.nomad.hcl", "Nomad job", `provider "aws"`},
		{"vault/config.hcl", "HCL file", `provider "aws"`},
		{"images.zip!build/ami.pkr.hcl", "Packer", `provider "aws"`},
	} {
		s := Suggestion(tc.name, rules.SecretAccessKey, "")
		if !strings.Contains(s, tc.want) || tc.not != "" && strings.Contains(s, tc.not) {
			t.Errorf("%s: %q", tc.name, s)
		}
	}
}

// TestPlainNameCopiesAndTemplates is qa18 M2: a package manager's copy, a
// numbered copy, an Emacs auto-save, a template and a rotated copy are
// named after the file they hold; a template's suffix after a name without
// an extension of its own, and digits after one, are the name.
func TestPlainNameCopiesAndTemplates(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"roles/app/templates/settings.py.j2", "roles/app/templates/settings.py"},
		{"settings.py.J2", "settings.py"},
		{"settings.py.jinja2", "settings.py"},
		{"config.py.in", "config.py"},
		{"config/database.yml.erb", "config/database.yml"},
		{"app/settings.py.tpl.bak", "app/settings.py"},
		{"settings.py.~1~", "settings.py"},
		{"settings.py.~12~", "settings.py"},
		{"etc/app.conf.dpkg-old", "etc/app.conf"},
		{"app.conf.dpkg-dist", "app.conf"},
		{"app.conf.rpmnew", "app.conf"},
		{"app.conf.RPMSAVE", "app.conf"},
		{"app.conf.pacnew", "app.conf"},
		{"dir/#settings.py#", "dir/settings.py"},
		{"settings.py.20240101", "settings.py"},
		{"app.log.1", "app.log"},
		{".env.example", ".env.example"}, // a dotfile: ClassifyFile reads .env.* as .env
		{"phpunit.xml.dist", "phpunit.xml"},
		{"Makefile.in", "Makefile.in"},
		{"header.tpl", "header.tpl"},
		{"app.erb", "app.erb"},
		{"python3.11", "python3.11"},
		{"v1.2", "v1.2"},
		{"#", "#"},
		{"##", "##"},
		{"a.~~", "a."},
		{"stack.template", "stack.template"},
	} {
		if got := PlainName(tc.name); got != tc.want {
			t.Errorf("PlainName(%q) = %q, want %q", tc.name, got, tc.want)
		}
		if !backupSuffixed(tc.name) && PlainName(tc.name) != tc.name {
			t.Errorf("backupSuffixed(%q) = false, but PlainName trims it", tc.name)
		}
	}
}
