package scanner_test

import (
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestSecretHandedOnByReference is qa18 M10: a secret kept under a neutral
// name and handed to AWS's name by reference ($NAME, "${NAME}",
// ${NAME:-}) is found wherever the shell's words assign it: a .env written
// to be sourced (export), a direnv .envrc, a script (also thirty lines
// away), a Dockerfile's ENV and ARG. A reference to another name, a value
// made of more than the reference, or another system's keyword is not.
func TestSecretHandedOnByReference(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 4; seed++ {
		secret := fakekey.New(18100 + seed).Secret()
		far := strings.Repeat("export OTHER_SETTING=value\n", 30)
		for _, tc := range []struct{ file, text string }{
			{"export.env", "export PROD_TOKEN=" + secret + "\nexport AWS_SECRET_ACCESS_KEY=${PROD_TOKEN}\n"},
			{"rc/.envrc", "export PROD_TOKEN=" + secret + "\nexport AWS_SECRET_ACCESS_KEY=$PROD_TOKEN\n"},
			{"run.sh", "#!/bin/sh\nPROD_TOKEN=" + secret + "\n" + far + "export AWS_SECRET_ACCESS_KEY=\"${PROD_TOKEN}\"\nexec ./app\n"},
			{"deploy.sh", "readonly PROD_TOKEN='" + secret + "'\nexport AWS_SECRET_ACCESS_KEY=\"${PROD_TOKEN:-}\"\n"},
			{"img/Dockerfile", "FROM alpine\nENV PROD_TOKEN=" + secret + "\nENV AWS_SECRET_ACCESS_KEY=${PROD_TOKEN}\n"},
			{"img2/Dockerfile", "FROM alpine\nARG PROD_TOKEN=" + secret + "\nENV AWS_SECRET_ACCESS_KEY $PROD_TOKEN\n"},
			// a command's argument, the same line, make, batch, PowerShell,
			// SQL variables, a pipe (notation25)
			{"conf.sh", "S=" + secret + "; aws configure set aws_secret_access_key \"$S\" --profile prod\n"},
			{"conf2.sh", "S='" + secret + "'\naws configure set aws_secret_access_key ${S}\n"},
			{"Makefile", "TOKEN := " + secret + "\ndeploy:\n\tAWS_SECRET_ACCESS_KEY=$(TOKEN) ./deploy.sh\n"},
			{"vars.mk", "TOKEN ?= " + secret + "\nexport AWS_SECRET_ACCESS_KEY ?= ${TOKEN}\n"},
			{"env.bat", "@echo off\r\nset TOKEN=" + secret + "\r\nset AWS_SECRET_ACCESS_KEY=%TOKEN%\r\n"},
			{"env.cmd", "set \"TOKEN=" + secret + "\"\r\nsetx AWS_SECRET_ACCESS_KEY \"%TOKEN%\"\r\n"},
			{"env.ps1", "$tok = '" + secret + "'\n$env:AWS_SECRET_ACCESS_KEY = $tok\n"},
			{"env2.ps1", "$tok=\"" + secret + "\"\n[Environment]::SetEnvironmentVariable(\"AWS_SECRET_ACCESS_KEY\", $tok, \"User\")\n"},
			{"seed.sql", "SET @s = '" + secret + "';\nUPDATE creds SET aws_secret_access_key = @s WHERE id = 1;\n"},
			{"seed2.sql", "DECLARE @s NVARCHAR(40) = N'" + secret + "';\nUPDATE creds SET aws_secret_access_key = @s;\n"},
			{"pipe.sh", "V=\"" + secret + "\"; echo \"$V\" | docker secret create aws_secret_access_key -\n"},
			{"pipe2.sh", "V=" + secret + "\nprintf %s \"${V}\" > /run/secrets/aws_secret_access_key\n"},
			// a column list's row item, psql's \set, read's here-string (enc26)
			{"seed3.sql", "DECLARE @s NVARCHAR(40) = N'" + secret + "';\nINSERT INTO creds (id, aws_secret_access_key) VALUES (1, @s);\n"},
			{"seed4.sql", "SET @s := '" + secret + "';\nINSERT INTO creds (id, aws_secret_access_key)\n  VALUES (1, @s), (2, @s);\n"},
			{"seed5.sql", "DECLARE @s NVARCHAR(40) = N'" + secret + "';\nINSERT INTO [dbo].[creds] ([id], [aws_secret_access_key]) SELECT 1, @s;\n"},
			{"seed.psql", "\\set s '" + secret + "'\nINSERT INTO creds (id, aws_secret_access_key) VALUES (1, :'s');\n"},
			{"seed6.sql", "\\set tok " + secret + "\nselect 1;\nUPDATE creds SET aws_secret_access_key = :'tok' WHERE id = 1;\n"},
			{"read.sh", "read -r tok <<< \"" + secret + "\"\nexport AWS_SECRET_ACCESS_KEY=\"$tok\"\n"},
			{"read2.sh", "IFS= read -r tok <<< '" + secret + "'\naws configure set aws_secret_access_key \"$tok\"\n"},
			{"read3.sh", "read -r -d '' tok <<'EOF'\n" + secret + "\nEOF\nexport AWS_SECRET_ACCESS_KEY=\"$tok\"\n"},
			{"cat.sh", "tok=\"$(cat <<-EOF\n\t" + secret + "\n\tEOF\n)\"\nexport AWS_SECRET_ACCESS_KEY=\"$tok\"\n"},
			// T-SQL's SELECT @s =, PowerShell's ConvertTo-SecureString,
			// bash's printf -v (qa22 M5)
			{"proc.sql", "DECLARE @s VARCHAR(40);\nSELECT @s = '" + secret + "';\nINSERT INTO creds (aws_secret_access_key) VALUES (@s);\n"},
			{"proc2.sql", "declare @s varchar(40)\nselect @s = N'" + secret + "'\nupdate creds set aws_secret_access_key = @s\n"},
			{"cred.ps1", "$sk = ConvertTo-SecureString \"" + secret + "\" -AsPlainText -Force\nSet-AWSCredential -AccessKey $id -SecretKey $sk\n"},
			{"cred2.ps1", "$sk = convertto-securestring -String '" + secret + "' -AsPlainText -Force\n$env:AWS_SECRET_ACCESS_KEY = $sk\n"},
			{"printf.sh", "printf -v SK \"%s\" \"" + secret + "\"\nexport AWS_SECRET_ACCESS_KEY=$SK\n"},
			{"printf2.sh", "printf -v SK '" + secret + "'\naws configure set aws_secret_access_key \"$SK\"\n"},
			// MySQL's SELECT … INTO @name (qa22 M5, sqlinto.go)
			{"into.sql", "SELECT '" + secret + "' INTO @s;\nUPDATE creds SET aws_secret_access_key = @s WHERE id = 1;\n"},
			{"into2.sql", "SELECT '" + secret + "' INTO @s;\nINSERT INTO creds (user, aws_secret_access_key) VALUES ('ci', @s);\n"},
			{"into3.sql", "SELECT 'ci', \"" + secret + "\" INTO @u, @s FROM DUAL;\nUPDATE creds SET aws_secret_access_key = @s WHERE user = @u;\n"},
			{"into4.sql", "select 'a,b', N'" + secret + "' into @u,@s;\nupdate creds set aws_secret_access_key=@s;\n"},
		} {
			if fs := sc.Scan(tc.file, []byte(tc.text)); !hasSecret(fs, secret) {
				t.Errorf("seed %d: %s %q: %v, want the secret", seed, tc.file, tc.text, summarize(fs))
			}
		}
		for _, tc := range []struct{ file, text string }{
			{"a.sh", "PROD_TOKEN=" + secret + "\n" + far + "export AWS_SECRET_ACCESS_KEY=$PROD_TOKEN_OLD\n"},
			{"b.sh", "PROD_TOKEN=" + secret + "\n" + far + "export JWT_SECRET=$PROD_TOKEN\n"},
			{"c.sh", "PROD_TOKEN=" + secret + "\n" + far + "export AWS_SECRET_ACCESS_KEY=\"prefix-${PROD_TOKEN}\"\n"},
			{"d.sh", "echo PROD_TOKEN=" + secret + "\n" + far + "export AWS_SECRET_ACCESS_KEY=$PROD_TOKEN\n"},
			{"e.sh", "S=" + secret + "; aws configure set aws_secret_access_key \"$S/x\"\n"},
			{"f.sh", "S=" + secret + "; aws configure set aws_secret_access_key \"$S $T\"\n"},
			{"g.ps1", "$tok = '" + secret + "'\n$env:AWS_SECRET_ACCESS_KEY = $other\n"},
			{"h.bat", "set TOKEN=" + secret + "\r\nset AWS_SECRET_ACCESS_KEY=%TOKEN2%\r\n"},
			{"i.sh", "V=" + secret + "; echo \"$V\" | docker secret create stripe_key -\n"},
			{"j.sql", "SET @s = '" + secret + "';\nUPDATE creds SET aws_secret_access_key = @s2;\n"},
			{"k.sh", "echo $tok " + secret + "\nexport AWS_SECRET_ACCESS_KEY=$tok\n"},
			{"l.sql", "SET @s = '" + secret + "';\nINSERT INTO creds (id, note) VALUES (1, @s);\n"},
			{"m.sql", "SET @t = '" + secret + "';\nINSERT INTO creds (id, aws_secret_access_key) VALUES (1, @s);\n"},
			{"n.sql", "SET @s = '" + secret + "';\nINSERT INTO creds (aws_secret_access_key, id) VALUES (@s + 'x', 1);\n"},
			{"o.sh", "read -r tok <<< \"" + secret + "\"\nexport OTHER=\"$tok\"\n"},
			{"p.sh", "read -r tok < file\necho " + secret + "\nexport AWS_SECRET_ACCESS_KEY=\"$tok\"\n"},
			{"q.sh", "read -r tok <<EOF | tee x\n" + secret + "\nEOF\nexport AWS_SECRET_ACCESS_KEY=\"$tok\"\n"},
			{"r.sql", "SELECT @s = '" + secret + "';\nINSERT INTO creds (aws_secret_access_key) VALUES (@t);\n"},
			{"s.sh", "printf SK \"%s\" \"" + secret + "\"\nexport AWS_SECRET_ACCESS_KEY=$SK\n"},
			{"t.sql", "SELECT '" + secret + "' INTO @s;\nUPDATE creds SET notes = @s;\n"},
			{"u.sql", "SELECT '" + secret + "', 'ci' INTO @s, @u;\nUPDATE creds SET aws_secret_access_key = @u;\n"},
			{"v.sql", "SELECT '" + secret + "' INTO @t;\nUPDATE creds SET aws_secret_access_key = @s;\n"},
			{"w.sql", "SELECT CONCAT('" + secret + "', 'x') INTO @s;\nUPDATE creds SET aws_secret_access_key = @s;\n"},
			{"x.sql", "SELECT '" + secret + "' AS k, @s;\nUPDATE creds SET aws_secret_access_key = @s;\n"},
		} {
			if fs := sc.Scan(tc.file, []byte(tc.text)); hasSecret(fs, secret) {
				t.Errorf("seed %d: %s %q: %v, want no secret", seed, tc.file, tc.text, summarize(fs))
			}
		}
	}
}
