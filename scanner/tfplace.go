package scanner

import (
	"bytes"
	"slices"
)

// In Terraform a key is removed, and the instance profile reached, in a
// different way in each place it can stand: the provider "aws" block (the
// provider's credential chain), a backend "s3" block (the backend's own
// chain, and terraform init again), a variable's default (the variable
// then has no value: delete it and its use), a .tfvars value (the same,
// from the other side), or another block (locals, a module's arguments, a
// resource), which something else reads. So the advice of a .tf file
// names the block the key stands in; tfPlaces finds the blocks once per
// input, counting braces outside strings, comments and heredocs.

// tfBlock is a block of a .tf file: data[start:end], and the place it
// stands for in the advice (tfProvider, ...).
type tfBlock struct {
	start, end int
	place      string
}

// The places of tfPlace.
const (
	tfProvider = "provider"
	tfBackend  = "backend"
	tfVariable = "variable"
	tfOther    = "other"
)

// tfPlace names the place of the Terraform block that holds position at:
// the backend block inside terraform {}, else the top-level block
// (provider, variable, other), or tfOther outside every block.
func (m *match) tfPlace(at int) string {
	if m.tfBlocks == nil {
		m.tfBlocks = tfPlaces(m.data)
	}
	place := tfOther
	for _, b := range m.tfBlocks { // few: a file's top-level blocks and its backends
		if b.start <= at && at < b.end && (place == tfOther || b.place == tfBackend) {
			place = b.place
		}
	}
	return place
}

// tfPlaces returns the top-level blocks of a Terraform file with their
// places, and its backend blocks (inside terraform {}).
func tfPlaces(d []byte) []tfBlock {
	out := []tfBlock{}
	var open []tfBlock // the blocks open at each depth, their place as far as known
	for i := 0; i < len(d); i++ {
		switch c := d[i]; {
		case c == '"':
			for i++; i < len(d) && d[i] != '"' && d[i] != '\n'; i++ {
				if d[i] == '\\' {
					i++
				}
			}
		case c == '#' || c == '/' && i+1 < len(d) && d[i+1] == '/':
			i = lineEndBefore(d, i, len(d))
		case c == '/' && i+1 < len(d) && d[i+1] == '*':
			if j := bytes.Index(d[i+2:], []byte("*/")); j >= 0 {
				i += j + 3
			} else {
				i = len(d)
			}
		case c == '<' && i+2 < len(d) && d[i+1] == '<' && (isIdentChar(d[i+2]) || d[i+2] == '-'):
			i = heredocEnd(d, i+2)
		case c == '{':
			place := ""
			switch head := string(bytes.TrimSpace(d[lineStartWithin(d, i, 256):i])); {
			case len(open) == 0:
				switch w := tfWord(head); w {
				case "provider", "variable", "terraform":
					place = w
				default:
					place = tfOther
				}
			case len(open) == 1 && open[0].place == "terraform" && tfWord(head) == "backend":
				place = tfBackend
			}
			open = append(open, tfBlock{start: i, place: place})
		case c == '}' && len(open) > 0:
			b := open[len(open)-1]
			open = open[:len(open)-1]
			if b.place != "" {
				b.end = i + 1
				if b.place == "terraform" {
					b.place = tfOther // a key in terraform {} outside its backend
				}
				out = append(out, b)
			}
		}
	}
	for _, b := range open { // a block left open runs to the end
		if b.place != "" {
			b.end = len(d)
			out = append(out, b)
		}
	}
	return slices.Clip(out)
}

// heredocEnd returns where the heredoc whose marker starts at i (after
// "<<": an optional "-" and the identifier) ends: the end of the line that
// holds the identifier alone, or of the input.
func heredocEnd(d []byte, i int) int {
	if d[i] == '-' {
		i++
	}
	j := i
	for j < len(d) && isIdentChar(d[j]) {
		j++
	}
	id := d[i:j]
	if len(id) == 0 {
		return j
	}
	for k := lineEndBefore(d, j, len(d)); k < len(d); {
		e := lineEndBefore(d, k+1, len(d))
		if bytes.Equal(bytes.TrimSpace(d[k+1:e]), id) {
			return e
		}
		k = e
	}
	return len(d)
}

// tfWord is the first run of identifier bytes of s.
func tfWord(s string) string {
	n := 0
	for n < len(s) && isIdentChar(s[n]) {
		n++
	}
	return s[:n]
}
