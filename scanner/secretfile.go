package scanner

import (
	"bytes"
	"strings"
)

// A file named for an AWS secret that holds nothing but one value is that
// secret (qa19 H5): Docker Compose's and Swarm's file secrets
// (secrets/aws_secret_access_key.txt), the source files of kubectl create
// secret --from-file, a secrets mount copied into the repository, each a
// file holding one value and named for it, as the command that writes one
// (echo "S" > /run/secrets/aws_secret_access_key) is read by namedAfter.
// Such a file holds no anchor: run marks it (wholeValue) when its name
// names a secret and it is short enough to be the value alone, and
// findSecrets reads it from its start.

// maxSecretFile bounds the size of a file read as a secret by its name: a
// 40-character value with blanks, line ends, a byte order mark or quotes.
const maxSecretFile = 64

// secretFileName returns the last part of path (a file's, an archive
// member's) when, without its extensions, it says AWS secret on its own
// (NamesAWSSecret: aws_secret_access_key.txt, AWS_SECRET_ACCESS_KEY), or
// secret key in a path that names AWS (aws/secret_key, s3-secret-key);
// "" otherwise.
func secretFileName(path string) string {
	name, n := fileNameWords(path)
	// Every file's name is asked (match.run), and almost none names a
	// secret: the few secret words go first, the seventy other services'
	// only for a name that has one (~11,000 instructions a file before).
	strong := containsAny(n, strongSecretWords)
	switch {
	case !strong && !containsAny(n, mediumSecretWords):
		return ""
	case containsAny(n, otherServiceWords):
		return ""
	case !strong && len(awsWordsIn([]byte(path), 0, len(path), nil)) == 0:
		return ""
	}
	return name
}

// fileNameWords returns the last part of path (a file's, an archive
// member's) and the words of its stem (before its first dot) as
// normalizeKeyword gives them.
func fileNameWords(path string) (name, words string) {
	name = path
	if i := strings.LastIndexAny(name, "/\\!"); i >= 0 {
		name = name[i+1:]
	}
	stem := name
	if i := strings.IndexByte(stem, '.'); i > 0 {
		stem = stem[:i]
	}
	return name, normalizeKeyword(stem)
}

// fileNamesSecret returns the file's name when the run r is its whole
// content but for blanks and quotes around it and the file is named for a
// secret (wholeValue); "" for every other value.
func (m *match) fileNamesSecret(r run) string {
	if !m.wholeValue || len(bytes.Trim(m.data[:r.start], " \t\r\n\"'\ufeff")) > 0 || len(bytes.Trim(m.data[r.end:], " \t\r\n\"'")) > 0 {
		return ""
	}
	return secretFileName(m.name)
}
