#include "interrupt.hpp"

#include <csignal>

namespace scratchnet::cli {
namespace {

volatile std::sig_atomic_t received_signal = 0;

extern "C" void note_signal(int signal) {
  received_signal = signal;
}

struct sigaction previous_interrupt, previous_terminate;

}  // namespace

InterruptGuard::InterruptGuard() {
  received_signal = 0;
  struct sigaction action {};
  action.sa_handler = note_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND | SA_RESTART;  // once; then the default (end the process)
  sigaction(SIGINT, &action, &previous_interrupt);
  sigaction(SIGTERM, &action, &previous_terminate);
  // A shell starts background jobs with SIGINT ignored, so that Ctrl-C does not reach them;
  // they should go on ignoring it.
  if (previous_interrupt.sa_handler == SIG_IGN) sigaction(SIGINT, &previous_interrupt, nullptr);
}

InterruptGuard::~InterruptGuard() {
  sigaction(SIGINT, &previous_interrupt, nullptr);
  sigaction(SIGTERM, &previous_terminate, nullptr);
}

int InterruptGuard::received() {
  return received_signal;
}

}  // namespace scratchnet::cli
