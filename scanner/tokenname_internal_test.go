package scanner

import "testing"

// tokenNameOf must judge every identifier as tokenKeyword judged it through
// classify: tokenNameKind of its normalised, unescaped name.
func checkTokenNameOf(t *testing.T, ident []byte) {
	t.Helper()
	got := tokenNameOf(ident)
	if got == tokenNameEscaped {
		return // the caller classifies it
	}
	if want := tokenNameKind(normalizeKeyword(unescapeName(ident))); got != want {
		t.Errorf("tokenNameOf(%q) = %d, classify's name says %d", ident, got, want)
	}
}

func TestTokenNameOf(t *testing.T) {
	for _, c := range []struct {
		ident string
		want  tokenName
	}{
		{"token", tokenNamePlain}, {"Token", tokenNamePlain}, {"_TOKEN_", tokenNamePlain}, {"to-ken", tokenNamePlain},
		{"aws_session_token", tokenNameSession}, {"AWS_SESSION_TOKEN", tokenNameSession}, {"SessionToken", tokenNameSession},
		{"x-amz-security-token", tokenNameSession}, {"SecurityToken", tokenNameSession}, {"securitytoken", tokenNameSession},
		{"my.session.token", tokenNameSession}, {"aSessionToken__", tokenNameSession},
		{"NextToken", tokenNameOther}, {"accessToken", tokenNameOther}, {"GITHUB_TOKEN", tokenNameOther},
		{"SESSION_TOKEN_ENCRYPTION_KEY", tokenNameOther}, {"tokens", tokenNameOther}, {"xtoken", tokenNameOther},
		{"oken", tokenNameOther}, {"", tokenNameOther}, {"ecuritytoken", tokenNameOther}, {"essiontoken", tokenNameOther},
		{"tokenSecretSessionToken", tokenNameSession}, {"session\\u005ftoken", tokenNameEscaped}, {"\\u005ftoken", tokenNameEscaped},
		{"\\u0074oken", tokenNameEscaped}, {"a\\u0074okex", tokenNameEscaped}, {"a\\u0074xxxxxxoken", tokenNameOther},
	} {
		if got := tokenNameOf([]byte(c.ident)); got != c.want {
			t.Errorf("tokenNameOf(%q) = %d, want %d", c.ident, got, c.want)
		}
		checkTokenNameOf(t, []byte(c.ident))
	}
}

func FuzzTokenNameOf(f *testing.F) {
	for _, s := range []string{"token", "aws_session_token", "NextToken", "SecurityToken", "x\\u0041token", "\\u0074oken", "A\\u0054OKEN",
		"SESSION_TOKEN_ENCRYPTION_KEY", "a.b-c_d TOKEN", "sessiontokensessiontoken", "9token", "tok\x80en"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, ident []byte) { checkTokenNameOf(t, ident) })
}
