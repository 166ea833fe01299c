package scanner_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

// notebook writes a Jupyter notebook of one markdown cell and one code
// cell holding src, its kernel's language lang.
func notebook(t *testing.T, lang string, src []string, indent bool) []byte {
	t.Helper()
	nb := map[string]any{
		"cells": []any{
			map[string]any{"cell_type": "markdown", "metadata": map[string]any{}, "source": []string{"# Upload\n", "to the bucket"}},
			map[string]any{"cell_type": "code", "execution_count": 1, "metadata": map[string]any{}, "outputs": []any{}, "source": src},
		},
		"metadata":       map[string]any{"kernelspec": map[string]any{"name": lang, "display_name": lang, "language": lang}},
		"nbformat":       4,
		"nbformat_minor": 5,
	}
	var b []byte
	var err error
	if indent {
		b, err = json.MarshalIndent(nb, "", " ")
	} else {
		b, err = json.Marshal(nb)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestNotebookCells: a notebook's code cells are read as the kernel's
// language (qa14 HIGH-4): a key split over adjacent literals on two lines
// and a secret written as a list of characters are found, as in the same
// code saved as a .py file; a plain key is found once, not again from the
// cell.
func TestNotebookCells(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 6; seed++ {
		g := fakekey.New(seed)
		id, secret := g.KeyID("AKIA"), g.Secret()
		chars := make([]string, len(secret))
		for i := range secret {
			chars[i] = "'" + secret[i:i+1] + "'"
		}
		cases := []struct {
			name string
			src  []string
			enc  []string
		}{
			{"split", []string{"import boto3\n", "s3 = boto3.client(\"s3\",\n", "    aws_access_key_id=\"" + id[:10] + "\"\n",
				"        \"" + id[10:] + "\",\n", "    aws_secret_access_key=\"" + secret[:20] + "\"\n", "        \"" + secret[20:] + "\")\n"},
				[]string{"notebook-cell+concatenation", "notebook-cell+concatenation"}},
			{"char-list", []string{"import boto3\n", "key_id = \"" + id + "\"\n", "aws_secret_access_key = ''.join([" + strings.Join(chars, ", ") + "])\n"},
				[]string{"", "notebook-cell+char-list"}},
			{"plain", []string{"import boto3\n", "s3 = boto3.client(\"s3\", aws_access_key_id=\"" + id + "\",\n", "    aws_secret_access_key=\"" + secret + "\")\n"},
				[]string{"", ""}},
		}
		for _, c := range cases {
			for _, indent := range []bool{false, true} {
				data := notebook(t, "python", c.src, indent)
				fs := sc.Scan("n.ipynb", data)
				if len(fs) != 2 || fs[0].Rule != rules.IDAccessKeyID || fs[0].Secret != id || fs[1].Rule != rules.IDSecretAccessKey || fs[1].Secret != secret {
					t.Fatalf("seed %d %s: %v, want the key pair\n%s", seed, c.name, summarize(fs), data)
				}
				for i, f := range fs {
					if f.Encoding != c.enc[i] {
						t.Errorf("seed %d %s: finding %d has encoding %q, want %q", seed, c.name, i, f.Encoding, c.enc[i])
					}
					if f.Offset < 0 || f.EndOffset > len(data) || f.Offset >= f.EndOffset {
						t.Errorf("seed %d %s: finding %d at [%d,%d) of %d bytes", seed, c.name, i, f.Offset, f.EndOffset, len(data))
					}
				}
			}
		}
	}
}

// TestNotebookOddSources: sources that are not lists of strings, strings
// cut by the end of the file, bad escapes and a notebook of nothing but
// "source" keys are read without a finding and without a panic.
func TestNotebookOddSources(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for _, text := range []string{
		`{"cells":[{"source": 12}]}`,
		`{"cells":[{"source": "aws_secret_access_key = \"`,
		`{"cells":[{"source": ["aws_secret_access_key = \u12`,
		`{"cells":[{"source": ["secret \q"]}]}`,
		strings.Repeat(`"source":"aws_secret_access_key",`, 2000),
		`"source"`,
	} {
		if fs := sc.Scan("odd.ipynb", []byte(text)); len(fs) != 0 {
			t.Errorf("%.40q: %v", text, summarize(fs))
		}
	}
}

// TestNotebookFormat3: an nbformat 3 notebook (IPython 1 and 2) keeps its
// cells in "worksheets" and a code cell's code in "input", its language in
// the cell (qa15 HIGH-1): the cells are read as code as version 4's are.
func TestNotebookFormat3(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 4; seed++ {
		g := fakekey.New(seed)
		id, secret := g.KeyID("AKIA"), g.Secret()
		src := []string{"import boto3\n", "s3 = boto3.client(\"s3\",\n", "    aws_access_key_id=\"" + id[:10] + "\"\n",
			"        \"" + id[10:] + "\",\n", "    aws_secret_access_key=\"" + secret[:20] + "\"\n", "        \"" + secret[20:] + "\")\n"}
		nb := map[string]any{
			"metadata": map[string]any{"name": "upload"},
			"nbformat": 3, "nbformat_minor": 0,
			"worksheets": []any{map[string]any{"cells": []any{
				map[string]any{"cell_type": "markdown", "metadata": map[string]any{}, "source": []string{"# Upload\n"}},
				map[string]any{"cell_type": "code", "collapsed": false, "input": src, "language": "python", "metadata": map[string]any{}, "outputs": []any{}},
			}, "metadata": map[string]any{}}},
		}
		data, err := json.MarshalIndent(nb, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		fs := sc.Scan("v3.ipynb", data)
		if len(fs) != 2 || fs[0].Secret != id || fs[1].Secret != secret {
			t.Fatalf("seed %d: %v, want the key pair\n%s", seed, summarize(fs), data)
		}
		for i, f := range fs {
			if f.Encoding != "notebook-cell+concatenation" || f.Offset < 0 || f.EndOffset > len(data) {
				t.Errorf("seed %d: finding %d: encoding %q at [%d,%d)", seed, i, f.Encoding, f.Offset, f.EndOffset)
			}
		}
	}
}

// TestNotebookLongCell is qa15 HIGH-10: a cell of many lines is scanned a
// batch at a time, cut at a line's end, the last lines of a batch read
// again with the next. A key split over two lines is found wherever the
// cut falls, once, at the notebook's bytes, as in a short cell.
func TestNotebookLongCell(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(41)
	type pair struct{ id, secret string }
	var pairs []pair
	var src []string
	size := 0
	for line := 0; size < 260<<10; line++ {
		if line%3 == 0 { // a cut falls inside some of them
			p := pair{g.KeyID("AKIA"), g.Secret()}
			pairs = append(pairs, p)
			for _, l := range []string{"s3 = boto3.client(\"s3\",\n", "    aws_access_key_id=\"" + p.id[:10] + "\"\n",
				"        \"" + p.id[10:] + "\",\n", "    aws_secret_access_key=\"" + p.secret[:20] + "\"\n", "        \"" + p.secret[20:] + "\")\n"} {
				src = append(src, l)
				size += len(l)
			}
		}
		l := "x = \"filler\" \"text\"  # a line of the cell\n"
		src = append(src, l)
		size += len(l)
	}
	data := notebook(t, "python", src, false)
	fs := sc.Scan("long.ipynb", data)
	got := map[string]int{}
	for _, f := range fs {
		got[f.Secret]++
		if f.Offset < 0 || f.EndOffset > len(data) || !strings.HasPrefix(string(data[f.Offset:]), `\"`+f.Secret[:4]) {
			t.Errorf("finding %s at [%d,%d): %q", scanner.Redact(f.Secret), f.Offset, f.EndOffset, data[f.Offset:min(len(data), f.Offset+16)])
		}
	}
	for _, p := range pairs {
		if got[p.id] != 1 || got[p.secret] != 1 {
			t.Errorf("key pair found %d and %d times, want once each", got[p.id], got[p.secret])
		}
	}
	if len(fs) != 2*len(pairs) {
		t.Errorf("%d findings, want %d", len(fs), 2*len(pairs))
	}
}
