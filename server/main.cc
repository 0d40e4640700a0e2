// replyd: the reply-suggestion server. `replyd --help` lists the flags;
// docs/protocol.md describes what it speaks.
//
// Signals: SIGHUP reloads the packs; SIGTERM and SIGINT shut down
// gracefully (answer what was read, close with 1001, flush feedback, exit 0).
#include <pthread.h>
#include <signal.h>

#include <cstring>
#include <iostream>

#include "server/config.h"
#include "server/log.h"
#include "server/server.h"

int main(int argc, char** argv) {
  using namespace reply::server;
  ServerConfig config;
  const FlagsOutcome flags = ParseFlags(argc, argv, &config);
  if (flags.exit) {
    (flags.exit_code == 0 ? std::cout : std::cerr) << flags.output;
    return flags.exit_code;
  }

  // Signals are taken by sigwait below, never by a handler: block them
  // before any thread starts, so that every thread inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  for (int sig : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&signals, sig);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  // A write past RLIMIT_FSIZE must fail with EFBIG (the feedback store then
  // refuses those rows, the log loses a line), not kill the whole server.
  signal(SIGXFSZ, SIG_IGN);

  reply::Result<std::unique_ptr<Server>> server = Server::Start(config);
  if (!server.ok()) {
    Log(LogLevel::kError, "start_failed",
        {{"error", server.status().ToString()}});
    return 1;
  }
  for (;;) {
    int sig = 0;
    if (sigwait(&signals, &sig) != 0) continue;
    if (sig == SIGHUP) {
      (*server)->RequestReload("sighup");
      continue;
    }
    Log(LogLevel::kInfo, "signal", {{"signal", strsignal(sig)}});
    break;
  }
  (*server)->Shutdown();
  return 0;
}
