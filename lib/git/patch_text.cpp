#include "git/patch_text.hpp"

#include <cstdio>
#include <optional>
#include <vector>

namespace ws::git {

namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

std::string_view chomp(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  return line;
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    nl = nl == std::string_view::npos ? text.size() : nl + 1;
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl;
  }
  return lines;
}

bool is_header_line(std::string_view l) {
  for (std::string_view p : {"old mode ", "new mode ", "deleted file mode ", "new file mode ",
                             "similarity index ", "dissimilarity index ", "rename from ",
                             "rename to ", "copy from ", "copy to ", "index "}) {
    if (starts_with(l, p)) return true;
  }
  return false;
}

// Reads one (possibly quoted) token from the front of `s`, advancing it.
std::optional<std::string> take_quoted(std::string_view& s) {
  if (s.empty() || s[0] != '"') return std::nullopt;
  const size_t end = [&] {
    for (size_t i = 1; i < s.size(); ++i) {
      if (s[i] == '\\') ++i;
      else if (s[i] == '"') return i;
    }
    return std::string_view::npos;
  }();
  if (end == std::string_view::npos) return std::nullopt;
  std::string out = unquote_path(s.substr(0, end + 1));
  s.remove_prefix(end + 1);
  return out;
}

// "a/X b/Y" of a diff --git line -> {X, Y}; unquoted names must be equal.
std::optional<std::pair<std::string, std::string>> diff_git_paths(std::string_view rest) {
  if (!rest.empty() && rest[0] == '"') {
    auto a = take_quoted(rest);
    if (!a || rest.empty() || rest[0] != ' ') return std::nullopt;
    rest.remove_prefix(1);
    std::optional<std::string> b = !rest.empty() && rest[0] == '"' ? take_quoted(rest) : std::string(rest);
    if (!b || !starts_with(*a, "a/") || !starts_with(*b, "b/")) return std::nullopt;
    return std::pair{a->substr(2), b->substr(2)};
  }
  if (rest.size() < 5 || (rest.size() - 5) % 2 != 0) return std::nullopt;
  const size_t n = (rest.size() - 5) / 2;
  const std::string_view x = rest.substr(2, n);
  if (rest.substr(0, 2) != "a/" || rest.substr(2 + n, 3) != " b/" || rest.substr(5 + n) != x) {
    return std::nullopt;
  }
  return std::pair{std::string(x), std::string(x)};
}

}  // namespace

std::string quote_path_if_needed(std::string_view path) {
  bool needs = false;
  for (unsigned char c : path) needs = needs || c == ' ' || c == '"' || c == '\\' || c < 0x20 || c == 0x7f;
  if (!needs) return std::string(path);
  std::string out = "\"";
  for (unsigned char c : path) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          const char oct[] = {'\\', char('0' + (c >> 6)), char('0' + ((c >> 3) & 7)), char('0' + (c & 7)), 0};
          out += oct;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string unquote_path(std::string_view token) {
  if (token.size() < 2 || token.front() != '"' || token.back() != '"') return std::string(token);
  std::string out;
  for (size_t i = 1; i + 1 < token.size(); ++i) {
    char c = token[i];
    if (c != '\\' || i + 2 >= token.size()) {
      out += c;
      continue;
    }
    c = token[++i];
    switch (c) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'a': out += '\a'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'r': out += '\r'; break;
      case 'v': out += '\v'; break;
      default:
        if (c >= '0' && c <= '3' && i + 2 < token.size() - 1 + 1) {
          int v = c - '0';
          for (int k = 0; k < 2 && i + 1 < token.size() - 1 && token[i + 1] >= '0' && token[i + 1] <= '7'; ++k) {
            v = v * 8 + (token[++i] - '0');
          }
          out += static_cast<char>(v);
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string normalize_git_patch(std::string_view patch, const ModeLookup& mode_of) {
  const auto lines = split_lines(patch);
  std::string out;
  out.reserve(patch.size() + 256);
  size_t i = 0;
  while (i < lines.size()) {
    const std::string_view line = lines[i];
    if (!starts_with(line, "diff --git ")) {
      const std::string_view body = chomp(line);
      if ((starts_with(body, "--- a/") || starts_with(body, "+++ b/")) && body.find('\t') == std::string_view::npos) {
        out += std::string(body.substr(0, 4)) + quote_path_if_needed(body.substr(4)) + "\n";
      } else {
        out += line;
      }
      ++i;
      continue;
    }
    size_t end = i + 1;
    while (end < lines.size() && is_header_line(lines[end])) ++end;
    bool is_new = false, is_deleted = false, is_move = false, has_mode = false;
    std::optional<std::string> moved_from, moved_to;
    for (size_t k = i + 1; k < end; ++k) {
      const std::string_view h = chomp(lines[k]);
      is_new = is_new || starts_with(h, "new file mode ");
      is_deleted = is_deleted || starts_with(h, "deleted file mode ");
      has_mode = has_mode || starts_with(h, "old mode ") ||
                 (starts_with(h, "index ") && h.find(' ', 6) != std::string_view::npos);
      if (starts_with(h, "rename from ") || starts_with(h, "copy from ")) {
        moved_from = unquote_path(h.substr(h.find(" from ") + 6));
      }
      if (starts_with(h, "rename to ") || starts_with(h, "copy to ")) {
        moved_to = unquote_path(h.substr(h.find(" to ") + 4));
      }
    }
    is_move = moved_from && moved_to;
    auto paths = is_move ? std::optional(std::pair{*moved_from, *moved_to})
                         : diff_git_paths(chomp(line).substr(11));
    if (!paths) {
      for (size_t k = i; k < end; ++k) out += lines[k];
      i = end;
      continue;
    }
    const auto& [old_path, new_path] = *paths;
    out += "diff --git " + quote_path_if_needed("a/" + old_path) + " " + quote_path_if_needed("b/" + new_path) + "\n";
    if (is_move && !has_mode && mode_of) {
      if (const auto mode = mode_of(old_path)) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%o", *mode);
        out += std::string("old mode ") + buf + "\nnew mode " + buf + "\n";
      }
    }
    for (size_t k = i + 1; k < end; ++k) {
      const std::string_view h = chomp(lines[k]);
      if (starts_with(h, "rename from ") || starts_with(h, "copy from ")) {
        out += std::string(h.substr(0, h.find(" from ") + 6)) + quote_path_if_needed(old_path) + "\n";
      } else if (starts_with(h, "rename to ") || starts_with(h, "copy to ")) {
        out += std::string(h.substr(0, h.find(" to ") + 4)) + quote_path_if_needed(new_path) + "\n";
      } else {
        out += lines[k];
      }
    }
    const bool has_body = end < lines.size() && !starts_with(lines[end], "diff --git ");
    if (!has_body && (is_new || is_deleted)) {
      out += "--- " + (is_new ? std::string("/dev/null") : quote_path_if_needed("a/" + old_path)) + "\n";
      out += "+++ " + (is_deleted ? std::string("/dev/null") : quote_path_if_needed("b/" + new_path)) + "\n";
    }
    i = end;
  }
  return out;
}

}  // namespace ws::git
