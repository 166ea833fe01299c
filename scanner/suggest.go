package scanner

import (
	"bytes"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/keyscan/keyscan/rules"
)

// FileKind is the kind of file a value was found in, as far as the
// remediation advice is concerned.
type FileKind string

const (
	KindGo             FileKind = "go"
	KindSharedConfig   FileKind = "aws-shared-config" // ~/.aws/credentials, ~/.aws/config, s3cmd, rclone
	KindEnv            FileKind = "dotenv"
	KindDocker         FileKind = "docker"
	KindKubernetes     FileKind = "kubernetes"
	KindCI             FileKind = "ci"
	KindTerraform      FileKind = "terraform"
	KindCloudFormation FileKind = "cloudformation"
	KindPython         FileKind = "python"
	KindJavaScript     FileKind = "javascript"
	KindJava           FileKind = "java"
	KindSpring         FileKind = "spring"
	KindShell          FileKind = "shell"
	KindOther          FileKind = "other"
)

// ClassifyFile names the kind of file by its path alone.
func ClassifyFile(name string) FileKind {
	// An archive member (app.zip!config/.env) is classified by its own path.
	if i := strings.LastIndexByte(name, '!'); i >= 0 {
		name = name[i+1:]
	}
	p := strings.ToLower(strings.ReplaceAll(name, `\`, "/"))
	base := path.Base(p)
	ext := path.Ext(base)
	switch {
	case ext == ".go":
		return KindGo
	case strings.Contains(p, ".aws/") && (base == "credentials" || base == "config"),
		base == "credentials" && ext == "", base == ".s3cfg", base == "s3cfg", base == "rclone.conf", base == ".boto", base == "boto.cfg":
		return KindSharedConfig
	case base == ".env" || strings.HasPrefix(base, ".env.") || ext == ".env" || base == ".envrc":
		return KindEnv
	case base == "dockerfile" || strings.HasPrefix(base, "dockerfile.") || ext == ".dockerfile" ||
		strings.HasPrefix(base, "docker-compose") || strings.HasPrefix(base, "compose.") || strings.HasPrefix(base, "compose-"):
		return KindDocker
	case strings.Contains(p, ".github/workflows/") || base == ".gitlab-ci.yml" || strings.Contains(p, ".circleci/") ||
		base == "jenkinsfile" || base == ".travis.yml" || base == "bitbucket-pipelines.yml" ||
		strings.HasPrefix(base, "azure-pipelines") || base == "buildspec.yml" || base == "buildspec.yaml" ||
		strings.Contains(p, ".buildkite/") || base == ".drone.yml" || base == "cloudbuild.yaml":
		return KindCI
	case ext == ".tf" || ext == ".tfvars" || ext == ".hcl" || strings.HasSuffix(base, ".tf.json"):
		return KindTerraform
	case strings.Contains(base, "cloudformation") || strings.HasSuffix(base, ".template") || strings.Contains(base, ".cfn."):
		return KindCloudFormation
	case strings.Contains(p, "k8s/") || strings.Contains(p, "kubernetes/") || strings.Contains(p, "manifests/") ||
		strings.Contains(p, "helm/") || strings.Contains(p, "charts/"):
		if ext == ".yaml" || ext == ".yml" || ext == ".json" {
			return KindKubernetes
		}
	case ext == ".py" || ext == ".ipynb":
		return KindPython
	case ext == ".js" || ext == ".ts" || ext == ".mjs" || ext == ".cjs" || ext == ".jsx" || ext == ".tsx":
		return KindJavaScript
	case ext == ".java" || ext == ".kt" || ext == ".scala" || ext == ".groovy":
		return KindJava
	case ext == ".properties" || strings.HasPrefix(base, "application") && (ext == ".yml" || ext == ".yaml"):
		return KindSpring
	case ext == ".sh" || ext == ".bash" || ext == ".zsh" || base == ".bashrc" || base == ".zshrc" || base == ".profile":
		return KindShell
	}
	return KindOther
}

// sniffFile refines a path-based kind with the file's content: a YAML or
// JSON file is a Kubernetes manifest or a CloudFormation template by what it says.
func sniffFile(k FileKind, name string, data []byte) FileKind {
	if k != KindOther && k != KindSpring && k != KindKubernetes {
		return k
	}
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	s := string(head)
	ext := strings.ToLower(path.Ext(name))
	if k == KindOther && (ext == "" || ext == ".ini" || ext == ".cfg" || ext == ".conf" || ext == ".txt") &&
		strings.Contains(s, "[") && (strings.Contains(s, "aws_access_key_id") || strings.Contains(s, "aws_secret_access_key")) {
		return KindSharedConfig // a credentials file saved under another name
	}
	if k == KindOther && iniCredentials(s, len(data) > len(head)) {
		// Under any other name (prod.credentials, credentials.prod), only
		// a file that is an INI file throughout: a section first, then
		// settings, an AWS key among them. A document or a program that
		// shows such lines holds other lines too.
		return KindSharedConfig
	}
	if ext != ".yaml" && ext != ".yml" && ext != ".json" && ext != ".template" {
		return k
	}
	switch {
	case strings.Contains(s, "AWSTemplateFormatVersion") || strings.Contains(s, "AWS::"):
		return KindCloudFormation
	case strings.Contains(s, "apiVersion") && strings.Contains(s, "kind"):
		return KindKubernetes
	}
	return k
}

// iniCredentials reports whether head, the start of a file (cut when
// truncated), is an AWS credentials or config file: comment, blank, section
// and `name = value` lines only, a section before the first setting, and an
// aws_access_key_id, aws_secret_access_key or aws_session_token setting.
// An indented line after a setting continues it, as in the AWS CLI's
// nested settings (s3 =, then max_concurrent_requests = 20).
func iniCredentials(head string, truncated bool) bool {
	lines := strings.Split(head, "\n")
	if truncated {
		lines = lines[:len(lines)-1] // the last may be cut
	}
	section, setting, aws := false, false, false
	for _, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case t == "" || t[0] == '#' || t[0] == ';':
		case t[0] == '[' && t[len(t)-1] == ']':
			section = true
		case !section:
			return false
		case setting && (l[0] == ' ' || l[0] == '\t'):
		default:
			name, _, ok := strings.Cut(t, "=")
			name = strings.TrimSpace(name)
			if !ok || name == "" || strings.ContainsAny(name, " \t\"'()[]{};,") {
				return false
			}
			setting = true
			switch strings.ToLower(name) {
			case "aws_access_key_id", "aws_secret_access_key", "aws_session_token":
				aws = true
			}
		}
	}
	return aws
}

// TokenNote starts the suggestion of a session token. The text report drops
// it, and the response that ends every suggestion, where it prints the
// advice once for a whole file.
const TokenNote = "This is a temporary session token: it expires, but until then it works with its key pair. "

// Suggestion says how to replace a credential of kind k found in the file
// called name with the EC2 instance role provider, and what to do about the
// leaked value, which depends on the value itself (rules.ExposureOf): a
// temporary key is revoked in another way than a long-term one.
//
// The caller of Suggestion has not paired the value: a secret is then
// advised as the secret of a long-term key, the common case.
func Suggestion(name string, k rules.Kind, value string) string {
	e := rules.ExposureOf(k, value, "")
	if e == rules.SecretOnly {
		e = rules.LongTermKey
	}
	return withResponse(suggestion(ClassifyFile(name), name, k), e)
}

// hclFlavor names the tool a file of the Terraform kind is written for:
// .hcl is also Packer's, Terragrunt's, Nomad's and Vault's language, where
// the provider "aws" block that Terraform's advice names does not exist; a
// .tfvars file sets variables and holds no block; a .tf file's advice
// names the block the key stands in (tfPlace), read in HCL, not in the
// JSON of a .tf.json file or in Terragrunt's blocks.
func hclFlavor(name string) string {
	if i := strings.LastIndexByte(name, '!'); i >= 0 {
		name = name[i+1:]
	}
	base := strings.ToLower(path.Base(PlainName(strings.ReplaceAll(name, `\`, "/")))) // main.tf.bak is main.tf
	switch ext := path.Ext(base); {
	case strings.HasSuffix(base, ".pkr.hcl") || strings.HasSuffix(base, ".pkrvars.hcl"):
		return "packer"
	case base == "terragrunt.hcl":
		return "terragrunt"
	case ext == ".tfvars":
		return "tfvars"
	case ext == ".tf":
		return "terraform"
	case ext != ".hcl":
		return "terraform-json"
	}
	return "hcl"
}

// The advice of Terraform's places (see tfPlace).
const (
	tfProviderAdvice = "Delete access_key/secret_key (and token) from the provider \"aws\" block; the provider's credential chain ends in the " +
		"instance profile of the machine that runs Terraform."
	tfBackendAdvice = "Delete access_key/secret_key (and token) from the backend \"s3\" block, then run terraform init -reconfigure: " +
		"the S3 backend has its own credential chain, which ends in the instance profile of the machine that runs Terraform."
	tfVariableAdvice = "Delete the variable that holds the key, with its use in provider \"aws\" (access_key = var....): without its " +
		"default the variable would be required, and without access_key/secret_key the provider's credential chain ends in " +
		"the instance profile of the machine that runs Terraform."
	tfvarsAdvice = "Delete the key from the .tfvars file, and the variable it sets with its use in provider \"aws\" (access_key = var....): " +
		"a variable left without a value or a default is required, so terraform plan would ask for it; without " +
		"access_key/secret_key the provider's credential chain ends in the instance profile of the machine that runs Terraform."
	tfOtherAdvice = "Remove the key from this block and from what reads it (a module's input, a local used by provider \"aws\"): " +
		"Terraform's AWS provider and S3 backend given no keys use their credential chain, which ends in the instance profile " +
		"of the machine that runs Terraform."
)

// hclSuggestion advises a file of the Terraform kind by hclFlavor, for a
// key in the provider "aws" block of a .tf file.
func hclSuggestion(name string) string {
	switch hclFlavor(name) {
	case "packer":
		return "Delete access_key/secret_key (and token) from the amazon source or builder and its variables; Packer's amazon " +
			"plugin then uses the default credential chain, which ends in the instance profile of the machine that runs the build."
	case "tfvars":
		return tfvarsAdvice
	case "terraform", "terraform-json", "terragrunt":
		return tfProviderAdvice
	}
	return "Remove the key from this HCL file: Terraform, Terragrunt and Packer's amazon plugin use the default credential chain, " +
		"which ends in the instance profile of the machine they run on, and a Nomad job or a Vault setting that leaves the keys " +
		"out gets the instance role of its node the same way."
}

// The advice of a .properties file or a Spring Boot application.yml: the
// file of a Spring Cloud AWS application, or of any other Java program,
// which reads its keys through the AWS SDK (aws.accessKeyId, the SDK's
// system property names) or its own code.
const (
	springAdvice = "Delete the access-key/secret-key properties: Spring Cloud AWS falls back to the default chain, which ends in the instance " +
		"role (instance profile)."
	javaPropertiesAdvice = "Delete the access-key/secret-key properties, and build the AWS clients with the SDK's default chain " +
		"(DefaultCredentialsProvider, or no credentials provider at all), which ends in the instance role (instance profile)."
)

// springFile reports whether a file of the Spring kind configures Spring
// Cloud AWS (cloud.aws. properties, spring: or cloud: then aws: in YAML):
// only there do the properties' absence hand the application to the
// default chain by itself.
func (m *match) springFile() bool {
	if m.springKnown == 0 {
		m.springKnown = 1
		if bytes.Contains(m.data, []byte("cloud.aws.")) || springYAML.Match(m.data) {
			m.springKnown = 2
		}
	}
	return m.springKnown == 2
}

// springYAML matches the cloud: key of Spring Cloud AWS's YAML settings
// with aws: under it.
var springYAML = regexp.MustCompile(`(?m)^[ \t]*cloud:[ \t]*\r?\n[ \t]+aws:`)

// suggestion is the advice for candidate c of this input: the file kind's,
// and in a .tf file the advice of the block the key stands in.
func (m *match) suggestion(c cand) string {
	fk := m.fileKind()
	if fk == KindSpring && !m.springFile() {
		s := javaPropertiesAdvice
		if c.kind == rules.SessionToken {
			s = TokenNote + s
		}
		return s
	}
	if fk != KindTerraform || hclFlavor(m.name) != "terraform" {
		return suggestion(fk, m.name, c.kind)
	}
	var s string
	switch m.tfPlace(c.start) {
	case tfProvider:
		return suggestion(fk, m.name, c.kind)
	case tfBackend:
		s = tfBackendAdvice
	case tfVariable:
		s = tfVariableAdvice
	default:
		s = tfOtherAdvice
	}
	if c.kind == rules.SessionToken {
		s = TokenNote + s
	}
	return s
}

func withResponse(s string, e rules.Exposure) string {
	return s + " " + rules.Respond(e).Brief
}

// respond ends each finding's suggestion with what to do about the leaked
// value, once pairing has said which key ID a secret or token goes with.
//
// A file holds a few kinds of finding and many findings: the suggestions
// are made once per kind (a base suggestion and an exposure) and shared,
// not concatenated anew for each finding.
func respond(fs Findings) {
	var ids map[string]string // fingerprint -> key ID, for the secrets and tokens that have a pair
	for i := range fs {
		if fs[i].Kind != rules.AccessKeyID && fs[i].Pair != "" {
			ids = map[string]string{}
			break
		}
	}
	if ids != nil {
		for i := range fs {
			if fs[i].Kind == rules.AccessKeyID {
				ids[fs[i].Fingerprint] = fs[i].Secret
			}
		}
	}
	type made struct {
		base string
		e    rules.Exposure
		s    string
	}
	var cache []made // a handful of entries
	for i := range fs {
		f := &fs[i]
		e := rules.ExposureOf(f.Kind, f.Secret, ids[f.Pair])
		k := slices.IndexFunc(cache, func(c made) bool { return c.e == e && c.base == f.Suggestion })
		if k < 0 {
			k = len(cache)
			cache = append(cache, made{f.Suggestion, e, withResponse(f.Suggestion, e)})
		}
		f.Suggestion = cache[k].s
	}
}

func suggestion(fk FileKind, name string, k rules.Kind) string {
	var s string
	switch fk {
	case KindGo:
		s = "Drop the static credentials: with aws-sdk-go-v2 use config.LoadDefaultConfig(ctx), whose chain ends in the instance role, " +
			"or config.WithCredentialsProvider(aws.NewCredentialsCache(ec2rolecreds.New())); with aws-sdk-go v1 omit Credentials " +
			"(the default chain ends in the EC2 role provider) or use ec2rolecreds.NewCredentials(sess). `go fix -fixtool=$(command -v keyscan)` does this for you."
	case KindSharedConfig:
		s = "Delete aws_access_key_id, aws_secret_access_key and aws_session_token from this profile and attach an IAM role to the instance " +
			"(instance profile); the SDKs and the CLI get its credentials from the instance metadata service on their own."
	case KindEnv, KindShell:
		s = "Remove the AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN assignments and attach an IAM role to the instance " +
			"(instance profile); the SDKs and the CLI fall back to the instance metadata service when no keys are set."
	case KindDocker:
		s = "Remove the keys from ENV/ARG/environment; containers on EC2 reach the instance role through the metadata service " +
			"(on ECS use a task role). With IMDSv2, a container on a bridge network is one hop further than the instance: set " +
			"the instance's HttpPutResponseHopLimit to 2 (aws ec2 modify-instance-metadata-options --http-put-response-hop-limit 2) " +
			"or it gets no token and no credentials. Never bake credentials into an image layer."
	case KindKubernetes:
		s = "Remove the keys from the manifest or Secret; give the pods an IAM role instead: the node's instance profile " +
			"(with IMDSv2, pods off the host network need the node's HttpPutResponseHopLimit at 2: aws ec2 " +
			"modify-instance-metadata-options --http-put-response-hop-limit 2), or on EKS a service-account role (IRSA or Pod Identity)."
	case KindCI:
		s = "Remove the keys from the pipeline file; run the job on runners whose instance role grants the access, or use the " +
			"CI system's OIDC federation to assume a role. Keep nothing long-lived in the file."
	case KindTerraform:
		s = hclSuggestion(name)
	case KindCloudFormation:
		s = "Do not pass keys into the stack: give the instance an AWS::IAM::InstanceProfile with an AWS::IAM::Role and reference it " +
			"from IamInstanceProfile; software on the instance gets credentials from the metadata service."
	case KindPython:
		s = "Drop aws_access_key_id/aws_secret_access_key/aws_session_token from boto3.client/Session: boto3's default chain ends in " +
			"the instance metadata provider of the instance role."
	case KindJavaScript:
		s = "Drop the credentials option: the AWS SDK for JavaScript's default provider chain ends in the instance metadata " +
			"provider (fromInstanceMetadata) of the instance role."
	case KindJava:
		s = "Drop the static credentials provider: DefaultCredentialsProvider (or InstanceProfileCredentialsProvider) uses the instance role."
	case KindSpring:
		s = springAdvice
	default:
		s = "Remove the credential from the file and attach an IAM role to the instance (instance profile); AWS SDKs and the CLI " +
			"get temporary credentials from the instance metadata service on their own."
	}
	if k == rules.SessionToken {
		s = TokenNote + s
	}
	return s
}
