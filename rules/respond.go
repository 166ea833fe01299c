package rules

import "strings"

// Exposure is what a leak leaves in an attacker's hands, as far as the
// response to it is concerned. A rule's Kind is not enough: IAM deactivates
// a long-term key by its ID, cannot touch a temporary (ASIA) key at all, and
// cannot look a key up by its secret. Advice that names the wrong remedy is
// advice a user cannot follow, so each exposure has its own.
type Exposure string

const (
	// LongTermKey is an AKIA (or ACCA) key ID, with or without its secret.
	LongTermKey Exposure = "long-term-key"
	// TemporaryKey is an ASIA (or ABIA) key ID, issued by STS.
	TemporaryKey Exposure = "temporary-key"
	// SecretOnly is a secret access key whose key ID is not known.
	SecretOnly Exposure = "secret-only"
	// TokenOnly is a session token whose key ID is not known.
	TokenOnly Exposure = "token-only"
)

// ExposureOf classifies a credential of kind k with the given value; for a
// secret or a token, pairedKeyID is the value of the key ID found with it, or
// empty when none was.
func ExposureOf(k Kind, value, pairedKeyID string) Exposure {
	id := ""
	switch k {
	case AccessKeyID:
		id = value
	default:
		id = pairedKeyID
	}
	switch {
	case strings.HasPrefix(id, "ASIA"), strings.HasPrefix(id, "ABIA"):
		return TemporaryKey
	case id != "":
		return LongTermKey
	case k == SessionToken:
		return TokenOnly
	}
	return SecretOnly
}

// Response is what to do about one exposure: a heading for a list of such
// keys and the steps that work for them.
type Response struct {
	Exposure Exposure
	Heading  string // plural noun phrase: "long-term access keys (AKIA)"
	Steps    string // one paragraph, commands included
	// Brief is one sentence for a finding's own suggestion.
	Brief string
}

// Responses returns the advice for every exposure, in the order reports list them.
func Responses() []Response {
	return []Response{
		{
			Exposure: LongTermKey,
			Heading:  "long-term access keys (AKIA)",
			Steps: "IAM can deactivate these: `aws iam get-access-key-last-used --access-key-id ID` names the key's user, " +
				"`aws iam update-access-key --user-name USER --access-key-id ID --status Inactive` deactivates it. " +
				"Move what used it to an instance role, then delete the key. The full IDs are in the files, " +
				"or in the report with --show-secrets.",
			Brief: "Then deactivate and rotate the exposed key in IAM: removing it from the file, or from git history, does not un-leak it.",
		},
		{
			Exposure: TemporaryKey,
			Heading:  "temporary access keys (ASIA)",
			Steps: "IAM cannot deactivate a temporary key: it works until it expires (15 minutes to 36 hours). " +
				"If a role issued it, revoke that role's active sessions (IAM console: Roles, the role, Revoke sessions; " +
				"it denies every session issued before now). If an IAM user issued it (GetSessionToken, GetFederationToken), " +
				"attach to that user a policy denying every action when aws:TokenIssueTime is before now. " +
				"Once it has expired, nothing is left to do.",
			Brief: "Then revoke the issuing role's active sessions (IAM cannot deactivate a temporary key) or wait for its expiry: removing it from the file does not un-leak it.",
		},
		{
			Exposure: SecretOnly,
			Heading:  "secrets whose key ID is not in the report",
			Steps: "IAM cannot search for a key by its secret. Find the key by its use instead: the credential report " +
				"(`aws iam generate-credential-report`, then `get-credential-report`) lists every key with its last use, and " +
				"CloudTrail records the access key ID of each call; a key in use where the leaked code ran is the one. " +
				"If that does not settle it, rotate every access key of the users who could have committed the file.",
			Brief: "Then rotate the key this secret belongs to (IAM cannot search by secret: use the credential report or CloudTrail to find it): removing it from the file does not un-leak it.",
		},
		{
			Exposure: TokenOnly,
			Heading:  "session tokens whose key ID is not in the report",
			Steps: "A session token works with its temporary key ID and secret until it expires (at most 36 hours). " +
				"Revoke the active sessions of the role that issued it (IAM console: Roles, the role, Revoke sessions), " +
				"or wait for the expiry; IAM has nothing to deactivate.",
			Brief: "Then revoke the issuing role's active sessions or wait for the token's expiry: removing it from the file does not un-leak it.",
		},
	}
}

// Respond returns the advice for exposure e.
func Respond(e Exposure) Response {
	for _, r := range Responses() {
		if r.Exposure == e {
			return r
		}
	}
	return Responses()[0]
}

// RoleOf returns the role name in an STS assumed-role ARN
// (arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION), as --verify learns it,
// or "" for any other ARN.
func RoleOf(arn string) string {
	_, rest, ok := strings.Cut(arn, ":assumed-role/")
	if !ok || !strings.HasPrefix(arn, "arn:") {
		return ""
	}
	role, _, _ := strings.Cut(rest, "/")
	return role
}
