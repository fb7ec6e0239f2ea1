#include "rgw.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <thread>

namespace wstest {
namespace {

using namespace std::chrono_literals;

constexpr auto kStartTimeout = 90s;
constexpr int kStartAttempts = 3;
// radosgw takes ~6 s to drain on TERM; its data is thrown away anyway.
constexpr auto kStopGrace = 1s;

// The daemons' own logs and the captured stdout/stderr of each.
const char* const kLogs[] = {"mon.a.out", "mon.a.log", "osd.0.out", "osd.0.log", "rgw.a.out", "client.rgw.a.log"};

std::string tail(const fs::path& p, size_t lines) {
  std::ifstream in(p);
  std::vector<std::string> all;
  for (std::string line; std::getline(in, line);) all.push_back(line);
  std::string out;
  for (size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i) out += all[i] + "\n";
  return out;
}

std::string uuid() {
  std::ifstream in("/proc/sys/kernel/random/uuid");
  std::string id;
  std::getline(in, id);
  return id;
}

// A port nothing listens on right now. ceph-mon's address is fixed in its
// monmap and beast's endpoint in ceph.conf, so neither can pick its own: the
// port is released before the daemon binds it, and a start that loses the
// race is retried on other ports.
int unused_port() {
  const int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  const bool ok = s >= 0 && bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
                  getsockname(s, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  if (s >= 0) close(s);
  if (!ok) throw std::runtime_error("RGW: cannot find a free port on 127.0.0.1");
  return ntohs(addr.sin_port);
}

bool on_path(const std::string& tool) { return run({"sh", "-c", "command -v " + tool}).exit_code == 0; }

// The cluster's ceph.conf; every pitfall of a one-node loopback cluster is
// answered here, so each line says why it is there.
std::string ceph_conf(const fs::path& dir, int mon_port, int port) {
  const std::string d = dir.string();
  return "[global]\n"
         "fsid = " + uuid() + "\n"
         // msgr2 only, IPv4 loopback only: nothing listens beyond this host
         "mon host = v2:127.0.0.1:" + std::to_string(mon_port) + "\n"
         "mon initial members = a\n"
         "public addr = 127.0.0.1\n"
         "cluster addr = 127.0.0.1\n"
         "public network = 127.0.0.1/32\n"
         "ms bind ipv4 = true\n"
         "ms bind ipv6 = false\n"
         "ms bind msgr1 = false\n"
         // no cephx: nothing leaves loopback, and it spares keyrings
         "auth cluster required = none\n"
         "auth service required = none\n"
         "auth client required = none\n"
         // radosgw defaults to 'secure' for the mon, which auth none cannot give: it would never connect
         "ms mon client mode = crc secure\n"
         "keyring = " + d + "/keyring\n"
         "run dir = " + d + "/run\n"
         "admin socket = " + d + "/run/$name.asok\n"
         "log file = " + d + "/log/$name.log\n"
         "crash dir = " + d + "/crash\n"
         // one OSD: pools of one replica and few PGs, created at once, never resized
         "osd pool default size = 1\n"
         "osd pool default min size = 1\n"
         "osd pool default pg num = 8\n"
         "osd pool default pgp num = 8\n"
         "osd pool default pg autoscale mode = off\n"
         "osd crush chooseleaf type = 0\n"
         "mon allow pool size one = true\n"
         "mon max pg per osd = 1000\n"
         "mon warn on pool no redundancy = false\n"
         // a full test disk must not stop the mon
         "mon data avail warn = 1\n"
         "mon data avail crit = 0\n"
         // osdmap changes every 0.1 s instead of 1 s: a 3 s start instead of 16 s
         "paxos propose interval = 0.1\n"
         "\n[mon]\n"
         "mon data = " + d + "/mon/$cluster-$id\n"
         "mon cluster log file = " + d + "/log/cluster.log\n"
         "\n[osd]\n"
         "osd data = " + d + "/osd/$cluster-$id\n"
         "osd objectstore = memstore\n"
         "memstore device bytes = 2147483648\n"
         "\n[client.rgw.a]\n"
         // without tcp_nodelay small GETs wait on Nagle and delayed ACKs: 4x slower
         "rgw frontends = beast endpoint=127.0.0.1:" + std::to_string(port) + " tcp_nodelay=1\n"
         "rgw data = " + d + "/rgw\n"
         "rgw thread pool size = 64\n"
         "rgw dynamic resharding = false\n"
         "rgw enable usage log = false\n";
}

}  // namespace

Rgw::Rgw(std::vector<std::string> buckets) : dir_("rgw") {
  for (const char* tool : {"ceph-mon", "ceph-osd", "radosgw", "radosgw-admin", "ceph", "monmaptool", "curl"}) {
    if (!on_path(tool)) {
      throw std::runtime_error(std::string("RGW peer: '") + tool +
                               "' is not installed: run './run install' (Debian packages radosgw ceph-mon "
                               "ceph-osd ceph-common)");
    }
  }
  for (int attempt = 1;; ++attempt) {
    try {
      start_once();
      break;
    } catch (const std::exception& e) {
      stop();
      // Free ports are picked, then bound by the daemons: another program may win the race.
      bool port_taken = false;
      for (const char* name : kLogs) {
        std::error_code ec;
        if (fs::exists(dir_ / "log" / name, ec)) {
          port_taken |= read_file(dir_ / "log" / name).find("Address already in use") != std::string::npos;
        }
      }
      if (attempt < kStartAttempts && port_taken) continue;
      throw std::runtime_error(std::string("RGW did not start: ") + e.what() + "\n" + log());
    }
  }
  for (const auto& b : buckets) create_bucket(b);
}

Rgw::~Rgw() { stop(); }

Rgw& Rgw::shared() {
  // A failed start is not tried again by every later test: each fails at once with the first reason.
  static std::string failure;
  if (!failure.empty()) throw std::runtime_error(failure);
  try {
    static Rgw rgw({"test-bucket", "other-bucket"});
    return rgw;
  } catch (const std::exception& e) {
    failure = e.what();
    throw;
  }
}

std::string Rgw::endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::string Rgw::log() const {
  std::string out;
  for (const char* name : kLogs) {
    const auto text = tail(dir_ / "log" / name, 12);
    if (!text.empty()) out += std::string("----- ") + name + "\n" + text;
  }
  return out;
}

EnvChanges Rgw::env() const { return {{"CEPH_CONF", (dir_ / "ceph.conf").string()}}; }

CommandResult Rgw::ceph(const std::vector<std::string>& args, const std::string& input) const {
  std::vector<std::string> argv = {"timeout", "20", "ceph", "--connect-timeout", "10"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv, dir_.path(), env(), input);
}

void Rgw::launch(Child& child, const std::string& name, std::vector<std::string> argv) {
  // -f: in the foreground (no pid file), so the Child's pid is the daemon's;
  // killed with the test program even when it dies without unwinding.
  argv.insert(argv.begin(), {"setpriv", "--pdeathsig", "KILL"});
  argv.push_back("-f");
  child = Child(argv, dir_.path(), env(), dir_ / "log" / (name + ".out"));
}

void Rgw::start_once() {
  for (const char* sub : {"mon", "osd/ceph-0", "rgw", "crash", "run", "log"}) {
    fs::remove_all(dir_ / sub);
    fs::create_directories(dir_ / sub);
  }
  port_ = unused_port();
  int mon_port = unused_port();
  while (mon_port == port_) mon_port = unused_port();
  write_file(dir_ / "ceph.conf", ceph_conf(dir_.path(), mon_port, port_));
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  auto until = [&](const std::string& what, auto ready) {
    while (!ready()) {
      for (auto* c : {&mon_, &osd_, &gateway_}) {
        if (c->pid() > 0 && !c->running()) throw std::runtime_error("a daemon exited while " + what);
      }
      if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("timed out while " + what);
      std::this_thread::sleep_for(100ms);
    }
  };
  auto must = [&](const CommandResult& r, const std::string& what) {
    if (r.exit_code != 0) throw std::runtime_error(what + " failed: " + r.out + r.err);
    return r.out;
  };

  const auto monmap = (dir_ / "monmap").string();
  must(run({"monmaptool", "--create", "--clobber", "--fsid", uuid(), "--addv", "a",
            "[v2:127.0.0.1:" + std::to_string(mon_port) + "]", "--enable-all-features",
            "--set-min-mon-release", "pacific", monmap}, dir_.path(), env()), "monmaptool");
  must(run({"ceph-mon", "--mkfs", "-i", "a", "--monmap", monmap}, dir_.path(), env()), "ceph-mon --mkfs");
  launch(mon_, "mon.a", {"ceph-mon", "-i", "a"});
  until("waiting for the monitor", [&] { return wait_for_port(mon_port, 100ms); });

  // Each ceph CLI call costs about a second of Python start: the OSD id and
  // radosgw's pools go in one. Made together, the pools' PGs peer together
  // once the OSD is up, and radosgw-admin below waits for them.
  const auto osd_uuid = uuid();
  std::string commands = "osd new " + osd_uuid + " 0\n";
  for (const char* p : {".rgw.root", "default.rgw.control", "default.rgw.meta", "default.rgw.log",
                        "default.rgw.buckets.index", "default.rgw.buckets.data", "default.rgw.buckets.non-ec"}) {
    commands += std::string("osd pool create ") + p + " 8 8\nosd pool application enable " + p + " rgw\n";
  }
  must(ceph({}, commands), "registering the OSD and creating the pools");
  must(run({"ceph-osd", "-i", "0", "--mkfs", "--osd-uuid", osd_uuid}, dir_.path(), env()), "ceph-osd --mkfs");
  launch(osd_, "osd.0", {"ceph-osd", "-i", "0"});

  // The user before radosgw: both would otherwise race to create the default zone.
  must(run({"timeout", "60", "radosgw-admin", "user", "create", "--uid=test", "--display-name=test",
            std::string("--access-key=") + kAccessKey, std::string("--secret=") + kSecretKey},
           dir_.path(), env()), "radosgw-admin user create");
  launch(gateway_, "rgw.a", {"radosgw", "-n", "client.rgw.a"});
  until("waiting for radosgw on port " + std::to_string(port_), [&] {
    auto r = run({"curl", "-sS", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code}", "--aws-sigv4",
                  std::string("aws:amz:") + kRegion + ":s3", "--user", std::string(kAccessKey) + ":" + kSecretKey,
                  "-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD", endpoint() + "/"});
    return r.out == "200";
  });
}

void Rgw::create_bucket(const std::string& name) {
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (true) {
    auto r = run({"curl", "-sS", "--max-time", "10", "-w", "\n%{http_code}", "-X", "PUT", "--aws-sigv4",
                  std::string("aws:amz:") + kRegion + ":s3", "--user", std::string(kAccessKey) + ":" + kSecretKey,
                  "-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD", endpoint() + "/" + name});
    if (r.out.ends_with("\n200")) return;
    // A refusal (4xx: a bad name) stays one; only an unready gateway is worth waiting for.
    const bool refused = r.out.size() >= 4 && r.out[r.out.size() - 3] == '4';
    if (refused || std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("RGW: creating bucket '" + name + "' failed: " + r.out + r.err + "\n" + log());
    }
    std::this_thread::sleep_for(200ms);
  }
}

void Rgw::stop() {
  for (auto* c : {&gateway_, &osd_, &mon_}) c->signal(SIGTERM);
  for (auto* c : {&gateway_, &osd_, &mon_}) {
    if (c->wait(kStopGrace) == -1000) {
      c->signal(SIGKILL);
      c->wait(10s);
    }
  }
  mon_ = Child();
  osd_ = Child();
  gateway_ = Child();
}

EnvChanges Rgw::rclone_env() const {
  return {
      {"AWS_CA_BUNDLE", std::nullopt},
      {"RCLONE_CONFIG_S3_TYPE", "s3"},
      {"RCLONE_CONFIG_S3_PROVIDER", "Ceph"},
      {"RCLONE_CONFIG_S3_ENDPOINT", endpoint()},
      {"RCLONE_CONFIG_S3_ACCESS_KEY_ID", kAccessKey},
      {"RCLONE_CONFIG_S3_SECRET_ACCESS_KEY", kSecretKey},
      {"RCLONE_CONFIG_S3_REGION", kRegion},
      {"RCLONE_CONFIG_S3_FORCE_PATH_STYLE", "true"},
      {"RCLONE_CONFIG", "/dev/null"},
  };
}

}  // namespace wstest
