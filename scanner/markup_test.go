package scanner_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// A secret alone in syntax-highlighted HTML (qa10 MEDIUM-9): Sphinx,
// MkDocs and nbconvert (Pygments spans), highlight.js, a plain <code>
// with entities: found as the same snippet is in a .py or .ini file, read
// as the text a reader sees (markup.go).
func markupPositiveCases() []formatCase {
	return []formatCase{
		{name: "html/sphinx-pygments-python", file: "_build/html/quickstart.html", want: "SECRET", text: `<div class="highlight-python notranslate"><div class="highlight"><pre><span></span><span class="kn">import</span> <span class="nn">boto3</span>
<span class="n">s3</span> <span class="o">=</span> <span class="n">boto3</span><span class="o">.</span><span class="n">client</span><span class="p">(</span><span class="s1">&#39;s3&#39;</span><span class="p">,</span>
    <span class="n">aws_secret_access_key</span><span class="o">=</span><span class="s1">&#39;{{SECRET}}&#39;</span><span class="p">)</span>
</pre></div></div>
`},
		{name: "html/nbconvert-jupyter", file: "notebooks/s3.html", want: "SECRET", text: `<div class="jp-Cell-inputArea"><div class="highlight hl-ipython3"><pre><span></span><span class="n">os</span><span class="o">.</span><span class="n">environ</span><span class="p">[</span><span class="s2">&quot;AWS_SECRET_ACCESS_KEY&quot;</span><span class="p">]</span> <span class="o">=</span> <span class="s2">&quot;{{SECRET}}&quot;</span>
</pre></div></div>
`},
		{name: "html/highlightjs-ini", file: "site/docs/setup.htm", want: "SECRET", text: `<pre><code class="language-ini"><span class="hljs-section">[default]</span>
<span class="hljs-attr">aws_secret_access_key</span> = <span class="hljs-string">{{SECRET}}</span>
</code></pre>
`},
		{name: "html/mkdocs-shell-export", file: "site/deploy/index.html", want: "SECRET", text: `<pre><code><span class="nb">export</span><span class="w"> </span><span class="nv">AWS_SECRET_ACCESS_KEY</span><span class="o">=</span><span class="s2">&quot;{{SECRET}}&quot;</span>
</code></pre>
`},
		{name: "html/constructor-in-spans", file: "docs/java.html", want: "SECRET", text: `<pre><span class="n">var</span> <span class="n">creds</span> <span class="o">=</span> <span class="k">new</span> <span class="n">BasicAWSCredentials</span><span class="o">(</span><span class="n">keyId</span><span class="o">,</span> <span class="s">&quot;{{SECRET}}&quot;</span><span class="o">);</span></pre>
`},
		// qa12 MEDIUM-20: the same markup in a notebook's text/html output
		// (IPython.display.Code, written as python3's json writes a
		// notebook), whose text/plain says nothing.
		{name: "notebook/ipython-code-output", file: "notebooks/show.ipynb", want: "SECRET", text: `{
 "cells": [
  {
   "cell_type": "code",
   "execution_count": 1,
   "metadata": {},
   "source": [
    "from IPython.display import Code\n",
    "Code(filename='deploy.py')"
   ],
   "outputs": [
    {
     "output_type": "execute_result",
     "execution_count": 1,
     "metadata": {},
     "data": {
      "text/html": [
       "<div class=\"highlight\"><pre><span></span><span class=\"kn\">import</span><span class=\"w\"> </span><span class=\"nn\">boto3</span>\n",
       "<span class=\"n\">s3</span> <span class=\"o\">=</span> <span class=\"n\">boto3</span><span class=\"o\">.</span><span class=\"n\">client</span><span class=\"p\">(</span><span class=\"s2\">&quot;s3&quot;</span><span class=\"p\">,</span> <span class=\"n\">aws_secret_access_key</span><span class=\"o\">=</span><span class=\"s2\">&quot;{{SECRET}}&quot;</span><span class=\"p\">)</span>\n",
       "</pre></div>\n"
      ],
      "text/plain": [
       "<IPython.core.display.Code object>"
      ]
     }
    }
   ]
  }
 ],
 "metadata": {},
 "nbformat": 4,
 "nbformat_minor": 5
}
`},
		{name: "html/paired-still", file: "docs/creds.html", want: "ID SECRET:p", text: `<pre><span class="n">aws_access_key_id</span> = <span class="s">{{ID}}</span>
<span class="n">aws_secret_access_key</span> = <span class="s">{{SECRET}}</span></pre>
`},
	}
}

// Near misses: what a documentation page holds around the same names.
func markupNegativeCases() []formatCase {
	return []formatCase{
		{name: "html/parameter-table", file: "docs/reference.html", text: `<table><tr><th>Parameter</th><th>Description</th></tr>
<tr><td><code>aws_secret_access_key</code></td><td>The secret key of the IAM user; see <a href="iam.html">IAM</a>.</td></tr>
</table>
`},
		{name: "html/placeholder", file: "docs/setup.html", text: `<pre><span class="n">aws_secret_access_key</span><span class="o">=</span><span class="s1">&#39;YOUR_SECRET_ACCESS_KEY_GOES_HERE_PLEASE12&#39;</span></pre>
`},
		{name: "html/documented-example", file: "docs/setup.html", text: `<pre><span class="hljs-attr">aws_secret_access_key</span> = <span class="hljs-string">wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY</span></pre>
`},
		{name: "html/other-service-secret", file: "docs/oauth.html", text: `<pre><span class="n">client_secret</span><span class="o">=</span><span class="s1">&#39;{{SECRET}}&#39;</span></pre>
`},
		{name: "html/value-in-another-cell", file: "docs/keys.html", text: `<table><tr><td>aws_secret_access_key</td></tr>
<tr><td>{{SECRET}}</td></tr></table>
`},
		{name: "notebook/value-from-environment", file: "notebooks/show.ipynb", text: `{"outputs": [{"data": {"text/html": [
       "<span class=\"n\">aws_secret_access_key</span><span class=\"o\">=</span><span class=\"n\">os</span><span class=\"o\">.</span><span class=\"n\">environ</span><span class=\"p\">[</span><span class=\"s2\">&quot;AWS_SECRET_ACCESS_KEY&quot;</span><span class=\"p\">]</span>\n"
      ]}}]}
`},
		{name: "html/not-html-name", file: "docs/snippet.txt", text: `<span class="n">aws_secret_access_key</span><span class="o">=</span><span class="s1">&#39;{{SECRET}}&#39;</span>
`},
	}
}

func TestMarkupPositive(t *testing.T) { runCases(t, markupPositiveCases()) }
func TestMarkupNegative(t *testing.T) { runCases(t, markupNegativeCases()) }

// TestMarkupDensePage is qa12 HIGH-7: a page of highlighted keywords in a
// row is read in spans of bounded length (a span as long as the page cost
// 17 bytes of memory a byte), and a highlighted secret is found wherever it
// falls among them, across the spans' seams too.
func TestMarkupDensePage(t *testing.T) {
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	g := fakekey.New(4107)
	unit := `<span class="n">aws_secret_access_key</span><span class="o">:</span> <span class="s">see the vault</span><br>` + "\n"
	for _, at := range []int{0, 40, 70, 81, 83, 90, 100, 150} {
		secret := g.Secret()
		snippet := `<span class="n">aws_secret_access_key</span><span class="o">=</span><span class="s1">&#39;` + secret + `&#39;</span><br>` + "\n"
		page := strings.Repeat(unit, at) + snippet + strings.Repeat(unit, 200)
		var got []string
		for _, f := range sc.Scan("docs/page.html", []byte(page)) {
			got = append(got, f.Secret)
		}
		if !slices.Contains(got, secret) {
			t.Errorf("secret after %d keyword lines (byte %d of %d): not found; found %d values", at, at*len(unit), len(page), len(got))
		}
	}
}
