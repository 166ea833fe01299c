// Package winsw reads the environment a WinSW service configuration
// gives its program: the XML file (app.xml beside app.exe, root element
// <service>) with which the Windows Service Wrapper runs a program as a
// Windows service, each variable an element <env name="AWS_ENDPOINT_URL"
// value="http://minio:9000"/>; IIS's web.config writes an ASP.NET Core
// program's the same way (<environmentVariable name=… value=…/>), and is
// read here too. It is the Windows form of a systemd unit's
// Environment= lines, and keyscan fix and go vet read a program's start
// environment from it as they read those; both take the variables from
// here, so the format has one reader. The reader is a scan, not an XML
// parser: a file that no parser would take whole still gives the
// variables it spells out, and each byte is read a bounded number of
// times.
package winsw

import (
	"bytes"
	"strings"
)

// Var is one <env> element: its name and value attributes, XML's
// entities decoded, and the offset of its "<env" in the data.
type Var struct {
	Name, Value string
	Offset      int
}

// Service reports whether data is a WinSW configuration: its first
// element, after the XML declaration and comments, is <service>, and it
// holds an <executable> or an <env>. Other XML (a Maven pom, an Ant build)
// is no service's settings.
func Service(data []byte) bool {
	p := 0
	for {
		p = skipBlanks(data, p)
		switch {
		case bytes.HasPrefix(data[p:], []byte("<?")):
			e := bytes.Index(data[p:], []byte("?>"))
			if e < 0 {
				return false
			}
			p += e + 2
			continue
		case bytes.HasPrefix(data[p:], []byte("<!--")):
			e := bytes.Index(data[p+4:], []byte("-->"))
			if e < 0 {
				return false
			}
			p += 4 + e + 3
			continue
		}
		break
	}
	if !bytes.HasPrefix(data[p:], []byte("<service")) || p+len("<service") >= len(data) || !strings.ContainsRune(" \t\r\n>", rune(data[p+len("<service")])) {
		return false
	}
	return bytes.Contains(data[p:], []byte("<executable")) || bytes.Contains(data[p:], []byte("<env"))
}

// RunConfiguration reports whether data is an IDE's run configuration
// that gives the program it runs variables as <env name=… value=…/>
// elements inside <envs> (JetBrains' .run/*.run.xml,
// .idea/runConfigurations/*.xml, .idea/workspace.xml), which Vars reads
// as it reads a WinSW service's.
func RunConfiguration(data []byte) bool {
	return bytes.Contains(data, []byte("<envs>")) && bytes.Contains(data, []byte("<configuration"))
}

// skipBlanks returns the offset of the first byte at or after p that is
// neither a blank nor a byte order mark.
func skipBlanks(data []byte, p int) int {
	if p == 0 && bytes.HasPrefix(data, []byte("\ufeff")) {
		p = 3
	}
	for p < len(data) && strings.IndexByte(" \t\r\n", data[p]) >= 0 {
		p++
	}
	return p
}

// entities decodes the entities an XML writer puts in an attribute.
var entities = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&apos;", "'")

// Vars returns the <env> elements of data that have a name attribute, in
// order, outside comments. The value of one without a value attribute is
// "".
func Vars(data []byte) []Var { return Elements(data, "env") }

// Elements returns the elements called tag of data that have a name
// attribute, as Vars does for <env>: IIS's web.config gives an ASP.NET
// Core program its environment in the same shape,
// <environmentVariable name=… value=…/>.
func Elements(data []byte, tag string) []Var {
	open := []byte("<" + tag)
	var out []Var
	for p := 0; p < len(data); {
		i := bytes.IndexByte(data[p:], '<')
		if i < 0 {
			break
		}
		at := p + i
		if bytes.HasPrefix(data[at:], []byte("<!--")) {
			e := bytes.Index(data[at+4:], []byte("-->"))
			if e < 0 {
				break
			}
			p = at + 4 + e + 3
			continue
		}
		p = at + 1
		if !bytes.HasPrefix(data[at:], open) || at+len(open) >= len(data) || strings.IndexByte(" \t\r\n", data[at+len(open)]) < 0 {
			continue
		}
		attrs, end := attributes(data, at+len(open))
		p = end
		if name, ok := attrs["name"]; ok {
			out = append(out, Var{Name: name, Value: attrs["value"], Offset: at})
		}
	}
	return out
}

// attributes reads the attributes of an element from p, just after its
// name, to its closing '>' (or the end, or the next '<'), and returns them
// with the offset after it.
func attributes(data []byte, p int) (map[string]string, int) {
	attrs := map[string]string{}
	for p < len(data) {
		p = skipBlanks(data, p)
		if p >= len(data) || data[p] == '>' || data[p] == '<' || data[p] == '/' {
			if p < len(data) && data[p] != '<' {
				p++
			}
			if p < len(data) && data[p-1] == '/' && data[p] == '>' {
				p++
			}
			return attrs, p
		}
		k := p
		for p < len(data) && strings.IndexByte(" \t\r\n=/><", data[p]) < 0 {
			p++
		}
		key := string(data[k:p])
		p = skipBlanks(data, p)
		if p >= len(data) || data[p] != '=' {
			if p == k {
				p++ // a byte that opens nothing: passed over
			}
			continue
		}
		p = skipBlanks(data, p+1)
		if p >= len(data) || data[p] != '"' && data[p] != '\'' {
			continue
		}
		q := data[p]
		e := bytes.IndexByte(data[p+1:], q)
		if e < 0 {
			return attrs, len(data)
		}
		attrs[key] = entities.Replace(string(data[p+1 : p+1+e]))
		p += 1 + e + 1
	}
	return attrs, p
}

// Settings writes the variables of data as "name = value" lines, one a
// line, for readers of INI-like settings: a value's line breaks become
// blanks.
func Settings(data []byte) []byte { return settings(Vars(data)) }

// IISSettings is Settings for the <environmentVariable> elements of an
// IIS web.config.
func IISSettings(data []byte) []byte { return settings(Elements(data, "environmentVariable")) }

// settings writes vars as Settings does.
func settings(vars []Var) []byte {
	var b bytes.Buffer
	for _, v := range vars {
		b.WriteString(strings.Join(strings.Fields(v.Name), " "))
		b.WriteString(" = ")
		b.WriteString(strings.Join(strings.Fields(v.Value), " "))
		b.WriteByte('\n')
	}
	return b.Bytes()
}
