// Package fix rewrites configuration files that hold AWS keys so that they
// rely on the EC2 instance role instead, the change keyscan fix shows or
// applies.
//
// Apply takes a file's name, its content and the scanner's findings for it,
// and returns the new content. The change is the smallest that removes the
// credentials: the lines (or JSON members, Dockerfile ENV pairs, Kubernetes
// env entries) that assign a reported value are deleted, and nothing else in
// the file moves: comments, order, indentation and line endings (CRLF
// included) stay as they were. Where the format has comments, a one-line
// comment takes the place of the removed keys and says where the credentials
// come from now.
//
// The file's syntax is chosen from its name (and, for CloudFormation
// templates, from its first character): AWS shared credentials and config
// files and other INI files, .env files and shell scripts, Dockerfiles,
// YAML (compose files, Kubernetes manifests, CI pipelines, CloudFormation,
// application configs), JSON, Terraform/HCL and Java properties. A name
// that says nothing (aws_credentials, env.production, a backup copy, a
// script without an extension) gets the kind scanner.Classify gives it
// from its content, the kind the scanner's advice is based on: a file the
// scanner advises to fix as a credentials file is fixed as one.
//
// Commented-out settings are removed like settings (a Dockerfile's
// `# ENV KEY=value` too). In shell scripts, CI
// run:/script: commands and Dockerfile RUN instructions, the
// `aws configure set` commands that store a key are cut out of their
// command list (shell.go) with one of the && or ; operators next to them,
// chosen so that the commands left run as they did.
//
// In Python (boto3, botocore) and JavaScript/TypeScript (AWS SDK v2 and
// v3), the keyword argument, the object property or the AWS.Credentials
// expression that passes a literal key to an SDK call is removed, commas
// adjusted, so that the SDK's default chain applies (code.go, python.go,
// javascript.go). Only calls the fix knows with certainty are rewritten; a
// key in a variable stays for a person, since removing the variable could
// break code that uses it.
//
// A key ID and its secret are removed together or not at all (pairs.go).
//
// In HCL only Terraform's provider, backend and variable settings are
// removed (hcl.go): other blocks and other tools' files are read by
// something keyscan does not see.
//
// A GitHub Actions job on a GitHub-hosted runner has no instance role:
// its keys stay for a person with the advice to use OpenID Connect
// (actions.go). Neither has a platform that is not EC2 (Render, Vercel,
// Cloud Run, Heroku, ...): the keys of its deployment files, and of code
// that runs as one of its functions or belongs to a project deployed with
// such a file (ProjectPlatform, which keyscan fix asks of the folders above
// the code), stay with that platform's advice (platform.go).
//
// Where a program does not fall back to the instance role by itself once
// its keys are gone, the setting that makes it do so is changed with them:
// an rclone remote's env_auth, a Grafana data source's authType (tools.go).
//
// A key whose client, profile, remote or provider names a custom endpoint
// (MinIO, R2, LocalStack) is not an AWS key and stays for a person
// (endpoint.go): without it the SDK would sign that service's requests
// with the instance role's credentials. An AWS profile's endpoint may
// stand in the config file beside its credentials or in the [services
// NAME] section it names (profile.go); a compose service's endpoint in
// its env_file (compose.go). A program that chooses a shared-config
// profile or file by name (boto3's profile_name=, AWS_PROFILE, the
// JavaScript SDK's profile:, Terraform's profile =) keeps its keys: that
// profile's endpoint_url is in a file keyscan does not read with it.
//
// A removal must not break what reads the removed setting by name: a
// Secret's key a secretKeyRef names, a Helm value a template reads, a
// .env variable a compose file interpolates or code reads with no default
// or with a default it would build credentials from, the same variable set
// in a container's env: or a compose service's environment:
// (programenv.go) and read by the deployment itself ($(NAME) in a
// container's args:), a .tfvars value whose
// variable has no default (refs.go: Definitions, References; keyscan fix
// looks for the readers in every file of the run and holds what is still
// read, Options.Hold). The env entries of the same manifest that read a
// removed Secret key are removed with it.
//
// A finding is removed only where keyscan understands the assignment: a line
// whose value is the reported key, or a key whose name says it holds a
// credential. A key inside a longer text (a command line, a URL, prose;
// a URL even under a credential's name: deleting the setting would lose
// the host and the options around the key) is
// left for a person and returned in Result.Manual with the reason; so are the
// findings in other source code (Go files are rewritten by the analyzer's
// suggested fixes through go fix -fixtool).
//
// Choices:
//   - An INI profile whose keys were removed is kept, with the comment in
//     their place: a program may name the profile (AWS_PROFILE, --profile),
//     and a missing profile is an error where an empty one falls through to
//     the instance role. Other settings in it (region, output) stay.
//   - In YAML, a block scalar whose value is the key ("secret: |" and the
//     key on the next line) is one setting, removed whole as a plain one
//     is. A key left with no children by the removal (an emptied env:,
//     environment: or data:, a block scalar that held other lines too) is
//     removed too, so that no null appears where a list or map was; but when
//     that would leave its own parent (or the document) empty, the key stays
//     with an empty value of its kind ({}, [] or ""), so the removal never
//     climbs further up the file. YAML gets no comment: a comment line
//     inside a block scalar would become content.
//   - A file that did not end with a newline does not gain one.
//   - A YAML mapping or JSON object named for credentials that the fix
//     empties is removed, also where its parent is left empty: an SDK
//     handed "credentials": {} takes it as credentials given.
//   - JSON has no comments; commas are adjusted so the file still parses.
//   - Apply verifies that a JSON file that parsed before still parses after.
package fix
