package fix

import (
	"strings"

	"github.com/keyscan/keyscan/scanner"
)

// jsCredKeys are the property names of AWS SDK for JavaScript credentials
// (v2 options and AWS.Credentials, v3 credentials objects).
var jsCredKeys = map[string]bool{"accessKeyId": true, "secretAccessKey": true, "sessionToken": true}

// propKey returns the name of the property whose key is token k (a name
// or a string).
func (c *codeFix) propKey(k int) string {
	if c.ts.is(k, tokName, "") || c.ts.is(k, tokString, "") {
		return c.ts[k].text
	}
	return ""
}

// calleeChain returns the dotted name before the '(' at token p
// ("AWS.config.update") and whether `new` precedes it.
func (c *codeFix) calleeChain(p int) (string, bool) {
	ts := c.ts
	var parts []string
	j := p - 1
	for ts.is(j, tokName, "") {
		parts = append([]string{ts[j].text}, parts...)
		if !ts.is(j-1, tokOp, ".") {
			break
		}
		j -= 2
	}
	if len(parts) == 0 {
		return "", false
	}
	return strings.Join(parts, "."), ts.is(j-1, tokName, "new")
}

// sdkOptions reports whether the object opened at o is the options of an
// AWS SDK client or configuration: new AWS.S3({...}), new S3Client({...}),
// new AWS.Config({...}), AWS.config.update({...}).
func (c *codeFix) sdkOptions(o int) bool {
	if !c.ts.is(o, tokOp, "{") || !c.ts.is(o-1, tokOp, "(") {
		return false
	}
	chain, isNew := c.calleeChain(o - 1)
	switch {
	case chain == "AWS.config.update":
		return true
	case isNew && (strings.HasPrefix(chain, "AWS.") || strings.HasSuffix(chain, "Client")):
		return !strings.HasSuffix(chain, "Credentials")
	}
	return false
}

// credentialsObject reports whether every property of the object opened
// at o is a credential key with a plain string value.
func (c *codeFix) credentialsObject(o int) bool {
	for _, it := range c.ts.items(o) {
		if it[1] != it[0]+2 || !jsCredKeys[c.propKey(it[0])] || !c.ts.is(it[0]+1, tokOp, ":") || !c.ts.is(it[1], tokString, "") {
			return false
		}
	}
	return true
}

// javascript removes the credentials f belongs to, so that the SDK's
// default provider chain applies.
func (c *codeFix) javascript(f scanner.Finding) string {
	ts := c.ts
	i, reason := c.literal(f)
	if reason != "" {
		return reason
	}
	o := ts.enclosing(i)
	if o < 0 {
		return "the key is not inside an object or a call; remove it by hand."
	}
	switch ts[o].text {
	case "{":
		if !ts.is(i-1, tokOp, ":") || !jsCredKeys[c.propKey(i-2)] || !(ts.is(i+1, tokOp, ",") || ts.is(i+1, tokOp, "}")) {
			return "the key is not the value of accessKeyId, secretAccessKey or sessionToken; remove it by hand."
		}
		// { credentials: { accessKeyId: "...", ... } }: the whole property.
		if ts.is(o-1, tokOp, ":") && c.propKey(o-2) == "credentials" {
			if !c.credentialsObject(o) {
				return "the credentials object holds more than literal keys; remove it by hand."
			}
			return c.removeProperty(o-2, "the credentials are not in the options of an AWS SDK client keyscan knows")
		}
		// new AWS.Credentials({ accessKeyId, secretAccessKey })
		if ts.is(o-1, tokOp, "(") {
			if chain, isNew := c.calleeChain(o - 1); isNew && (chain == "AWS.Credentials" || chain == "Credentials") {
				if !c.credentialsObject(o) {
					return "the AWS.Credentials object holds more than literal keys; remove it by hand."
				}
				return c.removeCredentialsExpr(o - 1)
			}
		}
		if !c.sdkOptions(o) {
			return "the object is not the options of an AWS SDK client keyscan knows (new AWS.Service, new XClient, AWS.config.update); remove the key by hand."
		}
		if d := c.jsOptionsEndpoint(o); d != "" {
			return customEndpoint(d)
		}
		c.remove(o, c.itemOf(o, i))
		return ""
	case "(":
		chain, isNew := c.calleeChain(o)
		if !isNew || (chain != "AWS.Credentials" && chain != "Credentials") {
			return "the key is an argument of a call keyscan does not know; remove it by hand."
		}
		for _, it := range ts.items(o) {
			if it[0] != it[1] || !ts.is(it[0], tokString, "") {
				return "new AWS.Credentials is given more than literal keys; remove it by hand."
			}
		}
		return c.removeCredentialsExpr(o)
	}
	return "the key is not in an object keyscan understands; remove it by hand."
}

// removeCredentialsExpr removes `new AWS.Credentials(...)` whose '(' is
// token p: the property it is the value of, or the statement that assigns
// it to AWS.config.credentials.
func (c *codeFix) removeCredentialsExpr(p int) string {
	ts := c.ts
	j := p - 1 // back to `new`
	for ts.is(j, tokName, "") && ts.is(j-1, tokOp, ".") {
		j -= 2
	}
	newTok := j - 1
	if !ts.is(newTok, tokName, "new") {
		return "new AWS.Credentials is used in a way keyscan does not rewrite; remove it by hand."
	}
	closeTok := ts[p].match
	if ts.is(newTok-1, tokOp, ":") && c.propKey(newTok-2) == "credentials" && (ts.is(closeTok+1, tokOp, ",") || ts.is(closeTok+1, tokOp, "}")) {
		return c.removeProperty(newTok-2, "the credentials are not in the options of an AWS SDK client keyscan knows")
	}
	// AWS.config.credentials = new AWS.Credentials(...);
	if ts.is(newTok-1, tokOp, "=") {
		k := newTok - 2
		var parts []string
		for ts.is(k, tokName, "") {
			parts = append([]string{ts[k].text}, parts...)
			if !ts.is(k-1, tokOp, ".") {
				break
			}
			k -= 2
		}
		start := k
		if strings.Join(parts, ".") == "AWS.config.credentials" && (start == 0 || ts.is(start-1, tokOp, ";") || ts.is(start-1, tokOp, "}") || ts.is(start-1, tokOp, "{") ||
			c.newLineBefore(start)) {
			end := ts[closeTok].end
			if ts.is(closeTok+1, tokOp, ";") {
				end = ts[closeTok+1].end
			} else if !c.newLineBefore(closeTok + 1) {
				return "the statement goes on after new AWS.Credentials; remove it by hand."
			}
			if d := c.jsGlobalEndpoint(); d != "" {
				return customEndpoint(d)
			}
			c.stmts[ts[start].start] = [2]int{ts[start].start, end}
			return ""
		}
	}
	return "new AWS.Credentials is used in a way keyscan does not rewrite (kept in a variable?); remove it by hand."
}

// newLineBefore reports whether a line break separates token k from the
// one before (or k is the last token).
func (c *codeFix) newLineBefore(k int) bool {
	if k <= 0 || k >= len(c.ts) {
		return true
	}
	return strings.Contains(string(c.data[c.ts[k-1].end:c.ts[k].start]), "\n")
}

// removeProperty removes the property whose key is token k from the SDK
// options object around it.
func (c *codeFix) removeProperty(k int, why string) string {
	o := c.ts.enclosing(k)
	if o < 0 || !c.sdkOptions(o) {
		return why + " (new AWS.Service, new XClient, AWS.config.update); remove them by hand."
	}
	if d := c.jsOptionsEndpoint(o); d != "" {
		return customEndpoint(d)
	}
	c.remove(o, c.itemOf(o, k))
	return ""
}
