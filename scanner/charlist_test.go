package scanner_test

// Tests of keys written as lists of characters or code points
// (charlist.go), and of ordinary lists that must stay silent.

import (
	"fmt"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

// listForm writes a value as a list; file is the file's name, and line
// writes an assignment of the list to a name.
type listForm struct {
	name, file string
	item       func(c byte) string
	sep        string
	line       func(name, list string) string
}

func items(s string, item func(byte) string, sep string) string {
	parts := make([]string, len(s))
	for i := range len(s) {
		parts[i] = item(s[i])
	}
	return strings.Join(parts, sep)
}

var listForms = []listForm{
	{"java-char-array", "A.java", format(`'%c'`), ", ", func(n, l string) string {
		return "  static final String " + n + " = new String(new char[]{" + l + "});"
	}},
	{"java-wrapped", "B.java", format(`'%c'`), ",\n      ", func(n, l string) string {
		return "  static final String " + n + " = new String(new char[] {\n      " + l + "\n  });"
	}},
	{"python-join", "a.py", format(`"%c"`), ", ", func(n, l string) string { return n + ` = "".join([` + l + "])" }},
	{"python-bytes", "b.py", format(`%d`), ", ", func(n, l string) string { return n + " = bytes([" + l + "]).decode()" }},
	{"js-fromcharcode", "a.js", format(`%d`), ", ", func(n, l string) string { return "const " + n + " = String.fromCharCode(" + l + ");" }},
	{"js-array", "b.js", format(`'%c'`), ",", func(n, l string) string { return "const " + n + " = [" + l + "].join('');" }},
	{"go-bytes", "a.go", format(`'%c'`), ", ", func(n, l string) string { return "var " + n + " = string([]byte{" + l + "})" }},
	{"go-codes", "b.go", format(`%d`), ", ", func(n, l string) string { return "var " + n + " = string([]byte{" + l + "})" }},
	// Code points in 0x hex and gofmt's one item a line: no anchor of
	// their own, found from the keyword's window (markListOpens; qa14
	// HIGH-1).
	{"python-bytes-hex", "c.py", format(`0x%x`), ", ", func(n, l string) string { return n + " = bytes([" + l + "]).decode()" }},
	{"js-fromcharcode-hex", "c.js", format(`0x%X`), ", ", func(n, l string) string { return "const " + n + " = String.fromCharCode(" + l + ");" }},
	{"go-codes-gofmt", "c.go", format(`%d`), ",\n\t", func(n, l string) string { return "var " + n + " = string([]byte{\n\t" + l + ",\n})" }},
	// Typed items (qa15 HIGH-7): a literal's prefix, a number's type
	// suffix, a cast, a conversion call.
	{"rust-byte-literals", "a.rs", format(`b'%c'`), ", ", func(n, l string) string { return "let " + n + " = String::from_utf8(vec![" + l + "]).unwrap();" }},
	{"rust-u8", "b.rs", format(`%du8`), ", ", func(n, l string) string { return "const " + n + ": &[u8] = &[" + l + "];" }},
	{"rust-hex-u8", "c.rs", format(`0x%x_u8`), ",\n    ", func(n, l string) string { return "let " + n + " = vec![\n    " + l + ",\n];" }},
	{"rust-as-u8", "d.rs", format(`%d as u8`), ", ", func(n, l string) string { return "let " + n + ": Vec<u8> = vec![" + l + "];" }},
	{"cpp-u8-literals", "a.cpp", format(`u8'%c'`), ", ", func(n, l string) string { return "const char " + n + "[] = {" + l + "};" }},
	{"cpp-wide-literals", "b.cpp", format(`L'%c'`), ", ", func(n, l string) string { return "const wchar_t " + n + "[] = {" + l + "};" }},
	{"java-byte-casts", "C.java", format(`(byte) 0x%x`), ", ", func(n, l string) string { return "  static final byte[] " + n + " = {" + l + "};" }},
	{"csharp-char-casts", "a.cs", format(`(char)%d`), ", ", func(n, l string) string { return "var " + n + " = new string(new char[] { " + l + " });" }},
	{"kotlin-tobyte", "a.kt", format(`0x%x.toByte()`), ", ", func(n, l string) string { return "val " + n + " = byteArrayOf(" + l + ")" }},
	{"swift-uint8", "a.swift", format(`UInt8(%d)`), ", ", func(n, l string) string { return "let " + n + " = String(bytes: [" + l + "], encoding: .utf8)" }},
	{"go-byte-conversions", "d.go", format(`byte(%d)`), ", ", func(n, l string) string { return "var " + n + " = string([]byte{" + l + "})" }},
	// chr chains of other languages (qa15 MEDIUM-7).
	{"vb-chr", "a.vb", format(`Chr(%d)`), " & ", func(n, l string) string { return "Dim " + n + " As String = " + l }},
	{"vb-chrw-continued", "b.vb", format(`ChrW(%d)`), " & _\n    ", func(n, l string) string { return "Dim " + n + " As String = " + l }},
	{"tsql-char", "a.sql", format(`CHAR(%d)`), " + ", func(n, l string) string { return "DECLARE @" + n + " NVARCHAR(40) = " + l + ";" }},
	{"oracle-chr", "b.sql", format(`CHR(%d)`), "||", func(n, l string) string { return "v_" + n + " := " + l + ";" }},
	{"ruby-chr", "a.rb", format(`%d.chr`), " + ", func(n, l string) string { return n + " = " + l }},
	{"powershell-char", "a.ps1", format(`[char]%d`), " + ", func(n, l string) string { return "$" + n + " = " + l }},
}

// TestCharLists: a key pair written as a list in each form is found at
// the list, from its first item to its last, decoded, paired, named
// char-list.
func TestCharLists(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for _, f := range listForms {
		t.Run(f.name, func(t *testing.T) {
			for seed := uint64(1); seed <= 8; seed++ {
				g := fakekey.New(seed)
				prefix := "AKIA"
				if seed%3 == 0 {
					prefix = "ASIA"
				}
				id, secret := g.KeyID(prefix), g.Secret()
				lid, lsec := items(id, f.item, f.sep), items(secret, f.item, f.sep)
				a := f.line("awsAccessKeyId", lid)
				b := f.line("awsSecretAccessKey", lsec)
				text := "// settings\n" + a + "\n" + b + "\n"
				fs := sc.Scan(f.file, []byte(text))
				if len(fs) != 2 {
					t.Fatalf("seed %d: %d findings, want 2: %v\n%s", seed, len(fs), summarize(fs), text)
				}
				want := []struct {
					rule, value string
					start, end  int
				}{
					{rules.IDAccessKeyID, id, strings.Index(text, lid), strings.Index(text, lid) + len(lid)},
					{rules.IDSecretAccessKey, secret, strings.Index(text, lsec), strings.Index(text, lsec) + len(lsec)},
				}
				for i, w := range want {
					got := fs[i]
					if got.Rule != w.rule || got.Secret != w.value || got.Offset != w.start || got.EndOffset != w.end {
						t.Errorf("seed %d: finding %d is %s %s [%d,%d), want %s %s [%d,%d)", seed, i, got.Rule, scanner.Redact(got.Secret),
							got.Offset, got.EndOffset, w.rule, scanner.Redact(w.value), w.start, w.end)
					}
					if l, c := lineCol([]byte(text), w.start); got.Line != l || got.Column != c {
						t.Errorf("seed %d: finding %d at %d:%d, want %d:%d", seed, i, got.Line, got.Column, l, c)
					}
					if got.Encoding != "char-list" {
						t.Errorf("seed %d: finding %d encoding %q, want char-list", seed, i, got.Encoding)
					}
					if got.Pair != fs[1-i].Fingerprint {
						t.Errorf("seed %d: finding %d is not paired with the other", seed, i)
					}
				}
			}
		})
	}
}

// TestCharListSecretContext: a secret written as a list needs the context a
// plain one needs: a keyword, or a key ID nearby (plain or a list).
func TestCharListSecretContext(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(77)
	id, secret := g.KeyID("AKIA"), g.Secret()
	quoted := items(secret, format(`'%c'`), ", ")
	for _, c := range []struct {
		name, file, text string
		want             int
	}{
		{"keyword", "a.py", "aws_secret_access_key = ''.join([" + quoted + "])\n", 1},
		{"next-to-plain-key-id", "A.java", "String id = \"" + id + "\";\nString v = new String(new char[]{" + quoted + "});\n", 2},
		{"no-context", "a.py", "value = ''.join([" + quoted + "])\n", 0},
		{"another-system", "a.py", "client_secret = ''.join([" + quoted + "])\n", 0},
		{"allowed", "a.py", "aws_secret_access_key = ''.join([" + quoted + "])  # keyscan:allow fixture of the list tests\n", 0},
	} {
		fs := sc.Scan(c.file, []byte(c.text))
		if len(fs) != c.want {
			t.Errorf("%s: %d findings, want %d: %v", c.name, len(fs), c.want, summarize(fs))
			continue
		}
		for _, f := range fs {
			if f.Rule == rules.IDSecretAccessKey && f.Secret != secret {
				t.Errorf("%s: secret %s, want %s", c.name, scanner.Redact(f.Secret), scanner.Redact(secret))
			}
		}
	}
}

// TestCharListsInOrdinaryCode: alphabets, byte tables, ASCII tables and the
// AWS example key written as lists stay silent.
func TestCharListsInOrdinaryCode(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	var b strings.Builder
	b.WriteString("ALPHABET = [" + items("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", format(`'%c'`), ", ") + "]\n")
	b.WriteString("HEX = [" + items("0123456789abcdef", format(`"%c"`), ", ") + "]\n")
	var codes []string
	for c := 32; c < 127; c++ {
		codes = append(codes, fmt.Sprint(c))
	}
	b.WriteString("ASCII = [" + strings.Join(codes, ", ") + "]\n")
	b.WriteString("TABLE = [" + strings.Repeat("65, 75, 73, 65, 0, 1, 2, 255, ", 20) + "]\n")
	b.WriteString("aws_access_key_id = ''.join([" + items("AKIAIOSFODNN7EXAMPLE", format(`'%c'`), ", ") + "])\n")
	b.WriteString("aws_secret_access_key = ''.join([" + items("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", format(`'%c'`), ", ") + "])\n")
	b.WriteString("letters = ['K', 'I', 'A', 'S'] + ['A'] * 30\n")
	// Typed and chr forms of the same (qa15 HIGH-7, MEDIUM-7).
	b.WriteString("const ALPHABET: &[u8] = &[" + items("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", format(`b'%c'`), ", ") + "];\n")
	b.WriteString("let codes = vec![" + items("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", format(`%du8`), ", ") + "];\n")
	b.WriteString("aws_access_key_id = " + items("AKIAIOSFODNN7EXAMPLE", format(`%d.chr`), " + ") + "\n")
	b.WriteString("Dim aws_secret_access_key = " + items("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", format(`Chr(%d)`), " & ") + "\n")
	for _, file := range []string{"a.py", "a.js", "a.txt"} {
		if fs := sc.Scan(file, []byte(b.String())); len(fs) != 0 {
			t.Errorf("%s: %d findings, want none: %v", file, len(fs), summarize(fs))
		}
	}
}

// TestListRunsAcrossRegions: a run that the reader of one region around
// the anchors finds and that goes on into the next region is read once.
// Both regions read it, from different items, and the two overlapping
// runs made scanRegion slice backwards: a panic on this 22 KB text
// (found by TestListsReadAsBefore's texts).
func TestListRunsAcrossRegions(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	kia := func(n int) string { return strings.Repeat("75, 73, 65, ", n) }
	blanks := strings.Repeat(" ", 70)
	text := "83  ,  126  ,  aws_access_key_id = String.fromCharCode(126" + blanks + "," + kia(457) +
		"String.fromCharCode(65" + blanks + "," + kia(550) + `"K".\1` + kia(114) + `0x41.004131 9_,,107, "K"  ,  ` +
		kia(293) + "31, 73,65." + kia(435)
	if fs := sc.Scan("a.py", []byte(text)); len(fs) != 0 {
		t.Errorf("%d findings, want none: %v", len(fs), summarize(fs))
	}
}

// TestCharListOpensWithPrefix: a key pair as lists of code points with no
// keyword near, whose commas have blanks on both sides or none, or tabs
// (qa14 HIGH-12: 73 , 65 has no "73," anchor), found from the list's
// opening [65 or {65; a list that opens with 65 but no key prefix stays
// silent.
func TestCharListOpensWithPrefix(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 6; seed++ {
		g := fakekey.New(seed)
		prefix := "AKIA"
		if seed%2 == 0 {
			prefix = "ASIA"
		}
		id, secret := g.KeyID(prefix), g.Secret()
		code := format(`%d`)
		for _, f := range []struct{ file, open, sep, close string }{
			{"sp.py", "k = [", " , ", "]"},
			{"sp2.py", "k = [", " ,", "]"},
			{"tab.c", "static const char k[] = {", ",\t", "};"},
			{"sp.js", "const k = [", " ,  ", "];"},
		} {
			text := f.open + items(id, code, f.sep) + f.close + "\n" + strings.Replace(f.open, "k", "s", 1) + items(secret, code, f.sep) + f.close + "\n"
			fs := sc.Scan(f.file, []byte(text))
			if !hasSecret(fs, id) || !hasSecret(fs, secret) {
				t.Errorf("seed %d %s: %v, want both keys\n%s", seed, f.file, summarize(fs), text)
			}
		}
		quiet := "k = [65 , 75 , 72 , 65 , " + items(id[4:], code, " , ") + "]\nv = {65 , 10 , 13 , 65}\n"
		if fs := sc.Scan("q.py", []byte(quiet)); len(fs) != 0 {
			t.Errorf("seed %d: %v, want nothing\n%s", seed, summarize(fs), quiet)
		}
	}
}

// TestChrCallsWithoutKeyword: a key ID written as chr calls joined by their
// language's operator is found with no keyword or key near it, from the
// I's call (chr(73)), in Python, SQL, VB (line continuations too), PHP and
// PostgreSQL; calls that spell no key prefix, or a function merely ending
// in chr, are not read as one (notation25).
func TestChrCallsWithoutKeyword(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 6; seed++ {
		prefix := "AKIA"
		if seed%2 == 0 {
			prefix = "ASIA"
		}
		id := fakekey.New(2520 + seed).KeyID(prefix)
		for _, f := range []struct{ file, open, call, sep, close string }{
			{"k.py", "k = ", "chr(%d)", "+", "\n"},
			{"k2.py", "k = ", "chr(%d)", " + ", "\n"},
			{"k.sql", "SELECT ", "CHAR(%d)", " + ", ";\n"},
			{"k.vb", "Dim k = ", "ChrW(%d)", " & _\n    ", "\n"},
			{"k.php", "<?php $k = ", "chr(%d)", ".", ";\n"},
			{"pg.sql", "SELECT ", "CHR(%d)", " || ", ";\n"},
		} {
			text := f.open + items(id, format(f.call), f.sep) + f.close
			if fs := sc.Scan(f.file, []byte(text)); !hasSecret(fs, id) {
				t.Errorf("seed %d %s: %v, want the key ID\n%s", seed, f.file, summarize(fs), text)
			}
		}
		quiet := "k = " + items("AKIB"+id[4:], format("chr(%d)"), "+") + "\nx = chr(75)+chr(73)+chr(66)\ny = mychr(75)+chr(73)+chr(65)\n"
		if fs := sc.Scan("q.py", []byte(quiet)); len(fs) != 0 {
			t.Errorf("seed %d: %v, want nothing\n%s", seed, summarize(fs), quiet)
		}
	}
}

// TestCharCastsInPowerShell: a key ID that PowerShell builds from casts
// joined by + ([char]65+[char]75+…, in decimal or 0x hex, with blanks or
// without, or -join of a list) is found in a PowerShell file without a
// keyword near it (enc26); a prefix that starts no key ID is not.
func TestCharCastsInPowerShell(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 6; seed++ {
		prefix := "AKIA"
		if seed%2 == 0 {
			prefix = "ASIA"
		}
		id := fakekey.New(2620 + seed).KeyID(prefix)
		for _, f := range []struct{ file, open, call, sep, close string }{
			{"k.ps1", "$k = ", "[char]%d", "+", "\n"},
			{"k2.ps1", "$k = ", "[char]%d", " + ", "\n"},
			{"k3.psm1", "$k = ", "[Char]0x%X", " + ", "\n"},
			{"k4.ps1", "$k = -join (", "[char]%d", ",", ")\n"},
			{"k5.psd1", "@{ K = ", "[CHAR] %d", " +\n  ", " }\n"},
		} {
			text := f.open + items(id, format(f.call), f.sep) + f.close
			if fs := sc.Scan(f.file, []byte(text)); !hasSecret(fs, id) {
				t.Errorf("seed %d %s: %v, want the key ID\n%s", seed, f.file, summarize(fs), text)
			}
		}
		quiet := "$k = " + items("AKIB"+id[4:], format("[char]%d"), "+") + "\n$x = [char]65+[char]75+[char]73+[char]65+[char]33\n"
		if fs, c := sc.ScanAllCounted("q.ps1", []byte(quiet), 0); len(fs) != 0 || c.Undecoded != 0 {
			t.Errorf("seed %d: %v, want nothing\n%s", seed, summarize(fs), quiet)
		}
	}
}

// TestCharListSecretAlone is qa22 M2: a secret written as a list beside
// its keyword, with no key ID near, is found as the same secret in quotes
// is, whether the list stands on the keyword's line or one item a line
// under its opening bracket, as gofmt, black, prettier and
// google-java-format wrap a long list.
func TestCharListSecretAlone(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	wrapped := []listForm{
		{"go-gofmt-bytes", "w.go", format(`%d`), ",\n\t", func(n, l string) string { return "var " + n + " = string([]byte{\n\t" + l + ",\n})" }},
		{"python-black", "w.py", format(`%d`), ",\n    ", func(n, l string) string { return n + " = bytes([\n    " + l + ",\n]).decode()" }},
		{"java-gjf", "W.java", format(`'%c'`), ",\n      ", func(n, l string) string {
			return "  static final String " + n + " = new String(new char[] {\n      " + l + ",\n  });"
		}},
		{"js-prettier", "w.js", format(`"%c"`), ",\n  ", func(n, l string) string { return "const " + n + " = [\n  " + l + ",\n].join(\"\");" }},
	}
	for _, f := range append(wrapped, listForms[:8]...) {
		for seed := uint64(1); seed <= 4; seed++ {
			secret := fakekey.New(seed).Secret()
			text := "// settings\n" + f.line("awsSecretAccessKey", items(secret, f.item, f.sep)) + "\n"
			if fs := sc.Scan(f.file, []byte(text)); len(fs) != 1 || fs[0].Secret != secret || fs[0].Encoding != "char-list" {
				t.Errorf("%s, seed %d: %v, want the secret as a char-list\n%s", f.name, seed, summarize(fs), text)
			}
		}
	}
}
