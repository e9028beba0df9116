/*
 * TCP connect sweep engine: non-blocking connect + epoll, no N-API in here so it
 * can be reasoned about (and tested) as plain C. tcp_sweep.c is the JS binding.
 */
#ifndef VIGIL_SWEEP_H
#define VIGIL_SWEEP_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* Values shared with checks/ports/collect/tcp-sweep-contract.ts (ProbeCode). */
enum probe_state {
  PROBE_UNPROBED = 0,
  PROBE_OPEN = 1,
  PROBE_CLOSED = 2,
  PROBE_FILTERED = 3,
  PROBE_UNREACHABLE = 4,
  /* Internal only: a local resource error (no ephemeral port, no buffer). Always
   * retried; reported as filtered if it never clears, since we did not look. */
  PROBE_LOCAL_ERROR = 5
};

/* Upper bound on addresses*ports: the state array is one byte per probe and
 * retry lists are uint32 indices. */
#define SWEEP_MAX_PROBES (1u << 28)

typedef struct {
  struct sockaddr_storage addr; /* port is filled in per probe */
  socklen_t len;
} sweep_target;

typedef struct {
  const sweep_target *targets;
  size_t n_targets;
  const uint16_t *ports;
  size_t n_ports;
  int concurrency;
  int timeout_ms;
  int retries;
  int retry_concurrency;
  int retry_timeout_ms;
  atomic_int *cancel; /* set non-zero from any thread to stop the sweep */
} sweep_config;

typedef struct {
  uint8_t *states;          /* n_targets * n_ports, index target*n_ports + port_index */
  uint64_t probes;          /* connect attempts, retries included */
  uint64_t retried;         /* probes re-sent by retry passes */
  uint64_t self_connects;   /* phantom opens dropped (source == destination) */
  uint64_t local_errors;    /* EADDRNOTAVAIL, ENOBUFS... seen (then retried) */
  int effective_concurrency;/* after the RLIMIT_NOFILE clamp */
  int cancelled;
  int fatal_errno;          /* non-zero: sweep failed, see fatal_what */
  const char *fatal_what;   /* static string naming the failing call */
} sweep_result;

/* Raises the RLIMIT_NOFILE soft limit toward the hard limit (once per process is
 * enough, calling again is harmless) and returns how many sockets a sweep may hold
 * open at once without starving the rest of the process of descriptors. */
int sweep_fd_budget(void);

/* Runs the whole sweep on the calling thread. result->states must hold
 * n_targets*n_ports bytes. Returns 0 on success or cancellation (see
 * result->cancelled), -1 on a fatal error (result->fatal_errno). Every socket the
 * sweep opened is closed before it returns, whatever the outcome. */
int sweep_run(const sweep_config *config, sweep_result *result);

#endif
