#include <doctest/doctest.h>

#include <algorithm>

#include <boost/json.hpp>

#include "config/pod_plan.hpp"

namespace json = boost::json;
using ws::config::pod_plan_json;

namespace {

const char* kSession =
    R"({"name":"s1","namespace":"proj","id":"uuid-1",)"
    R"("Repos":"[{\"url\":\"https://github.com/o/app.git\",\"branch\":\"dev\"}]",)"
    R"("workflow":{"gitUrl":"https://github.com/o/flows","path":"spec-kit"}})";
const char* kBareSession = R"({"name":"s1","namespace":"proj"})";
const char* kMinio = R"("sharedMinio":{"accessKey":"minio","secretKey":"minio123"})";

json::object plan(std::string_view session, std::string_view settings) {
  auto r = pod_plan_json(session, settings);
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  return json::parse(*r).as_object();
}

std::string error_of(std::string_view session, std::string_view settings) {
  auto r = pod_plan_json(session, settings);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ws::Errc::invalid_input);
  return r.error().message;
}

// The env entry `name` of a container, or null.
json::value env_of(const json::value& container, std::string_view name) {
  for (const auto& e : container.at("env").as_array()) {
    if (e.at("name").as_string() == name) return e;
  }
  return nullptr;
}

std::string env_value(const json::value& container, std::string_view name) {
  const auto e = env_of(container, name);
  REQUIRE_MESSAGE(e.is_object(), name);
  return std::string(e.at("value").as_string());
}

}  // namespace

TEST_CASE("a session without repos, workflow or storage needs neither container") {
  const auto p = plan(kBareSession, "");
  CHECK(p.at("initHydrate") == false);
  CHECK(p.at("stateSync") == false);
  CHECK(p.at("initContainers").as_array().empty());
  CHECK(p.at("containers").as_array().empty());
  CHECK(p.at("storage").at("source") == "none");
  CHECK(json::serialize(p.at("volumes")) == R"([{"name":"workspace","emptyDir":{}}])");
  CHECK(json::serialize(p.at("workspaceMount")) == R"({"name":"workspace","mountPath":"/workspace"})");
}

TEST_CASE("repos without storage need only init-hydrate") {
  const auto p = plan(kSession, "{}");
  CHECK(p.at("initHydrate") == true);
  CHECK(p.at("stateSync") == false);
  const auto& init = p.at("initContainers").at(0);
  CHECK(init.at("name") == "init-hydrate");
  CHECK(init.at("image") == "quay.io/ambient_code/vteam_state_sync");
  CHECK(json::serialize(init.at("command")) == R"(["ambient-workspace","hydrate","--allow-losses"])");
  CHECK(env_of(init, "S3_ENDPOINT").is_null());
}

TEST_CASE("a workflow alone needs init-hydrate, which clones it") {
  const auto p = plan(R"({"name":"s","namespace":"p","workflow":{"gitUrl":"https://h/o/wf"}})", "");
  CHECK(p.at("initHydrate") == true);
}

TEST_CASE("storage alone needs both containers") {
  const auto p = plan(kBareSession, std::string("{") + kMinio + "}");
  CHECK(p.at("initHydrate") == true);
  CHECK(p.at("stateSync") == true);
  CHECK(json::serialize(p.at("storage")) ==
        R"({"source":"shared-minio","endpoint":"http://minio.ambient-code.svc:9000","bucket":"ambient-sessions"})");
}

TEST_CASE("init-hydrate gets the session's env of behaviour §1") {
  const auto p = plan(kSession, std::string(R"({"backendApiUrl":"http://backend:8080/api",)") +
                                    R"("cpTokenUrl":"http://cp:8080/token","botToken":"bot",)" +
                                    kMinio + "}");
  const auto& init = p.at("initContainers").at(0);
  CHECK(env_value(init, "SESSION_NAME") == "s1");
  CHECK(env_value(init, "NAMESPACE") == "proj");
  CHECK(env_value(init, "PROJECT_NAME") == "proj");
  CHECK(env_value(init, "SESSION_ID") == "uuid-1");
  CHECK(env_value(init, "REPOS_JSON") == R"([{"url":"https://github.com/o/app.git","branch":"dev"}])");
  CHECK(env_value(init, "ACTIVE_WORKFLOW_GIT_URL") == "https://github.com/o/flows");
  CHECK(env_value(init, "ACTIVE_WORKFLOW_BRANCH") == "main");
  CHECK(env_value(init, "ACTIVE_WORKFLOW_PATH") == "spec-kit");
  CHECK(env_value(init, "S3_ENDPOINT") == "http://minio.ambient-code.svc:9000");
  CHECK(env_value(init, "S3_BUCKET") == "ambient-sessions");
  CHECK(env_value(init, "AWS_ACCESS_KEY_ID") == "minio");
  CHECK(env_value(init, "AWS_SECRET_ACCESS_KEY") == "minio123");
  CHECK(env_value(init, "RUNNER_STATE_DIR") == ".claude");
  CHECK(env_value(init, "BACKEND_API_URL") == "http://backend:8080/api");
  CHECK(env_value(init, "AMBIENT_CP_TOKEN_URL") == "http://cp:8080/token");
  CHECK(env_value(init, "BOT_TOKEN") == "bot");
}

TEST_CASE("the sidecar gets only the variables the sync reads") {
  const auto p = plan(kSession, std::string(R"({"botToken":"bot",)") + kMinio + "}");
  const auto& sidecar = p.at("containers").at(0);
  CHECK(sidecar.at("name") == "state-sync");
  CHECK(json::serialize(sidecar.at("command")) == R"(["ambient-workspace","sync"])");
  CHECK(env_value(sidecar, "SESSION_NAME") == "s1");
  CHECK(env_value(sidecar, "AWS_SECRET_ACCESS_KEY") == "minio123");
  CHECK(env_of(sidecar, "REPOS_JSON").is_null());
  CHECK(env_of(sidecar, "BOT_TOKEN").is_null());
}

TEST_CASE("the sidecar mounts the workspace and the state directory under /app via subPath") {
  const auto p = plan(kBareSession, std::string(R"({"runnerStateDir":"./.gemini/",)") + kMinio + "}");
  const auto& sidecar = p.at("containers").at(0);
  CHECK(json::serialize(sidecar.at("volumeMounts")) ==
        R"([{"name":"workspace","mountPath":"/workspace"},)"
        R"({"name":"workspace","mountPath":"/app/.gemini","subPath":".gemini"}])");
  CHECK(env_value(sidecar, "RUNNER_STATE_DIR") == ".gemini");
  const auto& init = p.at("initContainers").at(0);
  CHECK(json::serialize(init.at("volumeMounts")) == R"([{"name":"workspace","mountPath":"/workspace"}])");
}

TEST_CASE("no container fixes its user; the sidecar is non-root, init-hydrate may be root") {
  const auto p = plan(kSession, std::string("{") + kMinio + "}");
  CHECK(json::serialize(p.at("initContainers").at(0).at("securityContext")) ==
        R"({"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]},)"
        R"("readOnlyRootFilesystem":false,"seccompProfile":{"type":"RuntimeDefault"}})");
  CHECK(json::serialize(p.at("containers").at(0).at("securityContext")) ==
        R"({"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]},)"
        R"("readOnlyRootFilesystem":false,"seccompProfile":{"type":"RuntimeDefault"},"runAsNonRoot":true})");
}

// The checks of OpenShift's restricted-v2 SCC and of the Pod Security
// "restricted" profile that a container spec can fail, for one container.
static void check_restricted(const json::object& c) {
  const std::string name(c.at("name").as_string());
  INFO("container " << name);
  REQUIRE(c.contains("securityContext"));
  const auto& sc = c.at("securityContext").as_object();
  // restricted-v2 assigns the UID (MustRunAsRange) and rejects a fixed one.
  CHECK_FALSE(sc.contains("runAsUser"));
  CHECK_FALSE(sc.contains("runAsGroup"));
  // runAsNonRoot may be left to the pod or the image, never set to false.
  if (const auto* nr = sc.if_contains("runAsNonRoot")) CHECK(*nr == true);
  CHECK(sc.at("allowPrivilegeEscalation") == false);
  if (const auto* priv = sc.if_contains("privileged")) CHECK(*priv == false);
  const auto& caps = sc.at("capabilities").as_object();
  const auto& drop = caps.at("drop").as_array();
  CHECK(std::find(drop.begin(), drop.end(), json::value("ALL")) != drop.end());
  if (const auto* add = caps.if_contains("add")) {
    for (const auto& cap : add->as_array()) CHECK(cap == "NET_BIND_SERVICE");
  }
  const auto type = sc.at("seccompProfile").at("type");
  CHECK((type == "RuntimeDefault" || type == "Localhost"));
  CHECK_FALSE(sc.contains("seLinuxOptions"));
  CHECK_FALSE(sc.contains("procMount"));
  CHECK(sc.at("readOnlyRootFilesystem") == false);  // the image writes its caches
  if (const auto* ports = c.if_contains("ports")) {
    for (const auto& port : ports->as_array()) CHECK_FALSE(port.as_object().contains("hostPort"));
  }
}

TEST_CASE("every container of every plan passes the restricted-v2 SCC and Pod Security restricted checks") {
  const std::string custom =
      R"({"projectStorage":{"storageMode":"custom","S3_ENDPOINT":"https://s3.example","S3_BUCKET":"b",)"
      R"("S3_ACCESS_KEY":"AK","S3_SECRET_KEY":"SK"}})";
  size_t walked = 0;
  for (const char* session : {kSession, kBareSession}) {
    for (const std::string& settings : {std::string(""), std::string("{") + kMinio + "}", custom}) {
      const auto p = plan(session, settings);
      for (const char* list : {"initContainers", "containers"}) {
        for (const auto& c : p.at(list).as_array()) {
          check_restricted(c.as_object());
          ++walked;
        }
      }
      // No host namespaces or host paths: the only volume is an emptyDir.
      for (const auto& v : p.at("volumes").as_array()) {
        CHECK(v.as_object().size() == 2);
        CHECK(v.as_object().contains("emptyDir"));
      }
      for (const char* host : {"hostNetwork", "hostPID", "hostIPC"}) CHECK_FALSE(p.contains(host));
    }
  }
  CHECK(walked == 9);  // 2+2+2 with repos, 0+2+2 without
}

TEST_CASE("image and pull policy come from the settings") {
  const auto p = plan(kSession, R"({"stateSyncImage":"registry.local/sync:1","imagePullPolicy":"Never"})");
  CHECK(p.at("initContainers").at(0).at("image") == "registry.local/sync:1");
  CHECK(p.at("initContainers").at(0).at("imagePullPolicy") == "Never");
}

TEST_CASE("custom project storage wins over the cluster's") {
  const auto p = plan(kBareSession,
                      std::string(R"({"projectStorage":{"storageMode":"custom","S3_ENDPOINT":"https://s3.example",)") +
                          R"("S3_BUCKET":"mine","S3_ACCESS_KEY":"AK","S3_SECRET_KEY":"SK"},)" + kMinio + "}");
  CHECK(p.at("storage").at("source") == "custom");
  CHECK(env_value(p.at("containers").at(0), "S3_BUCKET") == "mine");
  CHECK(env_value(p.at("containers").at(0), "AWS_ACCESS_KEY_ID") == "AK");
}

TEST_CASE("secret references become secretKeyRef env entries instead of values") {
  const auto p = plan(
      kBareSession,
      R"({"secretRefs":{"AWS_ACCESS_KEY_ID":{"name":"minio-credentials","key":"access-key"},)"
      R"("AWS_SECRET_ACCESS_KEY":{"name":"minio-credentials","key":"secret-key"},)"
      R"("GITHUB_TOKEN":{"name":"gh","key":"token"}}})");
  CHECK(p.at("stateSync") == true);
  const auto& init = p.at("initContainers").at(0);
  CHECK(json::serialize(env_of(init, "AWS_ACCESS_KEY_ID")) ==
        R"({"name":"AWS_ACCESS_KEY_ID","valueFrom":{"secretKeyRef":{"name":"minio-credentials","key":"access-key"}}})");
  CHECK(env_of(init, "GITHUB_TOKEN").at("valueFrom").at("secretKeyRef").at("name") == "gh");
  CHECK(env_of(p.at("containers").at(0), "GITHUB_TOKEN").is_null());
}

TEST_CASE("extra env goes to the containers that read each variable") {
  const auto p = plan(kSession, std::string(R"({"env":{"SYNC_INTERVAL":"30","LOG_FORMAT":"json"},)") +
                                    kMinio + "}");
  CHECK(env_value(p.at("containers").at(0), "SYNC_INTERVAL") == "30");
  CHECK(env_value(p.at("containers").at(0), "LOG_FORMAT") == "json");
  CHECK(env_value(p.at("initContainers").at(0), "LOG_FORMAT") == "json");
  CHECK(env_of(p.at("initContainers").at(0), "SYNC_INTERVAL").is_null());
}

TEST_CASE("the git host lists reach init-hydrate as GITHUB_HOSTS / GITLAB_HOSTS") {
  const auto p = plan(kSession, std::string(R"({"githubHosts":["ghe.corp"," git.corp:8443 "],)") +
                                    R"("gitlabHosts":"gl.corp, code.corp",)" + kMinio + "}");
  const auto& init = p.at("initContainers").at(0);
  CHECK(env_value(init, "GITHUB_HOSTS") == "ghe.corp,git.corp:8443");
  CHECK(env_value(init, "GITLAB_HOSTS") == "gl.corp,code.corp");
  CHECK(env_of(p.at("containers").at(0), "GITHUB_HOSTS").is_null());  // the sidecar clones nothing
  // Unset, hydrate trusts the session's own hosts: nothing to pass.
  CHECK(env_of(plan(kSession, "").at("initContainers").at(0), "GITHUB_HOSTS").is_null());
  CHECK(error_of(kSession, R"({"githubHosts":["https://ghe.corp/x"]})") ==
        "settings.githubHosts must list bare host[:port] names, got 'https://ghe.corp/x'");
  CHECK(error_of(kSession, R"({"gitlabHosts":7})") ==
        "settings.gitlabHosts must be an array of hosts or a comma-separated string, got a number");
  CHECK(error_of(kSession, R"({"env":{"GITHUB_HOSTS":"x"}})") ==
        "settings.env.GITHUB_HOSTS is set by the plan from the session and the settings' own fields");
}

TEST_CASE("incomplete storage settings plan a pod without persistence and say why") {
  const auto p = plan(kSession, R"({"projectStorage":{"storageMode":"custom","S3_ENDPOINT":"https://s3.example"}})");
  CHECK(p.at("initHydrate") == true);
  CHECK(p.at("stateSync") == false);
  CHECK(p.at("storage").at("source") == "none");
  CHECK(json::serialize(p.at("conditions")) ==
        R"([{"type":"S3Available","status":"False","reason":"IncompleteSettings","message":)"
        R"("the project's storage mode is 'custom' with its own S3_ENDPOINT but neither S3_ACCESS_KEY )"
        R"(nor S3_SECRET_KEY: the session runs without persistence"}])");
  const auto& init = p.at("initContainers").at(0);
  CHECK(env_of(init, "S3_ENDPOINT").is_null());
  CHECK(env_of(init, "AWS_ACCESS_KEY_ID").is_null());
}

TEST_CASE("without storage settings the plan says S3 is not configured") {
  const auto p = plan(kBareSession, "");
  CHECK(p.at("conditions").at(0).at("status") == "False");
  CHECK(p.at("conditions").at(0).at("reason") == "NotConfigured");
}

TEST_CASE("custom storage with fields missing falls back to the defaults, with a warning in the plan") {
  const auto p = plan(kBareSession, std::string(R"({"projectStorage":{"storageMode":"custom","S3_BUCKET":"b"},)") +
                                        kMinio + "}");
  CHECK(p.at("stateSync") == true);
  CHECK(p.at("storage").at("source") == "custom");
  CHECK(p.at("storage").at("bucket") == "b");
  CHECK(p.at("storage").at("endpoint") == "http://minio.ambient-code.svc:9000");
  CHECK(p.at("conditions").at(0).at("status") == "True");
  CHECK(p.at("warnings").at(0).at("event") == "storage.custom_defaulted");
}

TEST_CASE("an unknown storage mode plans the shared store, with a warning in the plan") {
  const auto p = plan(kBareSession, std::string(R"({"projectStorage":{"storageMode":"Custom "},)") + kMinio + "}");
  CHECK(p.at("storage").at("source") == "shared-minio");
  CHECK(p.at("warnings").at(0).at("event") == "storage.unknown_mode");
}

TEST_CASE("settings that are not a JSON object are refused") {
  CHECK(error_of(kBareSession, "[]") == "settings must be a JSON object, got an array");
  CHECK(error_of(kBareSession, "{,").rfind("settings is not valid JSON (at byte 1)", 0) == 0);
}

TEST_CASE("an unknown settings field is refused, listing the known ones") {
  CHECK(error_of(kBareSession, R"({"stateSyncImg":"x"})")
            .rfind("settings.stateSyncImg is not a known field (known: stateSyncImage, ", 0) == 0);
  CHECK(error_of(kBareSession, R"({"sharedMinio":{"user":"x"}})") ==
        "settings.sharedMinio.user is not a known field (known: accessKey, secretKey)");
}

TEST_CASE("settings fields of the wrong type are refused by name") {
  CHECK(error_of(kBareSession, R"({"botToken":42})") == "settings.botToken must be a string, got a number");
  CHECK(error_of(kBareSession, R"({"clusterStorage":"minio"})") ==
        "settings.clusterStorage must be an object, got a string");
}

TEST_CASE("a bad image pull policy is refused") {
  CHECK(error_of(kBareSession, R"({"imagePullPolicy":"always"})") ==
        "settings.imagePullPolicy must be Always, IfNotPresent or Never, got 'always'");
}

TEST_CASE("a bad runnerStateDir is refused") {
  CHECK(error_of(kBareSession, R"({"runnerStateDir":"/abs"})") ==
        "settings.runnerStateDir '/abs' must be relative to the workspace, not an absolute path");
}

TEST_CASE("a secret reference to an unknown variable or without a key is refused") {
  CHECK(error_of(kBareSession, R"({"secretRefs":{"PASSWORD":{"name":"s","key":"k"}}})") ==
        "settings.secretRefs.PASSWORD is not a variable of the session pod (see 'ambient-workspace env')");
  CHECK(error_of(kBareSession, R"({"secretRefs":{"BOT_TOKEN":{"name":"s"}}})") ==
        R"(settings.secretRefs.BOT_TOKEN needs both "name" and "key")");
  CHECK(error_of(kBareSession, R"({"secretRefs":{"BOT_TOKEN":"s"}})") ==
        R"(settings.secretRefs.BOT_TOKEN must be an object {"name", "key"}, got a string)");
}

TEST_CASE("extra env may not set what the plan derives, nor unknown variables") {
  CHECK(error_of(kBareSession, R"({"env":{"S3_BUCKET":"b"}})") ==
        "settings.env.S3_BUCKET is set by the plan from the session and the settings' own fields");
  CHECK(error_of(kBareSession, R"({"env":{"HOME":"/"}})") ==
        "settings.env.HOME is not a variable of the session pod (see 'ambient-workspace env')");
  CHECK(error_of(kBareSession, R"({"env":{"SYNC_INTERVAL":30}})") ==
        "settings.env.SYNC_INTERVAL must be a string, got a number");
}

TEST_CASE("session errors come before settings errors") {
  CHECK(error_of("{}", "[]") == R"(session has no "name")");
}

TEST_CASE("settings URLs must be http(s) without credentials") {
  CHECK(error_of(kBareSession, R"({"backendApiUrl":"backend:8080"})") ==
        "settings.backendApiUrl must be an http:// or https:// URL, got 'backend:8080'");
  CHECK(error_of(kBareSession, R"({"cpTokenUrl":"https://u:p@cp/token"})") ==
        "settings.cpTokenUrl must not carry credentials (userinfo) in the URL: 'https://cp/token'");
}

TEST_CASE("a plan whose env the pod would refuse is refused, naming the container") {
  CHECK(error_of(kBareSession, std::string(R"({"env":{"SYNC_INTERVAL":"0"},)") + kMinio + "}") ==
        "the state-sync container would refuse its env: SYNC_INTERVAL must be between 1 and 86400, got 0");
  CHECK(error_of(kSession, R"({"env":{"LOG_FORMAT":"xml"}})") ==
        "the init-hydrate container would refuse its env: LOG_FORMAT must be 'text' or 'json', got 'xml'");
}

TEST_CASE("the session's Repos reaches REPOS_JSON verbatim, after validation") {
  const std::string repos = R"([ {"url": "https://h/o/app", "branch": "dev", "provider": "github"} ])";
  const auto as_string = plan(std::string(R"({"name":"s","namespace":"p","RepoURL":"https://h/o/one","Repos":)") +
                                  json::serialize(json::value(repos)) + "}",
                              "");
  CHECK(env_value(as_string.at("initContainers").at(0), "REPOS_JSON") == repos);
  const auto as_array = plan(std::string(R"({"name":"s","namespace":"p","Repos":)") + repos + "}", "");
  CHECK(env_value(as_array.at("initContainers").at(0), "REPOS_JSON") ==
        R"([{"url":"https://h/o/app","branch":"dev","provider":"github"}])");
  CHECK(error_of(R"({"name":"s","namespace":"p","Repos":"[{\"url\":\"https://h/o/..\"}]"})", "")
            .rfind("Repos[0]: repo URL", 0) == 0);
}

TEST_CASE("RepoURL reaches REPOS_JSON as one repo when Repos is empty in any form") {
  for (const char* repos : {R"("")", R"("[]")", "[]", "null"}) {
    const auto p = plan(std::string(R"({"name":"s","namespace":"p","RepoURL":"https://h/o/one","Repos":)") + repos + "}", "");
    CHECK(env_value(p.at("initContainers").at(0), "REPOS_JSON") == R"([{"url":"https://h/o/one"}])");
  }
}
