package scanner_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// gridTable writes a table in a wiki's or markup's grammar: a header row
// of names, then rows of cells, one line a row or one line a cell.
func gridTable(grammar string, header []string, rows [][]string) string {
	var b strings.Builder
	switch grammar {
	case "confluence":
		b.WriteString("||" + strings.Join(header, "||") + "||\n")
		for _, r := range rows {
			b.WriteString("|" + strings.Join(r, "|") + "|\n")
		}
	case "asciidoc", "asciidoc-cells":
		b.WriteString("[cols=\"" + strings.Repeat("1,", len(header)-1) + "1\"]\n|===\n|" + strings.Join(header, " |") + "\n")
		for _, r := range rows {
			b.WriteString("\n")
			if grammar == "asciidoc" {
				b.WriteString("|" + strings.Join(r, " |") + "\n")
				continue
			}
			for _, c := range r {
				b.WriteString("|" + c + "\n")
			}
		}
		b.WriteString("|===\n")
	case "wiki", "wiki-cells":
		b.WriteString("{| class=\"wikitable\"\n")
		if grammar == "wiki" {
			b.WriteString("! " + strings.Join(header, " !! ") + "\n")
		} else {
			for _, h := range header {
				b.WriteString("! " + h + "\n")
			}
		}
		for _, r := range rows {
			b.WriteString("|-\n")
			if grammar == "wiki" {
				b.WriteString("| " + strings.Join(r, " || ") + "\n")
				continue
			}
			for _, c := range r {
				b.WriteString("| " + c + "\n")
			}
		}
		b.WriteString("|}\n")
	case "html", "html-cells":
		sep := ""
		if grammar == "html-cells" {
			sep = "\n  "
		}
		b.WriteString("<table>\n<tr>")
		for _, h := range header {
			b.WriteString(sep + "<th>" + h + "</th>")
		}
		b.WriteString("</tr>\n")
		for _, r := range rows {
			b.WriteString("<tr>")
			for _, c := range r {
				b.WriteString(sep + "<td>" + c + "</td>")
			}
			b.WriteString("</tr>\n")
		}
		b.WriteString("</table>\n")
	}
	return b.String()
}

var gridGrammars = []string{"confluence", "asciidoc", "asciidoc-cells", "wiki", "wiki-cells", "html", "html-cells"}

// TestGridTableHeaders is qa22 M3: a secret in a Confluence or Jira wiki
// table, an AsciiDoc table, a MediaWiki table or an HTML table, under a
// header cell that names its column (Secret access key), with no key ID
// beside it, was missed: only delimited and Markdown tables named their
// columns. It is found in every grammar, in the named column of any row;
// the table may hold one row. Nothing is found where the column is named otherwise, where the value
// stands in another column, below the table's end, or shares its cell
// with other words, nor for AWS's example secret.
func TestGridTableHeaders(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(2931)
	for _, grammar := range gridGrammars {
		for _, name := range []string{"Secret access key", "AWS Secret Access Key", "aws_secret_access_key"} {
			for row := 0; row < 3; row++ {
				secret := g.Secret()
				header := []string{"User", "Created", name, "Notes"}
				rows := [][]string{{"ops", "2023-05-01", "rotated", "old"}, {"qa", "2023-09-09", "none", "-"}, {"dev", "2024-02-02", "gone", "x"}}
				rows[row] = []string{"ci-deploy", "2024-01-01", secret, "deploy user"}
				data := "Keys of the build users\n\n" + gridTable(grammar, header, rows[:row+1]) // the last row the secret's
				fs := sc.Scan("keys.txt", []byte(data))
				if len(fs) != 1 || fs[0].Secret != secret {
					t.Errorf("%s %q row %d: %v, want the secret\n%s", grammar, name, row, summarize(fs), data)
				}
			}
		}
		secret := g.Secret()
		quiet := map[string]string{
			"no name":        gridTable(grammar, []string{"User", "Created", "Checksum"}, [][]string{{"ci", "2024-01-01", secret}}),
			"other column":   gridTable(grammar, []string{"User", "Secret access key", "Checksum"}, [][]string{{"ci", "rotated", secret}}),
			"example":        gridTable(grammar, []string{"User", "Secret access key"}, [][]string{{"ci", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}}),
			"shared cell":    gridTable(grammar, []string{"User", "Secret access key"}, [][]string{{"ci", "was " + secret + " once"}}),
			"after the end":  gridTable(grammar, []string{"User", "Secret access key"}, [][]string{{"ci", "rotated"}}) + "\n|ci |" + secret + "\n| " + secret + "\n<td>" + secret + "</td>\n",
			"header as text": "Secret access key\n\n" + gridTable(grammar, []string{"User", "Checksum"}, [][]string{{"ci", secret}}),
		}
		for what, data := range quiet {
			if fs := sc.Scan("keys.txt", []byte(data)); len(fs) != 0 {
				t.Errorf("%s %s: %v, want nothing\n%s", grammar, what, summarize(fs), data)
			}
		}
	}
}

// BenchmarkGridTableHeaders: a wiki table whose column is named a
// secret's, with 16 MiB of rows of near misses below it (values of the
// secret's length in other columns, and in its own column beside other
// words), and lines of header cells repeated (every keyword a header).
func BenchmarkGridTableHeaders(b *testing.B) {
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		b.Fatal(err)
	}
	g := fakekey.New(2932)
	for _, grammar := range gridGrammars {
		for _, shape := range []string{"rows", "headers"} {
			var rows [][]string
			for i := 0; i < 64; i++ {
				rows = append(rows, []string{g.Secret(), "was " + g.Secret() + " once", fmt.Sprint(i)})
			}
			var unit string
			if shape == "rows" {
				unit = gridTable(grammar, []string{"User", "Secret access key", "Notes"}, rows)
			} else {
				unit = gridTable(grammar, []string{"Secret access key", "Secret access key", "Secret access key"}, nil)
			}
			data := tiled([]byte(unit), 16<<20)
			b.Run(grammar+"/"+shape, func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				cpu := cpuTime()
				for b.Loop() {
					sc.ScanAll("keys.txt", data)
				}
				reportCPU(b, cpu, len(data))
			})
		}
	}
}

// FuzzGridTable reads any text as a wiki's or markup's table: no panic,
// findings inside the input.
func FuzzGridTable(f *testing.F) {
	s := fakekey.New(2937).Secret() // no key written literally
	for _, grammar := range gridGrammars {
		f.Add([]byte(gridTable(grammar, []string{"User", "Secret access key"}, [][]string{{"ci", s}, {s, "x"}})))
	}
	f.Add([]byte("||Secret access key||\n|" + s + "|\n||x||\n"))
	f.Add([]byte("|===\n|Secret access key\n|===\n|" + s + "\n"))
	f.Add([]byte("{|\n!Secret access key!!\n|-\n|}|" + s + "\n"))
	f.Add([]byte("<tr><th>Secret access key</th><td>" + s + "</td>"))
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, fd := range sc.Scan("t.txt", data) {
			if fd.Offset < 0 || fd.EndOffset > len(data) || fd.Offset > fd.EndOffset {
				t.Fatalf("finding at [%d,%d) of %d bytes", fd.Offset, fd.EndOffset, len(data))
			}
		}
	})
}
