package fix

import (
	"slices"
	"strings"

	"github.com/keyscan/keyscan/internal/lazyre"
	"github.com/keyscan/keyscan/scanner"
)

// botoKwargs are the keyword arguments of boto3 and botocore that take
// credentials.
var botoKwargs = map[string]bool{"aws_access_key_id": true, "aws_secret_access_key": true, "aws_session_token": true}

// botoCall reports whether the call whose '(' is token o is one that
// creates a boto3/botocore client, resource or session: boto3.client,
// boto3.resource, boto3.Session, boto3.session.Session, a session's
// .client/.resource, botocore's create_client.
func botoCall(ts tokens, o int) bool {
	if !ts.is(o-1, tokName, "") {
		return false
	}
	switch ts[o-1].text {
	case "client", "resource":
		return ts.is(o-2, tokOp, ".") // boto3.client, session.client, ...
	case "Session":
		// boto3.Session, boto3.session.Session, or Session imported from boto3.
		return !ts.is(o-2, tokOp, ".") || ts.is(o-3, tokName, "boto3") || ts.is(o-3, tokName, "session")
	case "create_client":
		return ts.is(o-2, tokOp, ".")
	}
	return false
}

// A program that chooses a shared-config profile or file (boto3's
// profile_name=, AWS_PROFILE or AWS_CONFIG_FILE set in the process, the
// JavaScript SDK's profile: option or fromIni) gets that profile's
// endpoint_url, where a MinIO or R2 profile keeps it; the profile is in a
// file keyscan does not read with the source, so the keys stay for a
// person, as the Go analyzer leaves them ("the config chooses a
// shared-config profile or file").
var (
	pyProfile = lazyre.New(`\bprofile_name\s*=\s*[^\s,)]+|\bAWS_(?:DEFAULT_)?PROFILE\b|\bAWS_CONFIG_FILE\b|\bAWS_SHARED_CREDENTIALS_FILE\b`)
	jsProfile = lazyre.New(`\bprofile\s*:\s*[^\s,}]+|\bAWS_PROFILE\b|\bAWS_CONFIG_FILE\b|\bAWS_SHARED_CREDENTIALS_FILE\b|\bAWS_SDK_LOAD_CONFIG\b|\bfromIni\b|\bSharedIniFileCredentials\b`)
)

// codeProfile describes where the source chooses a shared-config profile
// or file; empty when it does not.
func codeProfile(content []byte, py bool) string {
	re := jsProfile
	if py {
		re = pyProfile
	}
	if m := re.Find(content); m != nil {
		return shorten(string(m))
	}
	return ""
}

// applyCode removes the credentials in fs from Python or JavaScript source.
func applyCode(name string, content []byte, fs scanner.Findings, res *Result, py bool) (*Result, error) {
	ts, err := tokenize(content, py)
	if err != nil {
		for _, f := range fs {
			res.Manual = append(res.Manual, Manual{f, "keyscan could not read the source (" + err.Error() + "); remove the key by hand. " + f.Suggestion})
		}
		return res, nil
	}
	e := newEditor(content, Unknown)
	c := &codeFix{ts: ts, data: content, removals: map[int][]bool{}, stmts: map[int][2]int{}}
	profile := codeProfile(content, py)
	// A program that turns the instance metadata service off
	// (os.environ["AWS_EC2_METADATA_DISABLED"] = "true") gets no
	// credentials from the instance role: its keys stay.
	// A read of it (os.environ.get), a write of "false" or a comment
	// turns nothing off (review15 C-7).
	metadataOff := metadataOffWhat(content, "file")
	for _, f := range fs {
		var reason string
		switch {
		case metadataOff != "":
			reason = metadataOffReason(metadataOff)
		case profile != "":
			reason = customEndpoint("maybe: the program chooses a shared-config profile or file (" + profile +
				"), whose endpoint_url keyscan does not read")
		case py:
			reason = c.python(f)
		default:
			reason = c.javascript(f)
		}
		if reason != "" {
			if !isEndpointReason(reason) {
				reason += " " + f.Suggestion // the SDK advice is not for another service's keys
			}
			res.Manual = append(res.Manual, Manual{f, reason})
			continue
		}
		res.Fixed = append(res.Fixed, f)
	}
	for o, gone := range c.removals {
		e.removeTokItems(ts, ts.items(o), gone, ts[o].match)
	}
	for _, st := range c.stmts {
		e.removeStatement(st[0], st[1])
	}
	res.Content = e.apply()
	return res, nil
}

// codeFix collects the removals in one source file.
type codeFix struct {
	ts       tokens
	data     []byte
	removals map[int][]bool // open bracket -> items to remove
	stmts    map[int][2]int // statements to remove, by start offset: [start, end)
}

func (c *codeFix) remove(o, item int) {
	gone, ok := c.removals[o]
	if !ok {
		gone = make([]bool, len(c.ts.items(o)))
		c.removals[o] = gone
	}
	gone[item] = true
}

// literal returns the string token that holds f, when f is the whole value
// of one plain string literal (no concatenation, no escapes keyscan does
// not decode, no f-string or template).
func (c *codeFix) literal(f scanner.Finding) (int, string) {
	i := c.ts.tokenAt(f.Offset, f.EndOffset)
	if i < 0 || c.ts[i].kind != tokString {
		return -1, "the key is not a plain string literal; remove it by hand."
	}
	if v := c.ts[i].text; v != f.Secret && v != string(c.data[f.Offset:f.EndOffset]) {
		return -1, "the key is part of a longer string; remove it by hand."
	}
	if c.ts.is(i-1, tokString, "") || c.ts.is(i+1, tokString, "") || c.ts.is(i+1, tokOp, "+") || c.ts.is(i-1, tokOp, "+") {
		return -1, "the key is part of a concatenated string; remove it by hand."
	}
	return i, ""
}

// itemOf returns the index of the item of the list opened at o that holds
// token i.
func (c *codeFix) itemOf(o, i int) int {
	for k, it := range c.ts.items(o) {
		if it[0] <= i && i <= it[1] {
			return k
		}
	}
	return -1
}

// python removes the keyword argument that passes f to a boto3 or botocore
// call.
func (c *codeFix) python(f scanner.Finding) string {
	ts := c.ts
	i, reason := c.literal(f)
	if reason != "" {
		return reason
	}
	if !ts.is(i-1, tokOp, "=") && (ts.is(i-1, tokOp, ",") || ts.is(i-1, tokOp, "(")) {
		return c.pythonPositional(f, i)
	}
	if !ts.is(i-1, tokOp, "=") || !ts.is(i-2, tokName, "") || !botoKwargs[ts[i-2].text] {
		return "the key is not the value of an aws_access_key_id, aws_secret_access_key or aws_session_token argument; remove it by hand."
	}
	if !(ts.is(i-3, tokOp, "(") || ts.is(i-3, tokOp, ",")) || !(ts.is(i+1, tokOp, ",") || ts.is(i+1, tokOp, ")")) {
		return "the argument is not one keyscan can cut out; remove it by hand."
	}
	o := ts.enclosing(i)
	if o < 0 || ts[o].text != "(" || !botoCall(ts, o) {
		return "the call is not one keyscan knows as boto3/botocore (client, resource, Session, create_client); remove the argument by hand."
	}
	if reason := c.pythonCall(o); reason != "" {
		return reason
	}
	c.remove(o, c.itemOf(o, i))
	// The other credentials arguments of the call go with it, whatever
	// their values (aws_access_key_id=os.environ["KEY_ID"]): botocore
	// refuses a key ID without its secret (PartialCredentialsError), where
	// none at all falls through to the instance role.
	for k, it := range ts.items(o) {
		if ts.is(it[0], tokName, "") && botoKwargs[ts[it[0]].text] && ts.is(it[0]+1, tokOp, "=") {
			c.remove(o, k)
		}
	}
	return ""
}

// pythonCall checks what the boto3 call opened at o (whose keys are given
// as keywords or by position) says of its endpoint and of the clients its
// keys reach: a reason to leave them by hand, or "".
func (c *codeFix) pythonCall(o int) string {
	ts := c.ts
	if d := c.pyEndpoint(o); d != "" {
		return customEndpoint(d)
	}
	if d := c.pyEnvEndpoint(); d != "" {
		// boto3 reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> for
		// every client the process makes.
		return customEndpoint(d)
	}
	if ts.is(o-1, tokName, "Session") {
		// A session's keys go to every client made from it, some of which
		// may be given an endpoint.
		if d := c.pyConfigHint(0, len(ts)-1); d != "" { // AWS_ENDPOINT_URL was asked above
			return customEndpoint(d)
		}
		// A session made at the top of a module can be imported by other
		// modules (from creds import session), which keyscan does not read,
		// and given to a client there; a script (__main__) is not imported.
		if c.topLevel(o) && !c.pyScript() {
			return customEndpoint("maybe: the session is made at the top of the module, and other modules may import it and give it to a client with an endpoint_url")
		}
	}
	return ""
}

// pythonPositional handles a key given by position (detect3's leftovers):
// boto3's client and resource (service_name, region_name, api_version,
// use_ssl, verify, endpoint_url, aws_access_key_id, aws_secret_access_key,
// aws_session_token, config), a session's, botocore's create_client (the
// same places), boto3's Session (aws_access_key_id, aws_secret_access_key,
// aws_session_token, ...), boto 2's connect_s3 and S3Connection
// (aws_access_key_id, aws_secret_access_key, is_secure, ...). The key ID,
// the secret and a token given by position go together, and only when no
// argument after them is given by position: the ones after would move into
// their places.
func (c *codeFix) pythonPositional(f scanner.Finding, i int) string {
	ts := c.ts
	o := ts.enclosing(i)
	if o < 0 || ts[o].text != "(" || !ts.is(i+1, tokOp, ",") && !ts.is(i+1, tokOp, ")") {
		return "the key is not the value of an aws_access_key_id, aws_secret_access_key or aws_session_token argument; remove it by hand."
	}
	if ts.is(o-1, tokName, "connect_s3") || ts.is(o-1, tokName, "S3Connection") {
		if d := c.boto2Host(o); d != "" {
			return customEndpoint(d)
		}
		return "boto 2 (" + ts[o-1].text + ") takes the keys by position; boto 2 is no longer maintained: move the code to boto3 " +
			"(boto3.client(\"s3\") with no keys takes the instance role), or delete the two arguments by hand."
	}
	if !botoCall(ts, o) {
		return "the key is an argument given by position to a call keyscan does not know as boto3/botocore; remove it by hand."
	}
	first := 6 // aws_access_key_id's place, from 0
	if ts.is(o-1, tokName, "Session") {
		first = 0
	}
	items := ts.items(o)
	var places []int // the items given by position, in order
	for k, it := range items {
		if ts.is(it[0], tokOp, "*") || ts.is(it[0], tokOp, "**") {
			return "the call passes arguments through " + c.source(it[0], it[1]) + ", which may move the keys' places; remove them by hand."
		}
		if ts.is(it[0], tokName, "") && ts.is(it[0]+1, tokOp, "=") {
			continue
		}
		places = append(places, k)
	}
	item := c.itemOf(o, i)
	at := slices.Index(places, item)
	if at != first && at != first+1 && at != first+2 {
		return "the key is not in the place of a key ID, secret or session token of " + ts[o-1].text + "; remove it by hand."
	}
	if reason := c.pythonCall(o); reason != "" {
		return reason
	}
	// The key ID, the secret and the token go, when nothing is given by
	// position after them.
	last := min(len(places), first+3) - 1
	if last < len(places)-1 {
		return "the keys are given by position and " + c.source(items[places[last+1]][0], items[places[last+1]][1]) +
			" follows them by position: removing them would move it into their place; remove the keys by hand and pass it by name."
	}
	for k := first; k <= last; k++ {
		c.remove(o, places[k])
	}
	for k, it := range items {
		if ts.is(it[0], tokName, "") && botoKwargs[ts[it[0]].text] && ts.is(it[0]+1, tokOp, "=") {
			c.remove(o, k)
		}
	}
	return ""
}

// boto2Host describes the host a boto 2 connection opened at o is given,
// when it is not AWS's (host="minio.local"), or a host keyscan cannot read
// (a variable); "" when there is none or it is AWS's.
func (c *codeFix) boto2Host(o int) string {
	ts := c.ts
	for _, it := range ts.items(o) {
		if !ts.is(it[0], tokName, "host") || !ts.is(it[0]+1, tokOp, "=") || it[1] < it[0]+2 {
			continue
		}
		if it[1] == it[0]+2 && ts.is(it[1], tokString, "") {
			if strings.Contains(ts[it[1]].text, "amazonaws.com") {
				return ""
			}
			return c.source(it[0], it[1])
		}
		return "maybe: the connection is given " + c.source(it[0], it[1])
	}
	return ""
}

// removeStatement deletes data[start:end], with its line when the statement
// has the line to itself.
func (e *editor) removeStatement(start, end int) {
	if e.startsLine(start) {
		l := e.lineAt(end - 1)
		rest := strings.TrimSpace(strings.TrimSuffix(string(e.data[end:e.lines[l].end]), "\r"))
		if rest == "" {
			first := e.lineAt(start)
			for k := first; k <= l; k++ {
				e.deleteLine(k)
			}
			return
		}
	}
	e.spans = append(e.spans, span{start: start, end: end})
}
