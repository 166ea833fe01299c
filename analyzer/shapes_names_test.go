package analyzer_test

// The start-environment files go fix reads by the names projects give
// them (qa25 H1, M1, M4): Dockerfile and Containerfile variants by any
// suffix, dotenv files named .env-NAME or .env_NAME, templates of a
// compose file, and make's assignment operators without blanks. Each
// sets AWS_ENDPOINT_URL beside the package and withholds the fix; a
// file of such a name that sets nothing, an example of a dotenv file and
// a document about a Dockerfile keep it.
func init() { shapes = append(shapes, nameShapes()...) }

func nameShapes() []shape {
	const body = `
func client(ctx context.Context) *sts.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return sts.NewFromConfig(cfg)
}`
	imports := []string{ctxPkg, v2cfg, v2creds, v2sts}
	docker := "FROM golang:1.26\nENV AWS_ENDPOINT_URL=http://minio:9000\n"
	withheld := []struct{ shape, file, src string }{
		{"v2_name_dockerfile_dash", "Dockerfile-dev", docker},
		{"v2_name_dockerfile_underscore", "Dockerfile_prod", docker},
		{"v2_name_dockerfile_suffix", "dev.Dockerfile", docker},
		{"v2_name_containerfile_dot", "Containerfile.dev", docker},
		{"v2_name_containerfile_dash", "Containerfile-ci", docker},
		{"v2_name_dockerfile_j2", "Dockerfile.j2", docker},
		{"v2_name_env_dash", ".env-local", "AWS_ENDPOINT_URL=http://localhost:9000\n"},
		{"v2_name_env_underscore", ".env_dev", "AWS_ENDPOINT_URL=http://localhost:9000\n"},
		{"v2_name_compose_j2", "docker-compose.yml.j2", "services:\n  app:\n    environment:\n      AWS_ENDPOINT_URL: http://minio:9000\n"},
		{"v2_name_compose_tmpl", "compose.yaml.tmpl", "services:\n  app:\n    environment:\n      AWS_ENDPOINT_URL: http://minio:9000\n"},
		{"v2_name_make_cond", "Makefile", "export AWS_ENDPOINT_URL?=http://localhost:4566\n\nrun:\n\tgo run .\n"},
		{"v2_name_make_simple", "Makefile", "AWS_ENDPOINT_URL:=http://localhost:4566\n"},
		{"v2_name_make_posix", "Makefile", "AWS_ENDPOINT_URL::=http://localhost:4566\n"},
		{"v2_name_make_append", "Makefile", "AWS_ENDPOINT_URL+=http://localhost:4566\n"},
		{"v2_name_make_shell", "Makefile", "AWS_ENDPOINT_URL!=echo http://localhost:4566\n"},
	}
	var out []shape
	for _, w := range withheld {
		if w.src == "" {
			continue
		}
		out = append(out, shape{name: w.shape, imports: imports, reason: "custom endpoint",
			says: "AWS_ENDPOINT_URL, set in " + w.shape + "/" + w.file, body: body,
			others: map[string]string{w.file: w.src}})
	}
	kept := []struct{ shape, file, src string }{
		{"v2_name_dockerfile_dash_plain", "Dockerfile-dev", "FROM golang:1.26\nENV LOG_LEVEL=debug\n"},
		{"v2_name_env_dash_example", ".env-example", "AWS_ENDPOINT_URL=http://localhost:9000\n"},
		{"v2_name_dockerfile_doc", "dockerfile_notes.md", "Run with ENV AWS_ENDPOINT_URL=http://minio:9000 for MinIO.\n"},
		{"v2_name_make_aws", "Makefile", "AWS_ENDPOINT_URL?=https://s3.us-east-1.amazonaws.com\nAWS_REGION?=us-east-1\n"},
	}
	for _, k := range kept {
		out = append(out, shape{name: k.shape, imports: imports, fix: true, body: body,
			others: map[string]string{k.file: k.src}})
	}
	return out
}
