// libworkspace.api_token / resolve_credentials / Credentials: the auth layer
// for Python. `env` is a dict of the session's variables (behaviour §1), None for
// the process environment. The GIL is released around network I/O.
#include <pybind11/stl.h>

#include "auth/api_token.hpp"
#include "auth/session_credentials.hpp"
#include "bindings.hpp"
#include "common/redact.hpp"
#include "config/config.hpp"
#include "config/env_source.hpp"

namespace wspy {
namespace {

ws::config::Config config_from(const py::object& env) {
  if (env.is_none()) return unwrap(ws::config::load_config(ws::config::EnvSource::from_process()));
  std::map<std::string, std::string, std::less<>> values;
  for (const auto& [k, v] : env.cast<py::dict>()) values[py::str(k)] = py::str(v);
  return unwrap(ws::config::load_config(ws::config::EnvSource(std::move(values))));
}

ws::auth::AuthOptions options_from(bool allow_plain_http) {
  ws::auth::AuthOptions o;
  o.allow_plain_http = allow_plain_http;
  return o;
}

ws::auth::GitHosting hosting_from(const std::string& name) {
  if (name == "github") return ws::auth::GitHosting::github;
  if (name == "gitlab") return ws::auth::GitHosting::gitlab;
  raise(ws::Error(ws::Errc::invalid_input, "hosting must be 'github' or 'gitlab', not '" + name + "'"));
}

std::string api_token(const py::object& env, bool allow_plain_http, const py::object& log) {
  const auto config = config_from(env);
  const auto logger = make_logger(log, py::none());
  ws::Result<ws::auth::ApiToken> token = ws::Error();
  {
    py::gil_scoped_release release;
    ws::http::Client client(logger);
    token = ws::auth::resolve_api_token(config, options_from(allow_plain_http), client, logger);
  }
  return unwrap(std::move(token)).value;
}

ws::auth::SessionCredentials resolve_credentials(const py::object& env, bool allow_plain_http,
                                                 const py::object& log) {
  const auto config = config_from(env);
  const auto logger = make_logger(log, py::none());
  py::gil_scoped_release release;
  return ws::auth::resolve_session_credentials(config, options_from(allow_plain_http), logger);
}

std::string describe(const ws::auth::SessionCredentials& c) {
  std::string out = "<Credentials";
  for (auto h : {ws::auth::GitHosting::github, ws::auth::GitHosting::gitlab}) {
    const auto& r = c.git[h];
    out += std::string(" ") + ws::auth::hosting_name(h) + "=" + ws::auth::outcome_name(r.outcome);
    if (r.credential) out += " (" + ws::mask_secret(r.credential->token) + ")";
  }
  return out + ">";
}

}  // namespace

void register_auth(py::module_& m) {
  using namespace pybind11::literals;
  m.def("api_token", &api_token, "env"_a = py::none(), py::kw_only(), "allow_plain_http"_a = false,
        "log"_a = py::none(),
        "The session's API bearer token (a secret): from the CP token endpoint when\n"
        "AMBIENT_CP_TOKEN_URL is set, else BOT_TOKEN. `env` is a dict of the session's\n"
        "variables (None = the process environment); `log(level, event, message)` gets\n"
        "progress lines. Raises NotFoundError, AuthError, NetworkError, ProtocolError,\n"
        "InvalidInputError.");

  py::class_<ws::auth::SessionCredentials>(m, "Credentials",
                                           "A session's resolved git credentials (resolve_credentials).")
      .def(
          "lookup",
          [](const ws::auth::SessionCredentials& c, const std::string& protocol,
             const std::string& host) -> std::optional<std::pair<std::string, std::string>> {
            auto found = c.provider->lookup(protocol, host);
            if (!found) return std::nullopt;
            return std::make_pair(found->username, found->password);
          },
          "protocol"_a, "host"_a,
          "(username, token) git should offer to `host` over `protocol`, or None: a token\n"
          "goes only to its own hosts and only over https.")
      .def(
          "outcome",
          [](const ws::auth::SessionCredentials& c, const std::string& hosting) {
            return std::string(ws::auth::outcome_name(c.git[hosting_from(hosting)].outcome));
          },
          "hosting"_a,
          "'fetched', 'from environment', 'auth failed', 'not configured', 'unreachable',\n"
          "'malformed' or 'skipped', for 'github' or 'gitlab'.")
      .def(
          "message",
          [](const ws::auth::SessionCredentials& c, const std::string& hosting) {
            return c.git[hosting_from(hosting)].message;
          },
          "hosting"_a, "Why there is no token for the hosting ('' when there is one).")
      .def_property_readonly(
          "identity",
          [](const ws::auth::SessionCredentials& c) {
            return std::make_pair(c.identity.name, c.identity.email);
          },
          "(name, email) for commits in cloned repos.")
      .def("__repr__", &describe);

  m.def("resolve_credentials", &resolve_credentials, "env"_a = py::none(), py::kw_only(),
        "allow_plain_http"_a = false, "log"_a = py::none(),
        "Resolves GitHub and GitLab credentials: GITHUB_TOKEN / GITLAB_TOKEN, else the\n"
        "backend credentials API. Problems are warnings (through `log`) and outcomes on\n"
        "the result, never exceptions, except for an invalid `env`.");
}

}  // namespace wspy
