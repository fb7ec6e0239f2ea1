#include "config/repo_spec.hpp"

#include <boost/json.hpp>

#include "common/ascii.hpp"
#include "common/redact.hpp"
#include "config/json_fields.hpp"

namespace ws::config {
namespace json = boost::json;

namespace {

// The path part of a git remote: after the authority of scheme://, after
// the ':' of scp-like user@host:path, or the whole string for a local path.
std::string_view remote_path(std::string_view url) {
  if (const auto scheme_end = url.find("://"); scheme_end != std::string_view::npos) {
    const auto path_begin = url.find('/', scheme_end + 3);
    return path_begin == std::string_view::npos ? std::string_view() : url.substr(path_begin);
  }
  const auto colon = url.find(':');
  const auto slash = url.find('/');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon < slash)) {
    return url.substr(colon + 1);
  }
  return url;
}

// Which remote a URL names, for spotting a repo listed twice: without
// userinfo, trailing slashes or a trailing ".git".
std::string remote_identity(std::string_view url) {
  std::string id = redact_url(url);
  while (!id.empty() && id.back() == '/') id.pop_back();
  if (id.size() > 4 && id.compare(id.size() - 4, 4, ".git") == 0) id.resize(id.size() - 4);
  return id;
}

void warn(InputWarnings* warnings, std::string event, std::string message) {
  if (warnings != nullptr) warnings->push_back({std::move(event), std::move(message)});
}

// An item, or nothing when it has no url (the caller skips it).
Result<std::optional<RepoSpec>> parse_item(const json::value& item, const std::string& where) {
  if (!item.is_object()) {
    return Error(Errc::invalid_input,
                 where + " must be an object {\"url\": ...}, got " + jsonf::kind_name(item.kind()));
  }
  const auto& obj = item.get_object();
  RepoSpec spec;
  const auto* url = obj.if_contains("url");
  if (url == nullptr || url->is_null()) return std::optional<RepoSpec>();
  if (!url->is_string()) {
    return Error(Errc::invalid_input,
                 where + ".url must be a string, got " + jsonf::kind_name(url->kind()));
  }
  spec.url = std::string(url->get_string());
  if (spec.url.empty()) return std::optional<RepoSpec>();
  WS_TRY(check_git_url(spec.url, where + ".url"));

  if (const auto* branch = obj.if_contains("branch"); branch != nullptr && !branch->is_null()) {
    if (!branch->is_string()) {
      return Error(Errc::invalid_input,
                   where + ".branch must be a string, got " + jsonf::kind_name(branch->kind()));
    }
    if (!branch->get_string().empty()) {
      spec.branch = std::string(branch->get_string());
      WS_TRY(check_branch_name(*spec.branch, where + ".branch"));
    }
  }
  if (const auto* ap = obj.if_contains("autoPush"); ap != nullptr && !ap->is_null()) {
    if (!ap->is_bool()) {
      return Error(Errc::invalid_input,
                   where + ".autoPush must be a boolean, got " + jsonf::kind_name(ap->kind()));
    }
    spec.auto_push = ap->get_bool();
  }
  auto name = repo_name_from_url(spec.url);
  if (!name) return std::move(name).error().context(where);
  spec.name = std::move(*name);
  return std::optional<RepoSpec>(std::move(spec));
}

// The parsed list and whether the input held any item at all (the
// session's "Repos wins when non-empty" looks at the input, not at what
// survived the skipping).
struct ParsedRepos {
  std::vector<RepoSpec> repos;
  bool had_items = false;
};

Result<ParsedRepos> parse_repos(std::string_view text, std::string_view source,
                                InputWarnings* warnings) {
  ParsedRepos out;
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return out;
  auto doc = jsonf::parse(text, source);
  if (!doc) return std::move(doc).error();
  if (doc->is_null()) {
    warn(warnings, "config.repos_null", std::string(source) + " is null: no repos");
    return out;
  }
  if (!doc->is_array()) {
    return Error(Errc::invalid_input, std::string(source) + " must be a JSON array, got " +
                                          jsonf::kind_name(doc->kind()));
  }
  const auto& items = doc->get_array();
  out.had_items = !items.empty();
  std::vector<size_t> index_of;  // input index of each kept repo
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string where = std::string(source) + "[" + std::to_string(i) + "]";
    auto spec = parse_item(items[i], where);
    if (!spec) return std::move(spec).error();
    if (!spec->has_value()) {
      warn(warnings, "config.repo_without_url", where + " has no \"url\": skipped");
      continue;
    }
    RepoSpec& repo = **spec;
    bool duplicate = false;
    for (size_t k = 0; k < out.repos.size() && !duplicate; ++k) {
      const RepoSpec& earlier = out.repos[k];
      if (earlier.name != repo.name) continue;
      if (remote_identity(earlier.url) != remote_identity(repo.url)) {
        return Error(Errc::invalid_input,
                     std::string(source) + ": repos '" + redact_url(earlier.url) + "' and '" +
                         redact_url(repo.url) + "' would both be cloned into repos/" + repo.name);
      }
      duplicate = true;
      const std::string first = std::string(source) + "[" + std::to_string(index_of[k]) + "]";
      warn(warnings, "config.repo_duplicate",
           where + " repeats the repo of " + first + " ('" + redact_url(earlier.url) +
               "'): cloned once, as " + first + " says");
    }
    if (duplicate) continue;
    index_of.push_back(i);
    out.repos.push_back(std::move(repo));
  }
  return out;
}

}  // namespace

Status check_git_url(std::string_view url, std::string_view what) {
  const auto refuse = [&](std::string_view why) {
    return Error(Errc::invalid_input, std::string(what) + " '" + redact_url(url) + "' is not a git URL (" +
                                          std::string(why) +
                                          "; use https://..., ssh://..., git@host:org/repo.git, file://... "
                                          "or an absolute path)");
  };
  for (unsigned char c : url) {
    if (c <= ' ' || c == 0x7f) return refuse("it contains a space or a control character");
  }
  if (url.front() == '/') return {};
  const auto scheme_end = url.find("://");
  if (scheme_end != std::string_view::npos) {
    const std::string scheme = ascii_lower(url.substr(0, scheme_end));
    for (const char* known : {"https", "http", "ssh", "git", "file"}) {
      if (scheme == known) {
        if (scheme != "file" && url.size() == scheme_end + 3) return refuse("it names no host");
        return {};
      }
    }
    return refuse("unknown scheme '" + scheme + "'");
  }
  // scp-like: user@host:path, or host:path with a dot in the host.
  const auto colon = url.find(':');
  const auto slash = url.find('/');
  if (colon != std::string_view::npos && colon > 0 && (slash == std::string_view::npos || colon < slash) &&
      colon + 1 < url.size()) {
    return {};
  }
  return refuse("no scheme, no host:path and not an absolute path");
}

Status check_branch_name(std::string_view b, std::string_view what) {
  const auto refuse = [&](std::string_view why) {
    return Error(Errc::invalid_input,
                 std::string(what) + " '" + std::string(b) + "' is not a branch name git accepts (" + std::string(why) + ")");
  };
  for (unsigned char c : b) {
    if (c <= ' ' || c == 0x7f) return refuse("space or control character");
    if (std::string_view("~^:?*[\\").find(static_cast<char>(c)) != std::string_view::npos) {
      return refuse(std::string("'") + static_cast<char>(c) + "'");
    }
  }
  if (b.find("..") != std::string_view::npos) return refuse("'..'");
  if (b.find("@{") != std::string_view::npos) return refuse("'@{'");
  if (b.find("//") != std::string_view::npos) return refuse("'//'");
  if (b == "@") return refuse("'@' alone");
  if (b.front() == '-' || b.front() == '/') return refuse("starts with '-' or '/'");
  if (b.back() == '/' || b.back() == '.' || b.ends_with(".lock")) return refuse("ends with '/', '.' or '.lock'");
  if (b.find("/.") != std::string_view::npos || b.front() == '.') return refuse("a component starts with '.'");
  return {};
}

Result<std::string> repo_name_from_url(std::string_view url) {
  std::string_view rest = url.substr(0, url.find_first_of("?#"));
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  std::string_view path = remote_path(rest);
  const auto slash = path.rfind('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (name.size() >= 4 && name.substr(name.size() - 4) == ".git") name.remove_suffix(4);
  if (name.empty() || name == "." || name == ".." || name.find('\0') != std::string_view::npos) {
    return Error(Errc::invalid_input, "repo URL '" + redact_url(url) +
                                          "' gives no usable directory name (got '" +
                                          std::string(name) + "')");
  }
  return std::string(name);
}

Result<std::vector<RepoSpec>> parse_repos_json(std::string_view text, std::string_view source,
                                               InputWarnings* warnings) {
  auto parsed = parse_repos(text, source, warnings);
  if (!parsed) return std::move(parsed).error();
  return std::move(parsed->repos);
}

Result<std::vector<RepoSpec>> repos_from_session(std::string_view repo_url,
                                                 std::string_view repos_json,
                                                 InputWarnings* warnings) {
  auto parsed = parse_repos(repos_json, "Repos", warnings);
  if (!parsed) return std::move(parsed).error();
  if (parsed->had_items) return std::move(parsed->repos);
  if (repo_url.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return std::vector<RepoSpec>{};
  }
  auto name = repo_name_from_url(repo_url);
  if (!name) return std::move(name).error().context("RepoURL");
  RepoSpec spec;
  spec.url = std::string(repo_url);
  spec.name = std::move(*name);
  return std::vector<RepoSpec>{std::move(spec)};
}

std::string repos_to_json(const std::vector<RepoSpec>& repos, bool with_names) {
  json::array out;
  out.reserve(repos.size());
  for (const auto& r : repos) {
    json::object o;
    o["url"] = r.url;
    if (r.branch) o["branch"] = *r.branch;
    if (r.auto_push) o["autoPush"] = *r.auto_push;
    if (with_names) o["name"] = r.name;
    out.push_back(std::move(o));
  }
  return json::serialize(out);
}

}  // namespace ws::config
