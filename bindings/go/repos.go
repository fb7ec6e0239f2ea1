package libworkspace

/*
#include <libworkspace/libworkspace.h>
*/
import "C"

// RepoFlags tune NormalizeRepos and ReposFromSession.
type RepoFlags uint

// WithNames adds each repo's directory name under repos/ as "name".
const WithNames RepoFlags = C.WS_REPOS_WITH_NAMES

// Repo is one item of a canonical REPOS_JSON array.
type Repo struct {
	URL      string `json:"url"`
	Branch   string `json:"branch,omitempty"`
	AutoPush *bool  `json:"autoPush,omitempty"`
	Name     string `json:"name,omitempty"` // with WithNames
}

// NormalizeRepos validates a REPOS_JSON array and returns its canonical
// compact JSON (decode it into []Repo). Odd but plausible input is accepted
// as the pod accepts it; ErrInvalid names the problem, never a credential
// found in a URL.
func NormalizeRepos(reposJSON string, flags RepoFlags) (string, error) {
	if err := checkStrings("REPOS_JSON", reposJSON); err != nil {
		return "", err
	}
	var cs cstrings
	defer cs.free()
	in := cs.str(reposJSON)
	var out *C.char
	if err := call(func() C.int { return C.ws_repos_normalize(in, C.uint(flags), &out) }); err != nil {
		return "", err
	}
	return takeString(out), nil
}

// ReposFromSession gives the CP session's repos in canonical form: reposJSON
// (its "Repos") when it holds items (blank, "null" and "[]" count as
// empty), else repoURL ("RepoURL") as a single repo, else "[]".
func ReposFromSession(repoURL, reposJSON string, flags RepoFlags) (string, error) {
	if err := checkStrings("RepoURL", repoURL, "Repos", reposJSON); err != nil {
		return "", err
	}
	var cs cstrings
	defer cs.free()
	url, repos := cs.opt(repoURL), cs.opt(reposJSON)
	var out *C.char
	if err := call(func() C.int { return C.ws_repos_from_session(url, repos, C.uint(flags), &out) }); err != nil {
		return "", err
	}
	return takeString(out), nil
}

// RepoName is the directory a repo URL is cloned into under repos/.
func RepoName(url string) (string, error) {
	if err := checkStrings("url", url); err != nil {
		return "", err
	}
	var cs cstrings
	defer cs.free()
	in := cs.str(url)
	var out *C.char
	if err := call(func() C.int { return C.ws_repo_name_from_url(in, &out) }); err != nil {
		return "", err
	}
	return takeString(out), nil
}

// SanitizeName keeps only [A-Za-z0-9-] of name, as done to SESSION_NAME and
// NAMESPACE before they enter an S3 key or path.
func SanitizeName(name string) (string, error) {
	if err := checkStrings("name", name); err != nil {
		return "", err
	}
	var cs cstrings
	defer cs.free()
	in := cs.str(name)
	var out *C.char
	if err := call(func() C.int { return C.ws_name_sanitize(in, &out) }); err != nil {
		return "", err
	}
	return takeString(out), nil
}
