#include "workspace_fixture.hpp"

#include <sys/stat.h>

#include <doctest/doctest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "s3rver.hpp"
#include "workspace/workspace.hpp"

namespace wsws {

const wstest::EnvChanges& git_env() {
  static const wstest::EnvChanges env = {
      {"GIT_AUTHOR_NAME", "Test Author"},    {"GIT_AUTHOR_EMAIL", "author@example.com"},
      {"GIT_COMMITTER_NAME", "Test Author"}, {"GIT_COMMITTER_EMAIL", "author@example.com"},
      {"GIT_CONFIG_NOSYSTEM", "1"},          {"GIT_CONFIG_GLOBAL", "/dev/null"},
      {"GIT_TERMINAL_PROMPT", "0"},
      // The tests run as root over repos hydrate gave to the runner (1001);
      // the pod suite (tests/pod) keeps git's ownership check on.
      {"GIT_CONFIG_COUNT", "1"},             {"GIT_CONFIG_KEY_0", "safe.directory"},
      {"GIT_CONFIG_VALUE_0", "*"},
  };
  return env;
}

std::string git_sh(const std::string& script, const fs::path& cwd) {
  auto r = wstest::sh(script, cwd, git_env());
  INFO("script: " << script << "\nstderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

std::string make_origin(const fs::path& dir, const std::string& name) {
  fs::create_directories(dir);
  git_sh("rm -rf seed-" + name + R"( && git init -q -b main seed-)" + name + " && cd seed-" + name + R"(
    printf 'hello\nworld\n' > README.md
    mkdir -p src/deep && printf 'int main() { return 0; }\n' > src/deep/main.c
    printf '#!/bin/sh\necho hi\n' > run.sh && chmod +x run.sh
    head -c 3000 /dev/urandom > blob.bin
    printf 'gone soon\n' > old.txt && printf 'also gone\n' > old2.txt
    printf 'ignored/\n*.log\n' > .gitignore
    git add -A && git commit -q -m first
    printf 'more\n' >> README.md && git commit -q -am second
    git branch feature
    cd .. && git clone -q --bare seed-)" + name + " " + name + ".git && rm -rf seed-" + name, dir);
  return "file://" + (dir / (name + ".git")).string();
}

void agent_changes(const fs::path& repo) {
  git_sh(R"(
    git checkout -q -b agent/work
    printf 'feature\n' > feature.txt && git add feature.txt && git commit -q -m 'add feature'
    printf 'more feature\n' >> feature.txt && git commit -q -am 'extend feature'
    printf 'staged\n' >> README.md && git add README.md
    printf 'unstaged on top\n' >> README.md
    head -c 2000 /dev/urandom > blob.bin
    chmod -x run.sh
    git rm -q old.txt
    rm old2.txt
    printf 'untracked\n' > 'new file (1).txt'
    mkdir -p notes && printf 'deep untracked\n' > notes/todo.md
    mkdir -p ignored && printf 'ignored\n' > ignored/cache.txt && printf 'log\n' > debug.log
  )", repo);
}

void agent_files(const fs::path& root, const std::string& tag) {
  auto w = [&](const fs::path& rel, const std::string& content) {
    fs::create_directories((root / rel).parent_path());
    wstest::write_file(root / rel, content);
  };
  w(".claude/settings.json", "{\"tag\":\"" + tag + "\"}\n");
  w(".claude/projects/p/session.jsonl", "{\"turn\":1,\"tag\":\"" + tag + "\"}\n");
  w(".claude/todos/ünïcödé & spaces.json", "[\"" + tag + "\"]");
  w("artifacts/report.md", "# report " + tag + "\n");
  w("artifacts/sub dir/weird #name%20(1).txt", "odd " + tag);
  w("artifacts/big.bin", std::string(300000, static_cast<char>('a' + tag.size() % 26)) + tag);
  w("file-uploads/data, v2.csv", "a,b\n1," + tag + "\n");
  // Excluded everywhere (behaviour §5).
  w("artifacts/node_modules/pkg/index.js", "junk");
  w("artifacts/__pycache__/m.cpython.pyc", "junk");
  w("file-uploads/x.pyc", "junk");
  w(".claude/debug/trace.txt", "junk");
  w(".claude/.cache/c", "junk");
  w("artifacts/dist/out.js", "junk");
}

ws::workspace::HydrateReport hydrate_ok(const ws::config::Config& cfg) {
  auto r = ws::workspace::hydrate(cfg, {}, {});
  INFO((r ? "" : r.error().message));
  REQUIRE(r);
  return *r;
}

void sync_ok(const ws::config::Config& cfg) {
  auto engine = ws::workspace::SyncEngine::open(cfg, {}, {});
  REQUIRE(engine);
  auto r = (*engine)->run_cycle(true);
  INFO((r ? "" : r.error().message));
  REQUIRE(r);
}

std::string repos_json(const std::vector<std::string>& urls) {
  std::string out = "[";
  for (const auto& u : urls) {
    if (out.size() > 1) out += ',';
    out.append("{\"url\":\"").append(u).append("\"}");
  }
  return out + "]";
}

std::unique_ptr<ws::store::Store> open_s3rver_store(const std::string& endpoint, const std::string& bucket) {
  ws::store::StoreConfig sc;
  sc.endpoint = endpoint;
  sc.bucket = bucket;
  sc.access_key = wstest::S3rver::kAccessKey;
  sc.secret_key = wstest::S3rver::kSecretKey;
  auto store = ws::store::open_store(sc);
  REQUIRE(store);
  return std::move(*store);
}

ws::config::Config session_config(const fs::path& root, const std::string& endpoint, const std::string& bucket,
                            const std::map<std::string, std::string>& extra) {
  ws::config::EnvSource env;
  env.set("WORKSPACE_ROOT", root.string());
  env.set("SESSION_NAME", "sess-1");
  env.set("NAMESPACE", "proj");
  env.set("S3_ENDPOINT", endpoint);
  env.set("S3_BUCKET", bucket);
  env.set("AWS_ACCESS_KEY_ID", "S3RVER");
  env.set("AWS_SECRET_ACCESS_KEY", "S3RVER");
  env.set("SYNC_INITIAL_DELAY", "0");
  for (const auto& [k, v] : extra) env.set(k, v);
  auto cfg = ws::config::load_config(env);
  INFO((cfg ? "" : cfg.error().message));
  REQUIRE(cfg);
  return *cfg;
}

namespace {

std::string sha_of(const fs::path& p) {
  auto r = wstest::run({"sha256sum", p.string()});
  return r.out.substr(0, 64);
}

FileState file_state(const fs::path& p) {
  struct stat st {};
  ::lstat(p.c_str(), &st);
  return FileState{S_ISLNK(st.st_mode) ? "link:" + fs::read_symlink(p).string() : sha_of(p),
                   static_cast<unsigned>(st.st_mode)};
}

const std::regex& excluded() {
  static const std::regex re(
      R"((^|/)(node_modules|\.venv|__pycache__|\.cache|target|dist|build|\.git|debug)(/|$)|\.pyc$|\.db-(wal|shm)$)");
  return re;
}

}  // namespace

RepoSnapshot snapshot_repo(const fs::path& repo) {
  RepoSnapshot s;
  s.heads = git_sh("git for-each-ref --format='%(refname) %(objectname)' refs/heads", repo);
  s.head = wstest::sh("git symbolic-ref -q HEAD || echo detached $(git rev-parse HEAD)", repo, git_env()).out;
  s.ls_files = git_sh("git ls-files -s", repo);
  s.status = git_sh("git status --porcelain=v1 -uall", repo);
  // Ignored files are not part of what a round trip keeps (the scripts and
  // the library save `git status`'s view).
  const std::string ignored = git_sh("git ls-files -o -i --exclude-standard", repo);
  for (auto it = fs::recursive_directory_iterator(repo); it != fs::recursive_directory_iterator(); ++it) {
    const std::string rel = fs::relative(it->path(), repo).string();
    if (rel == ".git") {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_directory() && !it->is_symlink()) continue;
    if (ignored.find(rel + "\n") != std::string::npos) continue;
    s.files[rel] = file_state(it->path());
  }
  return s;
}

WorkspaceSnapshot snapshot_workspace(const fs::path& root, const std::string& state_dir) {
  WorkspaceSnapshot w;
  std::error_code ec;
  for (fs::directory_iterator it(root / "repos", ec), end; !ec && it != end; it.increment(ec)) {
    w.repos[it->path().filename().string()] = snapshot_repo(it->path());
  }
  for (const std::string& tree : {state_dir, std::string("artifacts"), std::string("file-uploads"),
                                 std::string("workflows")}) {
    if (!fs::exists(root / tree)) continue;
    for (auto it = fs::recursive_directory_iterator(root / tree); it != fs::recursive_directory_iterator(); ++it) {
      if (it->is_directory()) continue;
      const std::string rel = fs::relative(it->path(), root).string();
      if (tree != "workflows" && std::regex_search(rel, excluded())) continue;
      w.files[rel] = file_state(it->path());
      w.files[rel].mode = 0;  // the store does not carry modes of state files
    }
  }
  return w;
}

std::string describe_difference(const WorkspaceSnapshot& a, const WorkspaceSnapshot& b) {
  std::ostringstream out;
  for (const auto& [name, ra] : a.repos) {
    auto it = b.repos.find(name);
    if (it == b.repos.end()) {
      out << "repo " << name << " missing\n";
      continue;
    }
    const auto& rb = it->second;
    if (ra.heads != rb.heads) out << name << " heads:\n" << ra.heads << "vs\n" << rb.heads;
    if (ra.head != rb.head) out << name << " HEAD: " << ra.head << " vs " << rb.head;
    if (ra.ls_files != rb.ls_files) out << name << " index:\n" << ra.ls_files << "vs\n" << rb.ls_files;
    if (ra.status != rb.status) out << name << " status:\n" << ra.status << "vs\n" << rb.status;
    for (const auto& [f, s] : ra.files) {
      auto fb = rb.files.find(f);
      if (fb == rb.files.end()) out << name << "/" << f << " missing\n";
      else if (!(fb->second == s)) out << name << "/" << f << " differs (mode " << std::oct << s.mode << " vs " << fb->second.mode << std::dec << ")\n";
    }
    for (const auto& [f, s] : rb.files) {
      if (!ra.files.contains(f)) out << name << "/" << f << " extra\n";
    }
  }
  for (const auto& [name, rb] : b.repos) {
    if (!a.repos.contains(name)) out << "repo " << name << " extra\n";
  }
  for (const auto& [f, s] : a.files) {
    auto fb = b.files.find(f);
    if (fb == b.files.end()) out << f << " missing\n";
    else if (!(fb->second == s)) out << f << " differs\n";
  }
  for (const auto& [f, s] : b.files) {
    if (!a.files.contains(f)) out << f << " extra\n";
  }
  return out.str();
}

}  // namespace wsws
