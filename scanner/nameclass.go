package scanner

import (
	"path"
	"strings"
)

// NameClass returns the class of a file name: the answers of every rule of
// the matcher that looks at the name rather than the bytes (the kind the
// name gives, Classify's extension and base-name tests, whether literals
// are joined in such a file, whether generic names are judged there,
// Django's settings module, whether a .br file is opened as Brotli by
// archive.DetectName, the tool a .hcl file is advised for). Two names of the same class are scanned alike:
// the same bytes give the same findings under either, but for the file
// name and fingerprint they carry.
//
// The git sources (history, pre-receive, staged) read a blob once however
// many paths hold it. They scan it again under a path whose class it has
// not been scanned under, so that no extra name and no rename can lower
// what is found: a secret split over a Python concatenation is joined in
// b.py whether or not a copy named README came first.
//
// A compressed stream is one member named after the stream
// (app.env.gz!app.env), so the class of such a member's name is part of
// the class too. TestNameClassDecides holds the matcher to it: a rule
// that reads the name and that NameClass does not ask makes two names of
// one class give different findings.
func NameClass(name string) string {
	var b strings.Builder
	nameClassOf(&b, name)
	if ext := path.Ext(name); ext != "" {
		inner := strings.TrimSuffix(path.Base(name), ext)
		b.WriteByte('|')
		nameClassOf(&b, name+"!"+inner)
	}
	return b.String()
}

// nameClassOf writes the answers of the name rules for name.
func nameClassOf(b *strings.Builder, name string) {
	// Classify: the kind by path, then sniffFile's extension groups and the
	// env/containerfile base names.
	slashed := strings.ReplaceAll(name, `\`, "/")
	plain := PlainName(slashed)
	k := ClassifyFile(plain)
	b.WriteString(string(k))
	if k == KindTerraform {
		b.WriteString("," + hclFlavor(plain)) // hclSuggestion
	}
	switch strings.ToLower(path.Ext(plain)) {
	case "", ".ini", ".cfg", ".conf", ".txt":
		b.WriteString(",cfg")
	case ".yaml", ".yml", ".json", ".template":
		b.WriteString(",doc")
	}
	base := strings.ToLower(path.Base(plain))
	switch {
	case base == "env" || strings.HasPrefix(base, "env."):
		b.WriteString(",env")
	case base == "containerfile" || strings.HasPrefix(base, "containerfile."):
		b.WriteString(",containerfile")
	}
	bit := func(c byte, ok bool) {
		if ok {
			b.WriteByte(c)
		} else {
			b.WriteByte('-')
		}
	}
	b.WriteByte(',')
	bit('j', concatenates(name))
	bit('m', maybeGenericFile(name))
	bit('g', genericFile(name))
	bit('e', genericExt(name))
	p := PlainName(name)
	bit('x', path.Ext(p) != "")
	bit('s', path.Base(p) == "settings.py")
	bit('d', strings.Contains(p, "settings/"))
	bit('b', len(name) >= 3 && strings.EqualFold(name[len(name)-3:], ".br"))
	// how markup is read (an office part's name in any case, a flat
	// office document: qa18 M5, M9)
	b.WriteByte('0' + byte(markupOf(p)))
	bit('o', flatOffice(p))
}

// DirClass returns the part of NameClass a folder decides: every name in
// two folders of the same DirClass is of the same class as its namesake in
// the other (NameClass(a+"/"+rel) == NameClass(b+"/"+rel) for any rel when
// DirClass(a) == DirClass(b)). The history walk, which stands for a folder
// met again under another path by its first walk, asks it before doing so.
func DirClass(dir string) string {
	if dir == "" || strings.ContainsAny(dir, "!\\") {
		// A member marker or a backslash makes rules read the folder
		// differently: such a folder is a class of its own.
		return "=" + dir
	}
	var b strings.Builder
	lower := strings.ToLower(dir) + "/"
	for _, w := range dirWords {
		s := lower
		if w == "settings/" {
			s = dir + "/" // read as written (frameworkFile)
		}
		if strings.Contains(s, w) {
			b.WriteByte('+')
		} else {
			b.WriteByte('-')
		}
		// A word may start in the folder and end in a name below it.
		n := 0
		for k := len(w) - 1; k > 0; k-- {
			if strings.HasSuffix(s, w[:k]) {
				n = k
				break
			}
		}
		b.WriteByte(byte('a' + n))
	}
	return b.String()
}

// dirWords are the strings the name rules look for anywhere in a path
// (ClassifyFile's folders, frameworkFile's settings package).
var dirWords = []string{".aws/", ".github/workflows/", ".circleci/", ".buildkite/", "k8s/", "kubernetes/", "manifests/",
	"helm/", "charts/", "settings/"}
