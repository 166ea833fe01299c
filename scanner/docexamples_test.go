package scanner_test

import (
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// s3DocSecrets are the secrets of the Amazon S3 Developer Guide's older
// examples (REST authentication, browser-based POST), joined at test time
// from pieces so that no file here holds them whole (see docSecretPieces
// in secret.go).
var s3DocSecrets = []string{
	strings.Join([]string{"uV3F3YluFJ", "ax1cknvbcG", "wgjvx4QpvB", "+leU8dUj2o"}, ""),
	strings.Join([]string{"OtxrzxIsfp", "FjA7SwPzIL", "wy8Bw21TLh", "quhboDYROV"}, ""),
}

// TestS3DocExamples is qa10 LOW-10: AWS's documentation examples are not
// reported, those that say EXAMPLE and the two S3 examples that do not, in
// the layouts SDK test suites copy them in (botocore's test_signers.py is
// its one finding); a real secret in the same layouts is, and so is one
// that merely starts like them.
func TestS3DocExamples(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	layouts := []struct{ file, text string }{
		{"tests/unit/auth/test_signers.py", "access_key = '44CF9590006BF252F707'\nsecret_key = '%s'\n"},
		{"s3doc.txt", "AWSAccessKeyId = 0PN5J17HBGZHT7JJ3X82\nAWSSecretAccessKey = %s\n"},
		{".aws/credentials", "[default]\naws_access_key_id = 0PN5J17HBGZHT7JJ3X82\naws_secret_access_key = %s\n"},
		{"S3Test.java", "ChallengeResponse c = new ChallengeResponse(HTTP_AWS_S3, \"0PN5J17HBGZHT7JJ3X82\",\n    \"%s\");\nvar creds = new BasicAWSCredentials(keyId, \"%[1]s\");\n"},
		{"upload.py", "s3 = boto3.client(\"s3\", aws_access_key_id=\"0PN5J17HBGZHT7JJ3X82\", aws_secret_access_key=\"%s\")\n"},
	}
	g := fakekey.New(41)
	for _, l := range layouts {
		for _, v := range s3DocSecrets {
			text := strings.ReplaceAll(l.text, "%[1]s", v)
			text = strings.Replace(text, "%s", v, 1)
			if fs := sc.Scan(l.file, []byte(text)); len(fs) > 0 {
				t.Errorf("%s: the S3 documentation's example is reported: %v\n%s", l.file, fs, text)
			}
		}
		real := g.Secret()
		text := strings.ReplaceAll(strings.Replace(l.text, "%s", real, 1), "%[1]s", real)
		if fs := sc.Scan(l.file, []byte(text)); len(fs) == 0 {
			t.Errorf("%s: a real secret in the same layout is not reported\n%s", l.file, text)
		}
		// A value that starts like an example is not one.
		near := s3DocSecrets[0][:20] + real[20:]
		text = strings.ReplaceAll(strings.Replace(l.text, "%s", near, 1), "%[1]s", near)
		if fs := sc.Scan(l.file, []byte(text)); len(fs) == 0 {
			t.Errorf("%s: a secret that only starts like the example is not reported\n%s", l.file, text)
		}
	}
}
