#include <memory>
#include <string>
#include <vector>

#include "capi/capi.hpp"
#include "capi/spec_handles.hpp"
#include "libworkspace/spec.h"
#include "config/pod_plan.hpp"
#include "config/repo_spec.hpp"
#include "config/sanitize.hpp"

namespace {

using ws::capi::fail;
using ws::capi::guard;
using ws::capi::null_arg;
using ws::capi::succeed;

std::string_view view(const char* s) { return s == nullptr ? std::string_view() : s; }

int make_config(ws_config** out, const ws::config::EnvSource& env) {
  auto config = ws::config::load_config(env);
  if (!config) return fail(config.error());
  auto handle = std::make_unique<ws_config>();
  for (auto& [name, value] : ws::config::resolved_env(*config)) handle->values.emplace(name, value);
  handle->config = std::move(config).value();
  *out = handle.release();
  return succeed();
}

int give_string(std::string_view s, char** out) {
  *out = ws::capi::dup_string(s);
  return succeed();
}

int give_repos(ws::Result<std::vector<ws::config::RepoSpec>> repos, unsigned int flags, char** out) {
  if (!repos) return fail(repos.error());
  return give_string(ws::config::repos_to_json(*repos, (flags & WS_REPOS_WITH_NAMES) != 0), out);
}

}  // namespace

extern "C" {

int ws_config_from_env(ws_config** out) {
  return guard([&] {
    int status = 0;
    if (null_arg(out, "out", &status)) return status;
    *out = nullptr;
    return make_config(out, ws::config::EnvSource::from_process());
  });
}

int ws_config_from_envp(ws_config** out, const char* const* envp) {
  return guard([&] {
    int status = 0;
    if (null_arg(out, "out", &status)) return status;
    *out = nullptr;
    if (null_arg(envp, "envp", &status)) return status;
    std::vector<std::string> entries;
    for (const char* const* e = envp; *e != nullptr; ++e) entries.emplace_back(*e);
    auto env = ws::config::EnvSource::from_entries(entries);
    if (!env) return fail(env.error());
    return make_config(out, *env);
  });
}

int ws_config_from_pairs(ws_config** out, const char* const* keys, const char* const* values,
                         size_t count) {
  return guard([&] {
    int status = 0;
    if (null_arg(out, "out", &status)) return status;
    *out = nullptr;
    if (count > 0 && (null_arg(keys, "keys", &status) || null_arg(values, "values", &status))) {
      return status;
    }
    ws::config::EnvSource env;
    for (size_t i = 0; i < count; ++i) {
      if (keys[i] == nullptr || keys[i][0] == '\0') {
        return fail(ws::Error(ws::Errc::invalid_input,
                              "keys[" + std::to_string(i) + "] must be a non-empty string"));
      }
      env.set(keys[i], values[i] == nullptr ? "" : values[i]);
    }
    return make_config(out, env);
  });
}

int ws_config_get(const ws_config* cfg, const char* name, const char** out) {
  return guard([&] {
    int status = 0;
    if (null_arg(cfg, "cfg", &status) || null_arg(name, "name", &status) ||
        null_arg(out, "out", &status)) {
      return status;
    }
    const auto it = cfg->values.find(std::string_view(name));
    if (it == cfg->values.end()) {
      return fail(ws::Error(ws::Errc::not_found, std::string("'") + name +
                                                     "' is not a variable of the session pod "
                                                     "(see 'ambient-workspace env')"));
    }
    *out = it->second.c_str();
    return succeed();
  });
}

int ws_config_persistence_enabled(const ws_config* cfg) {
  return cfg != nullptr && cfg->config.persistence_enabled() ? 1 : 0;
}

void ws_config_free(ws_config* cfg) { delete cfg; }

int ws_repos_normalize(const char* repos_json, unsigned int flags, char** out) {
  return guard([&] {
    int status = 0;
    if (null_arg(out, "out", &status)) return status;
    *out = nullptr;
    if (null_arg(repos_json, "repos_json", &status)) return status;
    return give_repos(ws::config::parse_repos_json(repos_json), flags, out);
  });
}

int ws_repos_from_session(const char* repo_url, const char* repos_json, unsigned int flags,
                          char** out) {
  return guard([&] {
    int status = 0;
    if (null_arg(out, "out", &status)) return status;
    *out = nullptr;
    return give_repos(ws::config::repos_from_session(view(repo_url), view(repos_json)), flags, out);
  });
}

int ws_repo_name_from_url(const char* url, char** out) {
  return guard([&] {
    int status = 0;
    if (null_arg(out, "out", &status)) return status;
    *out = nullptr;
    if (null_arg(url, "url", &status)) return status;
    auto name = ws::config::repo_name_from_url(url);
    if (!name) return fail(name.error());
    return give_string(*name, out);
  });
}

int ws_name_sanitize(const char* name, char** out) {
  return guard([&] {
    int status = 0;
    if (null_arg(out, "out", &status)) return status;
    *out = nullptr;
    if (null_arg(name, "name", &status)) return status;
    return give_string(ws::config::sanitize_name(name), out);
  });
}

int ws_pod_plan(const char* session_json, const char* settings_json, char** out) {
  return guard([&] {
    int status = 0;
    if (null_arg(out, "out", &status)) return status;
    *out = nullptr;
    if (null_arg(session_json, "session_json", &status)) return status;
    auto plan = ws::config::pod_plan_json(session_json, view(settings_json));
    if (!plan) return fail(plan.error());
    return give_string(*plan, out);
  });
}

}  // extern "C"
