#include "git_states_oracle.hpp"

#include <sys/stat.h>

#include <doctest/doctest.h>

#include <set>

namespace wsgit {

namespace {

constexpr std::string_view kMark = "\n\x01oracle ";

// One shell for all questions: a seed's cost is mostly process starts.
constexpr std::string_view kQuestions = R"sh(
  ask() { printf '\n\001oracle %s\n' "$1"; }
  ask refs; git for-each-ref --format='%(refname) %(objectname) %(*objectname)'
  ask HEAD; git symbolic-ref -q HEAD || git rev-parse -q --verify HEAD || echo unborn
  ask status; git status --porcelain=v2 -z
  ask staged; git diff --cached --binary
  ask unstaged; git diff --binary
  ask index; git ls-files -s
  ask flags; git ls-files -v
  ask long_status; git status | tail -n +2
  ask operation; (cd "$(git rev-parse --git-dir)" &&
    if [ -e MERGE_HEAD ] || [ -e CHERRY_PICK_HEAD ] || [ -e REVERT_HEAD ] || [ -d rebase-merge ] ||
       [ -d rebase-apply ] || [ -d sequencer ]; then
      for f in MERGE_HEAD MERGE_MSG MERGE_MODE CHERRY_PICK_HEAD REVERT_HEAD REBASE_HEAD ORIG_HEAD AUTO_MERGE; do
        [ -e "$f" ] || continue; echo "== $f"; cat "$f"
      done
      { find rebase-merge rebase-apply sequencer -type f 2>/dev/null || true; } | sort | while read -r f; do echo "== $f"; cat "$f"; done
    fi)
  ask stash; git log -g --format=%H refs/stash -- 2>/dev/null || true
  ask ignored; git ls-files -z --others --ignored --exclude-standard
)sh";

std::set<std::string> split_nul(const std::string& s) {
  std::set<std::string> out;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t end = s.find('\0', pos);
    if (end == std::string::npos) end = s.size();
    if (end > pos) out.insert(s.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

// NUL-separated answers (status -z) one entry a line, and printable.
std::string readable(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '\0' ? std::string("\\0\n") : std::string(1, c);
  return out;
}

// Line endings git normalizes away (LF written into an `eol=crlf` file):
// git sees no change, its patches cannot carry one, and restore writes what
// git's checkout writes. The git views still have to agree (README).
std::string without_cr_before_lf(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (!(s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n')) out += s[i];
  }
  return out;
}

}  // namespace

GitView observe(const fs::path& repo) {
  const std::string out = git_sh(std::string(kQuestions), repo);
  GitView view;
  size_t pos = out.find(kMark);
  while (pos != std::string::npos) {
    const size_t name_start = pos + kMark.size();
    const size_t name_end = out.find('\n', name_start);
    const size_t next = out.find(kMark, name_end);
    view.answers[out.substr(name_start, name_end - name_start)] =
        out.substr(name_end + 1, next == std::string::npos ? std::string::npos : next - name_end - 1);
    pos = next;
  }
  const std::set<std::string> ignored = split_nul(view.answers["ignored"]);
  view.answers.erase("ignored");
  for (auto it = fs::recursive_directory_iterator(repo); it != fs::recursive_directory_iterator(); ++it) {
    // Lexical: a link to itself (`ln -s dir dir`) must not be resolved.
    const std::string rel = it->path().lexically_relative(repo).string();
    if (rel == ".git") {
      it.disable_recursion_pending();
      continue;
    }
    struct stat st{};
    ::lstat(it->path().c_str(), &st);
    if (S_ISDIR(st.st_mode) || ignored.count(rel) != 0) continue;
    FileState f;
    f.mode = st.st_mode;
    f.bytes = S_ISLNK(st.st_mode) ? fs::read_symlink(it->path()).string() : wstest::read_file(it->path());
    view.files[rel] = std::move(f);
  }
  return view;
}

std::string view_difference(const GitView& expected, const GitView& actual) {
  std::string out;
  for (const auto& [name, answer] : expected.answers) {
    const auto it = actual.answers.find(name);
    const std::string other = it == actual.answers.end() ? "" : it->second;
    if (answer != other) {
      out += name + ":\n--- expected\n" + readable(answer) + "\n--- actual\n" + readable(other) + "\n";
    }
  }
  for (const auto& [path, f] : expected.files) {
    const auto it = actual.files.find(path);
    if (it == actual.files.end()) out += "missing file " + path + "\n";
    else if (without_cr_before_lf(it->second.bytes) != without_cr_before_lf(f.bytes)) {
      out += "different bytes " + path + "\n";
    }
    else if (it->second.mode != f.mode) out += "different mode " + path + "\n";
  }
  for (const auto& [path, f] : actual.files) {
    if (expected.files.count(path) == 0) out += "extra file " + path + "\n";
  }
  return out;
}

}  // namespace wsgit
