package libworkspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestAPITokenIsASecretPrintedMaskedAsTheCLIDoes(t *testing.T) {
	for _, token := range []string{"ghp_abcdef1234567890", "short", "twelve-chars"} {
		cfg := mustConfig(t, map[string]string{"BOT_TOKEN": token})
		secret, err := APIToken(context.Background(), cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		if secret.Reveal() != token {
			t.Fatalf("Reveal: %q", secret.Reveal())
		}
		out, _, err := runCLI(t, []string{"BOT_TOKEN=" + token}, "", "token")
		if err != nil {
			t.Fatal(err)
		}
		masked := strings.TrimSpace(strings.TrimPrefix(out, "API token from BOT_TOKEN: "))
		if secret.String() != masked {
			t.Errorf("Go masks %q as %q, the CLI as %q", token, secret, masked)
		}
		js, _ := json.Marshal(struct{ Token Secret }{secret})
		for _, printed := range []string{fmt.Sprint(secret), fmt.Sprintf("%v %+v %s %q %x %d", secret, secret, secret,
			secret, secret, secret), fmt.Sprintf("%#v", secret), fmt.Sprintf("%v", struct{ S Secret }{secret}), string(js)} {
			if strings.Contains(printed, token) {
				t.Errorf("the token leaks: %s", printed)
			}
		}
	}
	_, err := APIToken(context.Background(), mustConfig(t, map[string]string{}), nil)
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("nothing configured: %v", err)
	}
}

func TestCredentialsFromTheEnvironmentGoOnlyToTheirHosts(t *testing.T) {
	const token = "ghp_abcdef1234567890"
	cfg := mustConfig(t, map[string]string{"GITHUB_TOKEN": token})
	var warnings []string
	creds, err := ResolveCredentials(context.Background(), cfg, &AuthOptions{Callbacks: Callbacks{
		Log: func(level LogLevel, event, message string) { warnings = append(warnings, event) }}})
	if err != nil {
		t.Fatal(err)
	}
	defer creds.Close()
	if o, _, err := creds.Outcome(GitHub); err != nil || o != CredentialFromEnvironment {
		t.Errorf("github outcome: %v %v", o, err)
	}
	if o, msg, err := creds.Outcome(GitLab); err != nil || o != CredentialSkipped || msg == "" {
		t.Errorf("gitlab outcome: %v %q %v", o, msg, err)
	}
	user, pass, err := creds.Lookup("https", "api.github.com")
	if err != nil || user != "x-access-token" || pass.Reveal() != token {
		t.Errorf("lookup on a github.com subdomain: %q %v", user, err)
	}
	if _, _, err := creds.Lookup("https", "github.com.evil.example"); !errors.Is(err, ErrNotFound) {
		t.Errorf("a look-alike host: %v", err)
	}
	if _, _, err := creds.Lookup("http", "github.com"); !errors.Is(err, ErrNotFound) {
		t.Errorf("plain http: %v", err)
	}
	if name, email, err := creds.Identity(); err != nil || name != "Ambient Code Bot" || email != "bot@ambient-code.local" {
		t.Errorf("identity: %q %q %v", name, email, err)
	}
	_ = creds.Close()
	if _, _, err := creds.Lookup("https", "github.com"); !errors.Is(err, ErrInvalid) {
		t.Errorf("use after Close: %v", err)
	}
}
