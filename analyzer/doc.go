// Package analyzer defines an Analyzer that reports hardcoded AWS
// credentials and rewrites static SDK credentials to the EC2 instance role.
//
// # Analyzer keyscan
//
// keyscan: report hardcoded AWS credentials and rewrite static SDK credentials to the EC2 instance role
//
// The analyzer reports AWS access key IDs, secret access keys and session
// tokens written into a package, wherever the package holds them:
//
//   - in string literals, through escapes ("\x41KIA...") and in raw strings
//     holding whole configuration files; a report is at the key's own line
//     and column inside the literal, not at the literal's start;
//   - in strings that exist only after constant folding ("AKIA" + part1 +
//     part2, typed constants, const blocks), reported at the expression:
//     splitting a key to dodge a byte scanner does not hide it from the
//     type checker. A constant longer than 64 KiB is never read, nor more
//     than 16 MiB of them per package (doubling a constant 33 times makes
//     one of 160 GiB out of a kilobyte of source): the length is worked
//     out from the declarations (conststr.go);
//   - in comments;
//   - in the files the package embeds with //go:embed, in its other files
//     (assembly, C) and in the Go files its build constraints leave out,
//     reported in those files.
//
// What counts as a credential is decided by keyscan's matcher (package
// scanner), the same one keyscan scan uses: AWS's documented example keys,
// placeholders, hashes and identifiers are not reported, and a
// "keyscan:allow <reason>" comment on the line suppresses a report (without
// a reason it does not, and the report says so).
//
// Static credentials given to the AWS SDKs are recognised by the resolved
// package path and name of what is called or built, not by the names in the
// source: credentials.NewStaticCredentialsProvider and aws.Credentials
// literals of aws-sdk-go-v2, credentials.NewStaticCredentials and
// credentials.Value literals of aws-sdk-go v1, wherever they are given
// (config.WithCredentialsProvider, aws.Config, session.Options). When the
// keys are literals or constants the diagnostic carries a suggested fix,
// which go fix applies:
//
//   - aws-sdk-go-v2: the static provider, or an aws.CredentialsProviderFunc
//     returning an aws.Credentials literal, becomes
//     aws.NewCredentialsCache(ec2rolecreds.New()). Replacing the provider
//     rather than dropping the option works wherever a provider is expected
//     (an option, an aws.Config field, a client's Options), never leaves a
//     client without credentials, and names the instance role outright
//     instead of relying on what LoadDefaultConfig's chain finds first:
//     environment variables or a shared credentials file may hold the very
//     key being removed.
//   - aws-sdk-go v1: the Credentials field, the WithCredentials call or the
//     assignment is removed, so that the default chain, which ends in the
//     EC2 role provider, applies; ec2rolecreds.NewCredentials would need a
//     session, usually the one being configured.
//
// Imports are added (under another name when the usual one is taken) and
// removed with their last use; unexported constants used only by the
// rewritten call are removed too, so that go vet is clean after go fix.
//
// A fix is offered only where the result compiles, passes plain go vet and
// keeps the program talking to the same service: the provider must go where
// an interface it satisfies is expected, no variable may lose its last use,
// a v1 WithCredentials call used as a statement goes with its statement (a
// bare cfg, or cfg = cfg, would not do), and there is no fix when the client
// has a custom endpoint in the same declaration (BaseEndpoint, Endpoint, an
// endpoint resolver or option func) or the key ID is not an AWS key ID:
// the instance role's credentials would go to a server that does not know
// them. The same holds for what the credentials are given with: an option
// func, config or session passed to the calls that carry them must be one
// the analyzer can read whole (a literal, an SDK call, a function of the
// package whose body it reads, a local variable of such values) and see set
// no endpoint; a package variable, a field or another package's function
// may set one out of sight, and there is no fix. For aws-sdk-go-v2, which
// also reads AWS_ENDPOINT_URL and a profile's endpoint_url, there is none in
// a package that sets those variables or AWS_PROFILE, or where the code
// chooses a shared-config profile other than the default. Every key of a site says in its message what go fix does there, or
// why there is none. The v2 fix imports ec2rolecreds, whose dependency
// feature/ec2/imds is a module of its own: when the module's go.sum lacks
// it, the message says go mod tidy is needed. Whatever the fix, a key that
// was committed must be deactivated and rotated.
//
// The analyzer reads the .keyscan.toml keyscan scan reads for the module's
// files (config.Scope: the one at the top of the git work tree holding the
// module, with paths from the top), or the file named by its -config flag
// (keyscan.config under go vet), for allowed values, extra keywords and
// exclusions, so that go vet and keyscan scan judge a file alike.
//
// A vet pass sees Go packages only: shared credentials files, .env files,
// Kubernetes manifests and CI configuration need keyscan scan. Conversely
// keyscan scan calls ScanPackageDir, so that a folder scan finds a key split
// across constants just as go vet does.
package analyzer
