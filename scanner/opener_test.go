package scanner_test

import (
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// openerShape is a file whose name stands on the line that opens a
// multi-line literal, the value (<S>) on the next line.
type openerShape struct{ name, file, text string }

// openerShapes are the multi-line literals of the languages keyscan reads
// whose opener ends the name's line (qa29 H1): heredocs, block strings,
// raw and template strings, alone or inside a call.
var openerShapes = []openerShape{
	{"hcl <<-", "main.tf", "locals {\n  aws_secret_access_key = <<-EOT\n    <S>\n  EOT\n}\n"},
	{"hcl <<", "main.tf", "locals {\n  aws_secret_access_key = <<EOT\n<S>\nEOT\n}\n"},
	{"hcl trimspace", "main.tf", "locals {\n  aws_secret_access_key = trimspace(<<-EOT\n    <S>\n  EOT\n  )\n}\n"},
	{"hcl default", "variables.tf", "variable \"aws_secret_access_key\" {\n  type    = string\n  default = <<-EOT\n    <S>\n  EOT\n}\n"},
	{"ruby <<~", "app.rb", "AWS_SECRET_ACCESS_KEY = <<~EOS\n  <S>\nEOS\n"},
	{"ruby <<~.strip", "app.rb", "AWS_SECRET_ACCESS_KEY = <<~EOS.strip\n  <S>\nEOS\n"},
	{"ruby <<-'' .chomp", "app.rb", "ENV['AWS_SECRET_ACCESS_KEY'] = <<-'EOS'.chomp\n  <S>\n  EOS\n"},
	{"ruby %q{", "app.rb", "AWS_SECRET_ACCESS_KEY = %q{\n  <S>\n}.strip\n"},
	{"ruby %(", "app.rb", "AWS_SECRET_ACCESS_KEY = %(\n  <S>\n).strip\n"},
	{"php heredoc", "app.php", "<?php\n$aws_secret_access_key = <<<EOT\n<S>\nEOT;\n"},
	{"php nowdoc", "app.php", "<?php\n$aws_secret_access_key = <<<'EOT'\n<S>\nEOT;\n"},
	{"php quoted", "app.php", "<?php\n$aws_secret_access_key = <<<\"EOT\"\n<S>\nEOT;\n"},
	{"php trim", "app.php", "<?php\n$aws_secret_access_key = trim(<<<EOT\n    <S>\n    EOT);\n"},
	{"sh $(cat <<", "run.sh", "AWS_SECRET_ACCESS_KEY=$(cat <<EOF\n<S>\nEOF\n)\n"},
	{"sh \"$(cat <<''", "run.sh", "export AWS_SECRET_ACCESS_KEY=\"$(cat <<'EOF'\n<S>\nEOF\n)\"\n"},
	{"sh <<-", "run.sh", "AWS_SECRET_ACCESS_KEY=$(cat <<-EOF\n\t<S>\n\tEOF\n)\n"},
	{"sh <<\\", "run.sh", "AWS_SECRET_ACCESS_KEY=$(cat << \\EOF\n<S>\nEOF\n)\n"},
	{"perl <<\"\";", "app.pl", "my $aws_secret_access_key = <<\"EOT\";\n<S>\nEOT\n"},
	{"perl <<;", "app.pl", "my $aws_secret_access_key = <<EOT;\n<S>\nEOT\n"},
	{"perl <<~''", "app.pl", "my $aws_secret_access_key = <<~'EOT';\n    <S>\n    EOT\n"},
	{"perl q{", "app.pl", "my $aws_secret_access_key = q{\n<S>\n};\n"},
	{"perl qq(", "app.pl", "my $aws_secret_access_key = qq(\n<S>\n);\n"},
	{"python dedent", "a.py", "AWS_SECRET_ACCESS_KEY = textwrap.dedent(\"\"\"\n    <S>\n\"\"\").strip()\n"},
	{"python dedent \\", "a.py", "AWS_SECRET_ACCESS_KEY = textwrap.dedent(\"\"\"\\\n    <S>\n\"\"\").strip()\n"},
	{"python r\"\"\"", "a.py", "AWS_SECRET_ACCESS_KEY = r\"\"\"\n<S>\n\"\"\"\n"},
	{"python dict", "a.py", "cfg = {\n    \"aws_secret_access_key\": dedent(\"\"\"\n        <S>\n    \"\"\"),\n}\n"},
	{"python environ", "a.py", "os.environ[\"AWS_SECRET_ACCESS_KEY\"] = textwrap.dedent('''\n    <S>\n''').strip()\n"},
	{"go TrimSpace", "a.go", "package a\n\nimport \"strings\"\n\nvar awsSecretAccessKey = strings.TrimSpace(`\n<S>\n`)\n"},
	{"go Setenv", "a.go", "package a\n\nfunc f() {\n\tos.Setenv(\"AWS_SECRET_ACCESS_KEY\", strings.TrimSpace(`\n<S>\n`))\n}\n"},
	{"js String.raw", "a.js", "const awsSecretAccessKey = String.raw`\n<S>\n`.trim();\n"},
	{"js dedent(", "a.js", "const awsSecretAccessKey = dedent(`\n  <S>\n`);\n"},
	{"js tag", "a.ts", "const awsSecretAccessKey = dedent`\n  <S>\n`;\n"},
	{"scala s\"\"\"", "a.scala", "val awsSecretAccessKey = s\"\"\"\n  <S>\n\"\"\".stripMargin\n"},
	{"elixir ~S\"\"\"", "config.exs", "aws_secret_access_key = ~S\"\"\"\n<S>\n\"\"\"\n"},
	{"dart r'''", "a.dart", "final awsSecretAccessKey = r'''\n<S>\n''';\n"},
	{"julia raw\"\"\"", "a.jl", "aws_secret_access_key = raw\"\"\"\n<S>\n\"\"\"\n"},
	{"c++ R\"(", "a.cpp", "const char* aws_secret_access_key = R\"(\n<S>\n)\";\n"},
	{"c++ R\"x(", "a.cc", "const char* aws_secret_access_key = R\"key(\n<S>\n)key\";\n"},
	{"rust r#\"", "a.rs", "const AWS_SECRET_ACCESS_KEY: &str = r#\"\n<S>\n\"#;\n"},
	{"lua [==[", "a.lua", "local aws_secret_access_key = [==[\n<S>\n]==]\n"},
	{"ocaml {id|", "a.ml", "let aws_secret_access_key = {id|\n<S>\n|id}\n"},
	{"haskell [r|", "a.hs", "awsSecretAccessKey = [r|\n<S>\n|]\n"},
	{"groovy /", "a.groovy", "def awsSecretAccessKey = /\n<S>\n/\n"},
	{"groovy $/", "build.gradle", "def awsSecretAccessKey = $/\n<S>\n/$\n"},
	{"groovy /…/", "a.groovy", "def awsSecretAccessKey = /<S>/\n"},
	{"groovy $/…/$", "Jenkinsfile", "def awsSecretAccessKey = $/<S>/$\n"},
	// Not an opener: a parameter expansion's word whose name is one
	// letter, a run of 42 characters as a slashy string is.
	{"groovy ${X+…}", "build.gradle", "env.AWS_SECRET_ACCESS_KEY = \"${X+<S>}\"\n"},
	{"yaml Default: |", "template.yaml", "Parameters:\n  AwsSecretAccessKey:\n    Type: String\n    Default: |\n      <S>\n"},
}

// TestLiteralOpenedAbove: a secret alone (no key ID in its file) whose
// name stands on the line that opens a multi-line literal, the value the
// literal's first line, is reported (qa29 H1: missed where the opener or
// the call around it holds letters).
func TestLiteralOpenedAbove(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 4; seed++ {
		secret := fakekey.New(seed).Secret()
		for _, c := range openerShapes {
			text := strings.Replace(c.text, "<S>", secret, 1)
			if !hasSecret(sc.Scan(c.file, []byte(text)), secret) {
				t.Errorf("seed %d: %s: %s %q: secret not reported", seed, c.name, c.file, text)
			}
		}
	}
}

// TestLiteralOpenedAboveQuiet: what only looks like an opener assigns
// nothing on the next line: a literal the line closes, another name
// assigned after the keyword, a value further down the literal, a shift
// operator, a slashy string outside Groovy, a keyword that a path goes on
// from, a pipe.
func TestLiteralOpenedAboveQuiet(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 4; seed++ {
		secret := fakekey.New(seed).Secret()
		for _, c := range []openerShape{
			{"closed \"\"\"", "a.py", "aws_secret_access_key_doc = \"\"\"the key\"\"\"\n<S>\n"},
			{"closed \"", "a.py", "aws_secret_access_key = \"x\"\n<S>\n"},
			{"other name", "run.sh", "export AWS_SECRET_ACCESS_KEY_FILE=/run/key NOTE=$(cat <<EOF\n<S>\nEOF\n)\n"},
			{"comment first", "main.tf", "locals {\n  aws_secret_access_key_note = trimspace(<<-EOT\n    rotate yearly\n    <S>\n  EOT\n  )\n}\n"},
			{"shift", "a.cpp", "std::cout << aws_secret_access_key_name << std::endl;\n<S>\n"},
			{"slashy in yaml", "a.yaml", "aws_secret_access_key_path: /<S>/\n"},
			{"slashy in a path", "a.groovy", "def awsSecretAccessKeyFile = new File(\"/tmp/<S>/x\")\n"},
			{"path", "entry.sh", "cat > /etc/aws_secret_access_key/stripe_key <<END\n<S>\nEND\n"},
			{"pipe", "run.sh", "echo \"$AWS_SECRET_ACCESS_KEY\" | base64 -d |\n  <S>\n"},
		} {
			text := strings.Replace(c.text, "<S>", secret, 1)
			if hasSecret(sc.Scan(c.file, []byte(text)), secret) {
				t.Errorf("seed %d: %s: %s %q: secret reported, want nothing", seed, c.name, c.file, text)
			}
		}
	}
}
