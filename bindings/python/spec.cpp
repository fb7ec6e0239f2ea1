// Python face of the spec layer: configuration, repo specs, names and the
// pod plan. Inputs and results are plain str/dict/list; JSON crosses the
// boundary through Python's own json module so dicts come back as dicts.
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "config/config.hpp"
#include "config/env_table.hpp"
#include "config/pod_plan.hpp"
#include "config/repo_spec.hpp"
#include "config/sanitize.hpp"

using namespace pybind11::literals;

namespace wspy {
namespace {

py::object from_json(const std::string& text) {
  return py::module_::import("json").attr("loads")(text);
}

// A str is taken as JSON text; anything else is serialised with json.dumps.
std::string as_json(const py::object& value) {
  if (py::isinstance<py::str>(value)) return value.cast<std::string>();
  return py::module_::import("json").attr("dumps")(value).cast<std::string>();
}

// Odd input the library accepted (behaviour §1 "Input policy") as Python
// warnings, so a caller sees them the way Python code expects.
void emit(const ws::config::InputWarnings& warnings) {
  if (warnings.empty()) return;
  const auto warn = py::module_::import("warnings").attr("warn");
  const auto category = py::module_::import("builtins").attr("UserWarning");
  for (const auto& w : warnings) warn(w.event + ": " + w.message, category, 2);
}

py::object repos_result(ws::Result<std::vector<ws::config::RepoSpec>> repos,
                        const ws::config::InputWarnings& warnings, bool with_names) {
  auto list = unwrap(std::move(repos));
  emit(warnings);
  return from_json(ws::config::repos_to_json(list, with_names));
}

}  // namespace

void register_spec(py::module_& m) {
  m.def(
      "load_config",
      [](std::optional<std::map<std::string, std::string>> env) {
        const auto source = env ? ws::config::EnvSource({env->begin(), env->end()})
                                : ws::config::EnvSource::from_process();
        const auto config = unwrap(ws::config::load_config(source));
        emit(config.warnings);
        py::dict out;
        for (const auto& [name, value] : ws::config::resolved_env(config)) out[py::str(name)] = value;
        return out;
      },
      "env"_a = py::none(),
      "Resolves a session pod's configuration (behaviour §1) from `env` (a dict of\n"
      "variables; None reads the process environment). Returns every variable of\n"
      "env_table() with its resolved value (defaults applied, names sanitised, paths\n"
      "normalised). Odd but plausible values are accepted with a UserWarning; garbage\n"
      "raises InvalidInputError naming the variable at fault.");

  m.def(
      "env_table",
      [] {
        py::list out;
        for (const auto& v : ws::config::kEnvVars) {
          out.append(py::dict("name"_a = std::string(v.name),
                              "default"_a = std::string(v.default_value),
                              "meaning"_a = std::string(v.meaning), "secret"_a = v.secret,
                              "read_by"_a = ws::config::env_reader_name(v.read_by)));
        }
        return out;
      },
      "Every environment variable of the session pod: name, default, meaning,\n"
      "secret, read_by ('hydrate', 'sync' or 'hydrate, sync').");

  m.def(
      "normalize_repos",
      [](const py::object& repos, bool with_names) {
        ws::config::InputWarnings warnings;
        return repos_result(ws::config::parse_repos_json(as_json(repos), "REPOS_JSON", &warnings),
                            warnings, with_names);
      },
      "repos"_a, py::kw_only(), "with_names"_a = false,
      "Validates REPOS_JSON (a JSON str or a list of dicts) and returns it in\n"
      "canonical form as a list of dicts; with_names adds each repo's directory\n"
      "name. Odd but plausible input (null, an item without url, a repo listed twice)\n"
      "is accepted with a UserWarning; garbage raises InvalidInputError naming the\n"
      "problem (never a URL's credentials).");

  m.def(
      "repos_from_session",
      [](const std::string& repo_url, const py::object& repos, bool with_names) {
        const std::string repos_json = repos.is_none() ? std::string() : as_json(repos);
        ws::config::InputWarnings warnings;
        return repos_result(ws::config::repos_from_session(repo_url, repos_json, &warnings), warnings,
                            with_names);
      },
      "repo_url"_a = "", "repos"_a = py::none(), py::kw_only(), "with_names"_a = false,
      "The CP session's repos: `repos` (Repos) when non-empty, else `repo_url`\n"
      "(RepoURL) as a single repo, else [].");

  m.def(
      "repo_name",
      [](const std::string& url) { return unwrap(ws::config::repo_name_from_url(url)); }, "url"_a,
      "The directory a repo URL is cloned into under repos/.");

  m.def("sanitize_name", &ws::config::sanitize_name, "name"_a,
        "Keeps only [A-Za-z0-9-], as done to SESSION_NAME and NAMESPACE.");

  m.def(
      "pod_plan",
      [](const py::object& session, const py::object& settings) {
        const std::string settings_json = settings.is_none() ? std::string() : as_json(settings);
        return from_json(unwrap(ws::config::pod_plan_json(as_json(session), settings_json)));
      },
      "session"_a, "settings"_a = py::none(),
      "The pod plan (behaviour §6) for a CP session and the CP's settings (dicts or\n"
      "JSON str): which of init-hydrate and state-sync the pod needs, each as a\n"
      "Kubernetes container dict. Incomplete S3 settings give a plan without\n"
      "persistence whose \"conditions\" say why (S3Available=False); \"warnings\"\n"
      "lists odd input accepted. Raises InvalidInputError naming the field at fault.");
}

}  // namespace wspy
