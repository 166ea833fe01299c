package scanner_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

// foreignVals are the values of one case of TestForeignSecrets: generated
// AWS keys and the access IDs of other services.
type foreignVals struct {
	ID, Secret, Secret2, Secret3 string
	GOOG                         string // a Google Cloud Storage HMAC access ID
	GOOGLegacy                   string // the older, 24-character form
	Plain                        string // a 20-character access key of Wasabi, MinIO, ...
	DO                           string // a DigitalOcean Spaces access key
	Hex                          string // a Cloudflare R2 account ID
}

func newForeignVals(seed uint64) foreignVals {
	g := fakekey.New(seed)
	r := rand.New(rand.NewPCG(seed, 7))
	pick := func(alphabet string, n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return string(b)
	}
	const upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	return foreignVals{
		ID: g.KeyID("AKIA"), Secret: g.Secret(), Secret2: g.Secret(), Secret3: g.Secret(),
		GOOG:       "GOOG1E" + pick(upper, 55),
		GOOGLegacy: "GOOG" + pick(upper, 20),
		Plain:      pick("BCDFGHJKLMNPQRSTVWXZ0123456789", 20),
		DO:         "DO00" + pick(upper, 16),
		Hex:        pick("0123456789abcdef", 32),
	}
}

// fill replaces {{.Field}} with the field's value.
func (v foreignVals) fill(s string) string {
	return strings.NewReplacer("{{ID}}", v.ID, "{{SECRET}}", v.Secret, "{{SECRET2}}", v.Secret2, "{{SECRET3}}", v.Secret3,
		"{{GOOG}}", v.GOOG, "{{GOOG_LEGACY}}", v.GOOGLegacy, "{{PLAIN}}", v.Plain, "{{DO}}", v.DO, "{{HEX}}", v.Hex).Replace(s)
}

// TestForeignSecrets checks item 7 of issue 17: a 40-character secret of
// another system in a file with AWS words is not reported, whether the
// system is an S3-compatible service that the block's endpoint or provider
// (or its access ID) names, or another program's setting beside an AWS key;
// and an AWS key pair in the same file is still reported.
func TestForeignSecrets(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for _, tc := range []struct {
		name, file, text string
		want             []string // placeholders of the values reported
	}{
		// S3-compatible services: the block's endpoint, provider or access ID says which.
		{"boto3 client for GCS", "storage.py", `import boto3

# Google Cloud Storage through its S3-compatible XML API, with an HMAC key.
gcs = boto3.client(
    "s3",
    region_name="auto",
    endpoint_url="https://storage.googleapis.com",
    aws_access_key_id="{{GOOG}}",
    aws_secret_access_key="{{SECRET}}",
)
`, nil},
		{"boto3 one-liner for GCS beside an AWS client", "clients.py", `import boto3

s3 = boto3.client("s3", aws_access_key_id="{{ID}}", aws_secret_access_key="{{SECRET}}")
gcs = boto3.client("s3", endpoint_url="https://storage.googleapis.com", aws_access_key_id="{{GOOG}}", aws_secret_access_key="{{SECRET2}}")
`, []string{"{{ID}}", "{{SECRET}}"}},
		{"boto3 session for MinIO", "minio_client.py", `import boto3
from botocore.client import Config

session = boto3.session.Session()
minio = session.client(
    service_name="s3",
    endpoint_url="http://minio.internal:9000",
    aws_access_key_id="{{PLAIN}}",
    aws_secret_access_key="{{SECRET}}",
    config=Config(signature_version="s3v4"),
)
`, nil},
		{"rclone remotes", "rclone.conf", `[gcs]
type = s3
provider = GCS
access_key_id = {{GOOG}}
secret_access_key = {{SECRET}}
endpoint = https://storage.googleapis.com

[minio]
type = s3
provider = Minio
env_auth = false
access_key_id = {{PLAIN}}
secret_access_key = {{SECRET2}}
endpoint = http://192.168.1.20:9000

[aws]
type = s3
provider = AWS
access_key_id = {{ID}}
secret_access_key = {{SECRET3}}
region = us-east-1
`, []string{"{{ID}}", "{{SECRET3}}"}},
		{"rclone Wasabi, DigitalOcean, R2", "rclone.conf", `[wasabi]
type = s3
provider = Wasabi
access_key_id = {{PLAIN}}
secret_access_key = {{SECRET}}
region = us-east-1
endpoint = s3.wasabisys.com

[spaces]
type = s3
provider = DigitalOcean
access_key_id = {{DO}}
secret_access_key = {{SECRET2}}
endpoint = nyc3.digitaloceanspaces.com

[r2]
type = s3
provider = Cloudflare
access_key_id = {{HEX}}
secret_access_key = {{SECRET3}}
region = auto
endpoint = https://{{HEX}}.r2.cloudflarestorage.com
`, nil},
		{"s3cmd for GCS", ".s3cfg", `[default]
access_key = {{GOOG_LEGACY}}
access_token =
add_encoding_exts =
add_headers =
bucket_location = US
ca_certs_file =
cache_file =
check_ssl_certificate = True
check_ssl_hostname = True
cloudfront_host = cloudfront.amazonaws.com
default_mime_type = binary/octet-stream
delay_updates = False
delete_after = False
enable_multipart = True
encoding = UTF-8
encrypt = False
expiry_date =
guess_mime_type = True
host_base = storage.googleapis.com
host_bucket = %(bucket)s.storage.googleapis.com
human_readable_sizes = False
multipart_chunk_size_mb = 15
progress_meter = True
proxy_host =
proxy_port = 0
recursive = False
reduced_redundancy = False
requester_pays = False
secret_key = {{SECRET}}
send_chunk = 65536
signature_v2 = False
use_https = True
verbosity = WARNING
`, nil},
		{"Terraform provider for GCS", "main.tf", `provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias                       = "gcs"
  region                      = "auto"
  access_key                  = "{{GOOG}}"
  secret_key                  = "{{SECRET}}"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  s3_use_path_style           = true

  endpoints {
    s3 = "https://storage.googleapis.com"
  }
}
`, nil},
		{"Terraform backend on DigitalOcean Spaces", "backend.tf", `terraform {
  backend "s3" {
    endpoint                    = "https://fra1.digitaloceanspaces.com"
    bucket                      = "tf-state"
    key                         = "prod/terraform.tfstate"
    region                      = "us-east-1"
    access_key                  = "{{DO}}"
    secret_key                  = "{{SECRET}}"
    skip_credentials_validation = true
    skip_metadata_api_check     = true
  }
}
`, nil},
		{"JS SDK v3 for Backblaze B2 and R2", "storage.js", `import { S3Client } from "@aws-sdk/client-s3";

export const b2 = new S3Client({
  endpoint: "https://s3.us-west-004.backblazeb2.com",
  region: "us-west-004",
  credentials: {
    accessKeyId: "{{PLAIN}}",
    secretAccessKey: "{{SECRET}}",
  },
});

export const r2 = new S3Client({
  region: "auto",
  endpoint: "https://{{HEX}}.r2.cloudflarestorage.com",
  credentials: {
    accessKeyId: "{{HEX}}",
    secretAccessKey: "{{SECRET2}}",
  },
});

export const s3 = new S3Client({
  region: "eu-west-1",
  credentials: {
    accessKeyId: "{{ID}}",
    secretAccessKey: "{{SECRET3}}",
  },
});
`, []string{"{{ID}}", "{{SECRET3}}"}},
		{".env for MinIO", ".env", `# local object storage
S3_ENDPOINT=http://minio:9000
AWS_ACCESS_KEY_ID={{PLAIN}}
AWS_SECRET_ACCESS_KEY={{SECRET}}
AWS_REGION=us-east-1
`, nil},
		{".env for Wasabi, an AWS pair in another paragraph", ".env", `AWS_ACCESS_KEY_ID={{ID}}
AWS_SECRET_ACCESS_KEY={{SECRET}}
AWS_DEFAULT_REGION=eu-central-1

WASABI_ENDPOINT=https://s3.eu-central-1.wasabisys.com
WASABI_ACCESS_KEY={{PLAIN}}
BACKUP_SECRET_ACCESS_KEY={{SECRET2}}
`, []string{"{{ID}}", "{{SECRET}}"}},
		{"YAML storage config for Hetzner, named by its host alone", "storage.yaml", `storage:
  url: https://fsn1.your-objectstorage.com/backups
  access_key_id: {{PLAIN}}
  secret_access_key: {{SECRET}}
`, nil},
		{"YAML storage config for GCS", "loki.yaml", `storage_config:
  aws:
    endpoint: storage.googleapis.com
    bucketnames: loki-chunks
    region: auto
    access_key_id: {{GOOG}}
    secret_access_key: {{SECRET}}
    s3forcepathstyle: true
`, nil},
		{"YAML: GCS and AWS side by side", "values.yaml", `backups:
  gcs:
    endpoint: https://storage.googleapis.com
    accessKeyId: {{GOOG}}
    secretAccessKey: {{SECRET}}
  s3:
    region: us-east-1
    secretAccessKey: {{SECRET2}}
`, []string{"{{SECRET2}}"}},
		{"Kubernetes env for MinIO", "deploy.yaml", `spec:
  containers:
    - name: app
      env:
        - name: AWS_ENDPOINT_URL
          value: http://minio.storage.svc:9000
        - name: AWS_ACCESS_KEY_ID
          value: {{PLAIN}}
        - name: AWS_SECRET_ACCESS_KEY
          value: {{SECRET}}
`, nil},
		{"Go client for MinIO", "minio.go", `package storage

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func newMinio() *s3.Client {
	return s3.New(s3.Options{
		BaseEndpoint: aws.String("http://localhost:9000"),
		UsePathStyle: true,
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("{{PLAIN}}", "{{SECRET}}", ""),
	})
}
`, nil},

		// Recall: what does not name another storage service leaves AWS's secrets reported.
		{"an API endpoint and an auth provider beside an AWS secret", ".env", `API_ENDPOINT=https://api.example.com/v2
AUTH_PROVIDER=google
DB_ENDPOINT=db.internal:5432
AWS_SECRET_ACCESS_KEY={{SECRET}}
`, []string{"{{SECRET}}"}},
		{"boto3 with an AWS endpoint or one from the environment", "app.py", `import os

import boto3

s3 = boto3.client(
    "s3",
    endpoint_url="https://s3.eu-west-1.amazonaws.com",
    aws_secret_access_key="{{SECRET}}",
)
other = boto3.client(
    "s3",
    endpoint_url=os.environ["S3_ENDPOINT"],
    aws_secret_access_key="{{SECRET2}}",
)
`, []string{"{{SECRET}}", "{{SECRET2}}"}},
		{"AWS profile with a VPC endpoint", ".aws/config", `[profile vpc]
region = us-east-1
endpoint_url = https://bucket.vpce-0a1b2c3d4e5f-abcdefgh.s3.us-east-1.vpce.amazonaws.com
aws_access_key_id = {{ID}}
aws_secret_access_key = {{SECRET}}
`, []string{"{{ID}}", "{{SECRET}}"}},

		// Other systems' settings beside an AWS key.
		{"airflow.cfg webserver secret_key", "airflow.cfg", `[core]
dags_folder = /opt/airflow/dags
executor = CeleryExecutor

[logging]
remote_logging = True
remote_base_log_folder = s3://acme-airflow-logs/prod
remote_log_conn_id = aws_default
[webserver]
secret_key = {{SECRET}}
web_server_port = 8080
`, nil},
		{"airflow env with an AWS pair", ".env", `AIRFLOW__LOGGING__REMOTE_BASE_LOG_FOLDER=s3://acme-airflow-logs
AWS_ACCESS_KEY_ID={{ID}}
AWS_SECRET_ACCESS_KEY={{SECRET}}
AIRFLOW__WEBSERVER__SECRET_KEY={{SECRET2}}
`, []string{"{{ID}}", "{{SECRET}}"}},
		{"duplicity passphrase", "backup.sh", `#!/bin/sh
export AWS_ACCESS_KEY_ID={{ID}}
export AWS_SECRET_ACCESS_KEY={{SECRET}}
export PASSPHRASE={{SECRET2}}
duplicity /home/data s3://s3.amazonaws.com/acme-backups/data
`, []string{"{{ID}}", "{{SECRET}}"}},
		{"restic password", "restic.env", `export RESTIC_REPOSITORY=s3:s3.amazonaws.com/acme-restic
export AWS_ACCESS_KEY_ID={{ID}}
export AWS_SECRET_ACCESS_KEY={{SECRET}}
export RESTIC_PASSWORD={{SECRET2}}
`, []string{"{{ID}}", "{{SECRET}}"}},
		{"borg passphrase", "borg.sh", `#!/bin/bash
export AWS_ACCESS_KEY_ID={{ID}}
export AWS_SECRET_ACCESS_KEY={{SECRET}}
export BORG_PASSPHRASE='{{SECRET2}}'
borg create /backup::{now} /etc && aws s3 sync /backup s3://acme-borg
`, []string{"{{ID}}", "{{SECRET}}"}},
		{"rclone crypt over an S3 remote", "rclone.conf", `[s3remote]
type = s3
provider = AWS
access_key_id = {{ID}}
secret_access_key = {{SECRET}}
region = us-east-1
[secret]
type = crypt
remote = s3remote:acme-vault
password = {{SECRET2}}
password2 = {{SECRET3}}
`, []string{"{{ID}}", "{{SECRET}}"}},
		{"Django settings", "settings.py", `import os

SECRET_KEY = "{{SECRET2}}"
AWS_ACCESS_KEY_ID = "{{ID}}"
AWS_SECRET_ACCESS_KEY = "{{SECRET}}"
AWS_STORAGE_BUCKET_NAME = "acme-static"
`, []string{"{{ID}}", "{{SECRET}}"}},
		// qa3 MEDIUM-12: a GOOG ID under a name of its own is another credential
		// of the application; the AWS-named secret beside it is AWS's.
		{"GCS HMAC ID beside an AWS secret", ".env", `GCS_HMAC_ACCESS_ID={{GOOG}}
AWS_SECRET_ACCESS_KEY={{SECRET}}
`, []string{"{{SECRET}}"}},
		{"GCS access ID beside an AWS secret in YAML", "config.yaml", `storage:
  aws_secret_access_key: {{SECRET}}
  gcs_access_id: {{GOOG}}
`, []string{"{{SECRET}}"}},
		{"AWS pair and a GCS HMAC pair in one paragraph", ".env", `AWS_ACCESS_KEY_ID={{ID}}
AWS_SECRET_ACCESS_KEY={{SECRET}}
GCS_HMAC_ACCESS_ID={{GOOG}}
GCS_HMAC_SECRET={{SECRET2}}
`, []string{"{{ID}}", "{{SECRET}}"}},
		{"GOOG ID as the AWS-named pair's key ID", ".env", `AWS_ACCESS_KEY_ID={{GOOG}}
AWS_SECRET_ACCESS_KEY={{SECRET}}
`, nil},
		// qa10 HIGH-2: a profile's endpoint set in the [services NAME]
		// section its services = NAME names (service-specific endpoints of
		// the AWS config file) is its own, as fix's ProfileEndpoints reads it.
		{"profile whose services section names MinIO", ".aws/config", `[profile minio]
region = us-east-1
services = minio-local
aws_access_key_id = {{PLAIN}}
aws_secret_access_key = {{SECRET}}

[profile prod]
services = aws-fips
aws_access_key_id = {{PLAIN}}
aws_secret_access_key = {{SECRET2}}

[services minio-local]
s3 =
  endpoint_url = http://minio.internal:9000

[services aws-fips]
s3 =
  endpoint_url = https://s3-fips.us-east-1.amazonaws.com
`, []string{"{{SECRET2}}"}},
		{"services section of another name", ".aws/config", `[profile app]
services = prod
aws_access_key_id = {{PLAIN}}
aws_secret_access_key = {{SECRET}}

[services production]
s3 =
  endpoint_url = http://minio.internal:9000
`, []string{"{{SECRET}}"}},
	} {
		for seed := uint64(1); seed <= 10; seed++ {
			t.Run(fmt.Sprintf("%s/seed%d", tc.name, seed), func(t *testing.T) {
				v := newForeignVals(seed)
				text := v.fill(tc.text)
				got := secrets(sc.Scan(tc.file, []byte(text)))
				var want []string
				for _, p := range tc.want {
					want = append(want, v.fill(p))
				}
				if !sameSet(got, want) {
					t.Errorf("reported %q, want %q\n%s", got, want, text)
				}
			})
		}
	}
}

// TestRandomPlaceholder: aws-sdk-go-v2's v4a tests sign with a secret whose
// tail is the word Random, beside the made-up key ID AKISORANDOMAASORANDOM.
func TestRandomPlaceholder(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 20; seed++ {
		sec := fakekey.New(seed).Secret()[:34] + "Random"
		text := "package v4a\n\nimport \"github.com/aws/aws-sdk-go-v2/aws\"\n\nconst (\n\taccessKey = \"AKISORANDOMAASORANDOM\"\n\tsecretKey = \"" +
			sec + "\"\n)\n\nvar _ = aws.Credentials{AccessKeyID: accessKey, SecretAccessKey: secretKey}\n"
		if fs := sc.Scan("v4a_test.go", []byte(text)); len(fs) != 0 {
			t.Errorf("reported %q, want nothing\n%s", secrets(fs), text)
		}
	}
}

// TestForeignKeyIDStillReported: an AKIA key ID is AWS's whatever endpoint
// its block names, and so is the secret paired with it.
func TestForeignKeyIDStillReported(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	v := newForeignVals(3)
	text := v.fill(`[minio]
type = s3
provider = Minio
access_key_id = {{ID}}
secret_access_key = {{SECRET}}
endpoint = http://minio:9000
`)
	fs := sc.Scan("rclone.conf", []byte(text))
	if !sameSet(secrets(fs), []string{v.ID, v.Secret}) {
		t.Errorf("reported %q, want the AKIA pair", secrets(fs))
	}
	for _, f := range fs {
		if f.Kind == rules.SecretAccessKey && f.Pair == "" {
			t.Errorf("secret not paired with its key ID")
		}
	}
}

// TestRealPairBesideOtherSystem checks qa3 MEDIUM-1 and MEDIUM-6: a real
// AKIA key ID and the secret on the next line are both reported whatever
// other system the block names, and a value of one INI section never pairs
// with the key ID of another (airflow.cfg's [webserver] secret_key).
func TestRealPairBesideOtherSystem(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 10; seed++ {
		g := fakekey.New(seed)
		k, s, other := g.KeyID("AKIA"), g.Secret(), g.Secret()
		for _, tc := range []struct{ file, text string }{
			{".env", "KEY=" + k + "\nSECRET=" + s + "\nENDPOINT=https://minio.internal:9000\n"},
			{".env", "KEY=" + k + "\nSECRET=" + s + "\nENDPOINT=https://nyc3.digitaloceanspaces.com\n"},
			{"config.toml", "[aws]\naccess_key = \"" + k + "\"\nsecret_key = \"" + s + "\"\nendpoint = \"https://s3.wasabisys.com\"\n"},
			{".env", "KEY=" + k + "\nSECRET=" + s + "  # not for minio\n"},
			{"config.ini", "[gcs]\nkey = " + k + "\nsecret = " + s + "\n"},
			{".env", "AWS_REGION=us-east-1\nSECRET=" + s + "\nKEY=" + k + "\nREDIS_URL=redis://localhost\n"},
			{".env", "# ---- storage ----\nMINIO_ENDPOINT=http://minio:9000\n# ---- aws ----\nAWS_REGION=us-east-1\nKEY=" + k + "\nSECRET=" + s + "\n"},
			{".env", "DB_HOST=localhost\nACCESS_KEY=" + k + "\nSECRET_KEY=" + s + "\n"},
		} {
			if got := secrets(sc.Scan(tc.file, []byte(tc.text))); !sameSet(got, []string{k, s}) {
				t.Errorf("seed %d: Scan reported %q, want the pair\n%s", seed, got, tc.text)
			}
		}
		for _, tc := range []struct {
			text string
			want []string
		}{
			{"[webserver]\nsecret_key = " + other + "\n\n[aws]\naws_access_key_id = " + k + "\naws_secret_access_key = " + s + "\n", []string{k, s}},
			{"[webserver]\nsecret_key = " + other + "\n\n[aws]\naws_access_key_id = " + k + "\n", []string{k}},
		} {
			if got := secrets(sc.Scan("airflow.cfg", []byte(tc.text))); !sameSet(got, tc.want) {
				t.Errorf("seed %d: Scan reported %q, want %q\n%s", seed, got, tc.want, tc.text)
			}
		}
	}
}

// TestOtherKeyIDArgument checks that a credentials constructor given another
// service's key ID literal (MinIO's) does not make its second argument an AWS
// secret, as go vet judges it, while an AWS key ID does.
func TestOtherKeyIDArgument(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 10; seed++ {
		g := fakekey.New(seed)
		k, s := g.KeyID("AKIA"), g.Secret()
		src := "package m\n\nimport \"github.com/aws/aws-sdk-go-v2/credentials\"\n\nvar p = credentials.NewStaticCredentialsProvider(%q, %q, \"\")\n"
		if got := secrets(sc.Scan("m.go", []byte(fmt.Sprintf(src, "Q3AM3UQ867SPQQA43P2F", s)))); len(got) != 0 {
			t.Errorf("seed %d: another service's key ID: Scan reported %q, want nothing", seed, got)
		}
		if got := secrets(sc.Scan("m.go", []byte(fmt.Sprintf(src, k, s)))); !sameSet(got, []string{k, s}) {
			t.Errorf("seed %d: AWS key ID: Scan reported %q, want the pair", seed, got)
		}
	}
}

// TestForeignSignOnLongLine: minified JSON (one line of kilobytes) is judged
// as its pretty-printed form is: a MinIO endpoint beside the secret makes it
// MinIO's, a real key ID beside it keeps it AWS's, and a sign far along the
// line, in another object, says nothing of it. (Before the signs were read
// in windows of a long line, the first case was reported on one line and
// not on many, and such lines could crash or stall the matcher.)
func TestForeignSignOnLongLine(t *testing.T) {
	v := newForeignVals(31)
	pad := make([]string, 400)
	for i := range pad {
		pad[i] = fmt.Sprintf(`"k%d":"v%d"`, i, i)
	}
	padding := `"pad":{` + strings.Join(pad, ",") + `}`
	sc := newScanner(t, scanner.Options{})
	for _, c := range []struct {
		name, text string
		want       int
	}{
		{"endpoint beside", `{` + padding + `,"aws_secret_access_key":"` + v.Secret + `","endpoint":"http://minio.local:9000"}`, 0},
		{"key ID beside", `{` + padding + `,"aws_access_key_id":"` + v.ID + `","aws_secret_access_key":"` + v.Secret + `","endpoint":"http://minio.local:9000"}`, 2},
		{"endpoint far off", `{"aws_secret_access_key":"` + v.Secret + `",` + padding + `,"other":{"endpoint":"http://minio.local:9000"}}`, 1},
	} {
		for _, layout := range []string{"one line", "pretty"} {
			text := c.text
			if layout == "pretty" {
				text = strings.NewReplacer(",", ",\n", "{", "{\n").Replace(text)
			}
			if got := sc.Scan("config.json", []byte(text)); len(got) != c.want {
				t.Errorf("%s, %s: %d findings, want %d: %v", c.name, layout, len(got), c.want, got)
			}
		}
	}
}

// TestNamedSecretHostIsLocal checks qa11 MEDIUM-7: a secret under a name
// that says AWS secret key on its own (with no key ID beside it) is another
// service's only when that service's host is where its client connects (an
// endpoint setting, the CLI's --endpoint-url), not when the host is the
// value of another variable or stands in a comment; a secret under a
// generic name still takes the host anywhere in its block.
func TestNamedSecretHostIsLocal(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(40); seed < 44; seed++ {
		v := newForeignVals(seed)
		for _, c := range []struct {
			file, text string
			want       int
		}{
			// qa11's reproductions: reported.
			{"a.py", "import os, boto3\ns3 = boto3.client(\"s3\", aws_access_key_id=os.environ[\"AWS_KEY_ID\"], aws_secret_access_key=\"{{SECRET}}\")\nARCHIVE_URL = \"https://storage.googleapis.com/company-archive/exports/\"\n", 1},
			{"c.env", "AWS_SECRET_ACCESS_KEY={{SECRET}}\nGCS_EXPORT_URL=https://storage.googleapis.com/exports\n", 1},
			{"e.ini", "[default]\naws_secret_access_key = {{SECRET}}\n# old bucket moved from https://s3.wasabisys.com\n", 1},
			{"f.env", "AWS_SECRET_ACCESS_KEY={{SECRET}}\n# AWS_ENDPOINT_URL=http://minio:9000\n", 1},
			{"g.yaml", "storage:\n  aws_secret_access_key: {{SECRET}}\n  # mirror: https://nyc3.digitaloceanspaces.com\n  archive_url: https://nyc3.digitaloceanspaces.com/x\n", 1},
			// qa12 MEDIUM-12: another client's endpoint: reported.
			{"o.env", "AWS_SECRET_ACCESS_KEY={{SECRET}}\nGCS_ENDPOINT=https://storage.googleapis.com\n", 1},
			{"p.py", "import boto3, os\ns3 = boto3.client(\"s3\", aws_access_key_id=os.environ[\"ID\"], aws_secret_access_key=\"{{SECRET}}\")\ngcs = boto3.client(\"s3\", endpoint_url=\"https://storage.googleapis.com\")\n", 1},
			{"q.yaml", "app:\n  aws_secret_access_key: {{SECRET}}\n  azure_blob_endpoint: https://storage.googleapis.com\n", 1},
			// The same call over lines: not reported.
			{"r.py", "import boto3, os\ns3 = boto3.client(\n    \"s3\",\n    aws_access_key_id=os.environ[\"ID\"],\n    aws_secret_access_key=\"{{SECRET}}\",\n    endpoint_url=\"https://storage.googleapis.com\",\n)\n", 0},
			{"t.env", "AWS_SECRET_ACCESS_KEY={{SECRET}}\nS3_ENDPOINT=https://storage.googleapis.com\n", 0},
			// Where the client connects: not reported.
			{"h.py", "import os, boto3\ns3 = boto3.client(\"s3\", endpoint_url=\"https://s3.wasabisys.com\", aws_access_key_id=os.environ[\"K\"], aws_secret_access_key=\"{{SECRET}}\")\n", 0},
			{"i.env", "AWS_SECRET_ACCESS_KEY={{SECRET}}\nAWS_URL=https://bucket.s3.wasabisys.com\n", 0},
			{"j.sh", "export AWS_SECRET_ACCESS_KEY={{SECRET}}\naws s3 ls --endpoint-url https://s3.wasabisys.com\n", 0},
			{"k.env", "AWS_SECRET_ACCESS_KEY={{SECRET}}\nS3_HOST=nyc3.digitaloceanspaces.com\n", 0},
			{"l.tf", "provider \"aws\" {\n  secret_key = \"{{SECRET}}\"\n  endpoints { s3 = \"https://storage.googleapis.com\" }\n}\n", 0},
			{"m.yaml", "s3:\n  host: objects.wasabisys.com\n  aws_secret_access_key: {{SECRET}}\n", 0},
			// A generic name takes the host anywhere in its block.
			{"n.ini", "[default]\nsecret_key = {{SECRET}}\n# see https://s3.wasabisys.com\n", 0},
		} {
			text := v.fill(c.text)
			if got := secrets(sc.Scan(c.file, []byte(text))); len(got) != c.want {
				t.Errorf("seed %d, %s: reported %q, want %d\n%s", seed, c.file, got, c.want, text)
			}
		}
	}
}
