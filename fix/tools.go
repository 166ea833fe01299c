package fix

import (
	"strings"

	"github.com/keyscan/keyscan/internal/lazyre"
	"github.com/keyscan/keyscan/scanner"
)

// Some programs do not fall back to the instance role when their keys are
// removed: a setting of theirs says where credentials come from, and the
// fix changes it with the keys, or leaves the keys for a person.
//
//   - rclone: an S3 remote uses the AWS SDK's chain (and so the instance
//     role) only with env_auth = true; without it and without keys it goes
//     anonymous. The fix sets env_auth = true in the remote's section.
//     A remote configured from the environment (RCLONE_CONFIG_NAME_...,
//     RCLONE_S3_...) is left for a person, with the variable to set.
//   - Grafana: a CloudWatch (or other AWS) data source with authType: keys
//     reads its secureJsonData keys and nothing else. The fix sets
//     authType: default, the AWS SDK's default chain, which ends at the
//     instance role and which open-source Grafana allows unless its
//     allowed_auth_providers says otherwise (ec2_iam_role is not allowed
//     by default).

// rcloneNote is the comment of an rclone remote whose keys were removed.
const rcloneNote = "# keyscan: AWS keys removed; with env_auth = true rclone takes credentials from the EC2 instance role (instance profile)"

// rcloneEnvName matches an rclone setting given in the environment.
var rcloneEnvName = lazyre.New(`(?i)\bRCLONE_(?:CONFIG_[A-Z0-9_]+?_|S3_)(?:ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)\b`)

// rcloneEnv reports why a key set for rclone in the environment stays
// (empty when the line of f is no such setting).
func (e *editor) rcloneEnv(f scanner.Finding) string {
	i := e.lineAt(f.Offset)
	m := rcloneEnvName.FindString(e.text(i))
	if m == "" && e.syn == YAML && i > 0 {
		m = rcloneEnvName.FindString(e.text(i - 1)) // "- name: RCLONE_...", then "value:"
	}
	if m == "" {
		return ""
	}
	up := strings.ToUpper(m)
	auth := up[:strings.LastIndex(up, "_ACCESS_KEY_ID")+1]
	if auth == "" {
		if k := strings.LastIndex(up, "_SECRET_ACCESS_KEY"); k >= 0 {
			auth = up[:k+1]
		} else {
			auth = up[:strings.LastIndex(up, "_SESSION_TOKEN")+1]
		}
	}
	return "rclone reads this key from the environment (" + m + ") and, without it, goes anonymous unless " +
		auth + "ENV_AUTH=true is set: set it, then remove the keys by hand. " + f.Suggestion
}

// rcloneRemote makes the rclone remote (an INI section with type = s3) that
// held f use the instance role: env_auth = true in place of env_auth =
// false, or after the removed keys. Other INI sections are left as they are.
func (e *editor) rcloneRemote(f scanner.Finding, done map[int]bool) {
	i := e.lineAt(f.Offset)
	h := e.iniSection(i)
	if h < 0 || done[h] {
		return
	}
	var s3 bool
	auth := -1
	for l := h + 1; l < len(e.lines) && !strings.HasPrefix(strings.TrimSpace(e.text(l)), "["); l++ {
		a, ok := e.parseAssign(l)
		if !ok {
			continue
		}
		switch strings.ToLower(a.key) {
		case "type":
			s3 = strings.EqualFold(a.inner, "s3")
		case "env_auth":
			auth = l
		}
	}
	if !s3 {
		return
	}
	done[h] = true
	if auth >= 0 {
		a, _ := e.parseAssign(auth)
		if !strings.EqualFold(a.inner, "true") {
			e.spans = append(e.spans, span{start: a.valStart, end: a.valEnd, text: "true"})
		}
		e.notes[i] = []string{rcloneNote}
		return
	}
	e.notes[i] = []string{"env_auth = true", rcloneNote}
}

// grafanaAuth sets authType: default in the Grafana data source whose
// secureJsonData held f, when its jsonData says authType: keys.
func (e *editor) grafanaAuth(f scanner.Finding) {
	i := e.lineAt(f.Offset)
	sj := e.parent(i)
	if sj < 0 {
		return
	}
	if a, ok := e.parseAssign(sj); !ok || !strings.EqualFold(a.key, "secureJsonData") {
		return
	}
	d := indentOf(e.text(sj))
	if _, item := e.itemIndent(sj); item {
		d = e.contentIndent(sj)
	}
	// The data source's other keys are sj's siblings: up to the item's
	// "- " line, down to the next line indented less.
	jd := -1
	isJSONData := func(l int) bool {
		a, ok := e.parseAssign(l)
		return ok && e.contentIndent(l) == d && strings.EqualFold(a.key, "jsonData")
	}
	for l := sj - 1; l >= 0 && jd < 0; l-- {
		if !e.isContent(l) {
			continue
		}
		if isJSONData(l) {
			jd = l
		}
		if _, item := e.itemIndent(l); item && e.contentIndent(l) == d || indentOf(e.text(l)) < d {
			break
		}
	}
	for l := sj + 1; l < len(e.lines) && jd < 0; l++ {
		if !e.isContent(l) {
			continue
		}
		if indentOf(e.text(l)) < d {
			break
		}
		if isJSONData(l) {
			jd = l
		}
	}
	if jd < 0 {
		return
	}
	for l := jd + 1; l < len(e.lines); l++ {
		if !e.isContent(l) {
			continue
		}
		if indentOf(e.text(l)) <= d {
			return
		}
		if a, ok := e.parseAssign(l); ok && strings.EqualFold(a.key, "authType") {
			if strings.EqualFold(strings.Trim(a.inner, `"'`), "keys") {
				e.spans = append(e.spans, span{start: a.valStart, end: a.valEnd, text: "default"})
			}
			return
		}
	}
}
