package fix

import (
	"strings"
	"testing"
)

// TestProviderSetting checks the settings that pick an S3-compatible
// service by a word (fix23): the keys beside them are that service's.
func TestProviderSetting(t *testing.T) {
	for _, c := range []struct {
		name, v string
		want    bool
	}{
		{"STORAGE_PROVIDER", "minio", true},
		{"S3_PROVIDER", "Wasabi", true},
		{"STORAGE_BACKEND", "\"ceph\"", true},
		{"RCLONE_S3_PROVIDER", "Other", true},
		{"ACTIVE_STORAGE_SERVICE", "minio", true},
		{"FILESYSTEM_DISK", "r2", true},
		{"provider", "cloudflare-r2", true},
		{"UPLOAD_DRIVER", "DigitalOcean", true},
		{"USE_MINIO", "true", true},
		{"LOCALSTACK", "1", true},
		{"STORAGE_TYPE", "s3-compatible", true},
		// Variants: camel case names, a short word inside a longer value.
		{"storageProvider", "minio", true},
		{"s3Backend", "Ceph", true},
		{"ActiveStorageService", "MinIO", true},
		{"S3_PROVIDER", "do-spaces", true},
		{"STORAGE_PROVIDER", "MinIO S3", true},
		{"useMinio", "true", true},
		{"MINIO_ENABLED", "false", false},
		// A setting of the server itself says nothing of the AWS-named
		// keys beside it (LocalStack's own test key ID under its name).
		{"MINIO_ROOT_USER", "admin", false},
		{"LOCALSTACK_KEY_ID", "AKIAQAAAAAAACF2ZZ24J", false},
		// AWS's own, or no S3 at all: the keys are AWS's or unused.
		{"STORAGE_PROVIDER", "aws", false},
		{"S3_PROVIDER", "AWS", false},
		{"STORAGE_BACKEND", "local", false},
		{"FILESYSTEM_DRIVER", "s3", false},
		{"USE_MINIO", "false", false},
		// A generic word under a name that says no storage, a value that
		// is an address (storageEndpoint's) or a variable.
		{"USER_TYPE", "other", false},
		{"APP_NAME", "minio", false},
		{"storageProvider", "aws", false},
		{"username", "other", false},
		{"STORAGE_PROVIDER", "${PROVIDER}", false},
		{"MINIO_URL", "http://minio:9000", false},
	} {
		if got := providerSetting(c.name, c.v); got != c.want {
			t.Errorf("providerSetting(%q, %q) = %v, want %v", c.name, c.v, got, c.want)
		}
	}
}

// TestForeignRegion checks the region values no AWS region has (fix23).
func TestForeignRegion(t *testing.T) {
	for _, c := range []struct {
		name, v string
		want    bool
	}{
		{"AWS_REGION", "auto", true},
		{"S3_REGION", "nyc3", true},
		{"region", "\"fr-par\"", true},
		{"AWS_DEFAULT_REGION", "us-east-1", false},
		{"region", "eu-central-2", false},
		{"region", "us-gov-west-1", false},
		{"region", "cn-northwest-1", false},
		{"region", "var.region", false},
		{"AWS_REGION", "${REGION}", false},
		{"REGION_NAME", "auto", false},
		{"region", "global", false},
		{"region", "ZXUtd2VzdC0x", false}, // base64 of eu-west-1 in a Secret's data
		// fix24: AWS's shape, other services' names.
		{"AWS_REGION", "us-iad-1", true},       // Linode (Washington)
		{"S3_REGION", "fr-par-1", true},        // Linode (Paris)
		{"region", "de-fra-2", true},           // Linode (Frankfurt)
		{"AWS_REGION", "us-central-1", true},   // Wasabi (Texas)
		{"AWS_REGION", "us-southeast-1", true}, // Linode (Atlanta)
		{"AWS_REGION", "ap-southeast-7", false},
		{"AWS_REGION", "mx-central-1", false},
		{"AWS_REGION", "il-central-1", false},
		{"AWS_REGION", "ca-west-1", false},
		{"AWS_REGION", "us-isob-east-1", false},
		{"AWS_REGION", "eusc-de-east-1", false},
		{"AWS_REGION", "us-east-1", false}, // Wasabi's and Linode's too: not told by the name
	} {
		if got := foreignRegion(c.name, c.v); got != c.want {
			t.Errorf("foreignRegion(%q, %q) = %v, want %v", c.name, c.v, got, c.want)
		}
	}
}

// FuzzProviderSetting: any name and value are judged without a panic, and
// nameWords gives lower-case words without separators.
func FuzzProviderSetting(f *testing.F) {
	for _, s := range [][2]string{{"STORAGE_PROVIDER", "minio"}, {"storageProvider", "do-spaces"}, {"AWS_REGION", "auto"}, {"ÄbC", "É"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, name, v string) {
		providerSetting(name, v)
		foreignRegion(name, v)
		for _, w := range nameWords(name) {
			if w == "" || strings.ContainsAny(w, "_-. ") {
				t.Fatalf("nameWords(%q) gave %q", name, w)
			}
		}
	})
}
