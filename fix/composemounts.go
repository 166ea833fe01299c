package fix

import (
	"path"
	"sort"
	"strings"
)

// The AWS CLI's and the SDKs' shared files reach a container as files:
// a bind mount (volumes: ./.aws:/root/.aws:ro), a secret or config with
// file: (secrets: [aws_creds], AWS_SHARED_CREDENTIALS_FILE:
// /run/secrets/aws_creds), or a COPY into the image. The program in the
// container reads them with the endpoint its service sets (qa15 HIGH-20):
// the keys are then that service's, as keys in its environment: are.

// ComposeMount is a file or folder of the host that a compose service
// sees: Source as written (relative to the compose file's folder, or
// absolute, or under ~), How what gives it (volumes:, secrets: NAME).
type ComposeMount struct {
	Service, Source, How string
}

// ComposeMounts returns what the services of a compose file mount from
// the host: bind mounts of volumes: (short syntax ./src:/dst[:mode], a
// source that is a path; long syntax type: bind with source:) and the
// secrets: and configs: they take whose top-level definition has file:.
// Named volumes are no host path. Nil when the file does not parse.
func ComposeMounts(content []byte) []ComposeMount {
	m, ok := readCompose(content)
	if !ok {
		return nil
	}
	var out []ComposeMount
	for name, svc := range m.services {
		vols, _ := svc.volumes.([]any)
		for _, it := range vols {
			src := ""
			switch x := it.(type) {
			case string:
				if i := strings.IndexByte(x, ':'); i > 0 {
					src = x[:i]
				}
			case map[string]any:
				if t := str(x["type"]); t == "bind" || t == "" {
					src = str(x["source"])
				}
			}
			for _, pwd := range []string{"${PWD}", "$PWD"} { // the folder compose runs in: the project's, most often
				if rest, ok := strings.CutPrefix(src, pwd); ok {
					src = "." + rest
				}
			}
			if hostPath(src) {
				out = append(out, ComposeMount{Service: name, Source: src, How: "volumes: " + src})
			}
		}
		for top, names := range map[string][]string{"secrets": svc.secrets, "configs": svc.configs} {
			for _, n := range names {
				if f := m.files[top+"/"+n]; f != "" {
					out = append(out, ComposeMount{Service: name, Source: f, How: top + ": " + n + " (file: " + f + ")"})
				}
			}
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Service+out[a].How < out[b].Service+out[b].How })
	return out
}

// hostPath reports whether a volume's source is a path of the host, not
// a named volume: docker compose takes one that starts with '.', '/' or
// '~' as a bind mount.
func hostPath(src string) bool {
	return strings.HasPrefix(src, ".") || strings.HasPrefix(src, "/") || strings.HasPrefix(src, "~")
}

// Covers reports whether a mount or a copy of source (a '/'-separated path
// below the root) gives the container the file rel: the file itself or a
// folder above it.
func Covers(source, rel string) bool {
	source = path.Clean(source)
	return source == rel || source == "." || strings.HasPrefix(rel, source+"/")
}

// DockerCopies returns the sources of a Dockerfile's COPY and ADD
// instructions that copy from the build context (not --from= another
// stage or image), as written: relative to the context. A source with a
// wildcard is cut at its first wildcard's folder (COPY conf/*.ini /etc/
// copies from conf).
func DockerCopies(content []byte) []string {
	var out []string
	lines := strings.Split(string(content), "\n")
	for i := 0; i < len(lines); i++ {
		ins := strings.TrimSpace(lines[i])
		for strings.HasSuffix(ins, `\`) && i+1 < len(lines) { // continued: the next lines, comments left out
			i++
			if next := strings.TrimSpace(lines[i]); !strings.HasPrefix(next, "#") {
				ins = strings.TrimSuffix(ins, `\`) + " " + next
			}
		}
		word, rest, _ := strings.Cut(ins, " ")
		if w := strings.ToUpper(word); w != "COPY" && w != "ADD" {
			continue
		}
		var args []string
		if r := strings.TrimSpace(rest); strings.HasPrefix(r, "[") { // exec form: ["src", "dst"]
			for _, a := range strings.Split(strings.Trim(r, "[]"), ",") {
				args = append(args, strings.Trim(strings.TrimSpace(a), `"`))
			}
		} else {
			args = strings.Fields(rest)
		}
		var srcs []string
		from := false
		for _, a := range args {
			switch {
			case strings.HasPrefix(a, "--"):
				from = from || strings.HasPrefix(a, "--from")
			case a != "":
				srcs = append(srcs, strings.Trim(a, `"'`))
			}
		}
		if from || len(srcs) < 2 {
			continue
		}
		for _, s := range srcs[:len(srcs)-1] {
			if strings.Contains(s, "://") || strings.HasPrefix(s, "$") {
				continue
			}
			if i := strings.IndexAny(s, "*?["); i >= 0 {
				s = path.Dir(s[:i+1])
			}
			out = append(out, s)
		}
	}
	return out
}
