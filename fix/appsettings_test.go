package fix

import (
	"strings"
	"testing"
)

// FuzzCodeReferences feeds CodeIndex.References any source text, under
// each kind of file name it reads: it must not panic, and every reference
// names a definition asked about and a line of the text.
func FuzzCodeReferences(f *testing.F) {
	f.Add("@Value(\"${aws.accessKey}\")\nString k;\n", "A.java")
	f.Add("x = os.environ[\"AWS_ACCESS_KEY_ID\"]\ny = env.str('AWS_SECRET_ACCESS_KEY')\n", "settings.py")
	f.Add("ENV.fetch(\"AWS_ACCESS_KEY_ID\") { nil }\nENV.fetch('AWS_SECRET_ACCESS_KEY')", "init.rb")
	f.Add("config.get('aws.accessKeyId'); const c = config.aws;", "app.js")
	f.Add("Configuration[\"AWS:AccessKey\"]; GetSection(\"AWS\")", "Program.cs")
	f.Add("k: ${aws.secret-key:x}\n", "application.yml")
	f.Add("class S(BaseSettings):\n    aws_access_key_id: str\n", "settings.py")
	f.Add("cleanEnv(process.env, { AWS_ACCESS_KEY_ID: str() }); z.object({ AWS_SECRET_ACCESS_KEY: z.string().min(4) })", "env.ts")
	f.Add("type C struct { K string `envconfig:\"AWS_ACCESS_KEY_ID\" required:\"true\"` }", "c.go")
	f.Add("cfg[\"aws\"][\"accessKey\"]; cfg.get(\"aws\", {}).get(\"SecretKey\")", "a.py")
	defs := []Definition{
		{Kind: AppSetting, Name: "aws.accessKey"}, {Kind: AppSetting, Name: "AWS.SecretKey"}, {Kind: AppSetting, Name: "aws.accessKeyId"},
		{Kind: EnvVar, Name: "AWS_ACCESS_KEY_ID"}, {Kind: EnvVar, Name: "AWS_SECRET_ACCESS_KEY"}, {Kind: SecretKey, Name: "x"},
	}
	x := NewCodeIndex(defs)
	f.Fuzz(func(t *testing.T, text, name string) {
		lines := strings.Count(text, "\n") + 1
		for _, r := range x.References(name, []byte(text), func(int) bool { return true }) {
			if r.Def < 0 || r.Def >= len(defs) || defs[r.Def].Kind == SecretKey || r.Line < 1 || r.Line > lines {
				t.Fatalf("reference %+v of %q", r, text)
			}
		}
	})
}

// TestCodeReferencesSoftReads checks that the reads with a default, or
// of the environment where a file's setting is asked, are no readers.
func TestCodeReferencesSoftReads(t *testing.T) {
	defs := []Definition{{Kind: AppSetting, Name: "AWS_ACCESS_KEY_ID"}, {Kind: EnvVar, Name: "AWS_SECRET_ACCESS_KEY"}}
	x := NewCodeIndex(defs)
	for name, text := range map[string]string{
		"a.py": "os.environ['AWS_ACCESS_KEY_ID']\nos.getenv('AWS_SECRET_ACCESS_KEY')\nenv('AWS_SECRET_ACCESS_KEY', default=None)\nos.environ.get('AWS_SECRET_ACCESS_KEY', None)\nconfig('AWS_SECRET_ACCESS_KEY', cast=str) or None\n",
		"b.js": "const k = process.env.AWS_SECRET_ACCESS_KEY ?? undefined;\n",
		"a.rb": "ENV.fetch(\"AWS_SECRET_ACCESS_KEY\") { nil }\nENV.fetch(\"AWS_SECRET_ACCESS_KEY\", nil)\nENV[\"AWS_ACCESS_KEY_ID\"]\n",
		"a.js": "process.env[\"AWS_ACCESS_KEY_ID\"]; process.env.AWS_SECRET_ACCESS_KEY;\n",
	} {
		if refs := x.References(name, []byte(text), func(int) bool { return true }); len(refs) > 0 {
			t.Errorf("%s: %+v", name, refs)
		}
	}
}

// TestCodeReferencesDefaultReads checks fix31's rule: a read with a
// default other than nothing builds credentials from the default, and
// holds the variable as a read with no default does, in Python, Ruby and
// JavaScript.
func TestCodeReferencesDefaultReads(t *testing.T) {
	defs := []Definition{{Kind: EnvVar, Name: "UPLOAD_KEY_ID"}}
	x := NewCodeIndex(defs)
	for name, text := range map[string]string{
		"a.py":  "key = os.environ.get(\"UPLOAD_KEY_ID\", \"\")\n",
		"b.py":  "key = os.getenv('UPLOAD_KEY_ID', 'dev-key')\n",
		"c.py":  "key = os.environ.get('UPLOAD_KEY_ID') or ''\n",
		"d.py":  "KEY = env('UPLOAD_KEY_ID', default='')\n",
		"e.py":  "KEY = config('UPLOAD_KEY_ID', default='x', cast=str)\n",
		"a.rb":  "key = ENV.fetch(\"UPLOAD_KEY_ID\", \"\")\n",
		"b.rb":  "key = ENV[\"UPLOAD_KEY_ID\"] || \"dev\"\n",
		"a.js":  "const key = process.env.UPLOAD_KEY_ID || '';\n",
		"b.ts":  "const key = process.env['UPLOAD_KEY_ID'] ?? 'dev';\n",
		"c.mjs": "new S3Client({ credentials: { accessKeyId: process.env.UPLOAD_KEY_ID || \"\" } })\n",
	} {
		refs := x.References(name, []byte(text), func(int) bool { return true })
		if len(refs) != 1 || !refs[0].Code || !refs[0].Default || refs[0].Line != 1 {
			t.Errorf("%s %q: %+v, want one read with a default", name, text, refs)
		}
	}
}
