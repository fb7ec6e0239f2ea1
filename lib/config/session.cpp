#include "config/session.hpp"

#include "config/json_fields.hpp"
#include "config/sanitize.hpp"

namespace ws::config {
namespace json = boost::json;

namespace {

Result<std::string> required_name(const json::object& obj, std::string_view key) {
  auto value = jsonf::string_field(obj, key, "session");
  if (!value) return std::move(value).error();
  if (value->empty()) {
    return Error(Errc::invalid_input, "session has no \"" + std::string(key) + "\"");
  }
  if (sanitize_name(*value).empty()) {
    return Error(Errc::invalid_input, "session." + std::string(key) + " '" + *value +
                                          "' has no character of [A-Za-z0-9-] to keep");
  }
  return value;
}

// Fills repos and repos_json.
Status session_repos(const json::object& obj, SessionSpec& s) {
  auto repo_url = jsonf::string_field(obj, "RepoURL", "session");
  if (!repo_url) return std::move(repo_url).error();
  const json::value* repos = jsonf::find(obj, "Repos");
  std::string text;
  if (repos != nullptr && repos->is_string()) {
    text = std::string(repos->get_string());
  } else if (repos != nullptr && repos->is_array()) {
    text = json::serialize(*repos);
  } else if (repos != nullptr) {
    return Error(Errc::invalid_input, std::string("session.Repos must be a JSON array or a string "
                                                "holding one, got ") +
                                        jsonf::kind_name(repos->kind()));
  }
  auto parsed = repos_from_session(*repo_url, text, &s.warnings);
  if (!parsed) return std::move(parsed).error();
  s.repos = std::move(*parsed);
  // repos_from_session let Repos win only when it is an array with items.
  const auto doc = jsonf::parse(text, "Repos");
  const bool repos_won = doc && doc->is_array() && !doc->get_array().empty();
  if (repos_won) {
    s.repos_json = std::move(text);
  } else if (!s.repos.empty()) {
    s.repos_json = repos_to_json(s.repos);
  }
  return {};
}

Result<std::optional<WorkflowSpec>> session_workflow(const json::object& obj,
                                                     InputWarnings& warnings) {
  auto wf_obj = jsonf::object_field(obj, "workflow", "session");
  if (!wf_obj) return std::move(wf_obj).error();
  if (*wf_obj == nullptr) return std::optional<WorkflowSpec>();
  const json::object& w = **wf_obj;
  WorkflowSpec wf;
  auto url = jsonf::string_field(w, "gitUrl", "session.workflow");
  if (!url) return std::move(url).error();
  if (url->empty()) return std::optional<WorkflowSpec>();
  wf.git_url = std::move(*url);
  WS_TRY(check_git_url(wf.git_url, "session.workflow.gitUrl"));
  auto branch = jsonf::string_field(w, "branch", "session.workflow");
  if (!branch) return std::move(branch).error();
  wf.branch = branch->empty() ? "main" : std::move(*branch);
  WS_TRY(check_branch_name(wf.branch, "session.workflow.branch"));
  auto path = jsonf::string_field(w, "path", "session.workflow");
  if (!path) return std::move(path).error();
  auto clean = normalize_workflow_path(*path, "session.workflow.path", warnings);
  if (!clean) return std::move(clean).error();
  wf.path = std::move(*clean);
  auto name = repo_name_from_url(wf.git_url);
  if (!name) return std::move(name).error().context("session.workflow.gitUrl");
  wf.name = std::move(*name);
  return std::optional<WorkflowSpec>(std::move(wf));
}

}  // namespace

Result<SessionSpec> parse_session(std::string_view text) {
  auto doc = jsonf::parse_object(text, "session");
  if (!doc) return std::move(doc).error();
  const json::object& obj = *doc;
  SessionSpec s;
  auto name = required_name(obj, "name");
  if (!name) return std::move(name).error();
  s.name = std::move(*name);
  auto ns = required_name(obj, "namespace");
  if (!ns) return std::move(ns).error();
  s.namespace_name = std::move(*ns);
  auto project = jsonf::string_field(obj, "project", "session");
  if (!project) return std::move(project).error();
  s.project = project->empty() ? s.namespace_name : std::move(*project);
  auto id = jsonf::string_field(obj, "id", "session");
  if (!id) return std::move(id).error();
  s.id = std::move(*id);
  WS_TRY(session_repos(obj, s));
  auto wf = session_workflow(obj, s.warnings);
  if (!wf) return std::move(wf).error();
  s.workflow = std::move(*wf);
  return s;
}

}  // namespace ws::config
