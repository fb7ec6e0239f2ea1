// `token`, `credentials` and `credential-helper`: the auth layer from the
// command line. Tokens are printed masked unless --reveal is given; the
// credential helper speaks git's credential-helper protocol on stdin/stdout
// (git-credential(1)) and answers only for hosts a token belongs to.
#include <iostream>
#include <map>
#include <string>

#include "auth/api_token.hpp"
#include "auth/session_credentials.hpp"
#include "cli.hpp"
#include "common/redact.hpp"
#include "config/config.hpp"
#include "config/env_source.hpp"

namespace cli {
namespace {

const Option kAllowPlainHttp{"--allow-plain-http", "",
                             "allow bearer tokens over plain http to hosts outside the cluster"};
const Option kVerbose{"--verbose", "", "also print debug lines"};

ws::auth::AuthOptions auth_options(const Args& args) {
  ws::auth::AuthOptions o;
  o.allow_plain_http = args.flag("--allow-plain-http");
  return o;
}

// Warnings and errors only: a credential helper's stderr reaches the user of git.
ws::Logger quiet_logger() {
  const ws::Logger loud = terminal_logger(false);
  return ws::Logger([loud](const ws::LogEvent& e) {
    if (e.level >= ws::LogLevel::warn) loud.log(e.level, e.event, e.message);
  });
}

int run_token(const Args& args) {
  auto cfg = ws::config::load_config(ws::config::EnvSource::from_process());
  if (!cfg) return report(cfg.error());
  const auto log = terminal_logger(args.flag("--verbose"));
  ws::http::Client client(log);
  auto token = ws::auth::resolve_api_token(*cfg, auth_options(args), client, log);
  if (!token) return report(token.error());
  if (args.flag("--reveal")) {
    std::cout << token->value << "\n";
  } else {
    std::cout << "API token from " << ws::auth::token_source_name(token->source) << ": "
              << ws::mask_secret(token->value) << "\n";
  }
  return kExitOk;
}

void print_hosting(const ws::auth::SessionCredentials& creds, ws::auth::GitHosting hosting) {
  const auto& r = creds.git[hosting];
  std::cout << ws::auth::hosting_name(hosting) << ": " << ws::auth::outcome_name(r.outcome);
  if (!r.credential) {
    std::cout << " (" << r.message << ")\n";
    return;
  }
  const auto& c = *r.credential;
  std::cout << ", token " << ws::mask_secret(c.token);
  if (!c.user_name.empty()) std::cout << ", user " << c.user_name;
  if (!c.email.empty()) std::cout << " <" << c.email << ">";
  if (!c.expires_at.empty()) std::cout << ", expires " << c.expires_at;
  std::cout << "\n";
  const std::string user = hosting == ws::auth::GitHosting::github ? "x-access-token" : "oauth2";
  for (const auto& g : creds.provider->grants()) {
    if (g.username != user) continue;
    std::cout << "  offered over https as " << g.username << " to:";
    for (size_t i = 0; i < g.hosts.size(); ++i) {
      std::cout << " " << g.hosts[i] << (i == 0 && g.subdomains ? " (and subdomains)" : "");
    }
    std::cout << "\n";
  }
}

int run_credentials(const Args& args) {
  auto cfg = ws::config::load_config(ws::config::EnvSource::from_process());
  if (!cfg) return report(cfg.error());
  const auto creds = ws::auth::resolve_session_credentials(*cfg, auth_options(args),
                                                           terminal_logger(args.flag("--verbose")));
  if (creds.api_token) {
    std::cout << "API token: from " << ws::auth::token_source_name(creds.api_token->source) << ", "
              << ws::mask_secret(creds.api_token->value) << "\n";
  } else if (!creds.api_token_problem.empty()) {
    std::cout << "API token: unavailable (" << creds.api_token_problem << ")\n";
  }
  print_hosting(creds, ws::auth::GitHosting::github);
  print_hosting(creds, ws::auth::GitHosting::gitlab);
  std::cout << "git identity: " << creds.identity.name << " <" << creds.identity.email << ">\n";
  return kExitOk;
}

// git-credential(1): "key=value" lines up to a blank line or end of input.
std::map<std::string, std::string> read_credential_request(std::istream& in) {
  std::map<std::string, std::string> fields;
  std::string line;
  while (std::getline(in, line) && !line.empty()) {
    if (const auto eq = line.find('='); eq != std::string::npos) {
      fields[line.substr(0, eq)] = line.substr(eq + 1);
    }
  }
  return fields;
}

int run_credential_helper(const Args& args) {
  if (args.positional.size() != 1) {
    return report(ws::Error(ws::Errc::invalid_input, "credential-helper needs one action: get, store or erase"));
  }
  const std::string& action = args.positional[0];
  if (action != "get" && action != "store" && action != "erase") {
    return report(ws::Error(ws::Errc::invalid_input, "unknown credential-helper action '" + action +
                                                         "' (expected get, store or erase)"));
  }
  const auto request = read_credential_request(std::cin);
  // Tokens come from the session, never from git: nothing to store or erase.
  if (action != "get") return kExitOk;
  const auto protocol = request.find("protocol");
  const auto host = request.find("host");
  if (protocol == request.end() || host == request.end()) return kExitOk;

  auto cfg = ws::config::load_config(ws::config::EnvSource::from_process());
  if (!cfg) return report(cfg.error());
  const auto creds = ws::auth::resolve_session_credentials(*cfg, auth_options(args), quiet_logger());
  const auto found = creds.provider->lookup(protocol->second, host->second);
  if (found) std::cout << "username=" << found->username << "\npassword=" << found->password << "\n";
  return kExitOk;
}

}  // namespace

void add_auth_commands(std::vector<Command>& out) {
  out.push_back({"token", "[--reveal] [--allow-plain-http]",
                 "resolve the session's API bearer token (printed masked)",
                 "From the CP token endpoint when AMBIENT_CP_TOKEN_URL is set (the bearer is\n"
                 "SESSION_ID encrypted under AMBIENT_CP_TOKEN_PUBLIC_KEY, or the service-account\n"
                 "token), else BOT_TOKEN. Exit 1 when it cannot be resolved.",
                 {{"--reveal", "", "print the whole token (a secret) instead of a masked form"},
                  kAllowPlainHttp, kVerbose},
                 run_token});
  out.push_back({"credentials", "[--allow-plain-http]",
                 "show which git credentials resolve and where they may go (masked)",
                 "GITHUB_TOKEN / GITLAB_TOKEN, else the backend credentials API; each hosting's\n"
                 "outcome (fetched, from environment, auth failed, not configured, unreachable,\n"
                 "malformed, skipped) and the hosts its token is offered to.",
                 {kAllowPlainHttp, kVerbose},
                 run_credentials});
  out.push_back({"credential-helper", "get|store|erase",
                 "git credential helper giving each host only its own token",
                 "Speaks git-credential(1) on stdin/stdout. Configure it with\n"
                 "  git config credential.helper '!ambient-workspace credential-helper'\n"
                 "`get` answers username/password only for https and a host the token belongs\n"
                 "to (GitHub: github.com, its subdomains, GITHUB_HOSTS; GitLab: gitlab.com, the\n"
                 "instanceUrl host, GITLAB_HOSTS), and nothing otherwise; store and erase do\n"
                 "nothing.",
                 {kAllowPlainHttp},
                 run_credential_helper});
}

}  // namespace cli
