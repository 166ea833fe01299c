package scanner

import "bytes"

// Apache Airflow keeps an AWS connection's key pair in the connection's
// own login and password fields ({"conn_type": "aws", "login": ID,
// "password": SECRET}, the same as YAML or an AIRFLOW_CONN_ variable's
// JSON). A password is no AWS secret by its name, and a login beside it
// makes it a login's (loginBeside); the connection's type says otherwise:
// the record is AWS's credentials, whatever the login holds (an empty
// login or a variable: the secret stands alone, qa29 L2). A host set in the
// record is the endpoint of Airflow's older AWS connections: a host that is
// not AWS's makes it another service's, as an endpoint_url in its extra
// does (foreign.go reads that).

// airflowAWSRecord returns the span of the record around the password at
// r when that record is an Airflow connection of type aws (airflowAWSConn):
// the record on its line ({…}), or the lines of its indentation block.
func (m *match) airflowAWSRecord(r run) (lo, hi int, ok bool) {
	d := m.data
	ls, le := m.lineStart(r.start, 1024), m.lineEnd(r.end, min(len(d), r.end+1024))
	lo, hi, opened := recordOnLine(d, ls, le, r.start, r.end)
	if !opened {
		lo, hi, _ = m.indentBlock(ls, le)
	}
	return lo, hi, airflowAWSConn(d[lo:hi])
}

// airflowAWSConnPassword reports whether the password at r is an Airflow
// AWS connection's.
func (m *match) airflowAWSConnPassword(r run) bool {
	_, _, ok := m.airflowAWSRecord(r)
	return ok
}

// airflowAWSConn reports whether b sets conn_type to aws (quoted or not,
// ':' or '=', JSON escapes of the quotes too).
func airflowAWSConn(b []byte) bool {
	for i := 0; i < len(b); {
		k := bytes.Index(b[i:], []byte("conn_type"))
		if k < 0 {
			return false
		}
		j := i + k + len("conn_type")
		if i+k > 0 && isIdentChar(b[i+k-1]) {
			i = j
			continue
		}
		sep := false
		for j < len(b) && j-(i+k) < 24 && (b[j] == '"' || b[j] == '\'' || b[j] == '\\' || b[j] == ' ' || b[j] == '\t' || b[j] == ':' || b[j] == '=') {
			sep = sep || b[j] == ':' || b[j] == '='
			j++
		}
		if sep && j+3 <= len(b) && equalLower(b[j:j+3], "aws") && (j+3 == len(b) || !isIdentChar(b[j+3])) {
			return true
		}
		i = j
	}
	return false
}

// connHostIn reports whether b sets a connection's host or its extra's
// endpoint_url to a literal value that is not AWS's ("host":
// "minio:9000", "endpoint_url": "http://minio:9000").
func connHostIn(b []byte) bool {
	return settingNotAWS(b, "host") || settingNotAWS(b, "endpoint_url")
}

// settingNotAWS reports whether b sets name to a literal value that does
// not name AWS's host.
func settingNotAWS(b []byte, name string) bool {
	for i := 0; i < len(b); {
		k := bytes.Index(b[i:], []byte(name))
		if k < 0 {
			return false
		}
		s := i + k
		j := s + len(name)
		i = j
		if s > 0 && isIdentChar(b[s-1]) || j < len(b) && isIdentChar(b[j]) {
			continue
		}
		sep := false
		for j < len(b) && j-s < 16 && (b[j] == '"' || b[j] == '\'' || b[j] == '\\' || b[j] == ' ' || b[j] == '\t' || b[j] == ':' || b[j] == '=') {
			sep = sep || b[j] == ':' || b[j] == '='
			j++
		}
		if !sep {
			continue
		}
		v := j
		for v < len(b) && b[v] != '"' && b[v] != '\'' && b[v] != '\\' && b[v] != ',' && b[v] != '}' && b[v] != '\n' && b[v] != ' ' {
			v++
		}
		if val := b[j:v]; len(val) > 0 && val[0] != '$' && !bytes.Contains(bytes.ToLower(val), []byte("amazonaws.com")) &&
			!bytes.Equal(val, []byte("null")) {
			return true
		}
	}
	return false
}
