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
		// qa29 M2: the other languages' static credentials and Deno's, Bun's reads
		"g.ts":       {"const s3 = new S3Client({ credentials: { accessKeyId: Deno.env.get(\"UPLOAD_KEY_ID\")!, secretAccessKey: s } });\n", 1},
		"h.ts":       {"const id = Deno.env.get('UPLOAD_KEY_ID')!;\nnew S3Client({ credentials: { accessKeyId: id, secretAccessKey: s } });\n", 1},
		"i.ts":       {"new S3Client({ credentials: { accessKeyId: Bun.env.UPLOAD_KEY_ID, secretAccessKey: s } });\n", 1},
		"App.java":   {"class App {\n  void f() {\n    var c = AwsBasicCredentials.create(System.getenv(\"UPLOAD_KEY_ID\"), System.getenv(\"S\"));\n  }\n}\n", 3},
		"B.java":     {"String id = System.getenv(\"UPLOAD_KEY_ID\");\nAWSCredentials c = new BasicAWSCredentials(id, s);\n", 1},
		"C.kt":       {"val id: String? = System.getenv(\"UPLOAD_KEY_ID\")\nval c = AwsBasicCredentials.create(id, s)\n", 1},
		"Program.cs": {"var creds = new BasicAWSCredentials(\n    Environment.GetEnvironmentVariable(\"UPLOAD_KEY_ID\"), s);\n", 2},
		"s3.rb":      {"creds = Aws::Credentials.new(ENV[\"UPLOAD_KEY_ID\"], ENV[\"S\"])\n", 1},
		"s3.php":     {"<?php\n$s3 = new S3Client([\n  'region' => 'us-east-1',\n  'credentials' => [\n    'key' => getenv('UPLOAD_KEY_ID'),\n    'secret' => $s,\n  ],\n]);\n", 5},
		"t.php":      {"<?php\n$id = $_ENV['UPLOAD_KEY_ID'];\n$c = new Credentials($id, $s);\n", 2},
		"main.rs":    {"let creds = Credentials::new(std::env::var(\"UPLOAD_KEY_ID\").unwrap_or_default(), s, None, None, \"env\");\n", 1},
		"lib.rs":     {"let id = env::var(\"UPLOAD_KEY_ID\").unwrap_or_default();\nlet c = Credentials::from_keys(id, s, None);\n", 1},
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
		// soft reads that reach no static credentials: the SDKs' chains go on
		"D.java": "String bucket = System.getenv(\"UPLOAD_KEY_ID\");\nS3Client s3 = S3Client.create();\n",
		"b.rb":   "s3 = Aws::S3::Client.new(access_key_id: ENV[\"UPLOAD_KEY_ID\"])\n",
		"b.php":  "<?php\n$bucket = getenv('UPLOAD_KEY_ID');\n$s3 = new S3Client(['region' => 'us-east-1']);\n",
		"b.rs":   "let v = env::var(\"UPLOAD_KEY_ID\").ok();\n",
		"b.cs":   "var bucket = Environment.GetEnvironmentVariable(\"UPLOAD_KEY_ID\");\n",
		"b.ex":   "config :ex_aws, access_key_id: [{:system, \"UPLOAD_KEY_ID\"}, :instance_role]\n",
		"j.ts":   "const bucket = Deno.env.get(\"UPLOAD_KEY_ID\");\n",
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

// TestCodeReferencesHardReads: reads that fail at start when the variable
// is missing, in Elixir, Rust, Kotlin, Scala, Java and C# (qa29 M2), hold
// it wherever they go.
func TestCodeReferencesHardReads(t *testing.T) {
	x := NewCodeIndex([]Definition{{Kind: ProgramEnv, Name: "UPLOAD_KEY_ID"}})
	for name, text := range map[string]string{
		"runtime.exs": "config :ex_aws,\n  access_key_id: System.fetch_env!(\"UPLOAD_KEY_ID\")\n",
		"main.rs":     "let id = std::env::var(\"UPLOAD_KEY_ID\").expect(\"UPLOAD_KEY_ID\");\n",
		"b.rs":        "let id = env::var(\"UPLOAD_KEY_ID\")?;\n",
		"c.rs":        "const ID: &str = env!(\"UPLOAD_KEY_ID\");\n",
		"A.kt":        "val id = System.getenv(\"UPLOAD_KEY_ID\")!!\n",
		"A.scala":     "val id = sys.env(\"UPLOAD_KEY_ID\")\n",
		"A.java":      "String id = Objects.requireNonNull(System.getenv(\"UPLOAD_KEY_ID\"));\n",
		"A.cs":        "var id = Environment.GetEnvironmentVariable(\"UPLOAD_KEY_ID\") ?? throw new Exception(\"x\");\n",
	} {
		refs := x.References(name, []byte(text), func(int) bool { return true })
		if len(refs) != 1 || !refs[0].Code || refs[0].Static || refs[0].Line != 1 && name != "runtime.exs" {
			t.Errorf("%s %q: %+v, want one hard read", name, text, refs)
		}
	}
	for name, text := range map[string]string{
		"b.exs":   "id = System.get_env(\"UPLOAD_KEY_ID\")\n",
		"d.rs":    "let id = env::var(\"UPLOAD_KEY_ID\").unwrap_or_default();\n",
		"B.scala": "val id = sys.env.get(\"UPLOAD_KEY_ID\")\n",
		"B.kt":    "val id = System.getenv(\"UPLOAD_KEY_ID\") ?: \"\"\n",
	} {
		if refs := x.References(name, []byte(text), func(int) bool { return true }); len(refs) > 0 {
			t.Errorf("%s %q: %+v, want none", name, text, refs)
		}
	}
}
