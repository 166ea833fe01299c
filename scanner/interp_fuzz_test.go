package scanner

import (
	"bytes"
	"testing"
)

// FuzzInterpolation: reading references, chains and assignments
// (interp.go) never panics, every part and rewrite lies inside the data in
// order, and a chain stays within its bounds.
func FuzzInterpolation(f *testing.F) {
	for _, s := range []string{
		"HEAD=AKIAABCD\nexport K=\"${HEAD}EFGHIJKLMNOP\"\n", "HEAD := AKIAABCD\nK := $(HEAD)EFGH",
		"head = \"AKIAABCD\"\nkey = f\"{head}EFGH\"", "head = 'AKIAABCD'\nkey = head + 'EFGH'",
		"$head = \"AKIAABCD\";\n$key = $head . \"EFGH\";", "$key = \"{$head}EFGH\"", "key = \"#{head}EFGH\"",
		"locals { head = \"AKIAABCD\"  key = \"${ local.head }EFGH\" }", "variable \"head\" {\n  default = \"AKIAABCD\"\n}\nk = \"${var.head}EFGH\"",
		"set HEAD=AKIAABCD\nset K=%HEAD%EFGH", "K=\"AKIA${T}\"\nT=EFGH", "k = 'AKIA' + t + \"x\" .. $u", "${", "{$", "#{", "%", "$", "a = b + ",
		"x = ${A}${B}${C}", "HEAD=AKIA", "default =", "variable \"", "=", "==AKIA",
		"HEAD=AKIAABCD\nK=\"$HEAD\"EFGH'IJ'\"\"$T", "env:\n  HEAD: AKIAABCD\n  K: ${{ env.HEAD }}EFGH ${{vars.T}} ${{ x", "${{",
		"- name: HEAD\n  value: \"AKIAABCD\"\n- name: K\n  value: $(HEAD)EFGH", "value: x", "\nvalue: ", "ENV HEAD AKIAABCD\nENV K=${HEAD}EFGH", "ENV", "ENV A",
		"k = \"{h}{t}\".format(h=\"AKIAABCD\", t=u)", "k = '%(a)s%(b)s' % {'a': 'AKIAABCD', \"b\": t}", "k = \"%(a)s\" % dict(a=h, b=\"x\")",
		"k = \"{}{t}\".format(h, t=1)", "\"{", "\"%(", "% {'", "% dict(",
		"B=AKIAABCD\nA=${B}${C}\nC=EF\nK=\"${A}GHIJKLMN\"", "A=${A}\nK=${A}X", "b = 'AKIA'\na = f\"{b}{c}\"\nk = f\"{a}X\"", "A=\"AKIA${C}\"", "A=${B", "A=f\"",
		"H=AKIAABCD\nK=${H:-x}EFGH${T-}${U:=AB}${V:?no}", "${H:", "${H:-", "k = ''.join((h, 'AKIA'))", "k = [h, 'AKIAABCD'].join('')",
		"k = h.concat('AKIAABCD', t)", "'AKIA'.concat(t)", ".concat(", "].join(", "k = Template('$a${b}X').substitute(a=h, b='AKIA')",
		"Template('$a').safe_substitute({'a': h})", "Template('", "k = (\n    h\n    + 'AKIAABCD'\n)", "k = h +\n  'AKIA'",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, d []byte) {
		st := &interpState{d: d}
		for i := 0; i < len(d); i++ {
			if r, ok := interpRefAt(d, i); ok && (r.s != i || r.e <= r.s || r.e > len(d) || len(r.name) == 0 || r.def && (r.ds < r.s || r.de < r.ds || r.de > r.e)) {
				t.Fatalf("reference at %d: %+v", i, r)
			}
			if d[i] == 'A' {
				st.chain(i, []ipart{{s: i, e: i + 1}})
			}
			if d[i] == '=' {
				if name, ok := assignedName(d, i); ok && len(name) == 0 {
					t.Fatalf("empty name at %d", i)
				}
			}
		}
		for k := 0; k < 4; k++ {
			if j := bytes.IndexByte(d, "HhKk"[k]); j >= 0 {
				if n := nameAt(d, j); n > j {
					st.need(d[j:n])
					st.refsTo(d[j:n])
				}
			}
		}
		for i := 0; i < len(st.heads); i++ {
			st.refsTo(st.heads[i])
		}
		st.refsIn(0, len(d))
		st.joinsIn(0, len(d))
		st.resolve()
		for _, n := range st.names.list {
			for _, a := range n.as {
				if a.vs < 0 || a.ve > len(d) || a.vs > a.ve {
					t.Fatalf("assignment of %s out of place: %+v", n.name, a)
				}
			}
			if v, ok := st.value(n.name, len(d)); ok && len(v) > maxPieceBytes {
				t.Fatalf("value of %s is %d bytes", n.name, len(v))
			}
		}
		var segs []rewrite
		for _, c := range st.chains {
			ps := st.parts[c.lo:c.hi]
			if len(ps) > maxInterpParts {
				t.Fatalf("chain of %d parts", len(ps))
			}
			for k, p := range ps {
				if p.s < 0 || p.e > len(d) || p.s > p.e || k > 0 && p.s < ps[k-1].e {
					t.Fatalf("part %d out of place: %+v", k, p)
				}
			}
			segs = st.rewrites(ps, segs)
		}
		for _, c := range st.calls {
			for _, p := range c.pieces {
				if p.s < c.s || p.e > c.e || p.arg >= len(c.args) {
					t.Fatalf("piece %+v out of its call %d-%d", p, c.s, c.e)
				}
			}
			segs = st.callRewrite(c, segs)
		}
		for _, sg := range segs {
			if sg.start < 0 || sg.end > len(d) || len(sg.text) != len(sg.from) || len(sg.text) != len(sg.to) {
				t.Fatalf("rewrite %+v", sg)
			}
		}
		s, _ := New(Options{})
		s.Scan("a.sh", d)
		s.Scan("b.py", d)
	})
}
