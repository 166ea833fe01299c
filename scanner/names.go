package scanner

// NamesAWSSecret reports whether an identifier names an AWS secret access
// key on its own (awsSecretAccessKey, AWS_SECRET_ACCESS_KEY, s3Secret): the
// words that make a value's context strong. Such a value is AWS's whatever
// the code does with it; AWS's own Signature Version 2 uses the secret
// itself as its HMAC key, so signing with it says nothing against it.
func NamesAWSSecret(name string) bool {
	return containsAny(normalizeKeyword(name), strongSecretWords)
}
