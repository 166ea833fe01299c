package scanner

import (
	"bytes"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// S3-compatible services (Google Cloud Storage's XML API, MinIO, Wasabi,
// DigitalOcean Spaces, Cloudflare R2, Backblaze B2) are used through AWS's
// SDKs and tools, with AWS's names: a boto3 client's aws_secret_access_key,
// an rclone remote's secret_access_key, s3cmd's secret_key, a Terraform aws
// provider's secret_key. Their secrets are 40 characters of base64 like
// AWS's, and the files around them are full of AWS words. What tells them
// apart is the block the secret sits in: its endpoint (a host that is not
// AWS's), its provider setting, or its access ID (Google's HMAC access IDs
// start with GOOG). Those outweigh the AWS words of the names and of the
// lines nearby. An AWS key ID in the same block outweighs them in turn: a
// real AKIA key is AWS's whatever endpoint it is sent to, and so is the
// secret paired with it.
//
// The block is the smallest of these that says something: the secret's
// own line (a one-line boto3.client(...) call); the INI section holding it
// (an rclone remote, an s3cmd or .aws/config profile), read whole up to
// sectionLimit; otherwise the lines around it at its indentation or deeper
// and the line that opens them (a call's arguments, a YAML mapping, a
// Terraform block, a paragraph of a .env file), and once more the block
// that opens that one when the first holds no AWS word (a JavaScript
// client's credentials: {...} inside new S3Client({...})).

// foreign returns what in the block of the value at [s,e) says it is the
// secret of an S3-compatible service that is not AWS, or "". byName is set
// for a value whose own name says AWS secret key (AWS_SECRET_ACCESS_KEY,
// aws_secret_access_key): a GOOG access ID then counts only as the value of
// its pair's access-key-ID name (aws_access_key_id=GOOG..., the same
// credential), not under a name of its own (GCS_HMAC_ACCESS_ID=GOOG...
// beside the AWS keys is another credential of the same application), and
// a known host only where the client connects (see nameSign).
func (m *match) foreign(s, e int, byName bool) string {
	d := m.data
	ls, le := m.lineStart(s, 1024), m.lineEnd(e, min(len(d), e+1024))
	// Every block below lies within sectionLimit of the line (an
	// indentation block and its parent within 2*foreignBytes): most secrets
	// have no sign of another service that near, and need no block.
	if !m.anySign(max(0, ls-sectionLimit), min(len(d), le+sectionLimit)) {
		return ""
	}
	// The lines, blocks and signs read below (work.go): a step, and each
	// byte of the lines of signs read, up to what the worst text of signs
	// costs a candidate.
	m.cost(signsStep)
	looked := m.looked
	m.ownLine, m.ownSet = window{ls, le}, true
	defer func() {
		m.ownSet = false
		m.costBytes(min(m.looked-looked, (maxSignsCost-stepCost[signsStep])/signByteCost), signByteCost)
	}()
	if why, decided := m.foreignIn(ls, le, byName); decided {
		return why
	}
	if lo, hi, ok := m.section(ls, le); ok {
		why, decided := m.foreignIn(lo, hi, byName)
		if !decided {
			why = m.servicesSign(lo, hi, byName)
		}
		return why
	}
	lo, hi, head := m.indentBlock(ls, le)
	if why, decided := m.foreignIn(lo, hi, byName); decided {
		return why
	}
	// A list item's block is its list (a container's env: - name/value
	// items); any other block opens its parent only when it holds no AWS
	// word of its own.
	if head < 0 || !bytes.HasPrefix(bytes.TrimLeft(d[head:], " \t"), []byte("- ")) &&
		(len(m.awsWords(lo, hi, lo, ls)) > 0 || len(m.awsWords(lo, hi, le, hi)) > 0) {
		return ""
	}
	lo2, hi2, _ := m.indentBlock(head, m.lineEnd(head, hi))
	why, _ := m.foreignIn(min(lo, lo2), max(hi, hi2), byName)
	return why
}

// servicesSign follows a services = NAME setting of the INI section
// [lo,hi) (an AWS config profile) to the [services NAME] section of the same
// input, where the SDKs and the CLI read the profile's service-specific
// endpoints (s3 = then an indented endpoint_url = ...), and returns the sign
// of another service found there, as if it stood in the profile (fix's
// ProfileEndpoints follows the same setting).
func (m *match) servicesSign(lo, hi int, byName bool) string {
	d := m.data
	if bytes.Index(d[lo:hi], []byte("services")) < 0 {
		return ""
	}
	var name []byte
	for i := lo; i < hi && name == nil; i++ {
		j := lineEndBefore(d, i, hi)
		if k, v, ok := bytes.Cut(bytes.TrimSpace(d[i:j]), []byte("=")); ok && string(bytes.TrimSpace(k)) == "services" {
			name = bytes.TrimSpace(v)
		}
		i = j
	}
	if len(name) == 0 {
		return ""
	}
	// The section is looked for within servicesReach of the profile: a
	// config file is small, and a secret asks at most that much.
	for k, end := max(0, lo-servicesReach), min(len(d), hi+servicesReach); k < end; {
		j := bytes.Index(d[k:end], []byte("[services"))
		if j < 0 {
			return ""
		}
		at := k + j
		k = at + 1
		e := lineEndBefore(d, at, len(d))
		h := bytes.TrimRight(d[at:e], " \t\r")
		if (at > 0 && d[at-1] != '\n') || !iniHeader(h) {
			continue
		}
		if len(h) < len("[services x]") || h[len("[services")] != ' ' && h[len("[services")] != '\t' ||
			!bytes.Equal(bytes.TrimSpace(h[len("[services"):len(h)-1]), name) {
			continue
		}
		_, hi2 := m.sectionWithin(e, e, e, min(len(d), e+sectionLimit))
		why, _ := m.foreignIn(at, hi2, byName)
		return why
	}
	return ""
}

// servicesReach bounds how far from a profile servicesSign looks for the
// [services NAME] section it names.
const servicesReach = 64 << 10

// foreignIn looks for what decides in data[lo:hi]: an AWS key ID found by
// the matcher (decided, AWS) or the sign of another service (decided, its
// description).
func (m *match) foreignIn(lo, hi int, byName bool) (why string, decided bool) {
	// m.keyIDs are in order of position.
	if i := sort.Search(len(m.keyIDs), func(j int) bool { return m.keyIDs[j].start >= lo }); i < len(m.keyIDs) && m.keyIDs[i].end <= hi {
		return "", true
	}
	if why := m.foreignSignIn(lo, hi, byName); why != "" {
		return why, true
	}
	return "", false
}

// sectionLimit bounds how far an INI section is read each way: s3cmd's
// [default] section runs to about 80 settings in alphabetical order, so
// host_base stands some 30 lines from access_key and secret_key.
const sectionLimit = 8 << 10 // at least 2*foreignBytes: see foreign

// section returns the INI section holding the line [ls,le), from its
// [header] to the next header, when there is one above within sectionLimit.
func (m *match) section(ls, le int) (lo, hi int, ok bool) {
	d := m.data
	floor := max(0, ls-sectionLimit)
	lo, _ = m.sectionWithin(floor, ls, le, le)
	switch {
	case lo > floor:
	case floor == 0 && isHeaderAt(d, 0):
		lo = 0
	default:
		return 0, 0, false
	}
	_, hi = m.sectionWithin(ls, ls, le, min(len(d), le+sectionLimit))
	return lo, hi, true
}

// sectionWithin narrows [lo,hi), a window around [s,e), to the INI section
// holding [s,e): it starts after the last section header in [lo,s) and ends
// before the first in [e,hi). Windows with no header are returned whole.
func (m *match) sectionWithin(lo, s, e, hi int) (int, int) {
	hs := m.headers.in(m.data, lo, hi, headersIn)
	if i := sort.SearchInts(hs, s); i > 0 && hs[i-1] < s {
		lo = hs[i-1]
	}
	if i := sort.SearchInts(hs, e); i < len(hs) {
		hi = hs[i]
	}
	return lo, hi
}

// headersIn returns where the INI section headers of d[lo:hi] start.
// '[' is rare in most text: it is looked for first.
func headersIn(d []byte, lo, hi int) []int {
	var out []int
	for k := lo; k < hi; {
		j := bytes.IndexByte(d[k:hi], '[')
		if j < 0 {
			break
		}
		j += k
		if (j == 0 || d[j-1] == '\n') && isHeaderAt(d, j) {
			out = append(out, j)
		}
		k = j + 1
	}
	return out
}

// lineCache holds the positions a find function returned for d[lo:hi],
// for a match that asks about overlapping windows again and again (one
// per secret in secret-dense text): windows near the range extend it, so
// each byte is searched once.
type lineCache struct {
	lo, hi int
	pos    []int
}

// in returns the cached positions in [lo,hi), finding those not known yet.
func (c *lineCache) in(d []byte, lo, hi int, find func(d []byte, lo, hi int) []int) []int {
	const gap = 4096
	switch {
	case c.hi > c.lo && c.lo <= lo && hi <= c.hi:
	case c.hi > c.lo && lo <= c.hi+gap && hi+gap >= c.lo:
		if lo < c.lo {
			c.pos = append(find(d, lo, c.lo), c.pos...)
			c.lo = lo
		}
		if hi > c.hi {
			// Moving forward, as the matcher does: take a chunk ahead, so that
			// the next windows are in hand (whole lines, as the finds want).
			to := max(hi, min(len(d), c.hi+gap))
			to = lineEndBefore(d, to, min(len(d), to+1024))
			c.pos = append(c.pos, find(d, c.hi, to)...)
			c.hi = to
		}
	default:
		c.pos = find(d, lo, hi)
		c.lo, c.hi = lo, hi
	}
	return c.pos[sort.SearchInts(c.pos, lo):sort.SearchInts(c.pos, hi)]
}

// isHeaderAt reports whether the line starting at i is an INI section header.
func isHeaderAt(d []byte, i int) bool {
	return iniHeader(d[i:lineEndBefore(d, i, min(len(d), i+256))])
}

// sectionName returns the header of the INI section holding position i
// ("[webserver]"), or "" when no header stands above it within sectionLimit.
func (m *match) sectionName(i int) string {
	floor := max(0, i-sectionLimit)
	lo, _ := m.sectionWithin(floor, i, i, i)
	if lo == floor && !(lo == 0 && isHeaderAt(m.data, 0)) {
		return ""
	}
	if lo > floor && !isHeaderAt(m.data, lo) {
		return ""
	}
	return string(m.data[lo:lineEndBefore(m.data, lo, min(len(m.data), lo+256))])
}

// sameSection reports whether no INI section header stands between
// positions a and b: a key ID pairs with the secrets of its own section.
func (m *match) sameSection(a, b int) bool {
	if a > b {
		a, b = b, a
	}
	lo, _ := m.sectionWithin(a, b, b, b)
	return lo == a
}

// iniHeader reports whether a line is an INI section header: [name],
// [profile prod], [remote:path], at the start of the line.
func iniHeader(line []byte) bool {
	line = bytes.TrimRight(line, " \t\r")
	if len(line) < 3 || line[0] != '[' || line[len(line)-1] != ']' {
		return false
	}
	for _, c := range line[1 : len(line)-1] {
		if !isAlnum(c) && !strings.ContainsRune(" _.:/@-", rune(c)) {
			return false
		}
	}
	return true
}

// foreignLines and foreignBytes bound the lines indentBlock reads each way.
const (
	foreignLines = 25
	foreignBytes = 2500
)

// indentBlock returns the lines around [ls,le) indented at least as much as
// it (blank lines included when it is indented, since YAML and HCL blocks
// have them; a paragraph when it is not), with the less indented line that
// opens them; head is where that line starts, -1 when there is none.
//
// Secrets a line apart ask about blocks of the same lines: in text with a
// secret every line each read fifty lines, a third of the matcher. So the
// whole lines are read from m.indents (indentLines), each once; a line
// that floor or ceil cuts, or that does not end at a newline, is read as
// before.
func (m *match) indentBlock(ls, le int) (lo, hi, head int) {
	d := m.data
	ind := indentOf(d[ls:le])
	lo, hi, head = ls, le, -1
	floor := max(0, ls-foreignBytes)
	ceil := min(len(d), le+foreignBytes)
	var t *indentLines // not for a window of a long line: its block is that line
	if !m.foreignPlain && (ls == 0 || d[ls-1] == '\n') && (le == len(d) || d[le] == '\n') {
		t = m.indentLinesFor(floor, ceil)
	}
	u := -1 // t.nl[u] == i-1 when the line ending at i-1 is t's line u
	if t != nil {
		u = t.at(ls - 1)
	}
	for n, i := 0, ls; n < foreignLines && i > floor; n++ {
		var j, in int
		if u > 0 && t.nl[u-1] >= floor {
			j, in = t.nl[u-1]+1, t.ind[u]
			u--
		} else {
			j = m.lineStart(i-1, i-1-floor)
			in = lineIndent(d[j : i-1])
			if t != nil {
				u = t.at(j - 1)
			}
		}
		if in < 0 {
			if ind == 0 {
				break
			}
			i = j
			continue
		}
		lo = j
		if in < ind {
			head = j
			break
		}
		i = j
	}
	w := -1 // t.nl[w] == i when the line starting at i+1 is t's line w+1
	if t != nil {
		w = t.at(le)
	}
	for n, i := 0, le; n < foreignLines && i < ceil; n++ {
		var j, in int
		if w >= 0 && w+1 < len(t.nl) && t.nl[w+1] < ceil {
			j, in = t.nl[w+1], t.ind[w+1]
			w++
		} else {
			j = m.lineEnd(i+1, ceil)
			in = lineIndent(d[i+1 : j])
			if t != nil {
				w = t.at(j)
			}
		}
		if in < 0 {
			if ind == 0 {
				break
			}
			i = j
			continue
		}
		if in < ind {
			break
		}
		hi, i = j, j
	}
	return lo, hi, head
}

// lineIndent is indentOf(line), or -1 when the line is blank.
func lineIndent(line []byte) int {
	if blank(line) {
		return -1
	}
	return indentOf(line)
}

// indentLines holds the newlines of data[lo:hi] (nl), and for each line
// between two of them its lineIndent (ind[k], for the line that ends at
// nl[k]; ind[0] is not known, as that line's start is not).
type indentLines struct {
	lo, hi int
	nl     []int
	ind    []int
}

// at returns k where nl[k] == p, or -1.
func (t *indentLines) at(p int) int {
	if p < t.lo || p >= t.hi {
		return -1
	}
	k := sort.SearchInts(t.nl, p)
	if k < len(t.nl) && t.nl[k] == p {
		return k
	}
	return -1
}

// indentLinesFor returns m.indents holding data[floor:ceil], read anew
// when it does not: from floor to 16 KiB past ceil, as secrets move down.
func (m *match) indentLinesFor(floor, ceil int) *indentLines {
	t := &m.indents
	if t.nl != nil && t.lo <= floor && ceil <= t.hi {
		return t
	}
	d := m.data
	lo, hi := floor, min(len(d), ceil+16<<10)
	t.lo, t.hi, t.nl, t.ind = lo, hi, t.nl[:0], t.ind[:0]
	if t.nl == nil {
		t.nl = make([]int, 0, 64)
	}
	for k := lo; k < hi; {
		j := bytes.IndexByte(d[k:hi], '\n')
		if j < 0 {
			break
		}
		p := k + j
		in := -1
		if len(t.nl) > 0 {
			in = lineIndent(d[t.nl[len(t.nl)-1]+1 : p])
		}
		t.nl, t.ind = append(t.nl, p), append(t.ind, in)
		k = p + 1
	}
	return t
}

func blank(line []byte) bool { return len(bytes.TrimSpace(line)) == 0 }

// lineStart is lineStartWithin(m.data, i, limit). A secret's block is
// asked about from a dozen places (its line, its sign windows, its
// indentation block, the spans signs are looked for in), each up to a few
// KiB each way; on a long line each of those questions searched its bytes
// again, for every secret of the line. So the stretch around the last
// question that is known to hold no newline is kept (m.noNL), and a
// question inside it reads only the bytes beyond it: on one long line the
// secrets' questions move forward together, and every byte is searched
// about once.
func (m *match) lineStart(i, limit int) int {
	lo := max(0, i-limit)
	if m.foreignPlain {
		return lineStartWithin(m.data, i, limit)
	}
	k := &m.noNL
	if i > k.hi && lo <= k.hi {
		// Just past the stretch: read the gap, and join it if it holds no newline.
		if s := m.searchBack(i, k.hi); s > k.hi {
			*k = noNewline{lo: s, hi: i, start: true}
			return s
		}
		k.hi, k.end = i, i == len(m.data) || m.data[i] == '\n'
	}
	if i < k.lo || i > k.hi {
		s := m.searchBack(i, lo)
		*k = noNewline{lo: s, hi: i, start: s == 0 || m.data[s-1] == '\n', end: i == len(m.data) || m.data[i] == '\n'}
		return s
	}
	// d[k.lo:i] holds no newline.
	if lo >= k.lo {
		return lo
	}
	if !k.start {
		k.lo = m.searchBack(k.lo, lo)
		k.start = k.lo == 0 || m.data[k.lo-1] == '\n'
	}
	return max(lo, k.lo)
}

// searchBack returns the start of the line holding i, or lo when it starts
// before lo: on the byte masks where the input has them, 64 bytes a step.
func (m *match) searchBack(i, lo int) int {
	if x := m.byteMasks(); x != nil {
		return x.backNL(i, 0, lo)
	}
	return lo + bytes.LastIndexByte(m.data[lo:i], '\n') + 1
}

// searchForward returns the end of the line holding i, or hi when it ends
// at or after hi: on the byte masks where the input has them.
func (m *match) searchForward(i, hi int) int {
	if x := m.byteMasks(); x != nil {
		return x.forwardNL(i, 0, hi)
	}
	return lineEndBefore(m.data, i, hi)
}

// lineEnd is lineEndBefore(m.data, i, hi), read with m.noNL as lineStart is.
func (m *match) lineEnd(i, hi int) int {
	if m.foreignPlain {
		return lineEndBefore(m.data, i, hi)
	}
	k := &m.noNL
	if i < k.lo && hi >= k.lo {
		// Just before the stretch: read the gap, and join it if it holds no newline.
		if e := m.searchForward(i, k.lo); e < k.lo {
			*k = noNewline{lo: i, hi: e, start: i == 0 || m.data[i-1] == '\n', end: true}
			return e
		}
		k.lo, k.start = i, i == 0 || m.data[i-1] == '\n'
	}
	if i < k.lo || i > k.hi {
		e := m.searchForward(i, hi)
		*k = noNewline{lo: i, hi: e, start: i == 0 || m.data[i-1] == '\n', end: e == len(m.data) || m.data[e] == '\n'}
		return e
	}
	// d[i:k.hi] holds no newline.
	if hi <= k.hi {
		return hi
	}
	if !k.end {
		k.hi = m.searchForward(k.hi, hi)
		k.end = k.hi == len(m.data) || m.data[k.hi] == '\n'
	}
	return min(hi, k.hi)
}

// noNewline is a stretch of the input, data[lo:hi], that holds no newline;
// start says lo starts its line, end that hi ends it (a newline or the end
// of the input stands there). See lineStart.
type noNewline struct {
	lo, hi     int
	start, end bool
}

// lineEndBefore returns the end of the line holding i (its '\n', or the end
// of data), or hi when the line goes on past hi.
func lineEndBefore(data []byte, i, hi int) int {
	if j := bytes.IndexByte(data[i:hi], '\n'); j >= 0 {
		return i + j
	}
	return hi
}

// foreignHosts are the hosts of S3-compatible services that are not AWS:
// a block that names one is about that service. Generic names' evidence
// (otherHosts in generic.go) takes them too.
// Each host's w is its window for signPrefilter (see pattern).
var foreignHosts = []struct {
	host, what string
	w          int
}{
	{"storage.googleapis.com", "Google Cloud Storage", 10},
	{"wasabisys.com", "Wasabi", 3}, {"digitaloceanspaces.com", "DigitalOcean Spaces", 12},
	{"r2.cloudflarestorage.com", "Cloudflare R2", 0}, {"backblazeb2.com", "Backblaze B2", 9},
	{"linodeobjects.com", "Linode Object Storage", 7}, {"scw.cloud", "Scaleway Object Storage", 1},
	{"aliyuncs.com", "Alibaba Cloud OSS", 2}, {"cloud-object-storage.appdomain.cloud", "IBM Cloud Object Storage", 4},
	{"compat.objectstorage.", "Oracle Cloud Object Storage", 8}, {"storjshare.io", "Storj", 3}, {"myqcloud.com", "Tencent COS", 1},
	{"idrivee2", "IDrive e2", 5}, {"cloud.ovh.net", "OVHcloud Object Storage", 7},
	{"myhuaweicloud.com", "Huawei Cloud OBS", 1}, {"yandexcloud.net", "Yandex Object Storage", 5},
	// Go fix's own list until round 20 (fix26): Tigris, Vultr, Hetzner...
	{"storage.tigris.dev", "Tigris", 6}, {"t3.storage.dev", "Tigris", 0}, {"vultrobjects.com", "Vultr Object Storage", 6},
	{"your-objectstorage.com", "Hetzner Object Storage", 3}, {".exo.io", "Exoscale SOS", 2},
	{"ionoscloud.com", "IONOS S3", 8}, {"contabostorage.com", "Contabo Object Storage", 5},
	{"s3.filebase.com", "Filebase", 1}, {"upcloudobjects.com", "UpCloud", 8},
	{"services.clever-cloud.com", "Clever Cloud Cellar", 19}, {"lyvecloud.seagate.com", "Seagate Lyve Cloud", 7},
	{"play.min.io", "MinIO", 3}, {"c2.synology.com", "Synology C2", 9}, {"magaluobjects.com", "Magalu Cloud", 7},
	{"qiniucs.com", "Qiniu Kodo", 3}, {"supabase.co/storage/", "Supabase Storage", 10},
}

// foreignProviders are the values of a provider setting (rclone's provider,
// a STORAGE_PROVIDER variable) that name an S3-compatible service other
// than AWS; rclone's "Other" is any such service.
var foreignProviders = map[string]bool{
	"gcs": true, "google": true, "gcp": true, "minio": true, "wasabi": true, "digitalocean": true, "cloudflare": true,
	"r2": true, "backblaze": true, "b2": true, "ceph": true, "scaleway": true, "linode": true, "alibaba": true,
	"ibmcos": true, "idrive": true, "storj": true, "seaweedfs": true, "dreamhost": true, "tencentcos": true,
	"huaweiobs": true, "qiniu": true, "netease": true, "rackcorp": true, "ionos": true, "lyvecloud": true,
	"petabox": true, "synology": true, "localstack": true, "arvancloud": true, "chinamobile": true, "liara": true,
	"leviia": true, "magalu": true, "outscale": true, "stackpath": true, "other": true,
}

// settingsIn calls fn with the name and the value of each setting of line
// in order, until fn returns true: name = value, name: value,
// "name": "value" and name=value arguments, anywhere on the line. It reads
// what the regular expression
//
//	([A-Za-z_][A-Za-z0-9_.-]*)["']?[ \t]*[=:][ \t]*("[^"\n]*"|'[^'\n]*'|[^\s,;})]+)
//
// finds (differential_test.go holds the two alike), in one pass and
// without allocating: lines dense with signs ask it about every line.
// Nothing in that expression backtracks to another answer: each part
// stops at a byte the next part cannot begin with, so a name is a
// maximal run of name bytes, and a run that is not followed by its
// setting is passed over whole.
func settingsIn(line []byte, fn func(name, value []byte) bool) {
	for p := 0; p < len(line); {
		if !nameStart[line[p]] {
			p++
			continue
		}
		q := p + 1
		for q < len(line) && nameByte[line[q]] {
			q++
		}
		v, e := settingValue(line, q)
		if e < 0 {
			p = q // every start inside the name ends it here too
			continue
		}
		if fn(line[p:q], line[v:e]) {
			return
		}
		p = e
	}
}

// settingValue reads what follows a setting's name ending at q: a quote,
// blanks, '=' or ':', blanks and the value. It returns the value's span,
// or e < 0 when no setting follows.
func settingValue(line []byte, q int) (v, e int) {
	k := q
	if k < len(line) && (line[k] == '"' || line[k] == '\'') {
		k++
	}
	for k < len(line) && (line[k] == ' ' || line[k] == '\t') {
		k++
	}
	if k >= len(line) || line[k] != '=' && line[k] != ':' {
		return 0, -1
	}
	k++
	for k < len(line) && (line[k] == ' ' || line[k] == '\t') {
		k++
	}
	if k >= len(line) {
		return 0, -1
	}
	if c := line[k]; c == '"' || c == '\'' {
		// A quoted value ends at its quote, unless a newline comes first;
		// then it is read as an unquoted one.
		for j := k + 1; j < len(line) && line[j] != '\n'; j++ {
			if line[j] == c {
				return k, j + 1
			}
		}
	}
	e = k
	for e < len(line) && !valueStop[line[e]] {
		e++
	}
	if e == k {
		return 0, -1
	}
	return k, e
}

// The bytes of settingsIn: what may start a name, continue it, and end an
// unquoted value (\s of the expression is \t \n \f \r and space).
var nameStart, nameByte, valueStop = func() (start, name, stop [256]bool) {
	for c := range 256 {
		b := byte(c)
		start[c] = isUpper(b) || isLower(b) || b == '_'
		name[c] = isWord(b) || b == '.' || b == '-'
		stop[c] = strings.IndexByte("\t\n\f\r ,;})", b) >= 0
	}
	return
}()

// isHost reports whether v, in lower case, is a literal endpoint: a URL
// or a host, with a port, as the expression
//
//	^(?:https?://)?(?:localhost|\d{1,3}(?:\.\d{1,3}){3}|[a-z0-9-]+(?:\.[a-z0-9-]+)+|[a-z0-9-]+:\d+)(?::\d+)?(?:/\S*)?$
//
// matches it (differential_test.go holds the two alike). Every value
// under an endpoint's name is asked, and the expression cost a fifth of
// the matcher on text dense with them. Each part stops at a byte the next
// cannot begin with, so each way of reading the host has one end: a
// scheme is taken when there is one, digit groups and labels are maximal
// runs, and the host is what the ways read, each tried with the port and
// path after it.
func isHost(v string) bool {
	n := len(v)
	label := func(k int) int { // the end of the run of [a-z0-9-] at k
		for k < n && (isLower(v[k]) || isDigit(v[k]) || v[k] == '-') {
			k++
		}
		return k
	}
	digits := func(k int) int {
		for k < n && isDigit(v[k]) {
			k++
		}
		return k
	}
	rest := func(k int) bool { // (?::\d+)?(?:/\S*)?$
		if k < n && v[k] == ':' {
			j := digits(k + 1)
			if j == k+1 {
				return false
			}
			k = j
		}
		if k == n {
			return true
		}
		return v[k] == '/' && strings.IndexAny(v[k+1:], "\t\n\f\r ") < 0
	}
	if strings.HasPrefix(v, "https://") {
		v, n = v[8:], n-8
	} else if strings.HasPrefix(v, "http://") {
		v, n = v[7:], n-7
	}
	if strings.HasPrefix(v, "localhost") && rest(9) {
		return true
	}
	first := label(0)
	if first == 0 {
		return false
	}
	// An address of four digit groups is also labels, and ends where they
	// end: [a-z0-9-]+(?:\.[a-z0-9-]+)+ reads it.
	k, labels := first, 1
	for k+1 < n && v[k] == '.' {
		j := label(k + 1)
		if j == k+1 {
			break
		}
		k, labels = j, labels+1
	}
	if labels >= 2 && rest(k) {
		return true
	}
	if first < n && v[first] == ':' { // [a-z0-9-]+:\d+
		if j := digits(first + 1); j > first+1 && rest(j) {
			return true
		}
	}
	return false
}

// foreignSignIn describes what in data[lo:hi] says it is about an
// S3-compatible service other than AWS, or "". It reads only the lines that
// hold a trigger (see signLines).
//
// Secrets a line apart ask about blocks that are the same but for a line
// at each end; in text dense with secrets and signs that say nothing, each
// asked about fifty lines of signs. So what a question learnt is kept
// (signClean): the triggers it found on short lines that say nothing
// (whole lines of at most longSignLine bytes, which are read whole
// whichever range asks, with no sign and no Kubernetes endpoint name for
// this byName). A later question passes over the triggers of that stretch
// of the input, as it would find nothing on their lines.
func (m *match) foreignSignIn(lo, hi int, byName bool) string {
	d := m.data
	clean := &m.signClean[0]
	if byName {
		clean = &m.signClean[1]
	}
	from, wide := m.signSpan(lo, hi) // the triggers signLines may take
	start, known := from, from
	if clean.lo <= from && from <= clean.hi {
		from, start, known = clean.hi, clean.lo, clean.hi
	}
	quiet := true // every line read was a short one that says nothing
	for _, ls := range m.signLines(lo, hi, from) {
		le := m.lineEnd(ls, hi)
		// A short line is read whole, whatever part of it the range holds,
		// so that every secret near it asks about the same bytes.
		tls, tle := m.lineStart(ls, longSignLine), m.lineEnd(le, min(len(d), le+longSignLine))
		var sign lineSign
		if tle-tls <= longSignLine && (tls == 0 || d[tls-1] == '\n') && (tle == len(d) || d[tle] == '\n') {
			sign = m.lineSign(tls, tle)
		} else {
			quiet = false
			// A long line (minified JSON, a log) is read around each of
			// its triggers, not whole for every secret that asks.
			// The windows are fixed stretches of the input (signChunk bytes,
			// and signReach before and twice that after), each read once
			// whichever secret asks: every byte is read about twice, however
			// dense the triggers.
			base := m.signIndex(ls)
			ts := m.signAt[base:m.signIndex(le)]
			last := -1
			for k := 0; k < len(ts); k++ {
				t := ts[k]
				c := t.at / signChunk
				if c == last {
					continue
				}
				last = c
				if !m.foreignPlain { // straight to the next chunk's first trigger
					k = max(k, m.signIndex((c+1)*signChunk)-base-1)
				}
				w := max(0, c*signChunk-signReach)
				w = m.lineStart(t.at, t.at-w)
				for k := 0; w > 0 && k < 64 && isIdentChar(d[w-1]); k++ {
					w-- // the whole name of a setting the window cuts
				}
				e := m.lineEnd(t.at+t.n, min(len(d), max(t.at+t.n, (c+1)*signChunk+2*signReach)))
				if sign = m.lineSign(w, e); sign.describe(byName) != "" {
					break
				}
			}
			// "name: ...endpoint" ends its line, when the line ends here.
			sign.k8s, sign.opens = false, false
			if le == len(d) || d[le] == '\n' {
				sign.k8s = m.lineSign(m.lineStart(le, signReach), le).k8s
			}
		}
		why := sign.describe(byName)
		if byName && sign.byNameOwn != sign.byName {
			// A sign of a call of its own line counts on the secret's own
			// line only (nameSign): such a line never says nothing.
			quiet = false
			if m.ownSet && tls <= m.ownLine.lo && m.ownLine.hi <= tle {
				why = sign.byNameOwn
			}
		}
		if why != "" {
			return why
		}
		// endpoints {, endpoints = {, endpoints: and the map's entries below,
		// up to the line that closes it (indented no deeper than the opener).
		if sign.opens {
			quiet = false
			if why := m.endpointEntries(tls, le, hi); why != "" {
				return why
			}
		}
		// - name: AWS_ENDPOINT_URL, then value: on one of the next two lines.
		if sign.k8s {
			quiet = false
			for n, i := 0, le; n < 2 && i < hi; n++ {
				j := m.lineEnd(i+1, hi)
				if v, ok := bytes.CutPrefix(bytes.TrimSpace(d[i+1:j]), []byte("value:")); ok {
					if h := endpointHost(string(v)); h != "" {
						return "the endpoint " + h
					}
				}
				i = j
			}
		}
	}
	if quiet {
		// Every trigger from start that ends by wide was on a quiet line:
		// those that start before wide-maxSignLen, whatever their length.
		if end := max(wide-maxSignLen, known); end > start {
			*clean = window{start, end}
		}
	}
	return ""
}

// endpointEntries reads the entries of an endpoints map opened on the line
// [ls,le) and continued below, up to hi: the sign of a literal endpoint
// that is not AWS's (s3 = "http://minio:9000"), or "".
func (m *match) endpointEntries(ls, le, hi int) string {
	d := m.data
	ind := indentOf(d[ls:le])
	for n, i := 0, le; n < foreignLines && i < hi; n++ {
		j := m.lineEnd(i+1, hi)
		line := d[i+1 : j]
		i = j
		if blank(line) {
			continue
		}
		if indentOf(line) <= ind {
			break
		}
		why := ""
		settingsIn(line, func(_, v []byte) bool {
			if h := endpointHost(string(v)); h != "" {
				why = "the endpoint " + h
			}
			return why != ""
		})
		if why != "" {
			return why
		}
	}
	return ""
}

// longSignLine is the length past which a line holding triggers is read
// in windows around them (see foreignSignIn).
const (
	longSignLine = 2048
	signChunk    = 1024
	signReach    = 256
)

// lineSign is what a line says of another storage service, for either
// value of byName.
type lineSign struct {
	id     string // the description of another cloud's access ID on the line (foreignID), "" for none
	idKey  bool   // one that is the value of an access-key-ID name (idAsKeyID)
	why    string // otherSign's description, "" for none
	byName string // the same for a secret named for AWS (see nameSign), "" for none
	// byNameOwn is byName for the secret on this very line: an endpoint
	// in a call that opens and closes on the line is its own call's.
	byNameOwn string
	k8s       bool // "- name: AWS_ENDPOINT_URL": the value may follow
	opens     bool // an endpoints map opens and goes on below (endpointMap)
}

// describe is the line's sign as foreign sees it, byName as for foreign.
func (s lineSign) describe(byName bool) string {
	if s.id != "" && (!byName || s.idKey) {
		return s.id
	}
	if byName {
		return s.byName
	}
	return s.why
}

const googWhy = "a Google Cloud Storage HMAC access ID (GOOG...)"

// foreignIDs are the access-key-ID prefixes of other clouds' S3 keys,
// each with the characters of the 16 that follow it at least: Google
// Cloud Storage's HMAC access IDs (GOOG1E... or GOOG and 20 upper-case
// letters or digits) and Yandex Cloud's static access keys (YCAJ and 21
// letters, digits, '-' or '_').
var foreignIDs = []struct {
	prefix, why string
	in          func(byte) bool
}{
	{"GOOG", googWhy, func(c byte) bool { return isDigit(c) || isUpper(c) }},
	{"YCAJ", "a Yandex Cloud static access key ID (YCAJ...)", func(c byte) bool { return isAlnum(c) || c == '-' || c == '_' }},
}

// foreignID describes the first of foreignIDs that b holds, or "".
func foreignID(b []byte) string {
	for _, f := range foreignIDs {
		if hasIDPrefixed(b, f.prefix, f.in) {
			return f.why
		}
	}
	return ""
}

// lineSign reads data[lo:hi], a line or a window of a long line, once per
// match: every secret of a block asks about the same lines (see foreign).
func (m *match) lineSign(lo, hi int) lineSign {
	key := window{lo, hi}
	if s, ok := m.signRead[key]; ok {
		return s
	}
	line := m.data[lo:hi]
	host, provider, id := m.triggersIn(lo, hi)
	if m.foreignPlain {
		host, provider, id = hostIn(line), bytes.Contains(line, []byte(`provider "`)), foreignID(line)
	}
	s := lineSign{id: id, why: otherSign(line, host, provider)}
	if s.id != "" {
		s.idKey = idAsKeyID(line)
	}
	if s.why == "" {
		s.why, s.opens = endpointMap(line)
	}
	s.byName = s.why
	s.byNameOwn = s.why
	if s.why != "" && host >= 0 {
		s.byName = nameSign(line, provider, true)
		s.byNameOwn = s.byName
		if s.byName == "" {
			s.byNameOwn = nameSign(line, provider, false)
		}
	}
	if isComment(bytes.TrimLeft(line, " \t")) {
		s.byName, s.byNameOwn = "", ""
	}
	if containsFold(line, "NAME:") {
		if name, ok := k8sEndpointName(line); ok && storageEndpointName(normalizeKeyword(string(name))) {
			s.k8s = true
		}
	}
	if m.signRead == nil {
		m.signRead = map[window]lineSign{}
	}
	m.signRead[key] = s
	return s
}

// triggersIn reads what the triggers of data[lo:hi] say of it, for
// lineSign: the first of foreignHosts it holds (-1 for none), whether it
// holds `provider "`, and foreignID's answer. Every occurrence of a host,
// of GOOG and YCAJ, and of the "rovider" in `provider "` is a trigger
// (signsIn), so this reads the few triggers of a window instead of
// searching its bytes once for each host: on a long line
// dense with signs those searches cost more than the rest of the matcher.
func (m *match) triggersIn(lo, hi int) (host int, provider bool, id string) {
	d := m.data
	host = -1
	goog, ycaj := false, false
	for _, t := range m.signsIn(lo, hi) {
		if t.at+t.n > hi {
			continue
		}
		switch {
		case t.pat >= firstHostSign:
			if h := t.pat - firstHostSign; host < 0 || h < host {
				host = h
			}
		case t.pat == providerSign:
			provider = provider || t.at > lo && d[t.at-1] == 'p' && t.at+t.n+2 <= hi && d[t.at+t.n] == ' ' && d[t.at+t.n+1] == '"'
		case t.pat == googSign || t.pat == ycajSign:
			f := foreignIDs[t.pat-googSign]
			if (t.at == lo || !isAlnum(d[t.at-1])) && t.at+t.n+16 <= hi && allIn(d[t.at+t.n:t.at+t.n+16], f.in) {
				goog = goog || t.pat == googSign
				ycaj = ycaj || t.pat == ycajSign
			}
		}
	}
	switch {
	case goog:
		id = foreignIDs[0].why
	case ycaj:
		id = foreignIDs[1].why
	}
	return host, provider, id
}

// hostIn returns the index of the first of foreignHosts that line holds,
// or -1: triggersIn's answer read from the bytes.
func hostIn(line []byte) int {
	for i, h := range foreignHosts {
		if bytes.Contains(line, []byte(h.host)) {
			return i
		}
	}
	return -1
}

// allIn reports whether in accepts every byte of b.
func allIn(b []byte, in func(byte) bool) bool {
	for _, c := range b {
		if !in(c) {
			return false
		}
	}
	return true
}

// otherSign describes the sign of another storage service on a line other
// than another cloud's access ID: a foreign host (host, the index of the
// first of foreignHosts the line holds, or -1), an endpoint or a provider
// setting, a Terraform provider block of another cloud (provider: the line
// holds `provider "`).
func otherSign(line []byte, host int, provider bool) string {
	return otherSignOf(line, host, provider, nil)
}

// otherSignOf is otherSign, reading only the settings whose name keep
// accepts (nil: every one).
func otherSignOf(line []byte, host int, provider bool, keep func(name []byte) bool) string {
	if host >= 0 {
		h := foreignHosts[host]
		return "an endpoint of " + h.what + " (" + h.host + ")"
	}
	if provider {
		// provider "huaweicloud" {: the keys of the block are that cloud's
		// (Terraform's access_key/secret_key are every provider's names).
		if sm := tfProviderRE.FindSubmatch(line); sm != nil && !bytes.HasPrefix(sm[1], []byte("aws")) {
			return "the Terraform provider " + string(sm[1])
		}
	}
	why := ""
	settingsIn(line, func(n, v []byte) bool {
		if !maySignName(n) || keep != nil && !keep(n) {
			return false // a name neither case below takes: most settings of a line
		}
		name, value := normalizeKeyword(string(n)), string(v)
		switch {
		case storageEndpointName(name):
			if h := endpointHost(value); h != "" {
				why = "the endpoint " + h
			}
		case name == "provider" || strings.HasSuffix(name, "provider") && containsAny(name, storageWords):
			if p := strings.ToLower(strings.Trim(value, `"'`)); foreignProviders[p] {
				why = "the provider " + strings.Trim(value, `"'`)
			}
		}
		return why != ""
	})
	return why
}

// nameSign is otherSign's answer for a secret whose own name says AWS
// secret key (AWS_SECRET_ACCESS_KEY, aws_secret_access_key) on a line
// that holds a known host of another service: the host counts only as the
// value of a setting that says where a client connects (endpoint_url=,
// endpoint:, host_base, S3_HOST, AWS_URL, a bare host or url, the CLI's
// --endpoint-url), not under a name of its own (ARCHIVE_URL,
// GCS_EXPORT_URL: another resource of the same program, qa11 MEDIUM-7) nor
// in a comment (foreignSignIn's caller drops those). A secret under a
// generic name (secret_key) still takes the host anywhere in its block.
//
// Nor does an endpoint setting that is another client's (qa12 MEDIUM-12):
// one whose name names another cloud (GCS_ENDPOINT, AZURE_BLOB_URL: that
// platform's own client, with credentials of its own), or one that is an
// argument of a call that opens and closes on its line (gcs =
// boto3.client("s3", endpoint_url=...): another client than the one
// whose secret asks from another line; elsewhere is set for that question,
// and unset for the secret on the line itself; an argument line of a
// multi-line call is no such call).
func nameSign(line []byte, provider, elsewhere bool) string {
	own := func(n []byte) bool {
		return !otherCloudName(normalizeKeyword(string(n))) && !(elsewhere && ownCall(line, cap(line)-cap(n)))
	}
	why := otherSignOf(line, -1, provider, own)
	if why == "" {
		why, _ = endpointMap(line)
	}
	if why != "" {
		return why
	}
	settingsIn(line, func(n, v []byte) bool {
		if h := hostIn(v); h >= 0 && hostSettingName(normalizeKeyword(string(n))) && own(n) {
			why = otherSign(v, h, false)
		}
		return why != ""
	})
	if why != "" {
		return why
	}
	// --endpoint-url https://... (the CLI, a compose command: line).
	for rest := line; ; {
		i := bytes.Index(rest, []byte("--endpoint"))
		if i < 0 {
			return ""
		}
		rest = rest[i+len("--endpoint"):]
		rest = bytes.TrimPrefix(rest, []byte("-url"))
		if len(rest) == 0 || rest[0] != ' ' && rest[0] != '\t' && rest[0] != '=' {
			continue
		}
		v := bytes.TrimLeft(rest[1:], " \t\"'")
		if k := bytes.IndexAny(v, " \t\"'"); k >= 0 {
			v = v[:k]
		}
		if h := hostIn(v); h >= 0 {
			return otherSign(v, h, false)
		}
	}
}

// otherClouds are words of a setting name, normalised, that name a cloud
// with clients and credentials of its own (GCS_ENDPOINT, AZURE_STORAGE_URL,
// ALIYUN_OSS_ENDPOINT): such an endpoint is that client's, not the one an
// AWS-named secret beside it configures. S3-compatible services that are
// reached with AWS's SDKs and variable names (MinIO, Wasabi, R2) are not
// among them.
var otherClouds = []string{"gcs", "gcp", "google", "azure", "aliyun", "alibaba", "tencent", "huawei", "oracle", "yandex"}

// otherCloudName reports whether a normalised setting name names another
// cloud (otherClouds).
func otherCloudName(name string) bool { return containsAny(name, otherClouds) }

// ownCall reports whether the setting whose name starts at off in line is
// an argument of a call that opens before it and closes after it on the
// line, the line's brackets balanced (x = f(..., endpoint_url=...)): a
// whole call of its own.
func ownCall(line []byte, off int) bool {
	if off < 0 || off > len(line) {
		return false
	}
	depth, open := 0, -1
	for i := 0; i < off; i++ {
		switch line[i] {
		case '(':
			depth++
			if depth == 1 {
				open = i
			}
		case ')':
			depth--
		}
	}
	if open < 0 || depth < 1 {
		return false
	}
	closed := false
	for i := off; i < len(line); i++ {
		switch line[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				closed = true
			}
			if depth < 0 {
				return false // it closes a call opened above: one argument line of it
			}
		}
	}
	return closed && depth == 0
}

// hostSettingName reports whether a normalised setting name says where a
// client connects: an object storage endpoint (storageEndpointName), a bare
// host, URL or domain, or one qualified by S3, AWS or a bucket (S3_HOST,
// AWS_URL, AWS_S3_CUSTOM_DOMAIN, BUCKET_URL).
func hostSettingName(name string) bool {
	if storageEndpointName(name) {
		return true
	}
	switch name {
	case "host", "hostname", "url", "baseurl", "domain", "server", "serverurl", "address":
		return true
	}
	return containsAny(name, []string{"host", "url", "domain", "server"}) &&
		containsAny(name, []string{"s3", "aws", "bucket", "boto"})
}

// maySignName reports whether a setting's name, normalised, may be one
// that otherSign reads: every storageEndpointName holds "endpoint" or
// "hostb", every provider name "provider". It reads the name folded in
// place, without the two strings otherSign makes of every setting: a long
// line dense with secrets has a setting every few dozen bytes.
func maySignName(n []byte) bool {
	var buf [64]byte
	if len(n) > len(buf) {
		return true
	}
	b := buf[:0]
	for _, c := range n {
		switch {
		case isUpper(c):
			b = append(b, c+'a'-'A')
		case isLower(c) || isDigit(c):
			b = append(b, c)
		}
	}
	return bytes.Contains(b, []byte("endpoint")) || bytes.Contains(b, []byte("hostb")) || bytes.Contains(b, []byte("provider"))
}

// hasGOOGID reports whether b holds a Google Cloud Storage HMAC access ID
// (GOOG1E... for service accounts, GOOG and 20 characters for user
// accounts): GOOG, not after a letter or digit, and 16 upper-case letters
// or digits (differential_test.go holds it alike with a regular expression).
func hasGOOGID(b []byte) bool { return hasIDPrefixed(b, "GOOG", foreignIDs[0].in) }

// hasIDPrefixed reports whether b holds prefix, not after a letter or
// digit, and 16 bytes that in accepts. A regular expression cost more than
// the rest of lineSign on lines full of signs.
func hasIDPrefixed(b []byte, prefix string, in func(byte) bool) bool {
	for i := 0; ; {
		k := bytes.Index(b[i:], []byte(prefix))
		if k < 0 {
			return false
		}
		i += k
		if (i == 0 || !isAlnum(b[i-1])) && i+len(prefix)+16 <= len(b) {
			ok := true
			for _, c := range b[i+len(prefix) : i+len(prefix)+16] {
				if !in(c) {
					ok = false
					break
				}
			}
			if ok {
				return true
			}
		}
		i++
	}
}

// idAsKeyID reports whether another cloud's access ID on the line is the
// value of an access-key-ID name (aws_access_key_id, access_key_id,
// accessKeyId, access_key): the ID half of the credential an AWS-named
// secret beside it belongs to.
func idAsKeyID(line []byte) bool {
	found := false
	settingsIn(line, func(n, v []byte) bool {
		if foreignID(v) == "" {
			return false
		}
		name := normalizeKeyword(string(n))
		found = strings.HasSuffix(name, "accesskeyid") || name == "accesskey" || name == "awsaccesskey" || name == "key" || name == "id"
		return found
	})
	return found
}

// signLines returns the starts of the lines in [lo,hi) that hold a trigger
// of lineSign (GOOG, a foreign host, an endpoint or provider setting),
// passing over the triggers before from (their lines' other triggers are
// taken as if they came first).
// The triggers of the whole input are found by signPrefilter in one pass,
// the first time a secret asks: a search per trigger per window cost more
// than the rest of the matcher on text dense with secret-shaped values.
func (m *match) signLines(lo, hi, from int) []int {
	lo, hi = m.signSpan(lo, hi)
	out := m.signLineBuf[:0] // reused: the caller reads it before asking again
	first := m.signIndex(min(max(lo, from), hi))
	ts := m.signAt[first:m.signIndex(hi)]
	end := -1 // of the line just taken: its other triggers are passed over
	for k := 0; k < len(ts); k++ {
		s := ts[k]
		if s.at+s.n > hi || s.at < end {
			continue
		}
		ls := m.lineStart(s.at, s.at-lo)
		end = m.lineEnd(s.at, hi)
		m.looked += end - ls
		out = append(out, ls)
		if !m.foreignPlain { // straight to the next trigger past the line
			k = max(k, m.signIndex(end)-first-1)
		}
	}
	m.signLineBuf = out
	return out
}

// anySign reports whether signLines(lo, hi) holds a line.
func (m *match) anySign(lo, hi int) bool {
	lo, hi = m.signSpan(lo, hi)
	for _, s := range m.signsIn(lo, hi) {
		if s.at+s.n <= hi {
			return true
		}
	}
	return false
}

// signSpan widens [lo,hi) to whole lines, so that no trigger straddles its
// edge (unless a line is longer than the 1 KiB looked at each way).
func (m *match) signSpan(lo, hi int) (int, int) {
	d := m.data
	return m.lineStart(lo, 1024), m.lineEnd(hi, min(len(d), hi+1024))
}

// signsIn returns the triggers that start in [lo,hi), found in the whole
// input by signPrefilter the first time a secret asks.
func (m *match) signsIn(lo, hi int) []sign {
	i := m.signIndex(lo) // finds them the first time
	return m.signAt[i:m.signIndex(hi)]
}

// findSigns finds the triggers of the whole input (signAt, signFirst).
func (m *match) findSigns() {
	m.signAt = make([]sign, 0, 4)
	signPrefilter().scan(m.data, func(pat, at int) {
		m.signAt = append(m.signAt, sign{at, len(signPatterns[pat].text), pat})
	})
	slices.SortFunc(m.signAt, func(a, b sign) int { return a.at - b.at })
	if len(m.signAt) == 0 {
		return
	}
	// signFirst[c] is the first trigger at or after c<<signStep.
	m.signFirst = make([]int32, len(m.data)>>signStep+2)
	k := 0
	for c := range m.signFirst {
		for k < len(m.signAt) && m.signAt[k].at < c<<signStep {
			k++
		}
		m.signFirst[c] = int32(k)
	}
}

// signStep is the size (a power of two) of the stretches of input whose
// first triggers signIndex starts its search from: text dense with secrets
// and signs asks signsIn a dozen times a secret, and a binary search of
// all the triggers each time cost as much as the rest of foreign.
const signStep = 10

// signIndex returns the index in m.signAt of the first trigger at or after
// at, once signsIn has found them.
func (m *match) signIndex(at int) int {
	if m.signAt == nil {
		m.findSigns()
	}
	if m.foreignPlain {
		return sort.Search(len(m.signAt), func(k int) bool { return m.signAt[k].at >= at })
	}
	if len(m.signFirst) == 0 {
		return 0
	}
	// signFirst's last entry is past the input: all the triggers.
	c := min(max(at, 0)>>signStep, len(m.signFirst)-2)
	i, j := int(m.signFirst[c]), int(m.signFirst[c+1])
	for i < j {
		h := int(uint(i+j) >> 1)
		if m.signAt[h].at < at {
			i = h + 1
		} else {
			j = h
		}
	}
	return i
}

// maxSignLen is the length of the longest trigger.
var maxSignLen = func() int {
	n := 0
	for _, p := range signPatterns {
		n = max(n, len(p.text))
	}
	return n
}()

// sign is a trigger of lineSign found by signPrefilter, at, n bytes long,
// signPatterns[pat].
type sign struct{ at, n, pat int }

// The triggers triggersIn tells apart, by their index in signPatterns.
const (
	googSign      = 0
	ycajSign      = 1
	providerSign  = 6
	firstHostSign = 8 // foreignHosts follow in their order
)

// signPatterns are the triggers of lineSign: every line it finds a sign
// on holds one. They are GOOG, the foreign hosts, and the names of the
// settings it reads (endpoints, s3cmd's host_base and host_bucket,
// providers) in the cases people write them; each pattern's window is the
// pair least frequent in source code and service models (see prefilter).
var signPatterns = func() []pattern {
	p := []pattern{{"GOOG", anchorSign, 1}, {"YCAJ", anchorSign, 0}, {"ndpoint", anchorSign, 1}, {"NDPOINT", anchorSign, 2}, {"ost_b", anchorSign, 2},
		{"OST_B", anchorSign, 2}, {"rovider", anchorSign, 1}, {"ROVIDER", anchorSign, 4}}
	for _, h := range foreignHosts {
		p = append(p, pattern{h.host, anchorSign, h.w})
	}
	if p[googSign].text != foreignIDs[0].prefix || p[ycajSign].text != foreignIDs[1].prefix || p[providerSign].text != "rovider" ||
		p[firstHostSign].text != foreignHosts[0].host {
		panic("scanner: triggersIn's indexes of signPatterns are out of date")
	}
	return p
}()

// tfProviderRE matches the line that opens a Terraform provider block,
// with the provider's name.
var tfProviderRE = regexp.MustCompile(`^[ \t]*provider[ \t]+"([A-Za-z0-9_-]+)"[ \t]*\{`)

// k8sEndpointName reads "- name: AWS_ENDPOINT_URL", whose value: follows,
// at the end of line: the name, as the expression
//
//	(?i)name:[ \t]*["']?([a-z0-9_]*endpoint[a-z0-9_]*)["']?[ \t]*$
//
// finds it (differential_test.go holds the two alike). The expression,
// unanchored at its start, cost half a million instructions on a window of
// a long line that holds name: (BenchmarkSlowest's find). Read from the
// end, the match is one: the name is the maximal run of name bytes before
// the trailing quote and blanks, and only a quote, blanks and name: may
// stand before it. (?i) lets [a-z] take the Kelvin sign and the long s
// (U+212A, U+017F), which fold to k and s: they are name bytes too.
func k8sEndpointName(line []byte) (name []byte, ok bool) {
	e := len(line)
	for e > 0 && (line[e-1] == ' ' || line[e-1] == '\t') {
		e--
	}
	if e > 0 && (line[e-1] == '"' || line[e-1] == '\'') {
		e--
	}
	s := e
	for s > 0 {
		switch c := line[s-1]; {
		case isWord(c):
			s--
			continue
		case c == 0xaa && s >= 3 && line[s-3] == 0xe2 && line[s-2] == 0x84: // U+212A
			s -= 3
			continue
		case c == 0xbf && s >= 2 && line[s-2] == 0xc5: // U+017F
			s -= 2
			continue
		}
		break
	}
	if !containsFold(line[s:e], "ENDPOINT") {
		return nil, false
	}
	k := s
	if k > 0 && (line[k-1] == '"' || line[k-1] == '\'') {
		k--
	}
	for k > 0 && (line[k-1] == ' ' || line[k-1] == '\t') {
		k--
	}
	if k < 5 || !equalFoldUpper(line[k-5:k-1], "NAME") || line[k-1] != ':' {
		return nil, false
	}
	return line[s:e], true
}

// endpointMapAt reads an endpoint setting whose value is a map, as the
// expression
//
//	([A-Za-z0-9_.-]*[Ee][Nn][Dd][Pp][Oo][Ii][Nn][Tt][A-Za-z0-9_.-]*)["']?[ \t]*(?:(?:[=:][ \t]*)?\{([^}\n]*)(\}?)|:[ \t]*\r?$)
//
// finds it (differential_test.go holds the two alike): Terraform's
// endpoints { s3 = "..." } block and endpoints = { s3 = "..." } attribute
// (Terraform 1.6's S3 backend), JSON's "endpoints": {, and a YAML
// endpoints: whose entries are the lines below. It returns the first
// such setting's name, and its entries on the line: from entries to end,
// then closed when the brace that closes the map is there; entries < 0
// for endpoints: at the end of the line. The expression cost 100 ns a
// byte (its leading name class tried from every byte); a line dense with
// signs and braces asked it twice. Nothing in it backtracks to another
// answer: the name is a maximal run of name bytes (what follows it cannot
// be one), and each later part stops at a byte the next cannot begin with.
func endpointMapAt(line []byte) (name []byte, entries, end int, closed, ok bool) {
	n := len(line)
	blanks := func(k int) int {
		for k < n && (line[k] == ' ' || line[k] == '\t') {
			k++
		}
		return k
	}
	for p := 0; p < n; {
		if !nameByte[line[p]] {
			p++
			continue
		}
		q := p + 1
		for q < n && nameByte[line[q]] {
			q++
		}
		if !containsFold(line[p:q], "ENDPOINT") {
			p = q
			continue
		}
		k := q
		if k < n && (line[k] == '"' || line[k] == '\'') {
			k++
		}
		k = blanks(k)
		brace := -1
		switch {
		case k < n && line[k] == '{':
			brace = k
		case k < n && (line[k] == '=' || line[k] == ':'):
			if b := blanks(k + 1); b < n && line[b] == '{' {
				brace = b
			}
		}
		if brace >= 0 {
			e := brace + 1
			for e < n && line[e] != '}' && line[e] != '\n' {
				e++
			}
			return line[p:q], brace + 1, e, e < n && line[e] == '}', true
		}
		if k < n && line[k] == ':' {
			b := blanks(k + 1)
			if b < n && line[b] == '\r' {
				b++
			}
			if b == n {
				return line[p:q], -1, -1, false, true
			}
		}
		p = q // every start inside the name ends it here too
	}
	return nil, -1, -1, false, false
}

// endpointMap reads an endpoints map opened on the line: the sign of a
// literal endpoint of its entries on the line that is not AWS's, and
// whether the map goes on below (then foreignSignIn reads its entries).
func endpointMap(line []byte) (why string, opens bool) {
	if bytes.IndexByte(line, '{') < 0 && !bytes.HasSuffix(bytes.TrimRight(line, " \t\r"), []byte(":")) {
		return "", false // no map opens here: most lines with an endpoint
	}
	name, entries, end, closed, ok := endpointMapAt(line)
	if !ok || !storageEndpointName(normalizeKeyword(string(name))) {
		return "", false
	}
	if entries < 0 {
		return "", true // endpoints: and its entries below
	}
	settingsIn(line[entries:end], func(_, v []byte) bool {
		if h := endpointHost(string(v)); h != "" {
			why = "the endpoint " + h
		}
		return why != ""
	})
	return why, why == "" && !closed
}

// storageWords mark a setting as object storage's: S3_ENDPOINT,
// AWS_ENDPOINT_URL, MINIO_ENDPOINT, STORAGE_PROVIDER. An API_ENDPOINT or a
// DB_ENDPOINT beside AWS keys says nothing of them.
var storageWords = []string{"s3", "aws", "storage", "bucket", "minio", "object", "blob", "gcs", "spaces", "wasabi",
	"r2", "b2", "boto"}

// storageEndpointName reports whether a normalised setting name is an
// object storage endpoint: a bare endpoint (the setting of a client's own
// block: boto3's endpoint_url, an rclone remote's endpoint, the JS SDK's
// endpoint, Go's BaseEndpoint), s3cmd's host_base and host_bucket, or an
// endpoint with a storage word.
func storageEndpointName(name string) bool {
	switch name {
	case "endpoint", "endpointurl", "endpoints", "baseendpoint", "hostbase", "hostbucket":
		return true
	}
	return strings.Contains(name, "endpoint") && containsAny(name, storageWords)
}

// endpointHost returns the host a literal endpoint value names, when it is
// not AWS's: "" for AWS's hosts, for empty or null values and for what is
// not a literal (a variable, an environment lookup). A value inside a call,
// aws.String("http://minio:9000"), counts by its string.
func endpointHost(v string) string {
	v = strings.TrimSpace(v)
	if i := strings.IndexAny(v, `"'`); i >= 0 {
		rest := v[i+1:]
		if j := strings.IndexByte(rest, v[i]); j >= 0 {
			v = rest[:j]
		} else {
			v = rest
		}
	}
	v = strings.ToLower(strings.TrimSpace(v))
	if !isHost(v) {
		return ""
	}
	host := strings.TrimPrefix(strings.TrimPrefix(v, "https://"), "http://")
	if i := strings.IndexByte(host, '/'); i >= 0 {
		host = host[:i]
	}
	for _, aws := range []string{"amazonaws.com", "amazonaws.com.cn", ".api.aws", ".on.aws", "aws.amazon.com"} {
		if strings.Contains(host, aws) || host == strings.TrimPrefix(aws, ".") {
			return ""
		}
	}
	if isNumberLike(host) {
		return "" // a port or a number, not a host
	}
	return host
}

func isNumberLike(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) && s[i] != '.' {
			return false
		}
	}
	return !strings.Contains(s, ".") || strings.Count(s, ".") != 3
}
