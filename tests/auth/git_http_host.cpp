#include "git_http_host.hpp"

#include "common/base64.hpp"
#include "support.hpp"

namespace wstest {

GitHttpHost::GitHttpHost(BeastServer& server, std::filesystem::path project_root, std::string username,
                         std::string password)
    : root_(std::move(project_root)),
      expected_authorization_("Basic " + ws::base64_encode(username + ":" + password)) {
  server.route("*", "/git/", [this](const HttpRequest& r) { return handle(r); });
}

HttpReply GitHttpHost::handle(const HttpRequest& req) {
  const std::string auth = req.header("authorization");
  if (!auth.empty()) ++with_auth_;
  if (auth != expected_authorization_) {
    HttpReply r = HttpReply::text(401, "authentication required\n");
    r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"private git\"");
    return r;
  }
  EnvChanges env = {
      {"GIT_PROJECT_ROOT", root_.string()},
      {"GIT_HTTP_EXPORT_ALL", "1"},
      {"REQUEST_METHOD", req.method},
      {"PATH_INFO", req.path().substr(std::string("/git").size())},
      {"QUERY_STRING", req.query()},
      {"CONTENT_TYPE", req.header("content-type")},
      {"CONTENT_LENGTH", std::to_string(req.body.size())},
      {"REMOTE_USER", "x-access-token"},
      {"REMOTE_ADDR", "127.0.0.1"},
      {"GIT_PROTOCOL", req.header("git-protocol")},
      {"HTTP_CONTENT_ENCODING", req.header("content-encoding")},
  };
  const auto cgi = run({"git", "http-backend"}, {}, env, req.body);
  if (cgi.exit_code != 0) return HttpReply::text(500, "git http-backend failed: " + cgi.err);

  // CGI answer: header lines, a blank line, the body.
  auto split = cgi.out.find("\r\n\r\n");
  size_t body_at = split == std::string::npos ? std::string::npos : split + 4;
  if (split == std::string::npos) {
    split = cgi.out.find("\n\n");
    body_at = split == std::string::npos ? cgi.out.size() : split + 2;
  }
  HttpReply reply;
  reply.body = cgi.out.substr(std::min(body_at, cgi.out.size()));
  std::string head = cgi.out.substr(0, std::min(split, cgi.out.size()));
  size_t pos = 0;
  while (pos < head.size()) {
    auto end = head.find('\n', pos);
    if (end == std::string::npos) end = head.size();
    std::string line = head.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    pos = end + 1;
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string name = line.substr(0, colon);
    const std::string value = line.substr(line.find_first_not_of(' ', colon + 1));
    if (name == "Status") reply.status = std::stoi(value);
    else reply.headers.emplace_back(name, value);
  }
  return reply;
}

}  // namespace wstest
