package fix

import "testing"

// TestCodeReferencesStaticReads checks qa27 M2's Go and Node cases: a
// read with no default whose value goes straight into static credentials
// holds the variable (Static), where the same read used elsewhere, or a
// variable assigned twice, does not.
func TestCodeReferencesStaticReads(t *testing.T) {
	defs := []Definition{{Kind: ProgramEnv, Name: "UPLOAD_KEY_ID"}}
	x := NewCodeIndex(defs)
	for name, c := range map[string]struct {
		text string
		line int
	}{
		"a.go":  {"var p = credentials.NewStaticCredentialsProvider(os.Getenv(\"UPLOAD_KEY_ID\"), os.Getenv(\"S\"), \"\")\n", 1},
		"b.go":  {"func f() {\n\tid := os.Getenv(\"UPLOAD_KEY_ID\")\n\tp := credentials.NewStaticCredentialsProvider(\n\t\tid,\n\t\tsecret, \"\")\n}\n", 2},
		"c.go":  {"id, _ := os.LookupEnv(\"UPLOAD_KEY_ID\")\nc := credentials.NewStaticCredentials(id, s, \"\")\n", 1},
		"d.go":  {"var id string = os.Getenv(\"UPLOAD_KEY_ID\")\n\nvar c = credentials.NewStaticCredentials(id, s, \"\")\n", 1},
		"a.js":  {"const s3 = new S3Client({ credentials: { accessKeyId: process.env.UPLOAD_KEY_ID, secretAccessKey: process.env.S } });\n", 1},
		"b.ts":  {"const s3 = new S3Client({\n  credentials: {\n    accessKeyId: process.env[\"UPLOAD_KEY_ID\"]!,\n    secretAccessKey: s,\n  },\n});\n", 3},
		"c.js":  {"const id = process.env.UPLOAD_KEY_ID;\nnew S3Client({ credentials: { accessKeyId: id, secretAccessKey: s } });\n", 1},
		"d.mjs": {"const { UPLOAD_KEY_ID: accessKeyId, S: secretAccessKey } = process.env;\nnew S3Client({ credentials: { accessKeyId, secretAccessKey } });\n", 1},
		"e.js":  {"AWS.config.credentials = new AWS.Credentials(process.env.UPLOAD_KEY_ID, process.env.S);\n", 1},
		"f.ts":  {"const { UPLOAD_KEY_ID } = process.env;\nnew S3({ accessKeyId: UPLOAD_KEY_ID as string, secretAccessKey: s });\n", 1},
	} {
		refs := x.References(name, []byte(c.text), func(int) bool { return true })
		if len(refs) != 1 || !refs[0].Code || !refs[0].Static || refs[0].Line != c.line {
			t.Errorf("%s %q: %+v, want one static read at line %d", name, c.text, refs, c.line)
		}
	}
	for name, text := range map[string]string{
		"a.go": "id := os.Getenv(\"UPLOAD_KEY_ID\")\nlog.Print(id)\ncfg, _ := config.LoadDefaultConfig(ctx)\n",
		"b.go": "id := os.Getenv(\"UPLOAD_KEY_ID\")\nif id == \"\" {\n\tid = \"x\"\n}\nc := credentials.NewStaticCredentialsProvider(id, s, \"\")\n",
		"c.go": "c := credentials.NewStaticCredentialsProvider(cfg.ID, s, \"\")\nx := os.Getenv(\"UPLOAD_KEY_ID\")\n",
		"a.js": "const bucket = process.env.UPLOAD_KEY_ID;\nnew S3Client({ region: bucket });\n",
		"b.js": "let id = process.env.UPLOAD_KEY_ID;\nid = id.trim();\nnew S3Client({ credentials: { accessKeyId: id, secretAccessKey: s } });\n",
		"a.py": "s3 = boto3.client('s3', aws_access_key_id=os.getenv('UPLOAD_KEY_ID'))\n",
		"b.py": "s3 = boto3.client('s3', aws_access_key_id=os.environ.get('UPLOAD_KEY_ID'))\n",
		"c.js": "new S3Client({ credentials: fromEnv() }); console.log(process.env.UPLOAD_KEY_ID);\n",
		"d.go": "// NewStaticCredentialsProvider is not used\nvar region = os.Getenv(\"UPLOAD_KEY_ID\")\n",
	} {
		if refs := x.References(name, []byte(text), func(int) bool { return true }); len(refs) > 0 {
			t.Errorf("%s %q: %+v, want none", name, text, refs)
		}
	}
}

// FuzzStaticEnvReads checks that staticEnvReads never panics and every
// read it gives lies inside the text.
func FuzzStaticEnvReads(f *testing.F) {
	f.Add("a.go", "id := os.Getenv(\"X\")\nNewStaticCredentialsProvider(id, os.Getenv(\"Y\"), \"\")")
	f.Add("a.js", "const { X: a } = process.env; new S3Client({credentials: {accessKeyId: a, secretAccessKey: process.env.Y}})")
	f.Add("a.js", "new AWS.Credentials(process.env[\"X\"]")
	f.Add("a.go", "NewStaticCredentials(")
	f.Fuzz(func(t *testing.T, name, text string) {
		for _, r := range staticEnvReads(name, text) {
			if r.off < 0 || r.off > len(text) || r.name == "" {
				t.Fatalf("%+v", r)
			}
		}
	})
}
