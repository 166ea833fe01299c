package fix

import (
	"slices"
	"strings"
	"unicode"

	"github.com/keyscan/keyscan/internal/awsregion"
)

// An application often picks its object store by a word, not an
// address: STORAGE_PROVIDER=minio, S3_PROVIDER=Wasabi (rclone's
// providers), STORAGE_BACKEND=ceph, ACTIVE_STORAGE_SERVICE=minio,
// FILESYSTEM_DISK=r2. The address then lives elsewhere (a config file, the
// application's defaults), and the keys beside such a word are that
// service's: the instance role gives the program nothing it can use
// there. The same holds for a switch named after such a service
// (USE_MINIO=true, LOCALSTACK=1). fix23.

// s3Services are words that name an S3-compatible service or server
// other than AWS's (rclone's provider names among them); a setting's value
// holding one as a word names it (minio, MinIO, cloudflare-r2).
var s3Services = []string{"minio", "localstack", "ceph", "radosgw", "rgw", "wasabi", "backblaze", "backblazeb2", "cloudflare",
	"digitalocean", "scaleway", "linode", "akamai", "seaweedfs", "seaweed", "storj", "idrive", "filebase", "dreamhost",
	"dreamobjects", "storagegrid", "exoscale", "ovh", "ovhcloud", "ionos", "hetzner", "contabo", "vultr", "leviia", "liara",
	"lyvecloud", "magalu", "petabox", "rackcorp", "synology", "arvancloud", "qiniu", "chinamobile", "huaweiobs", "tencentcos",
	"ibmcos", "alibaba", "aliyun", "s3proxy", "cloudserver", "zenko", "s3mock", "fakes3", "versity", "rustfs", "outscale",
	"cubbit", "selectel", "stackpath", "netease"}

// s3ServiceValues are short or common words that name such a service only
// as a setting's whole value (S3_PROVIDER=r2, STORAGE=spaces, rclone's
// provider = Other for any custom endpoint).
var s3ServiceValues = []string{"r2", "b2", "spaces", "do", "oss", "cos", "obs", "e2", "gcs", "garage", "moto"}

// s3CustomValues say "a service of my own" only under a storage name
// (S3_PROVIDER=Other, STORAGE_TYPE=s3-compatible), not under any
// provider's (USER_TYPE=other).
var s3CustomValues = []string{"other", "custom", "compatible", "s3compatible", "s3-compatible", "s3_compatible", "selfhosted",
	"self-hosted"}

// providerNameWords are words of a setting name that say it picks a
// service, besides storageNameWords (STORAGE_PROVIDER, FILESYSTEM_DISK,
// UPLOAD_DRIVER, ACTIVE_STORAGE_SERVICE).
var providerNameWords = []string{"provider", "backend", "driver", "type", "vendor", "service", "kind", "engine", "flavor",
	"flavour", "platform", "adapter", "store", "disk", "filesystem", "fs", "files", "upload", "uploads", "media", "backup",
	"cloud", "remote", "impl", "implementation"}

// truthy reports whether v (unquoted, any case) is a true switch value.
func truthy(v string) bool {
	switch strings.ToLower(v) {
	case "true", "1", "yes", "on", "enabled", "enable", "y":
		return true
	}
	return false
}

// providerSetting reports whether a setting called name whose value is v
// picks an S3-compatible service other than AWS's by a word: a name that
// says storage or provider (see providerNameWords) with a value naming
// such a service, or a name holding such a service's word with a true
// value (USE_MINIO=true).
func providerSetting(name, v string) bool {
	v = strings.Trim(strings.TrimSpace(v), `"'`)
	if v == "" || strings.ContainsAny(v, "$/:{}") {
		return false // an address (storageEndpoint's), a variable or a path
	}
	parts := nameWords(name)
	if truthy(v) {
		for _, p := range parts {
			if slices.Contains(s3Services, p) {
				return true
			}
		}
		return false
	}
	storage := slices.ContainsFunc(parts, func(p string) bool { return slices.Contains(storageNameWords, p) })
	if !storage && !slices.ContainsFunc(parts, func(p string) bool { return slices.Contains(providerNameWords, p) }) {
		return false
	}
	lv := strings.ToLower(v)
	if storage && slices.Contains(s3CustomValues, lv) {
		return true
	}
	if slices.Contains(s3ServiceValues, lv) {
		return true
	}
	for _, w := range strings.FieldsFunc(lv, func(r rune) bool { return r == '_' || r == '-' || r == '.' || r == ' ' }) {
		if slices.Contains(s3Services, w) || slices.Contains(s3ServiceValues, w) && w != lv {
			return true // do-spaces, cloudflare-r2, MinIO S3
		}
	}
	return false
}

// nameWords splits a setting name into its words, lower case: at _, -,
// . and blanks, and where camel case starts a word (storageProvider,
// s3Backend, ActiveStorageService).
func nameWords(name string) []string {
	var b strings.Builder
	rs := []rune(name)
	for i, r := range rs {
		if i > 0 && unicode.IsUpper(r) && (unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1]) ||
			i+1 < len(rs) && unicode.IsLower(rs[i+1]) && unicode.IsUpper(rs[i-1])) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.FieldsFunc(b.String(), func(r rune) bool { return r == '_' || r == '-' || r == '.' || r == ' ' })
}

// foreignRegion reports whether a setting called name whose value is v
// sets a client's region to one AWS does not have: Cloudflare R2's auto,
// DigitalOcean Spaces' nyc3, Scaleway's fr-par. Such a client talks to that
// service, and its keys are that service's (fix23).
func foreignRegion(name, v string) bool {
	parts := nameWords(name)
	if len(parts) == 0 || parts[len(parts)-1] != "region" {
		return false
	}
	// As written: a region is lower case, and a value with capitals is
	// something else (a Secret's base64 data: ZXUtd2VzdC0x).
	v = strings.Trim(strings.TrimSpace(v), `"'`)
	return awsregion.Foreign(v)
}
