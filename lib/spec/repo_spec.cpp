#include "spec/repo_spec.hpp"

#include <boost/json.hpp>

#include "common/redact.hpp"
#include "spec/json_fields.hpp"

namespace ws::spec {
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

Result<RepoSpec> parse_item(const json::value& item, const std::string& where) {
  if (!item.is_object()) {
    return Error(Errc::invalid_input,
                 where + " must be an object {\"url\": ...}, got " + jsonf::kind_name(item.kind()));
  }
  const auto& obj = item.get_object();
  RepoSpec spec;
  const auto* url = obj.if_contains("url");
  if (url == nullptr || url->is_null()) {
    return Error(Errc::invalid_input, where + " has no \"url\"");
  }
  if (!url->is_string()) {
    return Error(Errc::invalid_input,
                 where + ".url must be a string, got " + jsonf::kind_name(url->kind()));
  }
  spec.url = std::string(url->get_string());
  if (spec.url.empty()) return Error(Errc::invalid_input, where + ".url is empty");

  if (const auto* branch = obj.if_contains("branch"); branch != nullptr && !branch->is_null()) {
    if (!branch->is_string()) {
      return Error(Errc::invalid_input,
                   where + ".branch must be a string, got " + jsonf::kind_name(branch->kind()));
    }
    if (!branch->get_string().empty()) spec.branch = std::string(branch->get_string());
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
  return spec;
}

}  // namespace

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

Result<std::vector<RepoSpec>> parse_repos_json(std::string_view text, std::string_view source) {
  auto doc = jsonf::parse(text, source);
  if (!doc) return std::move(doc).error();
  if (!doc->is_array()) {
    return Error(Errc::invalid_input, std::string(source) + " must be a JSON array, got " +
                                          jsonf::kind_name(doc->kind()));
  }
  std::vector<RepoSpec> repos;
  const auto& items = doc->get_array();
  for (size_t i = 0; i < items.size(); ++i) {
    auto spec = parse_item(items[i], std::string(source) + "[" + std::to_string(i) + "]");
    if (!spec) return std::move(spec).error();
    for (const auto& earlier : repos) {
      if (earlier.name == spec->name) {
        return Error(Errc::invalid_input,
                     std::string(source) + ": repos '" + redact_url(earlier.url) + "' and '" +
                         redact_url(spec->url) + "' would both be cloned into repos/" +
                         spec->name);
      }
    }
    repos.push_back(std::move(*spec));
  }
  return repos;
}

Result<std::vector<RepoSpec>> repos_from_session(std::string_view repo_url,
                                                 std::string_view repos_json) {
  const auto blank = [](std::string_view s) {
    return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
  };
  if (!blank(repos_json)) return parse_repos_json(repos_json, "Repos");
  if (blank(repo_url)) return std::vector<RepoSpec>{};
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

}  // namespace ws::spec
