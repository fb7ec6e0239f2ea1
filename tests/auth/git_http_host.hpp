// A private git host for tests: bare repositories under a directory, served
// over HTTPS by the Beast server through `git http-backend` (CGI), and only
// to requests carrying the expected Basic credentials.
#pragma once

#include <atomic>
#include <filesystem>
#include <string>

#include "beast_server.hpp"

namespace wstest {

class GitHttpHost {
 public:
  // Routes "/git/" on `server`; `project_root` holds the bare repositories.
  GitHttpHost(BeastServer& server, std::filesystem::path project_root, std::string username,
              std::string password);

  // Requests that carried any Authorization header, right or wrong.
  int authorised_attempts() const { return with_auth_.load(); }

 private:
  HttpReply handle(const HttpRequest& req);

  std::filesystem::path root_;
  std::string expected_authorization_;
  std::atomic<int> with_auth_{0};
};

}  // namespace wstest
