package libworkspace

import (
	"fmt"
	"strconv"
)

// Secret is a token: printing it in any way (fmt, %v, %#v, JSON) gives the
// masked form the CLI prints ("ghp_…3456 (16 chars)"); Reveal gives the
// value, for the one place that must send it.
type Secret struct{ value string }

// Reveal returns the secret itself.
func (s Secret) Reveal() string { return s.value }

// Empty says whether there is no secret.
func (s Secret) Empty() bool { return s.value == "" }

// String is the masked form, as `ambient-workspace token` prints it: the
// first and last four characters and the length, or only the length for
// a secret under 12 characters.
func (s Secret) String() string {
	n := len(s.value)
	if n == 0 {
		return "(empty)"
	}
	length := " (" + strconv.Itoa(n) + " chars)"
	if n < 12 {
		return "***" + length
	}
	return s.value[:4] + "…" + s.value[n-4:] + length
}

// GoString keeps %#v masked.
func (s Secret) GoString() string { return "libworkspace.Secret(" + strconv.Quote(s.String()) + ")" }

// Format keeps every verb masked (%d, %x, ... would otherwise print the
// unexported field).
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, s.GoString())
		return
	}
	fmt.Fprint(f, s.String())
}

// MarshalJSON writes the masked form.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(strconv.Quote(s.String())), nil }
