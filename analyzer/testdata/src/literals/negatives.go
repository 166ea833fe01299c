package literals

// A random 40-character string with no AWS context around it is not a
// secret access key: nothing says it is one.
var randomNoContext = "KnABB+QzOcIoTyX/j2NdcT487hpNRjAdvf/Epg0s"

// Neither is a hex digest under a keyword.
var sha = map[string]string{"aws_secret_access_key": "da39a3ee5e6b4b0d3255bfef95601890afd80709"}
