package fix

import (
	"sort"
	"strings"
)

// The AWS SDKs and CLI put a profile's endpoint where they put its other
// settings, which need not be the section that holds its keys: the keys in
// ~/.aws/credentials [minio] and endpoint_url under [profile minio] in the
// config file beside it (or the other way round), or services = NAME in
// the profile naming a [services NAME] section whose service subsections
// (s3 = then an indented endpoint_url = ...) set it. ProfileEndpoints reads
// the files of such a pair together, so that keys of a profile whose
// client talks to a custom endpoint stay for a person wherever the
// endpoint is written, as they do with an endpoint_url in their own
// section (endpoint.go).

// ProfileEndpoints returns, per profile of the AWS shared config or
// credentials files given (the file being fixed and the config or
// credentials file beside it), the custom endpoint its clients talk to:
// an endpoint setting in one of the profile's sections (endpoint_url, also
// nested under s3 =, AWS_ENDPOINT_URL_S3, ...), or one in the [services
// NAME] section that the profile's services = NAME names. Profiles are
// named as iniProfile names them ("minio" for [minio] and [profile
// minio]).
func ProfileEndpoints(files ...[]byte) map[string]string {
	type section struct {
		ed          *editor
		first, last int // lines, header included
	}
	profiles := map[string][]section{}
	services := map[string][]section{}
	for _, data := range files {
		ed := newEditor(data, INI)
		for i := 0; i < len(ed.lines); i++ {
			if !strings.HasPrefix(strings.TrimSpace(ed.text(i)), "[") {
				continue
			}
			last := i
			for last+1 < len(ed.lines) && !strings.HasPrefix(strings.TrimSpace(ed.text(last+1)), "[") {
				last++
			}
			name := sectionName(ed.text(i))
			s := section{ed, i, last}
			if svc, ok := strings.CutPrefix(name, "services "); ok {
				svc = strings.TrimSpace(svc)
				services[svc] = append(services[svc], s)
			} else if name != "" && !strings.HasPrefix(name, "sso-session ") {
				profiles[name] = append(profiles[name], s)
			}
			i = last
		}
	}
	out := map[string]string{}
	names := make([]string, 0, len(profiles))
	for p := range profiles {
		names = append(names, p)
	}
	sort.Strings(names)
	for _, p := range names {
		for _, s := range profiles[p] {
			if d := s.ed.endpointIn(s.first+1, s.last); d != "" {
				out[p] = d + " in " + strings.TrimSpace(s.ed.text(s.first))
				break
			}
			svc := s.ed.setting(s.first+1, s.last, "services")
			for _, ss := range services[svc] {
				if d := ss.ed.endpointIn(ss.first+1, ss.last); d != "" {
					out[p] = d + " in " + strings.TrimSpace(ss.ed.text(ss.first)) + ", which the profile's services = " + svc + " names"
					break
				}
			}
			if out[p] != "" {
				break
			}
		}
	}
	return out
}

// sectionName returns the profile an INI header names: "minio" for
// [minio] and [profile minio], "services local" for [services local].
func sectionName(header string) string {
	name, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimSpace(header), "["), "]")
	name = strings.TrimSpace(name)
	if p, ok := strings.CutPrefix(name, "profile "); ok {
		name = strings.TrimSpace(p)
	}
	return name
}

// setting returns the value of the first setting called key (any case) in
// lines first..last, or "".
func (e *editor) setting(first, last int, key string) string {
	for l := first; l <= last && l < len(e.lines); l++ {
		if a, ok := e.parseAssign(l); ok && strings.EqualFold(a.key, key) {
			return strings.TrimSpace(a.inner)
		}
	}
	return ""
}
