/*
 * The sweep loop. One thread, one epoll set, a fixed pool of probe slots.
 *
 * Why each piece is here (measurements in /work/shared/research/takeover-ports.md §2):
 *  - Node's net.Socket costs ~7 s for 65,535 loopback ports; the kernel work is
 *    ~1.5 s. The rest is per-socket JS/libuv machinery, so this loop owns the fds.
 *  - Self-connect phantoms: a loopback connect to a closed ephemeral-range port can
 *    get that same port as its source and "connect" to itself. Dropped here.
 *  - A timeout is not proof of "filtered" when the scanner is short of CPU, so
 *    timed-out probes on hosts that answer with RSTs get a slower retry pass.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "sweep.h"

/* Launches between looks at the cancel flag and at finished probes, so a sweep
 * whose probes all settle inside connect() still notices cancellation quickly. */
#define LAUNCH_BATCH 256
/* Longest the loop sleeps without looking at the cancel flag. */
#define CANCEL_POLL_MS 20
#define MAX_EVENTS 1024

enum start_outcome { START_DONE = 0, START_DEFER = 1, START_FATAL = -1 };

typedef struct {
  int fd;             /* -1 when the slot is free */
  uint32_t gen;       /* bumps on reuse so a stale epoll event can't hit a new probe */
  uint32_t probe;
  int64_t deadline_ns;
  int prev, next;     /* in-flight list, oldest first; -1 terminates */
} slot;

typedef struct {
  const sweep_config *cfg;
  sweep_result *res;
  int epfd;
  slot *slots;
  int n_slots;
  int *free_slots;
  int n_free;
  int head, tail;
  int active;
  int defer_errno;
  struct epoll_event *events;
  uint32_t *closed_per_target; /* RSTs seen per target: who deserves a retry pass */
  uint32_t *retry;             /* probes that timed out (or hit a local error) */
  size_t retry_len, retry_cap;
} sweep;

typedef struct {
  const uint32_t *list; /* NULL: every probe, in port-major order */
  size_t len;
} pass_source;

static int64_t now_ns(void) {
  struct timespec ts;
  /* CLOCK_MONOTONIC cannot fail with a valid pointer; if it somehow does, 0 only
   * makes every deadline look far away, and the pass still ends via events. */
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return 0;
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int fail(sweep *s, int err, const char *what) {
  if (s->res->fatal_errno == 0) {
    s->res->fatal_errno = err != 0 ? err : EIO;
    s->res->fatal_what = what;
  }
  return START_FATAL;
}

/* Port-major order for the first pass: with several targets, consecutive probes go
 * to different hosts, which spreads load instead of hammering one host at a time. */
static uint32_t source_probe(const sweep *s, const pass_source *src, size_t cursor) {
  if (src->list != NULL) return src->list[cursor];
  size_t n = s->cfg->n_targets;
  return (uint32_t)((cursor % n) * s->cfg->n_ports + cursor / n);
}

static void probe_destination(const sweep *s, uint32_t probe, struct sockaddr_storage *dest,
                              socklen_t *len) {
  const sweep_target *target = &s->cfg->targets[probe / s->cfg->n_ports];
  uint16_t port = htons(s->cfg->ports[probe % s->cfg->n_ports]);
  memcpy(dest, &target->addr, target->len);
  *len = target->len;
  if (dest->ss_family == AF_INET6) ((struct sockaddr_in6 *)dest)->sin6_port = port;
  else ((struct sockaddr_in *)dest)->sin_port = port;
}

static int push_retry(sweep *s, uint32_t probe) {
  if (s->retry_len == s->retry_cap) {
    size_t cap = s->retry_cap == 0 ? 256 : s->retry_cap * 2;
    uint32_t *grown = realloc(s->retry, cap * sizeof *grown);
    if (grown == NULL) return fail(s, ENOMEM, "realloc");
    s->retry = grown;
    s->retry_cap = cap;
  }
  s->retry[s->retry_len++] = probe;
  return START_DONE;
}

static int settle(sweep *s, uint32_t probe, uint8_t state) {
  s->res->states[probe] = state;
  if (state == PROBE_CLOSED) s->closed_per_target[probe / s->cfg->n_ports]++;
  if (state == PROBE_LOCAL_ERROR) s->res->local_errors++;
  if (state == PROBE_FILTERED || state == PROBE_LOCAL_ERROR) return push_retry(s, probe);
  return START_DONE;
}

static uint8_t state_from_errno(int err) {
  switch (err) {
  case ECONNREFUSED:
  case ECONNRESET:
    return PROBE_CLOSED;
  case ETIMEDOUT:
    return PROBE_FILTERED;
  /* Out of ephemeral ports or kernel memory: says nothing about the peer. */
  case EADDRNOTAVAIL:
  case EADDRINUSE:
  case EAGAIN:
  case ENOBUFS:
  case ENOMEM:
    return PROBE_LOCAL_ERROR;
  default:
    /* EHOSTUNREACH, ENETUNREACH, EHOSTDOWN, ENETDOWN, EACCES/EPERM (a local
     * firewall), EAFNOSUPPORT (no IPv6 here)... the port was not looked at. */
    return PROBE_UNREACHABLE;
  }
}

static int same_endpoint(const struct sockaddr_storage *a, const struct sockaddr_storage *b) {
  if (a->ss_family != b->ss_family) return 0;
  if (a->ss_family == AF_INET) {
    const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;
    return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
  }
  if (a->ss_family == AF_INET6) {
    const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;
    return x->sin6_port == y->sin6_port &&
           memcmp(&x->sin6_addr, &y->sin6_addr, sizeof x->sin6_addr) == 0;
  }
  return 0;
}

/* A connected socket whose local endpoint is the destination connected to itself
 * (TCP simultaneous open): nobody listens there, so the port is closed. */
static uint8_t state_of_connected(sweep *s, int fd, uint32_t probe) {
  struct sockaddr_storage dest, local;
  socklen_t dest_len, local_len = sizeof local;
  probe_destination(s, probe, &dest, &dest_len);
  if (getsockname(fd, (struct sockaddr *)&local, &local_len) != 0) return PROBE_OPEN;
  if (!same_endpoint(&dest, &local)) return PROBE_OPEN;
  s->res->self_connects++;
  return PROBE_CLOSED;
}

static int read_so_error(int fd) {
  int err = 0;
  socklen_t len = sizeof err;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) return errno;
  return err;
}

/* Settles a probe whose connect has an outcome (err 0 = connected) and closes it. */
static int finish_fd(sweep *s, int fd, uint32_t probe, int err) {
  uint8_t state = err == 0 ? state_of_connected(s, fd, probe) : state_from_errno(err);
  close(fd); /* also removes it from the epoll set */
  return settle(s, probe, state);
}

static void link_tail(sweep *s, int idx) {
  slot *sl = &s->slots[idx];
  sl->prev = s->tail;
  sl->next = -1;
  if (s->tail >= 0) s->slots[s->tail].next = idx;
  else s->head = idx;
  s->tail = idx;
}

static void release_slot(sweep *s, int idx) {
  slot *sl = &s->slots[idx];
  if (sl->prev >= 0) s->slots[sl->prev].next = sl->next;
  else s->head = sl->next;
  if (sl->next >= 0) s->slots[sl->next].prev = sl->prev;
  else s->tail = sl->prev;
  sl->fd = -1;
  s->free_slots[s->n_free++] = idx;
  s->active--;
}

static int start_probe(sweep *s, uint32_t probe, int64_t deadline_ns) {
  struct sockaddr_storage dest;
  socklen_t dest_len;
  probe_destination(s, probe, &dest, &dest_len);

  int fd = socket(dest.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    int err = errno;
    if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM) {
      s->defer_errno = err;
      return START_DEFER;
    }
    if (err == EAFNOSUPPORT) return settle(s, probe, PROBE_UNREACHABLE);
    return fail(s, err, "socket");
  }
  s->res->probes++;

  if (connect(fd, (struct sockaddr *)&dest, dest_len) == 0) return finish_fd(s, fd, probe, 0);
  int err = errno;
  if (err != EINPROGRESS) return finish_fd(s, fd, probe, err);

  /* A peer on this host answers inside connect(): the SYN and the RST travel
   * through loopback in the same softirq, so the refusal is usually already
   * queued. Reading it now skips the epoll_ctl + epoll_wait round trip: a full
   * loopback sweep took 1.19 s with this read and 1.64 s without (medians of 5).
   * Remote probes pay one cheap syscall for nothing.
   * (0 is ambiguous: connected or still pending, epoll tells those apart.) */
  err = read_so_error(fd);
  if (err != 0) return finish_fd(s, fd, probe, err);

  int idx = s->free_slots[--s->n_free];
  slot *sl = &s->slots[idx];
  sl->fd = fd;
  sl->gen++;
  sl->probe = probe;
  sl->deadline_ns = deadline_ns;
  link_tail(s, idx);
  s->active++;

  struct epoll_event ev;
  memset(&ev, 0, sizeof ev);
  ev.events = EPOLLOUT;
  ev.data.u64 = ((uint64_t)sl->gen << 32) | (uint32_t)idx;
  if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
    err = errno;
    release_slot(s, idx);
    close(fd);
    return fail(s, err, "epoll_ctl");
  }
  return START_DONE;
}

static int harvest_event(sweep *s, const struct epoll_event *ev) {
  uint32_t idx = (uint32_t)ev->data.u64;
  uint32_t gen = (uint32_t)(ev->data.u64 >> 32);
  if (idx >= (uint32_t)s->n_slots) return START_DONE;
  slot *sl = &s->slots[idx];
  if (sl->fd < 0 || sl->gen != gen) return START_DONE;
  int fd = sl->fd;
  uint32_t probe = sl->probe;
  release_slot(s, (int)idx);
  return finish_fd(s, fd, probe, read_so_error(fd));
}

/* Slots are in start order and a pass uses one timeout, so expired probes are
 * always at the head: no heap, no per-probe timer. */
static int expire_timeouts(sweep *s, int64_t now) {
  while (s->head >= 0 && s->slots[s->head].deadline_ns <= now) {
    int idx = s->head;
    int fd = s->slots[idx].fd;
    uint32_t probe = s->slots[idx].probe;
    release_slot(s, idx);
    close(fd);
    if (settle(s, probe, PROBE_FILTERED) != START_DONE) return START_FATAL;
  }
  return START_DONE;
}

static int wait_ms_until_head(const sweep *s, int64_t now) {
  if (s->head < 0) return CANCEL_POLL_MS;
  int64_t left = s->slots[s->head].deadline_ns - now;
  if (left <= 0) return 0;
  int64_t ms = (left + 999999) / 1000000;
  return ms < CANCEL_POLL_MS ? (int)ms : CANCEL_POLL_MS;
}

static int cancelled(sweep *s) {
  if (atomic_load_explicit(s->cfg->cancel, memory_order_relaxed) == 0) return 0;
  s->res->cancelled = 1;
  return 1;
}

static int run_pass(sweep *s, const pass_source *src, int concurrency, int timeout_ms) {
  const int64_t timeout_ns = (int64_t)timeout_ms * 1000000;
  size_t cursor = 0;
  int cap = concurrency; /* lowered while the process is out of descriptors */

  for (;;) {
    if (cancelled(s)) return START_DONE;

    int launched = 0;
    int64_t now = now_ns();
    while (s->active < cap && cursor < src->len && launched < LAUNCH_BATCH) {
      int r = start_probe(s, source_probe(s, src, cursor), now + timeout_ns);
      if (r == START_FATAL) return START_FATAL;
      if (r == START_DEFER) {
        if (s->active == 0) return fail(s, s->defer_errno, "socket");
        cap = s->active;
        break;
      }
      cursor++;
      launched++;
    }
    if (cursor >= src->len && s->active == 0) return START_DONE;

    int more_to_launch = s->active < cap && cursor < src->len;
    int in_flight = s->active;
    if (s->active > 0) {
      int wait_ms = more_to_launch ? 0 : wait_ms_until_head(s, now_ns());
      int n = epoll_wait(s->epfd, s->events, MAX_EVENTS, wait_ms);
      if (n < 0 && errno != EINTR) return fail(s, errno, "epoll_wait");
      for (int i = 0; i < n; i++) {
        if (harvest_event(s, &s->events[i]) != START_DONE) return START_FATAL;
      }
    }
    if (expire_timeouts(s, now_ns()) != START_DONE) return START_FATAL;
    /* After a descriptor shortage, grow back as sockets are given back. */
    if (cap < concurrency) {
      cap += in_flight - s->active;
      if (cap > concurrency) cap = concurrency;
    }
  }
}

static void close_in_flight(sweep *s) {
  while (s->head >= 0) {
    int idx = s->head;
    int fd = s->slots[idx].fd;
    release_slot(s, idx);
    close(fd);
  }
}

/* Retry only where a timeout is surprising: targets that answered some probe with
 * an RST. A DROP-by-default host would double the sweep for nothing; the next
 * scheduled run covers it. Local errors are always retried: we never looked. */
static size_t keep_retryable(sweep *s) {
  size_t kept = 0;
  for (size_t i = 0; i < s->retry_len; i++) {
    uint32_t probe = s->retry[i];
    if (s->res->states[probe] == PROBE_LOCAL_ERROR ||
        s->closed_per_target[probe / s->cfg->n_ports] > 0) {
      s->retry[kept++] = probe;
    }
  }
  s->retry_len = kept;
  return kept;
}

static int clamp_int(int value, int max) { return value > max ? max : value; }

static int sweep_init(sweep *s, const sweep_config *cfg, sweep_result *res, int n_slots) {
  memset(s, 0, sizeof *s);
  s->cfg = cfg;
  s->res = res;
  s->head = s->tail = -1;
  s->n_slots = n_slots;
  s->epfd = epoll_create1(EPOLL_CLOEXEC);
  if (s->epfd < 0) return fail(s, errno, "epoll_create1");
  s->slots = calloc((size_t)n_slots, sizeof *s->slots);
  s->free_slots = calloc((size_t)n_slots, sizeof *s->free_slots);
  s->events = calloc(MAX_EVENTS, sizeof *s->events);
  s->closed_per_target = calloc(cfg->n_targets, sizeof *s->closed_per_target);
  if (!s->slots || !s->free_slots || !s->events || !s->closed_per_target) {
    return fail(s, ENOMEM, "calloc");
  }
  for (int i = 0; i < n_slots; i++) {
    s->slots[i].fd = -1;
    s->free_slots[i] = n_slots - 1 - i;
  }
  s->n_free = n_slots;
  return START_DONE;
}

static void sweep_free(sweep *s) {
  if (s->slots != NULL) close_in_flight(s);
  if (s->epfd >= 0) close(s->epfd);
  free(s->slots);
  free(s->free_slots);
  free(s->events);
  free(s->closed_per_target);
  free(s->retry);
}

int sweep_run(const sweep_config *cfg, sweep_result *res) {
  size_t total = cfg->n_targets * cfg->n_ports;
  memset(res->states, PROBE_UNPROBED, total);

  int budget = sweep_fd_budget();
  int concurrency = clamp_int(cfg->concurrency, budget);
  int retry_concurrency = clamp_int(cfg->retry_concurrency, budget);
  res->effective_concurrency = concurrency;

  sweep s;
  int rc = sweep_init(&s, cfg, res, concurrency > retry_concurrency ? concurrency : retry_concurrency);
  if (rc == START_DONE) {
    pass_source everything = {NULL, total};
    rc = run_pass(&s, &everything, concurrency, cfg->timeout_ms);
  }
  for (int pass = 0; rc == START_DONE && !res->cancelled && pass < cfg->retries; pass++) {
    if (keep_retryable(&s) == 0) break;
    /* The pass appends fresh timeouts to s.retry, so it iterates over a detached list. */
    pass_source again = {s.retry, s.retry_len};
    s.retry = NULL;
    s.retry_len = s.retry_cap = 0;
    res->retried += again.len;
    rc = run_pass(&s, &again, retry_concurrency, cfg->retry_timeout_ms);
    free((void *)again.list);
  }
  /* Whatever is still pending was never answered: report it as filtered. */
  for (size_t i = 0; i < s.retry_len; i++) {
    if (res->states[s.retry[i]] == PROBE_LOCAL_ERROR) res->states[s.retry[i]] = PROBE_FILTERED;
  }
  sweep_free(&s);
  return rc == START_DONE ? 0 : -1;
}
