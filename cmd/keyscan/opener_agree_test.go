package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// openerCorpus is a folder of files that each hold a secret alone (no key
// ID in any file): on the first line of a multi-line literal whose opener
// ends its name's line (heredocs, block strings, raw strings inside a
// call: qa29 H1), or split over a join of R's or Rust's that a split key
// ID no longer has to stand beside (qa29 H2). Every file has a secret of
// its own seed.
func openerCorpus() map[string]string {
	seed := uint64(2900)
	files := map[string]string{}
	add := func(name, format string) {
		seed++
		s := fakekey.New(seed).Secret()
		files[name] = strings.NewReplacer("<S>", s, "<C>", s[:20], "<D>", s[20:]).Replace(format)
	}
	add("infra/main.tf", "locals {\n  aws_secret_access_key = <<-EOT\n    <S>\n  EOT\n}\n")
	add("infra/variables.tf", "variable \"aws_secret_access_key\" {\n  default = <<EOT\n<S>\nEOT\n}\n")
	add("app/config.rb", "AWS_SECRET_ACCESS_KEY = <<~EOS.strip\n  <S>\nEOS\n")
	add("web/config.php", "<?php\n$aws_secret_access_key = <<<'EOT'\n<S>\nEOT;\n")
	add("bin/deploy.sh", "export AWS_SECRET_ACCESS_KEY=\"$(cat <<'EOF'\n<S>\nEOF\n)\"\n")
	add("bin/upload.pl", "my $aws_secret_access_key = <<\"EOT\";\n<S>\nEOT\n")
	add("pkg/creds/creds.go", "package creds\n\nimport \"strings\"\n\nvar awsSecretAccessKey = strings.TrimSpace(`\n<S>\n`)\n")
	add("tools/settings.py", "AWS_SECRET_ACCESS_KEY = textwrap.dedent(\"\"\"\\\n    <S>\n\"\"\").strip()\n")
	add("web/config.js", "const awsSecretAccessKey = String.raw`\n<S>\n`.trim();\n")
	add("ci/Jenkinsfile", "def awsSecretAccessKey = $/<S>/$\n")
	add("native/creds.cpp", "const char* aws_secret_access_key = R\"key(\n<S>\n)key\";\n")
	add("r/upload.R", "Sys.setenv(AWS_SECRET_ACCESS_KEY = paste0(\"<C>\", \"<D>\"))\n")
	add("r/str_c.R", "aws_secret_access_key <- stringr::str_c(\"<C>\", \"<D>\")\n")
	add("r/report.Rmd", "```{r}\naws_secret_access_key <- paste(\"<C>\", \"<D>\", sep = \"\")\n```\n")
	add("rust/src/main.rs", "const AWS_SECRET_ACCESS_KEY: &str = concat!(\"<C>\", \"<D>\");\n")
	return files
}

// TestOpenersAgreeAcrossCommands: scan, staged and history find the same
// secrets in openerCorpus, one in every file, and pre-receive refuses a
// push of it naming every file (qa29 H1, H2: all of them missed each).
func TestOpenersAgreeAcrossCommands(t *testing.T) {
	corpus := openerCorpus()
	scan, history, staged := runCorpus(t, corpus, nil)
	want := findingsOf(t, "scan", scan)
	var where []string // file:line of each finding, as the refusal names it
	for name := range corpus {
		n := 0
		for _, f := range want {
			if strings.HasPrefix(f, name+":") {
				n++
				where = append(where, f[:strings.IndexByte(f, ' ')])
			}
		}
		if n != 1 {
			t.Errorf("scan: %d findings in %s, want its secret", n, name)
		}
	}
	for what, r := range map[string]cmdResult{"history": history, "staged": staged} {
		if got := findingsOf(t, what, r); !slices.Equal(got, want) {
			t.Errorf("%s finds\n\t%s\nscan finds\n\t%s", what, strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
		}
	}

	s := newServer(t)
	for name, text := range corpus {
		writeRepoFile(t, s.clone, name, text)
	}
	gitOK(t, s.clone, "add", "-A")
	gitOK(t, s.clone, "commit", "-q", "-m", "secrets")
	var wants []string
	for _, w := range where {
		file, line, _ := strings.Cut(w, ":")
		line, _, _ = strings.Cut(line, ":")
		wants = append(wants, fmt.Sprintf("%s:%s", file, line))
	}
	s.mustRefuse(wants, "origin", "main")
}
