package scanner

import (
	"strings"
	"testing"
)

// TestDumpPasteNameAsTrim: dumpPasteName answers as it did when it told a
// rotated log's number by strings.Trim, for names of every kind it
// tells apart (extensions pasted dumps are looked for in, in any case,
// rotated logs and other numbered names, names without an extension,
// non-ASCII last bytes, and the rest), as it did before its first look
// at the name's last byte too.
func TestDumpPasteNameAsTrim(t *testing.T) {
	old := func(name string) bool {
		ext := nameExt(name)
		if ext == "" || extIn(ext, dumpPasteExtensions) {
			return true
		}
		rest := name[:len(name)-len(ext)]
		return len(ext) > 1 && strings.Trim(ext[1:], "0123456789") == "" && extIn(nameExt(rest), []string{".log"})
	}
	var names []string
	for _, dir := range []string{"", "logs/", "a.b/", "x!"} {
		for _, stem := range []string{"app", "README", "app.log", "app.LOG", "app.txt", "x.go", ".log", "app.log.1"} {
			for _, ext := range []string{"", ".", ".1", ".12", ".1a", ".a1", ".0", ".log", ".md", ".go", ".json", "._", ".٣",
				".MD", ".Md", ".TXT", ".Log", ".HTML", ".htM", ".eml", ".EML", ".wiki", ".org", ".ORG", ".err", ".mbox", ".textile",
				".mdX", ".K", ".\u212a", ".\u017f", ".m\u017fd", ".x\u0131", ".t\u0130", ".\xff", ".tx\xc3"} {
				names = append(names, dir+stem+ext)
			}
		}
	}
	for _, n := range names {
		if got, want := dumpPasteName(n), old(n); got != want {
			t.Errorf("dumpPasteName(%q) = %v, want %v", n, got, want)
		}
	}
}
