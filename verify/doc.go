// Package verify asks AWS STS whether the key pairs a scan found still work.
//
// A finding says a credential was written down; it does not say whether the
// credential still opens anything. For the person triaging a history scan the
// active keys are the emergency, so keyscan can check each paired key ID and
// secret access key with STS GetCallerIdentity, the one AWS call that needs no
// permission and changes nothing. Its answer is a verdict per pair:
//
//   - active: the call succeeded; STS returned the ARN and account of the key's owner.
//   - inactive: STS rejected the key (InvalidClientTokenId: no such key or a
//     deactivated one; SignatureDoesNotMatch: the secret is not this key ID's
//     secret; ExpiredToken: the session token has expired).
//   - unknown: no verdict (network error, throttling that outlasted the
//     retries, timeout, a reply that is not STS's, clock skew).
//
// # What goes over the network
//
// One HTTPS POST of Action=GetCallerIdentity per distinct pair, signed with
// Signature Version 4 by the AWS SDK for Go v2. The request carries the key ID
// (in the Authorization header's credential scope), the session token for
// temporary ASIA keys (it is a bearer value and SigV4 sends it as a header)
// and an HMAC signature derived from the secret; the secret itself never
// leaves the process. The SDK client is built by hand for each pair from a
// static provider holding that pair only: no shared config or credentials
// files, no environment variables, no instance metadata.
//
// # Why it is careful
//
// Verification touches an account that is not the user's: the call shows up in
// the owner's CloudTrail with the caller's IP address, and AWS rate-limits
// STS. So it is off unless asked for, sends one request per distinct pair,
// runs a bounded number of calls at a time, gives each a timeout, retries
// throttled calls with exponential backoff and jitter, and spaces calls that
// share a key ID: STS briefly remembers a key ID that was just presented with
// a wrong secret (about five seconds) and rejects the right secret in that
// window, so checking two candidate secrets for one ID back to back would
// report the real one as inactive.
//
// Reasons never carry a secret or token: the SDK's error text is not used
// verbatim, and whatever comes from the server is scrubbed of the pair's
// values, stripped of control characters and shortened.
//
// Facts that need no network stay offline: the account encoded in a key ID is
// decoded by the scanner (scanner.AccountID), not here.
package verify
