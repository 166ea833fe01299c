package analyzer_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// A shape is one way real code gives static credentials to an AWS SDK, and
// what go fix does with it. The README's fix table states this table.
type shape struct {
	name    string
	imports []string // import specs
	body    string   // declarations; {{ID}} and {{SECRET}} are replaced by generated keys
	fix     bool     // go fix rewrites it
	reason  string   // why not, when there is no fix
	says    string   // text go vet's diagnostic of the shape holds (checked when set)
	silent  bool     // not reported at all
	// keeps marks a fixed shape whose keys stay in the file all the same:
	// in constants another file uses, which go vet still reports.
	keeps bool
	// others are more files of the shape's package (name: source), such
	// as a file of another GOOS; go build runs for each GOOS they name.
	others map[string]string
}

const (
	v2aws   = `"github.com/aws/aws-sdk-go-v2/aws"`
	v2cfg   = `"github.com/aws/aws-sdk-go-v2/config"`
	v2creds = `"github.com/aws/aws-sdk-go-v2/credentials"`
	v2sts   = `"github.com/aws/aws-sdk-go-v2/service/sts"`
	v2role  = `"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"`
	v2s3    = `"github.com/aws/aws-sdk-go-v2/service/s3"`
	v2imds  = `"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"`
	v1aws   = `"github.com/aws/aws-sdk-go/aws"`
	v1creds = `"github.com/aws/aws-sdk-go/aws/credentials"`
	v1sess  = `"github.com/aws/aws-sdk-go/aws/session"`
	v1req   = `"github.com/aws/aws-sdk-go/aws/request"`
	v1sts   = `"github.com/aws/aws-sdk-go/service/sts"`
	osPkg   = `"os"`
	ctxPkg  = `"context"`
)

var shapes = []shape{
	// aws-sdk-go-v2
	// qa9 MEDIUM-5: an import the file has, hidden at the fix site by a
	// parameter or a loop variable of its name, is imported again under
	// a free name; a constant a file of another GOOS uses is kept.
	{name: "v2_param_named_aws", imports: []string{ctxPkg, v2aws, v2cfg, v2creds}, fix: true, body: `
var defaultRegion = aws.String("us-east-1")

func load(ctx context.Context, aws string) error {
	_, err := config.LoadDefaultConfig(ctx, config.WithRegion(aws),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return err
}`},
	{name: "v2_loop_var_ec2rolecreds", imports: []string{ctxPkg, v2cfg, v2creds, v2role}, fix: true, body: `
var roleProvider = ec2rolecreds.New

func load(ctx context.Context, regions []string) error {
	for _, ec2rolecreds := range regions {
		_, err := config.LoadDefaultConfig(ctx, config.WithRegion(ec2rolecreds),
			config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
		if err != nil {
			return err
		}
	}
	return nil
}`},
	{name: "v2_const_used_by_windows", imports: []string{ctxPkg, v2cfg, v2creds}, fix: true, body: `
const (
	keyID     = "{{ID}}"
	secretKey = "{{SECRET}}"
)

func load(ctx context.Context) error {
	_, err := config.LoadDefaultConfig(ctx,
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(keyID, secretKey, "")))
	return err
}`, keeps: true, others: map[string]string{"registry_windows.go": "package shape\n\nfunc registrySecret() string { return secretKey }\n"}},
	{name: "v2_option", imports: []string{ctxPkg, v2aws, v2cfg, v2creds}, fix: true, body: `
func load(ctx context.Context) (aws.Config, error) {
	return config.LoadDefaultConfig(ctx,
		config.WithRegion("us-east-1"),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")),
	)
}`},
	{name: "v2_config_field", imports: []string{v2aws, v2creds}, fix: true, body: `
func cfg() aws.Config {
	return aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")}
}`},
	{name: "v2_client_options", imports: []string{v2creds, v2sts}, fix: true, body: `
func client() *sts.Client {
	return sts.New(sts.Options{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")})
}`},
	{name: "v2_option_func", imports: []string{v2aws, v2creds, v2sts}, fix: true, body: `
func client(cfg aws.Config) *sts.Client {
	return sts.NewFromConfig(cfg, func(o *sts.Options) {
		o.Credentials = credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")
	})
}`},
	{name: "v2_provider_func", imports: []string{ctxPkg, v2aws}, fix: true, body: `
func cfg() aws.Config {
	return aws.Config{Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: "{{ID}}", SecretAccessKey: "{{SECRET}}"}, nil
	})}
}`},
	{name: "v2_returned", imports: []string{v2aws, v2creds}, fix: true, body: `
func provider() aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")
}`},
	{name: "v2_returned_with_error", imports: []string{v2aws, v2creds}, fix: true, body: `
func provider() (aws.CredentialsProvider, error) {
	return credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", ""), nil
}`},
	{name: "v2_method_provider_func", imports: []string{ctxPkg, v2aws}, reason: "the config leaves this function (returned from a method, which an interface may call from anywhere)", body: `
type source struct{}

func (source) Provider() aws.CredentialsProvider {
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: "{{ID}}", SecretAccessKey: "{{SECRET}}"}, nil
	})
}`},
	{name: "v2_in_cache", imports: []string{v2aws, v2creds}, fix: true, body: `
func cfg() aws.Config {
	return aws.Config{Credentials: aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", ""))}
}`},
	{name: "v2_named_constants", imports: []string{v2aws, v2creds}, fix: true, body: `
const (
	accessKeyID     = "{{ID}}"
	secretAccessKey = "{{SECRET}}"
)

func provider() aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider(accessKeyID, secretAccessKey, "")
}`},
	// qa25 H2, M2: a key constant of a const group stays when a spec below
	// it repeats the expression above it (deleting it would not compile)
	// or counts with iota (deleting it would lower the value); the
	// provider is fixed all the same, and the constant's report says why
	// it stays. Specs below with values of their own, and iota above, let
	// it go.
	{name: "v2_const_implicit_below", imports: []string{v2aws, v2creds}, fix: true, keeps: true, says: "backupSecret, below it in its const block, has no value of its own", body: `
const (
	keyID     = "{{ID}}"
	secretKey = "{{SECRET}}"
	backupSecret
)

func provider() aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider(keyID, secretKey, "")
}

func backup() string { return backupSecret }`},
	{name: "v2_const_iota_below", imports: []string{v2aws, v2creds}, fix: true, keeps: true, says: "retries, below it in its const block, counts with iota", body: `
const (
	keyID     = "{{ID}}"
	secretKey = "{{SECRET}}"
	retries   = iota + 1
	maxConns
)

func provider() aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider(keyID, secretKey, "")
}

func limits() (int, int) { return retries, maxConns }`},
	{name: "v2_const_group_safe", imports: []string{v2aws, v2creds}, fix: true, body: `
const (
	modeRead = iota
	modeWrite
	keyID     = "{{ID}}"
	secretKey = "{{SECRET}}"
	retries   = 3
	region    = "us-east-1"
)

func provider() aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider(keyID, secretKey, "")
}

func settings() (int, int, int, string) { return modeRead, modeWrite, retries, region }`},
	{name: "v2_concrete_variable", imports: []string{v2creds}, reason: "the variable has the concrete provider type, which the cache does not have", body: `
func keyID() string {
	p := credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")
	return p.Value.AccessKeyID
}`},
	{name: "v2_client_base_endpoint", imports: []string{v2aws, v2creds, v2sts}, reason: "custom endpoint (BaseEndpoint): the instance role's credentials would go to another service", body: `
func client() *sts.Client {
	return sts.New(sts.Options{
		BaseEndpoint: aws.String("http://localhost:4566"),
		Credentials:  credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", ""),
	})
}`},
	{name: "v2_endpoint_resolver", imports: []string{ctxPkg, v2aws, v2cfg, v2creds}, reason: "custom endpoint (config.WithEndpointResolverWithOptions)", body: `
func load(ctx context.Context) (aws.Config, error) {
	return config.LoadDefaultConfig(ctx,
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")),
		config.WithEndpointResolverWithOptions(aws.EndpointResolverWithOptionsFunc(func(service, region string, options ...interface{}) (aws.Endpoint, error) {
			return aws.Endpoint{URL: "http://minio.internal:9000"}, nil
		})),
	)
}`},
	{name: "v2_base_endpoint_option", imports: []string{ctxPkg, v2aws, v2cfg, v2creds}, reason: "custom endpoint (config.WithBaseEndpoint)", body: `
func load(ctx context.Context) (aws.Config, error) {
	return config.LoadDefaultConfig(ctx,
		config.WithBaseEndpoint("https://s3.wasabisys.com"),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")),
	)
}`},
	{name: "v2_not_aws_key_id", imports: []string{v2aws, v2creds}, silent: true, reason: "the key ID is not an AWS key ID: the keys are another service's", body: `
func cfg() aws.Config {
	return aws.Config{Credentials: credentials.NewStaticCredentialsProvider("{{OTHERID}}", "{{SECRET}}", "")}
}`},
	{name: "v2_caller_sets_endpoint", imports: []string{ctxPkg, v2aws, v2cfg, v2creds, v2sts}, reason: "custom endpoint (BaseEndpoint, in minio, a caller of load)", body: `
func load(ctx context.Context) aws.Config {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return cfg
}

func minio(ctx context.Context) *sts.Client {
	return sts.NewFromConfig(load(ctx), func(o *sts.Options) { o.BaseEndpoint = aws.String("http://minio.local:9000") })
}`},
	{name: "v2_caller_without_endpoint", imports: []string{ctxPkg, v2aws, v2cfg, v2creds, v2sts}, fix: true, body: `
func load(ctx context.Context) aws.Config {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return cfg
}

func client(ctx context.Context) *sts.Client {
	cfg := load(ctx)
	cfg.Region = "eu-west-1"
	return sts.NewFromConfig(cfg)
}`},
	{name: "v2_exported_returned", imports: []string{ctxPkg, v2aws, v2cfg, v2creds}, reason: "the config leaves this function (returned from an exported function: callers outside the package)", body: `
func Load(ctx context.Context) (aws.Config, error) {
	return config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
}`},
	{name: "v2_package_variable", imports: []string{v2aws, v2creds}, reason: "the config leaves this function (stored in a package variable)", body: `
var shared aws.Config

func setup() {
	shared = aws.Config{Credentials: credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")}
}`},
	{name: "v2_passed_to_helper", imports: []string{v2aws, v2creds}, reason: "the config leaves this function (passed to a function that is not an SDK constructor)", body: `
func setup() {
	cfg := aws.Config{Credentials: credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")}
	register(cfg)
}

func register(aws.Config) {}`},
	{name: "v2_escaping_closure", imports: []string{v2aws, v2creds}, reason: "the config leaves this function (returned from a function literal)", body: `
func loader() func() aws.Config {
	return func() aws.Config {
		return aws.Config{Credentials: credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")}
	}
}`},
	{name: "v2_secret_from_variable", imports: []string{v2aws, v2creds}, reason: "the fix would delete the last use of a variable", body: `
func provider(secret string) aws.CredentialsProvider {
	s := secret
	return credentials.NewStaticCredentialsProvider("{{ID}}", s, "")
}`},
	// What a client is given besides the credentials (qa7 HIGH-4): a named
	// option func, a package variable, the environment, a profile.
	{name: "v2_named_option_endpoint", imports: []string{ctxPkg, v2aws, v2cfg, v2creds, v2sts}, reason: "custom endpoint (BaseEndpoint, in withMinio)", body: `
func withMinio(o *sts.Options) {
	o.BaseEndpoint = aws.String("http://minio.local:9000")
}

func client(ctx context.Context) *sts.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return sts.NewFromConfig(cfg, withMinio)
}`},
	{name: "v2_package_options", imports: []string{ctxPkg, v2aws, v2cfg, v2creds, v2sts}, reason: "the package variable minioOpts, which keyscan cannot read whole", body: `
func withMinio(o *sts.Options) {
	o.BaseEndpoint = aws.String("http://minio.local:9000")
}

var minioOpts = []func(*sts.Options){withMinio}

func client(ctx context.Context) *sts.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return sts.NewFromConfig(cfg, minioOpts...)
}`},
	{name: "v2_environment_endpoint", imports: []string{ctxPkg, osPkg, v2cfg, v2creds, v2sts}, reason: "custom endpoint (AWS_ENDPOINT_URL, set by os.Setenv)", body: `
func client(ctx context.Context) *sts.Client {
	os.Setenv("AWS_ENDPOINT_URL", "http://localstack:4566")
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return sts.NewFromConfig(cfg)
}`},
	{name: "v2_profile", imports: []string{ctxPkg, v2cfg, v2creds, v2sts}, reason: "a shared-config profile (config.WithSharedConfigProfile(\"minio\")) may set endpoint_url", body: `
func client(ctx context.Context) *sts.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithSharedConfigProfile("minio"),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return sts.NewFromConfig(cfg)
}`},
	{name: "v2_named_option_read", imports: []string{ctxPkg, v2cfg, v2creds, v2sts}, fix: true, body: `
func inEurope(o *sts.Options) { o.Region = "eu-west-1" }

func client(ctx context.Context) *sts.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return sts.NewFromConfig(cfg, inEurope)
}`},

	{name: "v2_operation_endpoint", imports: []string{ctxPkg, v2aws, v2cfg, v2creds, v2sts}, reason: "custom endpoint (BaseEndpoint, a per-operation option of c.GetCallerIdentity", body: `
func client(ctx context.Context) *sts.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return sts.NewFromConfig(cfg)
}

func whoami(ctx context.Context, c *sts.Client) error {
	_, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}, func(o *sts.Options) {
		o.BaseEndpoint = aws.String("http://minio.local:9000")
	})
	return err
}`},
	{name: "v2_operation_shared_options", imports: []string{ctxPkg, v2cfg, v2creds, v2sts}, reason: "the package variable callOpts, which keyscan cannot read whole", body: `
var callOpts []func(*sts.Options)

func client(ctx context.Context) *sts.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return sts.NewFromConfig(cfg)
}

func whoami(ctx context.Context, c *sts.Client) error {
	_, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}, callOpts...)
	return err
}`},
	{name: "v2_presign_endpoint", imports: []string{ctxPkg, v2aws, v2cfg, v2creds, v2sts}, reason: "custom endpoint (BaseEndpoint, in withMinio, a per-operation option of sts.NewPresignClient", body: `
func withMinio(o *sts.Options) { o.BaseEndpoint = aws.String("http://minio.local:9000") }

func presigner(ctx context.Context) *sts.PresignClient {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return sts.NewPresignClient(sts.NewFromConfig(cfg), sts.WithPresignClientFromClientOptions(withMinio))
}`},
	{name: "v2_operation_read", imports: []string{ctxPkg, v2cfg, v2creds, v2sts}, fix: true, body: `
func client(ctx context.Context) *sts.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return sts.NewFromConfig(cfg)
}

func whoami(ctx context.Context, c *sts.Client) error {
	_, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}, func(o *sts.Options) { o.Region = "eu-west-1" })
	return err
}`},

	// fix18: path-style addressing is MinIO's (the endpoint comes from the
	// deployment: AWS_ENDPOINT_URL_S3, a profile), and an init function of
	// a package of the module imported for its effect sets the endpoint
	// for the whole process.
	{name: "v2_path_style", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, reason: "custom endpoint (UsePathStyle)", says: "custom endpoint (UsePathStyle)", body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
}`},
	{name: "v2_imported_init_endpoint", imports: []string{ctxPkg, `_ "example.com/shapes/v2_imported_init_endpoint/localdev"`, v2cfg, v2creds, v2sts},
		reason: "custom endpoint (AWS_ENDPOINT_URL_S3, set by an init of a package it imports)",
		says:   "AWS_ENDPOINT_URL_S3, set by os.Setenv at l.go:5 (package example.com/shapes/v2_imported_init_endpoint/localdev", body: `
func client(ctx context.Context) *sts.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return sts.NewFromConfig(cfg)
}`, others: map[string]string{"localdev/l.go": "package localdev\n\nimport \"os\"\n\nfunc init() { os.Setenv(\"AWS_ENDPOINT_URL_S3\", \"http://localstack:4566\") }\n"}},
	{name: "v2_imported_package_no_endpoint", imports: []string{ctxPkg, `_ "example.com/shapes/v2_imported_package_no_endpoint/logs"`, v2cfg, v2creds, v2sts}, fix: true, body: `
func client(ctx context.Context) *sts.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return sts.NewFromConfig(cfg)
}`, others: map[string]string{"logs/l.go": "package logs\n\nimport \"os\"\n\nfunc init() { os.Setenv(\"LOG_LEVEL\", \"debug\") }\n"}},

	// qa15 HIGH-6: an env-file loader (godotenv, gotenv) copies a .env
	// into the environment, where AWS_ENDPOINT_URL=http://localhost:9000
	// for MinIO usually lives: its call, an autoload import, or one in an
	// imported package of the module is a write keyscan cannot read.
	// godotenv.Read only returns the file's variables.
	{name: "v2_godotenv_load", imports: []string{ctxPkg, `"github.com/joho/godotenv"`, v2cfg, v2creds, v2sts},
		reason: "environment variables loaded from a file",
		says:   "environment variables loaded from a file by godotenv.Load at shape.go:", body: `
func client(ctx context.Context) *sts.Client {
	_ = godotenv.Load()
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return sts.NewFromConfig(cfg)
}`},
	{name: "v2_godotenv_autoload", imports: []string{ctxPkg, `_ "github.com/joho/godotenv/autoload"`, v2cfg, v2creds, v2sts},
		reason: "environment variables loaded from a file", says: "by the import of github.com/joho/godotenv/autoload", body: `
func client(ctx context.Context) *sts.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return sts.NewFromConfig(cfg)
}`},
	{name: "v2_gotenv_imported", imports: []string{ctxPkg, `"example.com/shapes/v2_gotenv_imported/settings"`, v2cfg, v2creds, v2sts},
		reason: "environment variables loaded from a file in a package it imports",
		says:   "by gotenv.Load at s.go:5 (it may set AWS_ENDPOINT_URL) (package example.com/shapes/v2_gotenv_imported/settings", body: `
func client(ctx context.Context) *sts.Client {
	settings.Load()
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return sts.NewFromConfig(cfg)
}`, others: map[string]string{"settings/s.go": "package settings\n\nimport \"github.com/subosito/gotenv\"\n\nfunc Load() { _ = gotenv.Load(\".env.local\") }\n"}},
	{name: "v2_godotenv_read", imports: []string{ctxPkg, `"github.com/joho/godotenv"`, v2cfg, v2creds, v2sts}, fix: true, body: `
func client(ctx context.Context) *sts.Client {
	env, _ := godotenv.Read()
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithRegion(env["REGION"]), config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return sts.NewFromConfig(cfg)
}`},

	// qa15 HIGH-6's rest: the environment the program is started with,
	// written down beside the package (the Dockerfile that builds and runs
	// it, a compose file, a .env), sets AWS_ENDPOINT_URL or AWS_PROFILE,
	// which aws-sdk-go-v2 reads; a Dockerfile that sets neither keeps the
	// fix.
	{name: "v2_dockerfile_endpoint", imports: []string{ctxPkg, v2cfg, v2creds, v2sts},
		reason: "custom endpoint", says: "AWS_ENDPOINT_URL, set in v2_dockerfile_endpoint/Dockerfile:7 (the environment the program is started with)", body: `
func client(ctx context.Context) *sts.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return sts.NewFromConfig(cfg)
}`, others: map[string]string{"Dockerfile": "FROM golang:1.26 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n" +
			"FROM gcr.io/distroless/base\nCOPY --from=build /app /app\nENV AWS_ENDPOINT_URL=http://minio.internal:9000\nENTRYPOINT [\"/app\"]\n"}},
	{name: "v2_compose_profile", imports: []string{ctxPkg, v2cfg, v2creds, v2sts},
		reason: "profile", says: "AWS_PROFILE, set in v2_compose_profile/compose.yaml:5", body: `
func client(ctx context.Context) *sts.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return sts.NewFromConfig(cfg)
}`, others: map[string]string{"compose.yaml": "services:\n  app:\n    build: .\n    environment:\n      AWS_PROFILE: minio\n"}},
	// fix22: AWS_EC2_METADATA_DISABLED=true turns off the IMDS client that
	// the fix's ec2rolecreds.New() asks: no credentials at all after it.
	{name: "v2_metadata_disabled_dockerfile", imports: []string{ctxPkg, v2cfg, v2creds, v2sts},
		reason: "metadata off", says: "turns the instance metadata service off (AWS_EC2_METADATA_DISABLED, set in v2_metadata_disabled_dockerfile/Dockerfile:3", body: `
func client(ctx context.Context) *sts.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return sts.NewFromConfig(cfg)
}`, others: map[string]string{"Dockerfile": "FROM gcr.io/distroless/base\nCOPY app /app\nENV AWS_EC2_METADATA_DISABLED=true\nENTRYPOINT [\"/app\"]\n"}},
	{name: "v2_metadata_disabled_setenv", imports: []string{ctxPkg, osPkg, v2cfg, v2creds, v2sts},
		reason: "metadata off", says: "turns the instance metadata service off (AWS_EC2_METADATA_DISABLED, set by os.Setenv", body: `
func client(ctx context.Context) *sts.Client {
	os.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return sts.NewFromConfig(cfg)
}`},
	{name: "v2_metadata_setenv_false", imports: []string{ctxPkg, osPkg, v2cfg, v2creds, v2sts}, fix: true, body: `
func client(ctx context.Context) *sts.Client {
	os.Setenv("AWS_EC2_METADATA_DISABLED", "false")
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return sts.NewFromConfig(cfg)
}`},
	{name: "v2_metadata_enabled", imports: []string{ctxPkg, v2cfg, v2creds, v2sts}, fix: true, body: `
func client(ctx context.Context) *sts.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return sts.NewFromConfig(cfg)
}`, others: map[string]string{".env": "AWS_EC2_METADATA_DISABLED=false\n"}},
	// fix24: the v2 SDK's IMDS client turned off by an option rather
	// than the environment variable; a dot import left unused by the fix.
	{name: "v2_imds_disabled_option", imports: []string{ctxPkg, v2cfg, v2creds, v2sts, v2imds},
		reason: "metadata off", says: "turns the instance metadata service off (config.WithEC2IMDSClientEnableState imds.ClientDisabled, at shape.go:", body: `
func client(ctx context.Context) *sts.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithEC2IMDSClientEnableState(imds.ClientDisabled),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return sts.NewFromConfig(cfg)
}`},
	{name: "v2_imds_disabled_load_options", imports: []string{ctxPkg, v2cfg, v2creds, v2sts, v2imds},
		reason: "metadata off", says: "turns the instance metadata service off (EC2IMDSClientEnableState = imds.ClientDisabled", body: `
func offline(o *config.LoadOptions) error {
	o.EC2IMDSClientEnableState = imds.ClientDisabled
	return nil
}

func client(ctx context.Context) *sts.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, offline, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return sts.NewFromConfig(cfg)
}`},
	{name: "v2_imds_state_variable", imports: []string{ctxPkg, v2cfg, v2creds, v2sts, v2imds},
		reason: "metadata off", says: "config.WithEC2IMDSClientEnableState with a value keyscan cannot read", body: `
func client(ctx context.Context, state imds.ClientEnableState) *sts.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithEC2IMDSClientEnableState(state),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return sts.NewFromConfig(cfg)
}`},
	{name: "v2_imds_enabled_option", imports: []string{ctxPkg, v2cfg, v2creds, v2sts, v2imds}, fix: true, body: `
func client(ctx context.Context) *sts.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithEC2IMDSClientEnableState(imds.ClientEnabled),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return sts.NewFromConfig(cfg)
}`},
	{name: "v2_dot_imports", imports: []string{ctxPkg, ". " + v2cfg, ". " + v2creds}, fix: true, body: `
func load(ctx context.Context) error {
	_, err := LoadDefaultConfig(ctx, WithRegion("eu-west-1"), WithCredentialsProvider(NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return err
}`},
	{name: "v2_dot_import_still_used", imports: []string{ctxPkg, v2cfg, ". " + v2creds}, fix: true, body: `
var _ = StaticCredentialsProvider{}

func load(ctx context.Context) error {
	_, err := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return err
}`},
	{name: "v1_dot_import", imports: []string{v1aws, ". " + v1creds, v1sess}, fix: true, body: `
func sess() (*session.Session, error) {
	return session.NewSession(&aws.Config{Region: aws.String("eu-west-1"), Credentials: NewStaticCredentials("{{ID}}", "{{SECRET}}", "")})
}`},
	// fix24: a region AWS does not have names another service (R2's
	// auto, Linode's us-iad-1), whose endpoint the deployment sets.
	{name: "v2_foreign_region_option", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, says: `region "auto", which AWS does not have`, body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg, func(o *s3.Options) { o.Region = "auto" })
}`},
	{name: "v2_foreign_with_region", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, says: `region "us-iad-1", which AWS does not have`, body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithRegion("us-iad-1"),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`},
	{name: "v2_dockerfile_foreign_region", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, says: "AWS_REGION, set in v2_dockerfile_foreign_region/Dockerfile:2", body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{"Dockerfile": "FROM scratch\nENV AWS_REGION=auto\n"}},
	// fix25 (CLOSING17): a setting made outside the package and what it
	// imports, in a program that runs it: main's helper turning the
	// metadata client off, a package main imports beside it whose init
	// sets a variable named by a constant, a Kubernetes manifest of the
	// module. A program of the module that does not run the package
	// (tools/gen) keeps the fix.
	{name: "v2_main_turns_metadata_off", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, reason: "metadata off",
		says: "(AWS_EC2_METADATA_DISABLED, set by os.Setenv at main.go:13 (v2_main_turns_metadata_off/cmd/app/main.go, a file of the module))", body: `
func Client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{"cmd/app/main.go": "package main\n\nimport (\n\t\"context\"\n\t\"os\"\n\n\tshape \"example.com/shapes/v2_main_turns_metadata_off\"\n)\n\n" +
			"func main() { offline(); shape.Client(context.Background()) }\n\nfunc offline() {\n\tos.Setenv(\"AWS_EC2_METADATA_DISABLED\", \"true\")\n}\n"}},
	// qa31 F4: a map whose key names the endpoint's variable, set in a
	// loop: a custom endpoint, no IMDS field of the SDK.
	{name: "v2_endpoint_map_key", imports: []string{ctxPkg, osPkg, v2cfg, v2creds, v2s3}, reason: "custom endpoint",
		says: "an environment variable whose name keyscan cannot read, set by os.Setenv at shape.go:", body: `
const endpointVar = "AWS_" + "ENDPOINT_URL"

var devEnv = map[string]string{endpointVar: "http://localhost:9000"}

func Client(ctx context.Context) *s3.Client {
	for k, v := range devEnv {
		os.Setenv(k, v)
	}
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`},
	{name: "v2_sibling_sets_endpoint", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, reason: "custom endpoint",
		says: "an environment variable whose name keyscan cannot read, set by os.Setenv at l.go:7 (v2_sibling_sets_endpoint/localdev/l.go, a file of the module)", body: `
func Client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{
			"localdev/l.go": "package localdev\n\nimport \"os\"\n\nconst endpoint = \"AWS_ENDPOINT_URL_S3\"\n\nfunc init() { os.Setenv(endpoint, \"http://localhost:9000\") }\n",
			"cmd/app/main.go": "package main\n\nimport (\n\t\"context\"\n\n\tshape \"example.com/shapes/v2_sibling_sets_endpoint\"\n\t_ \"example.com/shapes/v2_sibling_sets_endpoint/localdev\"\n)\n\n" +
				"func main() { shape.Client(context.Background()) }\n"}},
	{name: "v2_k8s_manifest_endpoint", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, reason: "custom endpoint",
		says: "AWS_ENDPOINT_URL_S3, set in v2_k8s_manifest_endpoint/deploy/app.yaml:9 (a file of the module)", body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{"deploy/app.yaml": "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        env:\n        - name: AWS_ENDPOINT_URL_S3\n          value: http://minio.storage:9000\n"}},
	// The endpoint's value is a ConfigMap's, out of the module: the name
	// alone withholds the fix (it was an e2e step of
	// TestGoVetCacheSeesSideFiles).
	{name: "v2_k8s_manifest_endpoint_ref", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, reason: "custom endpoint",
		says: "AWS_ENDPOINT_URL, set in v2_k8s_manifest_endpoint_ref/deploy/app.yaml:", body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{"deploy/app.yaml": "env:\n- name: AWS_ENDPOINT_URL\n  valueFrom:\n    configMapKeyRef: {name: s3, key: url}\n"}},
	// The project's own AWS config, copied into the image or mounted by
	// compose, sets endpoint_url with no variable anywhere (fix26).
	{name: "v2_aws_config_in_repo", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, reason: "custom endpoint",
		says: "endpoint_url, set in v2_aws_config_in_repo/docker/aws/config:6 (a file of the module)", body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{
			"docker/aws/config": "[default]\nregion = us-east-1\nservices = minio\n[services minio]\ns3 =\n  endpoint_url = http://minio:9000\n",
			"Dockerfile":        "FROM scratch\nCOPY docker/aws/config /root/.aws/config\n"}},
	// A cgo package sets the environment from C (its preamble, a C file),
	// or has a Dockerfile beside it: cgo's output lives in the build's
	// temporary folder, which was taken for the package's (fix26).
	{name: "v2_cgo_preamble_sets_endpoint", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, reason: "custom endpoint",
		says: "(AWS_ENDPOINT_URL, set by setenv in C at c.go:4)", body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{"c.go": "package shape\n\n// #include <stdlib.h>\n// static void local(void) { setenv(\"AWS_ENDPOINT_URL\", \"http://localhost:4566\", 1); }\nimport \"C\"\n\nfunc init() { C.local() }\n"}},
	{name: "v2_cgo_putenv_in_c_file", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, reason: "custom endpoint",
		says: "(AWS_ENDPOINT_URL_S3, set by putenv in C at local.c:3)", body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{"c.go": "package shape\n\n// void local(void);\nimport \"C\"\n\nfunc init() { C.local() }\n",
			"local.c": "#include <stdlib.h>\n\nvoid local(void) { putenv(\"AWS_ENDPOINT_URL_S3=http://minio:9000\"); }\n"}},
	{name: "v2_cgo_package_dockerfile", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, reason: "custom endpoint",
		says: "AWS_ENDPOINT_URL, set in v2_cgo_package_dockerfile/Dockerfile:2", body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{"c.go": "package shape\n\nimport \"C\"\n\nvar _ C.int\n",
			"Dockerfile": "FROM scratch\nENV AWS_ENDPOINT_URL=http://minio:9000\n"}},
	// Any package's Setenv (a wrapper's, golang.org/x/sys/unix's), and the
	// environment a Jenkinsfile or a Nomad job gives the program (fix26).
	{name: "v2_wrapper_setenv", imports: []string{ctxPkg, osPkg, v2cfg, v2creds, v2s3}, reason: "custom endpoint",
		says: "(AWS_ENDPOINT_URL, set by env{}.Setenv at shape.go:", body: `
func client(ctx context.Context) *s3.Client {
	env{}.Setenv("AWS_ENDPOINT_URL", "http://localhost:4566")
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}

type env struct{}

func (env) Setenv(k, v string) error { return os.Setenv(k, v) }`},
	{name: "v2_jenkins_nomad_endpoint", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, reason: "custom endpoint",
		says: "AWS_ENDPOINT_URL, set in v2_jenkins_nomad_endpoint/Jenkinsfile:3", body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{
			"Jenkinsfile":      "pipeline {\n  environment {\n    AWS_ENDPOINT_URL = 'http://localstack:4566'\n  }\n}\n",
			"deploy/app.nomad": "job \"app\" {\n  group \"g\" {\n    task \"app\" {\n      env {\n        AWS_ENDPOINT_URL_S3 = \"http://minio.service.consul:9000\"\n      }\n    }\n  }\n}\n"}},
	// A launchd job's EnvironmentVariables (fix27).
	{name: "v2_launchd_plist_endpoint", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, reason: "custom endpoint",
		says: "AWS_ENDPOINT_URL, set in v2_launchd_plist_endpoint/deploy/com.example.app.plist:5", body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{
			"deploy/com.example.app.plist": "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n  <key>EnvironmentVariables</key>\n  <dict><key>AWS_ENDPOINT_URL</key>\n" +
				"    <string>http://minio.local:9000</string></dict>\n</dict>\n</plist>\n"}},
	// The program reads the endpoint variable at run time (a struct tag
	// of envconfig, os.Getenv), or its compose project runs MinIO: the
	// endpoint is set where keyscan cannot read it (fix27).
	{name: "v2_envconfig_tag_names_endpoint", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, reason: "custom endpoint",
		says: "AWS_ENDPOINT_URL_S3, named at shape.go:", body: `
type env struct {
	Endpoint string ` + "`" + `envconfig:"AWS_ENDPOINT_URL_S3"` + "`" + `
}

func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`},
	{name: "v2_compose_runs_minio", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, reason: "custom endpoint",
		says: "docker-compose.yml, a file of the module, runs minio/minio (the service storage)", body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{"docker-compose.yml": "services:\n  storage:\n    image: minio/minio\n  app:\n    build: .\n"}},
	{name: "v2_terraform_endpoints_block", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, reason: "custom endpoint",
		says: "endpoints { s3 }, set in v2_terraform_endpoints_block/infra/main.tf:", body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{"infra/main.tf": "provider \"aws\" {\n  region = \"us-east-1\"\n  endpoints {\n    s3 = \"http://localhost:4566\"\n  }\n}\n"}},
	{name: "v2_kustomize_properties", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, reason: "custom endpoint",
		says: "AWS_ENDPOINT_URL, set in v2_kustomize_properties/deploy/app.properties:1", body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{"deploy/kustomization.yaml": "configMapGenerator:\n  - name: app\n    envs:\n      - app.properties\n",
			"deploy/app.properties": "AWS_ENDPOINT_URL=http://minio:9000\n"}},
	// A WinSW service's XML (the Windows service wrapper's) gives the
	// program its environment as <env name=… value=…/> elements (fix29);
	// one that sets only an AWS region keeps the fix.
	{name: "v2_winsw_service_env", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, reason: "custom endpoint",
		says: "AWS_ENDPOINT_URL, set in v2_winsw_service_env/deploy/windows/app.xml:6", body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{"deploy/windows/app.xml": "<?xml version=\"1.0\"?>\n<service>\n  <id>app</id>\n  <executable>%BASE%\\app.exe</executable>\n" +
			"  <env name=\"AWS_REGION\" value=\"eu-west-1\"/>\n  <env name=\"AWS_ENDPOINT_URL\"\n       value=\"http://minio.local:9000\"/>\n</service>\n"}},
	{name: "v2_winsw_region_only", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, fix: true, body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{"deploy/windows/app.xml": "<service>\n  <id>app</id>\n  <executable>app.exe</executable>\n  <env name=\"AWS_REGION\" value=\"eu-west-1\"/>\n</service>\n"}},
	// A Nix dev shell (flake.nix's mkShell attribute, shell.nix's
	// shellHook) and Bazel's run commands (.bazelrc's --test_env) start the
	// program against LocalStack (qa26 L2); ones that set only the region
	// or other variables keep the fix.
	{name: "v2_nix_flake_endpoint", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, reason: "custom endpoint",
		says: "AWS_ENDPOINT_URL, set in v2_nix_flake_endpoint/flake.nix:5", body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{"flake.nix": "{\n  outputs = { self, nixpkgs }: {\n    devShells.x86_64-linux.default = nixpkgs.legacyPackages.x86_64-linux.mkShell {\n" +
			"      packages = [ nixpkgs.legacyPackages.x86_64-linux.go ];\n      AWS_ENDPOINT_URL = \"http://localhost:4566\";\n    };\n  };\n}\n"}},
	{name: "v2_nix_shellhook_endpoint", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, reason: "custom endpoint",
		says: "AWS_ENDPOINT_URL_S3, set in v2_nix_shellhook_endpoint/shell.nix:5", body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{"shell.nix": "{ pkgs ? import <nixpkgs> {} }:\npkgs.mkShell {\n  buildInputs = [ pkgs.go ];\n  shellHook = ''\n    export AWS_ENDPOINT_URL_S3=http://localhost:4566\n  '';\n}\n"}},
	{name: "v2_bazelrc_test_env_endpoint", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, reason: "custom endpoint",
		says: "AWS_ENDPOINT_URL, set in v2_bazelrc_test_env_endpoint/.bazelrc:2", body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{".bazelrc": "build --incompatible_strict_action_env\ntest --test_env=AWS_ENDPOINT_URL=http://localhost:4566\n"}},
	{name: "v2_nix_bazel_region_only", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, fix: true, body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{
		"flake.nix": "{\n  outputs = { self, nixpkgs }: {\n    devShells.x86_64-linux.default = nixpkgs.legacyPackages.x86_64-linux.mkShell {\n" +
			"      AWS_REGION = \"eu-west-1\";\n      GOFLAGS = \"-mod=mod\";\n    };\n  };\n}\n",
		".bazelrc": "build --action_env=AWS_REGION=eu-west-1\nrun --action_env=GOPROXY=https://proxy.golang.org\n"}},
	{name: "v2_unlinked_program_sets_endpoint", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, fix: true, body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{
		"tools/gen/main.go":    "package main\n\nimport \"os\"\n\nfunc main() { os.Setenv(\"AWS_ENDPOINT_URL\", \"http://localhost:4566\") }\n",
		"tools/gen/Dockerfile": "FROM scratch\nENV AWS_ENDPOINT_URL=http://localhost:4566\n"}},
	{name: "v2_aws_with_region", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, fix: true, body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithRegion("ap-southeast-7"),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`},
	{name: "v1_foreign_region", imports: []string{v1aws, v1creds, v1sess}, says: `region "nyc3", which AWS does not have`, body: `
func sess() (*session.Session, error) {
	return session.NewSession(&aws.Config{Region: aws.String("nyc3"), Credentials: credentials.NewStaticCredentials("{{ID}}", "{{SECRET}}", "")})
}`},
	{name: "v2_dockerfile_region", imports: []string{ctxPkg, v2cfg, v2creds, v2sts}, fix: true, body: `
func client(ctx context.Context) *sts.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return sts.NewFromConfig(cfg)
}`, others: map[string]string{"Dockerfile": "FROM golang:1.26\nCOPY . .\nRUN go build -o /app .\nENV AWS_REGION=eu-west-1 AWS_ENDPOINT_URL_NOTE=\n",
		".env.example": "AWS_ENDPOINT_URL=http://localhost:9000\n"}},

	// aws-sdk-go v1
	{name: "v1_path_style", imports: []string{v1aws, v1creds, v1sess}, reason: "custom endpoint (S3ForcePathStyle)", says: "custom endpoint (S3ForcePathStyle)", body: `
func sess() (*session.Session, error) {
	return session.NewSession(&aws.Config{
		S3ForcePathStyle: aws.Bool(true),
		Credentials:      credentials.NewStaticCredentials("{{ID}}", "{{SECRET}}", ""),
	})
}`},
	{name: "v1_with_path_style", imports: []string{v1aws, v1creds}, reason: "custom endpoint (WithS3ForcePathStyle)", says: "custom endpoint (WithS3ForcePathStyle)", body: `
func cfg() *aws.Config {
	return aws.NewConfig().WithS3ForcePathStyle(true).WithCredentials(credentials.NewStaticCredentials("{{ID}}", "{{SECRET}}", ""))
}`},
	{name: "v1_config_field", imports: []string{v1aws, v1creds, v1sess}, fix: true, body: `
func sess() (*session.Session, error) {
	return session.NewSession(&aws.Config{
		Region:      aws.String("us-east-1"),
		Credentials: credentials.NewStaticCredentials("{{ID}}", "{{SECRET}}", ""),
	})
}`},
	{name: "v1_session_options", imports: []string{v1aws, v1creds, v1sess}, fix: true, body: `
func sess() (*session.Session, error) {
	return session.NewSessionWithOptions(session.Options{
		Config: aws.Config{Credentials: credentials.NewStaticCredentials("{{ID}}", "{{SECRET}}", "")},
	})
}`},
	{name: "v1_chained_with_credentials", imports: []string{v1aws, v1creds}, fix: true, body: `
func cfg() *aws.Config {
	return aws.NewConfig().WithRegion("eu-west-1").WithCredentials(credentials.NewStaticCredentials("{{ID}}", "{{SECRET}}", ""))
}`},
	{name: "v1_with_credentials_statement", imports: []string{v1aws, v1creds, v1sess}, fix: true, body: `
func sess() *session.Session {
	cfg := aws.NewConfig().WithRegion("us-east-1")
	cfg.WithCredentials(credentials.NewStaticCredentials("{{ID}}", "{{SECRET}}", ""))
	return session.Must(session.NewSession(cfg))
}`},
	{name: "v1_session_config_with_credentials", imports: []string{v1creds, v1sess}, reason: "the config leaves this function (it is a parameter's: the caller's session)", body: `
func configure(sess *session.Session) {
	sess.Config.WithCredentials(credentials.NewStaticCredentials("{{ID}}", "{{SECRET}}", ""))
}`},
	{name: "v1_self_assignment", imports: []string{v1aws, v1creds}, fix: true, body: `
func cfg() *aws.Config {
	cfg := aws.NewConfig()
	cfg = cfg.WithCredentials(credentials.NewStaticCredentials("{{ID}}", "{{SECRET}}", ""))
	return cfg
}`},
	{name: "v1_field_assignment", imports: []string{v1aws, v1creds}, fix: true, body: `
func cfg() *aws.Config {
	cfg := aws.NewConfig()
	cfg.Credentials = credentials.NewStaticCredentials("{{ID}}", "{{SECRET}}", "")
	return cfg
}`},
	{name: "v1_value_literal", imports: []string{v1aws, v1creds}, fix: true, body: `
func cfg() aws.Config {
	return aws.Config{Credentials: credentials.NewStaticCredentialsFromCreds(credentials.Value{AccessKeyID: "{{ID}}", SecretAccessKey: "{{SECRET}}"})}
}`},
	{name: "v1_custom_endpoint", imports: []string{v1aws, v1creds, v1sess}, reason: "custom endpoint (Endpoint)", body: `
func sess() (*session.Session, error) {
	return session.NewSession(&aws.Config{
		Endpoint:    aws.String("http://localhost:9000"),
		Credentials: credentials.NewStaticCredentials("{{ID}}", "{{SECRET}}", ""),
	})
}`},
	{name: "v1_with_endpoint", imports: []string{v1aws, v1creds}, reason: "custom endpoint (WithEndpoint)", body: `
func cfg() *aws.Config {
	return aws.NewConfig().WithEndpoint("http://ceph.internal").WithCredentials(credentials.NewStaticCredentials("{{ID}}", "{{SECRET}}", ""))
}`},
	{name: "v1_exported_session", imports: []string{v1aws, v1creds, v1sess}, reason: "the config leaves this function (returned from an exported function)", body: `
func NewSession() (*session.Session, error) {
	return session.NewSession(&aws.Config{Credentials: credentials.NewStaticCredentials("{{ID}}", "{{SECRET}}", "")})
}`},
	{name: "v1_package_config", imports: []string{v1aws, v1creds, v1sess, v1sts}, reason: "custom endpoint (Endpoint, in minioCfg)", body: `
var minioCfg = &aws.Config{Endpoint: aws.String("http://minio:9000"), S3ForcePathStyle: aws.Bool(true)}

func client() *sts.STS {
	sess := session.Must(session.NewSession(&aws.Config{Credentials: credentials.NewStaticCredentials("{{ID}}", "{{SECRET}}", "")}))
	return sts.New(sess, minioCfg)
}`},
	{name: "v1_called_config", imports: []string{v1aws, v1creds, v1sess, v1sts}, reason: "custom endpoint (Endpoint, in minioConfig)", body: `
func minioConfig() *aws.Config {
	return &aws.Config{Endpoint: aws.String("http://minio:9000")}
}

func client() *sts.STS {
	sess := session.Must(session.NewSession(&aws.Config{Credentials: credentials.NewStaticCredentials("{{ID}}", "{{SECRET}}", "")}))
	return sts.New(sess, minioConfig())
}`},
	{name: "v1_called_config_read", imports: []string{v1aws, v1creds, v1sess, v1sts}, fix: true, body: `
func regionConfig() *aws.Config {
	return aws.NewConfig().WithRegion("eu-west-1")
}

func client() *sts.STS {
	sess := session.Must(session.NewSession(&aws.Config{Credentials: credentials.NewStaticCredentials("{{ID}}", "{{SECRET}}", "")}))
	return sts.New(sess, regionConfig())
}`},
	{name: "v1_package_config_unread", imports: []string{v1aws, v1creds, v1sess, v1sts}, reason: "the package variable shared, which keyscan cannot read whole", body: `
var shared = aws.NewConfig().WithRegion("eu-west-1")

func client() *sts.STS {
	sess := session.Must(session.NewSession(&aws.Config{Credentials: credentials.NewStaticCredentials("{{ID}}", "{{SECRET}}", "")}))
	return sts.New(sess, shared)
}`},
	{name: "v1_profile_and_environment", imports: []string{osPkg, v1aws, v1creds, v1sess}, fix: true, body: `
func sess() (*session.Session, error) {
	os.Setenv("AWS_ENDPOINT_URL", "http://localstack:4566")
	os.Setenv("AWS_PROFILE", "minio")
	os.Setenv("AWS_EC2_METADATA_DISABLED", "false")
	return session.NewSessionWithOptions(session.Options{
		Profile: "minio",
		Config:  aws.Config{Credentials: credentials.NewStaticCredentials("{{ID}}", "{{SECRET}}", "")},
	})
}`},
	// aws-sdk-go v1 honours AWS_EC2_METADATA_DISABLED too (CLOSING18): set
	// by the program that runs the package or by its Dockerfile, the v1 fix
	// would leave the client without credentials. "false" turns nothing off.
	{name: "v1_main_turns_metadata_off", imports: []string{v1aws, v1creds, v1sess}, reason: "metadata off",
		says: "(AWS_EC2_METADATA_DISABLED, set by os.Setenv at main.go:9 (v1_main_turns_metadata_off/cmd/app/main.go, a file of the module))", body: `
func Session() (*session.Session, error) {
	return session.NewSession(&aws.Config{Credentials: credentials.NewStaticCredentials("{{ID}}", "{{SECRET}}", "")})
}`, others: map[string]string{"cmd/app/main.go": "package main\n\nimport (\n\t\"os\"\n\n\tshape \"example.com/shapes/v1_main_turns_metadata_off\"\n)\n\n" +
			"func main() { os.Setenv(\"AWS_EC2_METADATA_DISABLED\", \"true\"); shape.Session() }\n"}},
	{name: "v1_dockerfile_metadata_off", imports: []string{v1aws, v1creds, v1sess}, reason: "metadata off",
		says: "AWS_EC2_METADATA_DISABLED, set in v1_dockerfile_metadata_off/Dockerfile:2", body: `
func newSession() (*session.Session, error) {
	return session.NewSession(aws.NewConfig().WithRegion("eu-west-1").WithCredentials(credentials.NewStaticCredentials("{{ID}}", "{{SECRET}}", "")))
}`, others: map[string]string{"Dockerfile": "FROM scratch\nENV AWS_EC2_METADATA_DISABLED=true\n"}},
	{name: "v1_operation_endpoint", imports: []string{ctxPkg, v1aws, v1creds, v1req, v1sess, v1sts}, reason: "custom endpoint (Endpoint, a per-operation option of svc.GetCallerIdentityWithContext", body: `
func client() *sts.STS {
	sess := session.Must(session.NewSession(&aws.Config{Credentials: credentials.NewStaticCredentials("{{ID}}", "{{SECRET}}", "")}))
	return sts.New(sess)
}

func whoami(ctx context.Context, svc *sts.STS) error {
	_, err := svc.GetCallerIdentityWithContext(ctx, &sts.GetCallerIdentityInput{}, func(r *request.Request) {
		r.ClientInfo.Endpoint = "http://minio.local:9000"
	})
	return err
}`},
	{name: "v1_package_variable", imports: []string{v1creds}, reason: "kept in a variable of the provider type: removing it changes what the variable's users get", body: `
var creds = credentials.NewStaticCredentials("{{ID}}", "{{SECRET}}", "")`},
	// Where no instance metadata serves the instance role (qa25 M5), the
	// fix's ec2rolecreds finds no credentials, or the node's: a module that
	// deploys the program to Lambda, Fargate or a pod with its own role
	// (IRSA) keeps its keys for a person, in v1 too; a template of an EC2
	// instance does not.
	{name: "v2_sam_lambda", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, reason: "runs on Lambda",
		says: "AWS::Serverless::Function, declared in v2_sam_lambda/template.yaml:4", body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{"template.yaml": "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Fn: {Type: AWS::Serverless::Function, Properties: {CodeUri: ., Handler: bootstrap, Runtime: provided.al2023}}\n"}},
	{name: "v2_fargate_taskdef", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, reason: "runs on Fargate",
		says: "FARGATE, named in v2_fargate_taskdef/deploy/taskdef.json:4", body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{"deploy/taskdef.json": "{\n  \"family\": \"app\",\n  \"taskRoleArn\": \"arn:aws:iam::123456789012:role/app\",\n  \"requiresCompatibilities\": [\"FARGATE\"],\n  \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"app\"}]\n}\n"}},
	{name: "v2_irsa_service_account", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, reason: "a pod with its own role",
		says: "eks.amazonaws.com/role-arn, set in v2_irsa_service_account/k8s/sa.yaml:5", body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{"k8s/sa.yaml": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/app\n  name: app\n"}},
	{name: "v2_serverless_framework", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, reason: "runs on Lambda",
		says: "a Serverless Framework service on AWS, in v2_serverless_framework/serverless.yml:2", body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{"serverless.yml": "service: app\nprovider:\n  name: aws\n  runtime: provided.al2023\nfunctions:\n  app: {handler: bootstrap}\n"}},
	{name: "v1_sam_lambda", imports: []string{v1aws, v1creds, v1sess}, reason: "runs on Lambda",
		says: "AWS::Lambda::Function, declared in v1_sam_lambda/stack.json:1", body: `
func newSession() (*session.Session, error) {
	return session.NewSession(&aws.Config{Credentials: credentials.NewStaticCredentials("{{ID}}", "{{SECRET}}", "")})
}`, others: map[string]string{"stack.json": "{\"Resources\": {\"Fn\": {\"Type\": \"AWS::Lambda::Function\"}}}\n"}},
	// Where no AWS role exists at all (qa26 M4): a CLI released for
	// people's own computers, Heroku, Cloud Run, App Engine. A GoReleaser
	// file that builds Linux server binaries for a Docker image keeps the
	// fix.
	{name: "v2_goreleaser_cli", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, reason: "no AWS role exists at all",
		says: "releases the program for people's own computers (goos: darwin, in v2_goreleaser_cli/.goreleaser.yaml:4)", body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{".goreleaser.yaml": "version: 2\nbuilds:\n  - env: [CGO_ENABLED=0]\n    goos: [darwin, windows, linux]\nbrews:\n  - name: app\n"}},
	{name: "v2_heroku_yml", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, reason: "no AWS role exists at all",
		says: "deploys the program to Heroku (app.json, heroku.yml), in v2_heroku_yml/heroku.yml", body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{"heroku.yml": "build:\n  docker:\n    web: Dockerfile\n"}},
	{name: "v2_cloud_run_service", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, reason: "no AWS role exists at all",
		says: "Google Cloud Run (a Knative service with Google's registry or annotations), in v2_cloud_run_service/deploy/service.yaml", body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{"deploy/service.yaml": "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n      containers:\n        - image: gcr.io/proj/app\n"}},
	{name: "v2_app_engine", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, reason: "no AWS role exists at all",
		says: "Google App Engine (app.yaml with runtime:), in v2_app_engine/app.yaml", body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{"app.yaml": "runtime: go122\ninstance_class: F2\n"}},
	{name: "v2_cloudbuild_run_deploy", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, reason: "no AWS role exists at all",
		says: "Google Cloud Run (run deploy), in v2_cloudbuild_run_deploy/cloudbuild.yaml", body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{"cloudbuild.yaml": "steps:\n  - name: gcr.io/google.com/cloudsdktool/cloud-sdk\n    entrypoint: gcloud\n    args: [run, deploy, app, --image, gcr.io/$PROJECT_ID/app]\n"}},
	{name: "v2_deploy_cloudrun_action", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, reason: "no AWS role exists at all",
		says: "Google Cloud Run (google-github-actions/deploy-cloudrun)", body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{".github/workflows/deploy.yml": "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: google-github-actions/deploy-cloudrun@v2\n        with:\n          service: app\n"}},
	{name: "v2_cloud_run_terraform", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, reason: "no AWS role exists at all",
		says: "Google Cloud Run (google_cloud_run_v2_service), in v2_cloud_run_terraform/infra/main.tf", body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{"infra/main.tf": "resource \"google_cloud_run_v2_service\" \"app\" {\n  name     = \"app\"\n  location = \"europe-west1\"\n}\n"}},
	{name: "v2_azure_container_app", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, reason: "no AWS role exists at all",
		says: "Azure Container Apps (Microsoft.App/containerApps)", body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{"containerapp.yaml": "properties:\n  template:\n    containers:\n      - image: myacr.azurecr.io/app:latest\n        name: app\ntype: Microsoft.App/containerApps\n"}},
	{name: "v2_azure_functions_host", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, reason: "no AWS role exists at all",
		says: "Azure Functions (host.json)", body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{"host.json": "{\n  \"version\": \"2.0\",\n  \"customHandler\": {\n    \"description\": {\"defaultExecutablePath\": \"app\"}\n  }\n}\n"}},
	{name: "v2_cloudbuild_build_only", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, fix: true, body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{"cloudbuild.yaml": "# deploy later with gcloud run deploy\nsteps:\n  - name: gcr.io/cloud-builders/docker\n    args: [build, -t, 123456789012.dkr.ecr.us-east-1.amazonaws.com/app, .]\n"}},
	{name: "v2_goreleaser_linux_docker", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, fix: true, body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{".goreleaser.yaml": "builds:\n  - env: [CGO_ENABLED=0]\n    goos: [linux]\n    goarch: [amd64, arm64]\ndockers:\n  - image_templates: [\"123456789012.dkr.ecr.us-east-1.amazonaws.com/app:{{ .Tag }}\"]\nnfpms:\n  - formats: [deb]\n"}},
	// A desktop program, or one packaged for people's own computers
	// (qa29 M3): a Wails project, a snap; a snap that runs a daemon is a
	// server's and keeps the fix.
	{name: "v2_wails_project", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, reason: "no AWS role exists at all",
		says: "a Wails desktop project (v2_wails_project/wails.json:3)", body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{"wails.json": "{\n  \"name\": \"app\",\n  \"outputfilename\": \"app\",\n  \"frontend:install\": \"npm install\"\n}\n"}},
	{name: "v2_snap", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, reason: "no AWS role exists at all",
		says: "a snap (v2_snap/snap/snapcraft.yaml:1)", body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{"snap/snapcraft.yaml": "name: app\nbase: core24\nconfinement: strict\napps:\n  app:\n    command: bin/app\n"}},
	{name: "v2_snap_daemon", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, fix: true, body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{"snap/snapcraft.yaml": "name: app\nbase: core24\napps:\n  app:\n    command: bin/app\n    daemon: simple\n"}},
	// A program a CI job runs on the service's own machines (qa29 M3);
	// on a self-hosted runner it keeps the fix.
	{name: "v2_ci_hosted_run", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, reason: "no AWS role exists at all",
		says: "a CI job runs the program (go run ./v2_ci_hosted_run, in v2_ci_hosted_run/.github/workflows/sync.yml:6)", body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{".github/workflows/sync.yml": "on: push\njobs:\n  sync:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go run ./v2_ci_hosted_run\n"}},
	{name: "v2_ci_self_hosted_run", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, fix: true, body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{".github/workflows/sync.yml": "on: push\njobs:\n  sync:\n    runs-on: [self-hosted, ec2]\n    steps:\n      - run: go run ./v2_ci_self_hosted_run\n"}},
	{name: "v2_ec2_template", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, fix: true, body: `
func client(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg)
}`, others: map[string]string{"template.yaml": "Resources:\n  Host: {Type: AWS::EC2::Instance, Properties: {ImageId: ami-12345678, IamInstanceProfile: app}}\n"}},
	// fix29's hostile pass: a config stored in a field of the program's
	// own struct (a literal, or an assignment to the field) is read by a
	// method that builds a MinIO client from it; a client's options
	// copied into a new client (s3.New(c.Options(), withMinio)) take its
	// credentials elsewhere; a v1 handler that sets the request's Host
	// header names another server. Each was fixed.
	{name: "v2_config_in_struct_literal", imports: []string{ctxPkg, v2aws, v2cfg, v2creds, v2s3}, reason: "the config leaves this function (stored in a field of app",
		says: "stored in a field of app", body: `
type app struct{ cfg aws.Config }

func newApp(ctx context.Context) *app {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return &app{cfg: cfg}
}

func (a *app) minio() *s3.Client {
	return s3.NewFromConfig(a.cfg, func(o *s3.Options) { o.BaseEndpoint = aws.String("http://minio.local:9000") })
}`},
	{name: "v2_config_in_field", imports: []string{ctxPkg, v2aws, v2cfg, v2creds, v2s3}, reason: "the config leaves this function (stored in the field app.cfg",
		says: "stored in the field app.cfg", body: `
type app struct{ cfg aws.Config }

func newApp(ctx context.Context) *app {
	a := &app{}
	a.cfg, _ = config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return a
}

func (a *app) minio() *s3.Client {
	return s3.NewFromConfig(a.cfg, func(o *s3.Options) { o.BaseEndpoint = aws.String("http://minio.local:9000") })
}`},
	// prec30: a struct field that holds the client built from the
	// config, not the config, is fixed: a client's endpoint is fixed when
	// it is built, and this one is built with none. The config itself in a
	// field stays withheld (above), literal keys in the same function or
	// not: a method of the type may read it into a MinIO client, and
	// following every read of the field (promoted fields, conversions to
	// a struct type of the same fields) is not done.
	{name: "v2_client_in_struct_literal", imports: []string{ctxPkg, v2cfg, v2creds, v2s3}, fix: true, body: `
type app struct{ s3 *s3.Client }

func newApp(ctx context.Context) *app {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return &app{s3: s3.NewFromConfig(cfg)}
}`},
	{name: "v2_config_literal_in_struct_same_function", imports: []string{v2aws, v2creds, v2s3}, reason: "the config leaves this function (stored in a field of app",
		says: "stored in a field of app", body: `
type app struct {
	cfg aws.Config
	s3  *s3.Client
}

func newApp() *app {
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")}
	return &app{cfg: cfg, s3: s3.NewFromConfig(cfg)}
}`},
	{name: "v2_client_options_copied", imports: []string{ctxPkg, v2aws, v2cfg, v2creds, v2s3}, reason: "custom endpoint (BaseEndpoint, a per-operation option of s3.New",
		says: "a per-operation option of s3.New at shape.go:", body: `
type store struct{ *s3.Client }

func newStore(ctx context.Context) store {
	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return store{s3.NewFromConfig(cfg)}
}

func (s store) mirror() *s3.Client {
	return s3.New(s.Options(), func(o *s3.Options) { o.BaseEndpoint = aws.String("http://minio.local:9000") })
}`},
	{name: "v1_request_host_header", imports: []string{v1aws, v1creds, v1req, v1sess, v1sts}, reason: "custom endpoint (Host of a request set",
		says: "Host of a request set at shape.go:", body: `
func client() *sts.STS {
	sess := session.Must(session.NewSession(&aws.Config{Credentials: credentials.NewStaticCredentials("{{ID}}", "{{SECRET}}", "")}))
	sess.Handlers.Send.PushFront(func(r *request.Request) { r.HTTPRequest.Host = "minio.local:9000" })
	return sts.New(sess)
}`},
}

const shapesGoMod = `module example.com/shapes

go 1.26

require (
	github.com/aws/aws-sdk-go v1.55.8
	github.com/aws/aws-sdk-go-v2 v1.48.0
	github.com/aws/aws-sdk-go-v2/config v1.33.18
	github.com/aws/aws-sdk-go-v2/credentials v1.21.0
	github.com/aws/aws-sdk-go-v2/service/s3 v1.114.10
	github.com/aws/aws-sdk-go-v2/service/sts v1.52.0
	github.com/joho/godotenv v1.5.1
	github.com/subosito/gotenv v1.4.1
)
`

// TestGoFixShapes runs go vet and go fix with keyscan as their tool on a
// module holding one file per shape, on the real SDKs. After go fix the
// module builds and passes plain go vet, keyscan reports exactly the shapes
// without a fix, and a second go fix changes nothing.
//
// KEYSCAN_SHAPES, a regular expression, narrows the run to the shapes whose
// names it matches (a quick check of the shapes one change is about).
func TestGoFixShapes(t *testing.T) {
	gobin, tmp, bin := buildKeyscan(t)
	shapes := shapes
	if re := os.Getenv("KEYSCAN_SHAPES"); re != "" {
		only := regexp.MustCompile(re)
		shapes = slices.DeleteFunc(slices.Clone(shapes), func(s shape) bool { return !only.MatchString(s.name) })
	}

	mod := filepath.Join(tmp, "shapes")
	write(t, filepath.Join(mod, "go.mod"), shapesGoMod)
	gen := fakekey.New(1107)
	files := map[string]string{} // shape name -> file name
	keys := map[string][2]string{}
	before := map[string]string{} // shape name -> source
	for _, s := range shapes {
		id, secret := gen.KeyID("AKIA"), gen.Secret()
		src := strings.NewReplacer("{{ID}}", id, "{{SECRET}}", secret, "{{OTHERID}}", "minio"+strings.ToLower(id[5:])).Replace(s.body)
		var b strings.Builder
		fmt.Fprintf(&b, "package shape\n\nimport (\n")
		for _, imp := range s.imports {
			fmt.Fprintf(&b, "\t%s\n", imp)
		}
		fmt.Fprintf(&b, ")\n%s\n", src)
		files[s.name] = s.name + "/shape.go" // one package per shape
		keys[s.name] = [2]string{id, secret}
		before[s.name] = b.String()
		write(t, filepath.Join(mod, filepath.FromSlash(files[s.name])), b.String())
		for name, src := range s.others {
			write(t, filepath.Join(mod, s.name, name), src)
		}
	}
	// A file of another GOOS is built by that GOOS only: go fix's edit of
	// the package must still type-check there. Checked from source
	// (go/packages), as TestBuildsOnOtherSystems does: a GOOS=windows go
	// build compiled the standard library and the SDK for Windows from a
	// cold cache, about 60 CPU seconds, to find what the type checker
	// finds.
	otherGOOS := func(when string) {
		t.Helper()
		for _, s := range shapes {
			for name := range s.others {
				if !strings.HasSuffix(name, "_windows.go") {
					continue
				}
				cfg := &packages.Config{
					Mode: packages.NeedName | packages.NeedFiles | packages.NeedImports | packages.NeedDeps |
						packages.NeedTypes | packages.NeedSyntax,
					Dir: mod,
					Env: append(goEnv(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0"),
				}
				pkgs, err := packages.Load(cfg, "./"+s.name)
				if err != nil {
					t.Fatalf("GOOS=windows: loading ./%s %s: %v", s.name, when, err)
				}
				var errs []string
				packages.Visit(pkgs, nil, func(p *packages.Package) {
					for _, e := range p.Errors {
						errs = append(errs, e.Error())
					}
				})
				if len(pkgs) != 1 || !slices.Contains(pkgs[0].GoFiles, filepath.Join(mod, s.name, name)) || len(errs) > 0 {
					t.Errorf("GOOS=windows: ./%s %s does not type-check with %s: %d packages, errors:\n%s", s.name, when, name, len(pkgs), strings.Join(errs, "\n"))
				}
			}
		}
	}
	run(t, mod, gobin, "mod", "tidy")
	run(t, mod, gobin, "build", "./...")

	// Before: every shape but the silent ones is reported.
	out, _ := runCode(t, mod, gobin, "vet", "-vettool="+bin, "./...")
	got := reportedShapes(out, files)
	var want []string
	for _, s := range shapes {
		if !s.silent {
			want = append(want, s.name)
		}
	}
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("go vet -vettool=keyscan before go fix reported shapes\n%v\nwant\n%v\noutput:\n%s", got, want, out)
	}
	// A shape that names what go vet must say says it, in its own
	// diagnostics.
	for _, s := range shapes {
		if s.says == "" {
			continue
		}
		said := false
		for _, line := range strings.Split(out, "\n") {
			said = said || strings.Contains(line, files[s.name]+":") && strings.Contains(line, s.says)
		}
		if !said {
			t.Errorf("shape %s: go vet does not say %q", s.name, s.says)
		}
	}

	run(t, mod, gobin, "fix", "-fixtool="+bin, "./...")
	fixed := map[string]string{}
	for _, s := range shapes {
		b, err := os.ReadFile(filepath.Join(mod, filepath.FromSlash(files[s.name])))
		if err != nil {
			t.Fatal(err)
		}
		fixed[s.name] = string(b)
		if kept := strings.Contains(string(b), keys[s.name][0]) || strings.Contains(string(b), keys[s.name][1]); kept != (!s.fix || s.keeps) {
			t.Errorf("shape %s: fix %v, but after go fix the file is:\n%s", s.name, s.fix, b)
		}
		if !s.fix && string(b) != before[s.name] {
			t.Errorf("shape %s has no fix, but go fix changed its file:\n%s", s.name, b)
		}
	}
	if out, code := runCode(t, mod, gobin, "build", "./..."); code != 0 {
		t.Fatalf("go build after go fix: exit %d\n%s", code, out)
	}
	if out, code := runCode(t, mod, gobin, "vet", "./..."); code != 0 {
		t.Fatalf("plain go vet after go fix: exit %d\n%s", code, out)
	}
	otherGOOS("after go fix")
	out, _ = runCode(t, mod, gobin, "vet", "-vettool="+bin, "./...")
	got = reportedShapes(out, files)
	want = want[:0]
	for _, s := range shapes {
		if (!s.fix || s.keeps) && !s.silent {
			want = append(want, s.name)
		}
	}
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("go vet -vettool=keyscan after go fix reported shapes\n%v\nwant (those without a fix)\n%v\noutput:\n%s", got, want, out)
	}

	// A second go fix is a no-op.
	run(t, mod, gobin, "fix", "-fixtool="+bin, "./...")
	for _, s := range shapes {
		b, _ := os.ReadFile(filepath.Join(mod, filepath.FromSlash(files[s.name])))
		if string(b) != fixed[s.name] {
			t.Errorf("shape %s: the second go fix changed the file:\n%s", s.name, b)
		}
	}
	if t.Failed() {
		for _, s := range shapes {
			t.Logf("%s after go fix:\n%s", files[s.name], fixed[s.name])
		}
	}
}

// reportedShapes lists the shapes whose files go vet's output names.
func reportedShapes(out string, files map[string]string) []string {
	var got []string
	for name, file := range files {
		if regexp.MustCompile(`(?m)^(\./)?` + regexp.QuoteMeta(file) + `:\d+:\d+: `).MatchString(out) {
			got = append(got, name)
		}
	}
	sort.Strings(got)
	return got
}

// TestGoFixGoSum: a module that requires the credentials module but not
// config has no go.sum entry for feature/ec2/imds, which the v2 fix's
// ec2rolecreds imports. The diagnostic says go mod tidy is needed; after it
// the module builds.
func TestGoFixGoSum(t *testing.T) {
	gobin, tmp, bin := buildKeyscan(t)
	mod := filepath.Join(tmp, "credsonly")
	g := fakekey.New(1108)
	write(t, filepath.Join(mod, "go.mod"), "module example.com/credsonly\n\ngo 1.26\n\nrequire (\n\tgithub.com/aws/aws-sdk-go-v2 v1.48.0\n\tgithub.com/aws/aws-sdk-go-v2/credentials v1.21.0\n)\n")
	write(t, filepath.Join(mod, "p.go"), fmt.Sprintf(`package p

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

func provider() aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider(%q, %q, "")
}
`, g.KeyID("AKIA"), g.Secret()))
	run(t, mod, gobin, "mod", "tidy")
	out, _ := runCode(t, mod, gobin, "vet", "-vettool="+bin, "./...")
	if !strings.Contains(out, "run go mod tidy after the fix") {
		t.Errorf("go vet: the diagnostic does not say go mod tidy is needed:\n%s", out)
	}
	run(t, mod, gobin, "fix", "-fixtool="+bin, "./...")
	run(t, mod, gobin, "mod", "tidy")
	run(t, mod, gobin, "build", "./...")
	if out, code := runCode(t, mod, gobin, "vet", "-vettool="+bin, "./..."); code != 0 {
		t.Errorf("go vet -vettool=keyscan after go fix and go mod tidy: exit %d\n%s", code, out)
	}
}

// TestGoFixVendor: in a vendored module (go mod vendor: the go command
// builds from vendor/ only) whose vendor/ lacks ec2rolecreds, the
// diagnostic says go mod tidy and go mod vendor are needed (qa11 LOW-4);
// after them the fixed module builds.
func TestGoFixVendor(t *testing.T) {
	gobin, tmp, bin := buildKeyscan(t)
	mod := filepath.Join(tmp, "vendored")
	g := fakekey.New(1109)
	write(t, filepath.Join(mod, "go.mod"), "module example.com/vendored\n\ngo 1.26\n\nrequire (\n\tgithub.com/aws/aws-sdk-go-v2 v1.48.0\n\tgithub.com/aws/aws-sdk-go-v2/credentials v1.21.0\n)\n")
	write(t, filepath.Join(mod, "p.go"), fmt.Sprintf(`package p

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

func provider() aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider(%q, %q, "")
}
`, g.KeyID("AKIA"), g.Secret()))
	run(t, mod, gobin, "mod", "tidy")
	run(t, mod, gobin, "mod", "vendor")
	out, _ := runCode(t, mod, gobin, "vet", "-vettool="+bin, "./...")
	if !strings.Contains(out, "run go mod tidy && go mod vendor after the fix") || !strings.Contains(out, "ec2rolecreds") {
		t.Errorf("go vet: the diagnostic does not say go mod vendor is needed:\n%s", out)
	}
	run(t, mod, gobin, "fix", "-fixtool="+bin, "./...")
	run(t, mod, gobin, "mod", "tidy")
	run(t, mod, gobin, "mod", "vendor")
	run(t, mod, gobin, "build", "./...")
	if out, code := runCode(t, mod, gobin, "vet", "-vettool="+bin, "./..."); code != 0 {
		t.Errorf("go vet -vettool=keyscan after go fix, go mod tidy and go mod vendor: exit %d\n%s", code, out)
	}
}
