#include "git_states_generator.hpp"

#include <array>
#include <random>
#include <string_view>

namespace wsgit {

namespace {

// Names an agent may touch: nested, with spaces, unicode, a quote, a
// leading dash, and the origin's own files (which makes most steps land).
constexpr std::array<std::string_view, 22> kPaths = {
    "a.txt",       "b.md",          "dir/c.txt",       "dir/sub/d.txt",     "lines.txt",
    "data.bin",    "empty",         "win.crlf",        "raw.crlfdata",      "tool.sh",
    "link",        "with space.txt", "dir/ünï cødé.txt", "q\"uote.txt",       "-dash.txt",
    "dir/e.bin",   "big.dat",       "new/deep/f.txt",  "new/deep/more/g.md", "dir",
    "x",           "new",
};

constexpr std::array<std::string_view, 12> kWords = {"alpha", "beta", "gamma", "delta", "eps", "zeta",
                                                     "eta",   "theta", "iota", "kappa", "lambda", "mu"};

// Single-quoted for bash, whatever the bytes.
std::string q(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed), seed_(seed) {}

  AgentScenario run() {
    scenario_.empty_origin = below(12) == 0;
    line("set +euo pipefail");
    const size_t steps = 4 + below(22);
    for (size_t i = 0; i < steps; ++i) step(i);
    // The tail draws from a stream of its own, so every seed's steps above
    // stay what they were when the tail did not exist (kept seeds replay).
    rng_.seed(seed_ ^ 0x9e3779b97f4a7c15ULL);
    if (chance(35)) operation_in_progress(steps);
    if (chance(15)) index_flag(steps + 1);
    if (chance(50)) {
      const size_t more = below(4);
      for (size_t i = 0; i < more; ++i) step(steps + 2 + i);
    }
    return std::move(scenario_);
  }

 private:
  std::mt19937_64 rng_;
  uint64_t seed_;
  AgentScenario scenario_;
  bool stashed_ = false;

  size_t below(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  bool chance(unsigned percent) { return below(100) < percent; }
  std::string path() { return std::string(kPaths[below(kPaths.size())]); }
  void line(const std::string& s) { scenario_.script += s + "\n"; }

  std::string text(bool crlf) {
    std::string out;
    const size_t lines = below(12);
    for (size_t i = 0; i < lines; ++i) {
      const size_t words = 1 + below(5);
      for (size_t w = 0; w < words; ++w) out += std::string(w ? " " : "") + std::string(kWords[below(kWords.size())]);
      out += crlf ? "\r\n" : "\n";
    }
    if (!out.empty() && chance(15)) out.pop_back();  // no newline at the end
    return out;
  }

  std::string binary(size_t size) {
    std::string out(size, '\0');
    for (size_t i = 1; i < size; ++i) out[i] = static_cast<char>(below(256));
    return out;
  }

  // A new blob; returns the shell word naming it.
  std::string blob(std::string bytes) {
    scenario_.blobs.push_back(std::move(bytes));
    return "\"$BLOBS/" + std::to_string(scenario_.blobs.size() - 1) + "\"";
  }

  std::string content() {
    switch (below(10)) {
      case 0: return "";
      case 1: case 2: return binary(1 + below(3000));
      case 3: return text(true);
      case 4: return chance(20) ? binary(150 * 1024) : text(false);
      default: return text(false);
    }
  }

  // What one step does, and how often relative to the others.
  enum Step {
    write_file, append, partial_stage, remove, git_rm, stage, stage_all, intend_to_add, unstage,
    git_mv, plain_mv, copy, chmod, symlink, to_directory, ignored, commit, new_branch, detach,
    light_tag, annotated_tag, orphan, stash, checkout_main, spare_branch, attributes, crlf_file,
    kStepCount
  };
  static constexpr std::array<unsigned, kStepCount> kWeights = {
      18, 6, 4, 5, 3, 10, 3, 3, 3, 5, 2, 4, 5, 5, 2, 2, 5, 2, 2, 1, 1, 1, 2, 1, 1, 1, 3};

  Step pick_step() {
    unsigned total = 0;
    for (unsigned w : kWeights) total += w;
    size_t r = below(total);
    for (size_t s = 0; s < kStepCount; ++s) {
      if (r < kWeights[s]) return static_cast<Step>(s);
      r -= kWeights[s];
    }
    return write_file;
  }

  // "mkdir -p" of the parent of `p`, so a step may create nested paths.
  static std::string parent_of(const std::string& p) { return "mkdir -p -- \"$(dirname -- " + q(p) + ")\"; "; }

  void step(size_t i) {
    const std::string p = path();
    const std::string n = std::to_string(i);
    switch (pick_step()) {
      case write_file: return line("rm -rf -- " + q(p) + "; " + parent_of(p) + "cp -- " + blob(content()) + " " + q(p));
      case append: return line("cat -- " + blob(text(chance(20))) + " >> " + q(p));
      case partial_stage:  // two hunks far apart, only the first staged
        return line("sed -i -e '3s/$/ edited " + n + "/' -e '55s/$/ edited " + n +
                    "/' lines.txt && printf 'y\\nn\\n' | git add -p -- lines.txt >/dev/null");
      case remove: return line("rm -rf -- " + q(p));
      case git_rm: return line("git rm -q -r -f -- " + q(p));
      case stage: return line("git add -- " + q(p));
      case stage_all: return line("git add -A");
      case intend_to_add:
        return line(parent_of(p) + "{ [ -e " + q(p) + " ] || cp -- " + blob(content()) + " " + q(p) +
                    "; } && git add -N -- " + q(p));
      case unstage: return line("git reset -q -- " + q(p));
      case git_mv: {
        const std::string to = path();
        return line(parent_of(to) + "git mv -- " + q(p) + " " + q(to));
      }
      case plain_mv: {
        const std::string to = path();
        return line(parent_of(to) + "mv -- " + q(p) + " " + q(to));
      }
      case copy: {
        const std::string to = path();
        return line(parent_of(to) + "cp -p -- " + q(p) + " " + q(to) + (chance(50) ? " && git add -- " + q(to) : ""));
      }
      case chmod: return line(std::string("chmod ") + (chance(50) ? "+x" : "-x") + " -- " + q(p));
      case symlink: {
        static constexpr std::array<std::string_view, 4> kTargets = {"a.txt", "dir", "nowhere/dangling", "../a.txt"};
        return line("rm -rf -- " + q(p) + "; " + parent_of(p) + "ln -s -- " + q(kTargets[below(kTargets.size())]) +
                    " " + q(p));
      }
      case to_directory:  // a file or link becomes a directory
        return line("rm -rf -- " + q(p) + "; mkdir -p -- " + q(p) + " && cp -- " + blob(text(false)) + " " +
                    q(p + "/inner.txt"));
      case ignored:
        return line(std::string(chance(50) ? "mkdir -p ignored && cp -- " : "cp -- ") + blob(text(false)) +
                    (chance(50) ? " ignored/out.o" : " debug.log"));
      case commit:
        return line(std::string(chance(50) ? "git add -A && " : "") + "git commit -q --no-verify -m 'step " + n + "'");
      case new_branch: return line("git checkout -q -b 'topic-" + n + "'");
      case detach: return line("git checkout -q --detach");
      case light_tag: return line("git tag 'light-" + n + "'");
      case annotated_tag: return line("git tag -a 'annotated-" + n + "' -m 'tag " + n + "'");
      case orphan: return line("git checkout -q --orphan 'orphan-" + n + "'");
      case stash:
        // One entry at most: only the newest survives a backup (README).
        if (stashed_) return;
        stashed_ = true;
        return line(std::string("git stash push -q") + (chance(50) ? " -u" : ""));
      case checkout_main: return line("git checkout -q main");
      case spare_branch: return line("git branch 'spare-" + n + "' HEAD~1");
      case attributes: {
        // Not drawn: a rule that makes git read a committed CRLF file as
        // text (`*.crlfdata text`, `* text=auto`): whether git then lists
        // it modified depends on its stat cache, in the backup repo too
        // (README; soak seeds 64 and 77 with them).
        static constexpr std::array<std::string_view, 6> kRules = {
            "*.txt text eol=crlf", "*.md binary", "*.dat -text", "*.txt eol=lf", "*.md text", "*.sh eol=lf"};
        return line("echo " + q(kRules[below(kRules.size())]) + " >> .gitattributes" +
                    (chance(30) ? " && git add .gitattributes" : ""));
      }
      case crlf_file: return line(parent_of(p) + "printf 'line one\\r\\nline two\\r\\n' > " + q(p));
      case kStepCount: return;
    }
  }

  // A side branch from HEAD whose commit changes `file` one way while HEAD's
  // next commit changes it another (or deletes it): the two conflict.
  std::string diverge(const std::string& file, const std::string& n) {
    const bool deleted = chance(20);
    return "git add -A && git commit -q --no-verify -m 'before " + n + "'; git checkout -q -b 'side-" + n +
           "' && cp -- " + blob(text(false) + "theirs " + n + "\n") + " " + q(file) + " && git add -- " + q(file) +
           " && git commit -q -m 'side " + n + "' && git checkout -q - && " +
           (deleted ? "git rm -q -- " + q(file) : "cp -- " + blob(text(false) + "ours " + n + "\n") + " " + q(file) +
                                                      " && git add -- " + q(file)) +
           " && git commit -q -m 'ours " + n + "'";
  }

  // An operation stopped half-way, as the agent left it when the pod
  // stopped: a merge, rebase, cherry-pick, revert or `git am` with
  // conflicts, or an interactive rebase stopped at an `edit`.
  void operation_in_progress(size_t i) {
    const std::string n = std::to_string(i);
    static constexpr std::array<std::string_view, 3> kFiles = {"a.txt", "dir/c.txt", "lines.txt"};
    const std::string file(kFiles[below(kFiles.size())]);
    switch (below(7)) {
      case 0: return line(diverge(file, n) + "; git merge -q 'side-" + n + "' >/dev/null");
      case 1: return line(diverge(file, n) + "; git cherry-pick 'side-" + n + "' >/dev/null 2>&1");
      case 2: return line(diverge(file, n) + "; git rebase -q 'side-" + n + "' >/dev/null 2>&1");
      case 3:
        return line(diverge(file, n) + "; git format-patch -q -1 --stdout 'side-" + n + "' > \"$BLOBS/mbox-" + n +
                    "\" && git am -q " + (chance(50) ? "-3 " : "") + "\"$BLOBS/mbox-" + n + "\" >/dev/null 2>&1");
      case 4:
        return line("git add -A && git commit -q --no-verify -m 'before " + n + "'; for v in one two three; do echo \"$v " +
                    n + "\" > " + q(file) + " && git add -- " + q(file) + " && git commit -q -m \"$v\"; done; " +
                    "git revert --no-edit HEAD~1 >/dev/null 2>&1");
      case 5:
        return line(diverge(file, n) + "; git merge -q --no-commit 'side-" + n + "' >/dev/null 2>&1; " +
                    "git checkout -q --theirs -- " + q(file) + " 2>/dev/null; git add -A");
      default:
        return line("git add -A && git commit -q --no-verify -m 'before " + n +
                    "'; GIT_SEQUENCE_EDITOR='sed -i 1s/^pick/edit/' git rebase -q -i HEAD~1 >/dev/null 2>&1");
    }
  }

  void index_flag(size_t) {
    static constexpr std::array<std::string_view, 3> kFlags = {"--assume-unchanged", "--skip-worktree",
                                                               "--no-assume-unchanged"};
    line("git update-index " + std::string(kFlags[below(kFlags.size())]) + " -- " + q(path()));
  }
};

}  // namespace

AgentScenario generate_scenario(uint64_t seed) { return Generator(seed).run(); }

std::string origin_script() {
  return R"(
    git init -q -b main seed && cd seed
    printf 'alpha\nbeta\n' > a.txt && printf '# title\n' > b.md
    mkdir -p dir/sub && printf 'c\n' > dir/c.txt && printf 'd\n' > dir/sub/d.txt
    seq 1 60 | sed 's/^/line /' > lines.txt
    head -c 2000 /dev/urandom > data.bin && : > empty
    printf '#!/bin/sh\necho hi\n' > tool.sh && chmod +x tool.sh
    ln -s a.txt link
    printf '*.log\nignored/\n' > .gitignore
    printf '*.crlf text eol=crlf\n*.bin binary\n' > .gitattributes
    printf 'one\r\ntwo\r\n' > win.crlf && printf 'raw\r\nbytes\r\n' > raw.crlfdata
    git add -A && git commit -q -m first
    printf 'gamma\n' >> a.txt && git commit -q -am second
    git branch feature HEAD~1 && git tag v1 && git tag -a v1-annotated -m 'annotated tag'
    cd .. && git clone -q --bare seed origin.git && rm -rf seed
  )";
}

}  // namespace wsgit
