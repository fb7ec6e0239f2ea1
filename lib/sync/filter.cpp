#include "sync/filter.hpp"

namespace ws::sync {
namespace {

// More alternatives than any real exclude list needs; "{a,b}" twenty times
// over would otherwise expand to a million rules.
constexpr size_t kMaxAlternatives = 1024;

// Expands the first "{a,b}" group (recursively the rest); nesting is not
// supported, as in rclone.
Status expand_braces(const std::string& p, std::vector<std::string>& out) {
  if (out.size() >= kMaxAlternatives) {
    return Error(Errc::invalid_input, "filter pattern '" + p + "' expands to more than " +
                                          std::to_string(kMaxAlternatives) + " alternatives");
  }
  size_t open = std::string::npos;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '\\') { ++i; continue; }
    if (p[i] == '{') { open = i; break; }
  }
  if (open == std::string::npos) {
    out.push_back(p);
    return {};
  }
  std::vector<std::string> alts;
  std::string cur;
  size_t i = open + 1;
  for (; i < p.size() && p[i] != '}'; ++i) {
    if (p[i] == '\\' && i + 1 < p.size()) { cur += p[i]; cur += p[++i]; continue; }
    if (p[i] == '{') return Error(Errc::invalid_input, "nested '{' in filter pattern '" + p + "'");
    if (p[i] == ',') { alts.push_back(cur); cur.clear(); continue; }
    cur += p[i];
  }
  if (i >= p.size()) return Error(Errc::invalid_input, "unclosed '{' in filter pattern '" + p + "'");
  alts.push_back(cur);
  for (const auto& a : alts) {
    WS_TRY(expand_braces(p.substr(0, open) + a + p.substr(i + 1), out));
  }
  return {};
}

// Matches a "[...]" class at glob[gi] against c; returns the index after the
// class, or npos when malformed.
size_t match_class(std::string_view glob, size_t gi, char c, bool& matched) {
  size_t i = gi + 1;
  bool negate = false;
  if (i < glob.size() && (glob[i] == '!' || glob[i] == '^')) { negate = true; ++i; }
  bool any = false;
  bool first = true;
  for (; i < glob.size() && (first || glob[i] != ']'); first = false) {
    char lo = glob[i];
    if (lo == '\\' && i + 1 < glob.size()) lo = glob[++i];
    char hi = lo;
    if (i + 2 < glob.size() && glob[i + 1] == '-' && glob[i + 2] != ']') {
      hi = glob[i + 2];
      if (hi == '\\' && i + 3 < glob.size()) { hi = glob[i + 3]; ++i; }
      i += 2;
    }
    if (c >= lo && c <= hi) any = true;
    ++i;
  }
  if (i >= glob.size()) return std::string_view::npos;
  matched = (any != negate) && c != '/';
  return i + 1;
}

bool is_special(char c) { return c == '*' || c == '?' || c == '[' || c == ']' || c == '\\'; }

// The glob's leading and trailing runs of plain characters: every text the
// glob matches starts and ends with them, which rules most paths out before
// any matching.
size_t literal_head(std::string_view glob) {
  size_t n = 0;
  while (n < glob.size() && !is_special(glob[n])) ++n;
  return n;
}

size_t literal_tail(std::string_view glob) {
  size_t n = 0;
  while (n < glob.size() && !is_special(glob[glob.size() - 1 - n])) ++n;
  return n;
}

bool valid_classes(std::string_view glob) {
  for (size_t i = 0; i < glob.size(); ++i) {
    if (glob[i] == '\\') { ++i; continue; }
    if (glob[i] == '[') {
      bool m;
      const size_t next = match_class(glob, i, 'a', m);
      if (next == std::string_view::npos) return false;
      i = next - 1;
    }
  }
  return true;
}

// Matching state of one glob_match call. With two or more '*' groups a
// failed split would be retried from every split of the groups before it
// ("*a*a*a*b" against "aaaa…" is exponential), so failures are remembered
// per (glob, text) position and the work stays |glob| x |text|.
struct GlobState {
  std::string_view glob;
  std::string_view text;
  std::vector<bool> failed;  // empty: a single '*' group, nothing to remember

  bool known_failed(size_t g, size_t t) const { return !failed.empty() && failed[g * (text.size() + 1) + t]; }
  void remember_failed(size_t g, size_t t) {
    if (!failed.empty()) failed[g * (text.size() + 1) + t] = true;
  }
};

bool match_from(GlobState& s, size_t g, size_t t) {
  const std::string_view glob = s.glob;
  const std::string_view text = s.text;
  while (g < glob.size()) {
    const char pc = glob[g];
    if (pc == '*') {
      const bool cross = g + 1 < glob.size() && glob[g + 1] == '*';
      while (g < glob.size() && glob[g] == '*') ++g;
      // Try every split; a single '*' stops at the next '/'.
      for (size_t k = t;; ++k) {
        if (!s.known_failed(g, k)) {
          if (match_from(s, g, k)) return true;
          s.remember_failed(g, k);
        }
        if (k >= text.size() || (!cross && text[k] == '/')) return false;
      }
    }
    if (t >= text.size()) return false;
    if (pc == '?') {
      if (text[t] == '/') return false;
      ++g;
    } else if (pc == '[') {
      bool m = false;
      const size_t next = match_class(glob, g, text[t], m);
      if (next == std::string_view::npos) {
        if (text[t] != '[') return false;
        ++g;
      } else {
        if (!m) return false;
        g = next;
      }
    } else if (pc == '\\' && g + 1 < glob.size()) {
      if (glob[g + 1] != text[t]) return false;
      g += 2;
    } else {
      if (pc != text[t]) return false;
      ++g;
    }
    ++t;
  }
  return t == text.size();
}

size_t star_groups(std::string_view glob) {
  size_t n = 0;
  for (size_t i = 0; i < glob.size(); ++i) {
    if (glob[i] == '*' && (i == 0 || glob[i - 1] != '*')) ++n;
  }
  return n;
}

}  // namespace

bool glob_match(std::string_view glob, std::string_view text) {
  GlobState s{glob, text, {}};
  if (star_groups(glob) >= 2) s.failed.assign((glob.size() + 1) * (text.size() + 1), false);
  return match_from(s, 0, 0);
}

Status ExcludeFilter::add_pattern(std::vector<Rule>& rules, const std::string& raw, bool include) {
  if (raw.empty()) return Error(Errc::invalid_input, "empty filter pattern");
  std::vector<std::string> expanded;
  WS_TRY(expand_braces(raw, expanded));
  for (auto p : expanded) {
    Rule r;
    r.include = include;
    if (!p.empty() && p.front() == '/') { r.anchored = true; p.erase(0, 1); }
    if (p.size() > 1 && p.back() == '/') { r.dir_only = true; p.pop_back(); }
    if (p.empty()) return Error(Errc::invalid_input, "filter pattern '" + raw + "' matches nothing");
    if (!valid_classes(p)) return Error(Errc::invalid_input, "unclosed '[' in filter pattern '" + raw + "'");
    r.dir_subtree = p.size() > 3 && p.ends_with("/**");
    r.glob = std::move(p);
    r.whole = Literals{literal_head(r.glob), literal_tail(r.glob)};
    if (r.dir_subtree) {
      const std::string_view base = std::string_view(r.glob).substr(0, r.glob.size() - 3);
      r.base = Literals{literal_head(base), literal_tail(base)};
    }
    rules.push_back(std::move(r));
  }
  return {};
}

Result<ExcludeFilter> ExcludeFilter::compile(const std::vector<std::string>& excludes,
                                             const std::vector<std::string>& rules) {
  ExcludeFilter f;
  for (const auto& raw : excludes) WS_TRY(add_pattern(f.rules_, raw, false));
  for (const auto& rule : rules) {
    if (rule == "!") {  // rclone: forget every rule so far
      f.rules_.clear();
    } else if (rule.starts_with("+ ") || rule.starts_with("- ")) {
      WS_TRY(add_pattern(f.rules_, rule.substr(2), rule[0] == '+'));
    } else {
      return Error(Errc::invalid_input, "filter rule '" + rule + "' must start with '+ ' or '- ' (or be '!')");
    }
  }
  return f;
}

bool ExcludeFilter::match_rule(const Rule& r, std::string_view glob, const Literals& lit, std::string_view rel) {
  // A match, wherever it starts, ends at the end of `rel`.
  if (!rel.ends_with(glob.substr(glob.size() - lit.tail))) return false;
  const std::string_view head = glob.substr(0, lit.head);
  // The first character is compared inline: most starts fail on it.
  auto at = [&](std::string_view text) {
    return (head.empty() || (!text.empty() && text[0] == head[0] && text.starts_with(head))) &&
           glob_match(glob, text);
  };
  if (at(rel)) return true;
  if (r.anchored) return false;
  for (size_t i = rel.find('/'); i != std::string_view::npos; i = rel.find('/', i + 1)) {
    if (at(rel.substr(i + 1))) return true;
  }
  return false;
}

bool ExcludeFilter::matches_file(const Rule& r, std::string_view rel) const {
  if (!r.dir_only) return match_rule(r, r.glob, r.whole, rel);
  // "dir/" stands for "dir/**": it matches a file below a matching directory.
  for (size_t i = 0; i < rel.size(); ++i) {
    if (rel[i] == '/' && match_rule(r, r.glob, r.whole, rel.substr(0, i))) return true;
  }
  return false;
}

bool ExcludeFilter::excludes_file(std::string_view rel) const {
  for (const auto& r : rules_) {
    if (matches_file(r, rel)) return !r.include;
  }
  return false;
}

bool ExcludeFilter::excludes_dir(std::string_view rel) const {
  for (const auto& r : rules_) {
    // Something below may match this include before any later exclude.
    if (r.include) return false;
    if (r.dir_only && match_rule(r, r.glob, r.whole, rel)) return true;
    if (r.dir_subtree) {
      const std::string_view base = std::string_view(r.glob).substr(0, r.glob.size() - 3);
      if (match_rule(r, base, r.base, rel)) return true;
    }
    // "**" alone, or "a/**/**": everything below matches as well.
    if (r.glob == "**") return true;
  }
  return false;
}

bool ExcludeFilter::excludes_path(std::string_view rel) const {
  if (rules_.empty()) return false;
  if (excludes_file(rel)) return true;
  for (size_t i = 0; i < rel.size(); ++i) {
    if (rel[i] == '/' && excludes_dir(rel.substr(0, i))) return true;
  }
  return false;
}

}  // namespace ws::sync
