#include "git_fixture.hpp"

#include <sys/stat.h>

#include <doctest/doctest.h>

#include <set>

namespace wsgit {

const wstest::EnvChanges& git_env() {
  static const wstest::EnvChanges env = {
      {"GIT_AUTHOR_NAME", "Test Author"},       {"GIT_AUTHOR_EMAIL", "author@example.com"},
      {"GIT_COMMITTER_NAME", "Test Author"},    {"GIT_COMMITTER_EMAIL", "author@example.com"},
      {"GIT_CONFIG_NOSYSTEM", "1"},             {"GIT_CONFIG_GLOBAL", "/dev/null"},
      {"GIT_TERMINAL_PROMPT", "0"},
  };
  return env;
}

namespace {

std::set<std::string> submodule_paths(const fs::path& repo) {
  std::set<std::string> out;
  auto r = wstest::sh("git ls-files -s | awk '$1 == \"160000\" {print $4}'", repo, git_env());
  size_t pos = 0;
  while (pos < r.out.size()) {
    const size_t nl = r.out.find('\n', pos);
    out.insert(r.out.substr(pos, nl - pos));
    pos = nl == std::string::npos ? r.out.size() : nl + 1;
  }
  return out;
}

}  // namespace

std::string git_sh(const std::string& script, const fs::path& cwd) {
  auto r = wstest::sh(script, cwd, git_env());
  INFO("script: " << script << "\nstderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

std::string make_origin(const fs::path& dir) {
  git_sh(R"(
    git init -q -b main seed && cd seed
    printf 'hello\nworld\n' > README.md
    mkdir -p src/deep && printf 'int main() { return 0; }\n' > src/deep/main.c
    printf '#!/bin/sh\necho hi\n' > run.sh && chmod +x run.sh
    head -c 3000 /dev/urandom > blob.bin
    printf 'build/\n*.log\n' > .gitignore
    git add -A && git commit -q -m first
    printf 'more\n' >> README.md && git commit -q -am second
    git branch feature && git tag v1 && git tag -a v1-annotated -m 'annotated tag'
    cd .. && git clone -q --bare seed origin.git && rm -rf seed
  )", dir);
  return "file://" + (dir / "origin.git").string();
}

RepoSnapshot snapshot(const fs::path& repo) {
  RepoSnapshot s;
  s.heads = git_sh("git for-each-ref --format='%(refname) %(objectname)' refs/heads", repo);
  s.head = wstest::sh("git symbolic-ref -q HEAD || echo detached $(git rev-parse HEAD)", repo, git_env()).out;
  s.ls_files = git_sh("git ls-files -s", repo);
  s.status = git_sh("git status --porcelain=v1 -uall", repo);
  const auto subs = submodule_paths(repo);
  for (auto it = fs::recursive_directory_iterator(repo); it != fs::recursive_directory_iterator(); ++it) {
    const std::string rel = fs::relative(it->path(), repo).string();
    if (rel == ".git" || subs.count(rel) != 0) {
      it.disable_recursion_pending();
      continue;
    }
    struct stat st{};
    ::lstat(it->path().c_str(), &st);
    if (S_ISDIR(st.st_mode)) continue;
    FileState f;
    f.mode = st.st_mode;
    f.bytes = S_ISLNK(st.st_mode) ? fs::read_symlink(it->path()).string() : wstest::read_file(it->path());
    s.files[rel] = std::move(f);
  }
  return s;
}

std::string describe_difference(const RepoSnapshot& a, const RepoSnapshot& b) {
  std::string out;
  auto field = [&](const char* name, const std::string& x, const std::string& y) {
    if (x != y) out += std::string(name) + ":\n--- expected\n" + x + "--- actual\n" + y;
  };
  field("refs/heads", a.heads, b.heads);
  field("HEAD", a.head, b.head);
  field("ls-files -s", a.ls_files, b.ls_files);
  field("status", a.status, b.status);
  for (const auto& [path, f] : a.files) {
    auto it = b.files.find(path);
    if (it == b.files.end()) out += "missing file " + path + "\n";
    else if (it->second.bytes != f.bytes) out += "different bytes " + path + "\n";
    else if (it->second.mode != f.mode) out += "different mode " + path + "\n";
  }
  for (const auto& [path, f] : b.files) {
    if (a.files.count(path) == 0) out += "extra file " + path + "\n";
  }
  return out;
}

}  // namespace wsgit
