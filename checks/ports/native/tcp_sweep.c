/*
 * N-API binding for the sweep engine (sweep.c).
 *
 *   sweep(addresses: string[], ports: Uint16Array, options) -> { promise, cancel }
 *
 * options: { concurrency, timeoutMs, retries, retryConcurrency, retryTimeoutMs }.
 * The promise resolves to { states: Uint8Array, probes, retried, selfConnects,
 * localErrors, concurrency }, states indexed address*ports.length + portIndex with
 * the probe_state values of sweep.h. cancel() makes the promise reject with an
 * Error named AbortError (code ABORT_ERR) once every socket is closed.
 *
 * The sweep runs as napi async work on a libuv pool thread, so the JS event loop
 * is never blocked. Input is validated here too (the TS wrapper validates first
 * with friendlier messages), because C must never trust its caller.
 */
#define _GNU_SOURCE
#define NAPI_VERSION 8
#include <errno.h>
#include <netdb.h>
#include <node_api.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sweep.h"

/* Shared by the job and the JS cancel function: whichever lets go last frees it,
 * so calling cancel() after the sweep finished is safe. */
typedef struct {
  atomic_int cancelled;
  atomic_int refs;
} cancel_token;

typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  cancel_token *token;
  sweep_target *targets;
  uint16_t *ports;
  sweep_config config;
  sweep_result result;
  int rc;
} sweep_job;

static void token_release(cancel_token *token) {
  if (atomic_fetch_sub(&token->refs, 1) == 1) free(token);
}

static void job_free(sweep_job *job) {
  if (job == NULL) return;
  if (job->token != NULL) token_release(job->token);
  free(job->targets);
  free(job->ports);
  free(job->result.states);
  free(job);
}

/* Throws unless a JS exception is already pending (an N-API call that failed
 * because JS threw must keep that exception). Always returns false. */
static bool throw_status(napi_env env, napi_status status, const char *fallback) {
  bool pending = false;
  if (napi_is_exception_pending(env, &pending) == napi_ok && pending) return false;
  const napi_extended_error_info *info = NULL;
  const char *message = fallback;
  if (status != napi_ok && napi_get_last_error_info(env, &info) == napi_ok && info != NULL &&
      info->error_message != NULL) {
    message = info->error_message;
  }
  napi_throw_error(env, "ERR_TCP_SWEEP", message);
  return false;
}

#define CHECK(env, call)                                            \
  do {                                                              \
    napi_status status_ = (call);                                   \
    if (status_ != napi_ok) return throw_status(env, status_, #call); \
  } while (0)

static bool parse_address(napi_env env, napi_value value, sweep_target *out) {
  napi_valuetype type;
  CHECK(env, napi_typeof(env, value, &type));
  if (type != napi_string) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "every address must be a string");
    return false;
  }
  char text[INET6_ADDRSTRLEN + 64];
  size_t len = 0;
  CHECK(env, napi_get_value_string_utf8(env, value, text, sizeof text, &len));
  struct addrinfo hints, *info = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST; /* literals only: resolving names is not our job */
  if (len + 1 >= sizeof text || getaddrinfo(text, NULL, &hints, &info) != 0 || info == NULL) {
    if (info != NULL) freeaddrinfo(info);
    napi_throw_type_error(env, "ERR_INVALID_ARG_VALUE", "address is not an IPv4 or IPv6 literal");
    return false;
  }
  bool ok = (info->ai_family == AF_INET || info->ai_family == AF_INET6) &&
            info->ai_addrlen <= sizeof out->addr;
  if (ok) {
    memset(&out->addr, 0, sizeof out->addr);
    memcpy(&out->addr, info->ai_addr, info->ai_addrlen);
    out->len = info->ai_addrlen;
  }
  freeaddrinfo(info);
  if (!ok) napi_throw_type_error(env, "ERR_INVALID_ARG_VALUE", "unsupported address family");
  return ok;
}

static bool parse_addresses(napi_env env, napi_value array, sweep_job *job) {
  bool is_array = false;
  CHECK(env, napi_is_array(env, array, &is_array));
  uint32_t n = 0;
  if (is_array) CHECK(env, napi_get_array_length(env, array, &n));
  if (n == 0) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_VALUE", "addresses must be a non-empty array");
    return false;
  }
  job->targets = calloc(n, sizeof *job->targets);
  if (job->targets == NULL) return throw_status(env, napi_ok, "out of memory");
  for (uint32_t i = 0; i < n; i++) {
    napi_value element;
    CHECK(env, napi_get_element(env, array, i, &element));
    if (!parse_address(env, element, &job->targets[i])) return false;
  }
  job->config.n_targets = n;
  return true;
}

static bool parse_ports(napi_env env, napi_value value, sweep_job *job) {
  bool is_typed = false;
  CHECK(env, napi_is_typedarray(env, value, &is_typed));
  napi_typedarray_type type = napi_int8_array;
  size_t n = 0;
  void *data = NULL;
  if (is_typed) CHECK(env, napi_get_typedarray_info(env, value, &type, &n, &data, NULL, NULL));
  if (!is_typed || type != napi_uint16_array || n == 0) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_VALUE", "ports must be a non-empty Uint16Array");
    return false;
  }
  job->ports = malloc(n * sizeof *job->ports);
  if (job->ports == NULL) return throw_status(env, napi_ok, "out of memory");
  memcpy(job->ports, data, n * sizeof *job->ports);
  for (size_t i = 0; i < n; i++) {
    if (job->ports[i] == 0) {
      napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "port 0 cannot be probed");
      return false;
    }
  }
  job->config.n_ports = n;
  return true;
}

static bool get_int(napi_env env, napi_value options, const char *name, int min, int max,
                    int *out) {
  napi_value value;
  napi_valuetype type;
  CHECK(env, napi_get_named_property(env, options, name, &value));
  CHECK(env, napi_typeof(env, value, &type));
  double number = 0;
  if (type == napi_number) CHECK(env, napi_get_value_double(env, value, &number));
  if (type != napi_number || number != (double)(int64_t)number || number < min || number > max) {
    char message[160];
    snprintf(message, sizeof message, "options.%s must be an integer in [%d, %d]", name, min, max);
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", message);
    return false;
  }
  *out = (int)number;
  return true;
}

static bool parse_options(napi_env env, napi_value options, sweep_job *job) {
  napi_valuetype type;
  CHECK(env, napi_typeof(env, options, &type));
  if (type != napi_object) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "options must be an object");
    return false;
  }
  sweep_config *c = &job->config;
  return get_int(env, options, "concurrency", 1, 1000000, &c->concurrency) &&
         get_int(env, options, "timeoutMs", 1, 3600000, &c->timeout_ms) &&
         get_int(env, options, "retries", 0, 100, &c->retries) &&
         get_int(env, options, "retryConcurrency", 1, 1000000, &c->retry_concurrency) &&
         get_int(env, options, "retryTimeoutMs", 1, 3600000, &c->retry_timeout_ms);
}

static void execute(napi_env env, void *data) {
  (void)env; /* must not touch JS from the pool thread */
  sweep_job *job = data;
  job->rc = sweep_run(&job->config, &job->result);
}

static napi_value make_error(napi_env env, const char *code, const char *message) {
  napi_value code_value = NULL, message_value = NULL, error = NULL;
  if (napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &code_value) != napi_ok ||
      napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &message_value) != napi_ok ||
      napi_create_error(env, code_value, message_value, &error) != napi_ok) {
    return NULL;
  }
  return error;
}

static void set_number(napi_env env, napi_value object, const char *name, double number) {
  napi_value value;
  if (napi_create_double(env, number, &value) == napi_ok) {
    napi_set_named_property(env, object, name, value);
  }
}

static napi_value make_result(napi_env env, sweep_job *job) {
  size_t total = job->config.n_targets * job->config.n_ports;
  napi_value buffer, states, result;
  void *bytes = NULL;
  if (napi_create_arraybuffer(env, total, &bytes, &buffer) != napi_ok) return NULL;
  memcpy(bytes, job->result.states, total);
  if (napi_create_typedarray(env, napi_uint8_array, total, buffer, 0, &states) != napi_ok ||
      napi_create_object(env, &result) != napi_ok ||
      napi_set_named_property(env, result, "states", states) != napi_ok) {
    return NULL;
  }
  set_number(env, result, "probes", (double)job->result.probes);
  set_number(env, result, "retried", (double)job->result.retried);
  set_number(env, result, "selfConnects", (double)job->result.self_connects);
  set_number(env, result, "localErrors", (double)job->result.local_errors);
  set_number(env, result, "concurrency", job->result.effective_concurrency);
  return result;
}

static void complete(napi_env env, napi_status status, void *data) {
  sweep_job *job = data;
  napi_value outcome = NULL;
  bool resolve = false;
  if (status == napi_cancelled || job->result.cancelled) {
    outcome = make_error(env, "ABORT_ERR", "TCP sweep aborted");
    napi_value name;
    if (outcome != NULL && napi_create_string_utf8(env, "AbortError", NAPI_AUTO_LENGTH, &name) == napi_ok) {
      napi_set_named_property(env, outcome, "name", name);
    }
  } else if (job->rc != 0) {
    char message[256];
    snprintf(message, sizeof message, "TCP sweep failed in %s: %s",
             job->result.fatal_what ? job->result.fatal_what : "sweep", strerror(job->result.fatal_errno));
    outcome = make_error(env, "ERR_TCP_SWEEP", message);
    if (outcome != NULL) set_number(env, outcome, "errno", job->result.fatal_errno);
  } else {
    outcome = make_result(env, job);
    resolve = outcome != NULL;
    if (!resolve) outcome = make_error(env, "ERR_TCP_SWEEP", "could not build the sweep result");
  }
  if (outcome == NULL) napi_get_undefined(env, &outcome);
  if (resolve) napi_resolve_deferred(env, job->deferred, outcome);
  else napi_reject_deferred(env, job->deferred, outcome);
  napi_delete_async_work(env, job->work);
  job_free(job);
}

static napi_value cancel_sweep(napi_env env, napi_callback_info info) {
  void *data = NULL;
  if (napi_get_cb_info(env, info, NULL, NULL, NULL, &data) == napi_ok && data != NULL) {
    atomic_store(&((cancel_token *)data)->cancelled, 1);
  }
  return NULL;
}

static void cancel_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  token_release(data);
}

/* Builds { promise, cancel } and queues the work; on any failure nothing is
 * queued and everything allocated so far is freed by the caller. */
static bool start(napi_env env, sweep_job *job, napi_value *out) {
  job->token = calloc(1, sizeof *job->token);
  if (job->token == NULL) return throw_status(env, napi_ok, "out of memory");
  atomic_init(&job->token->cancelled, 0);
  atomic_init(&job->token->refs, 1);
  job->config.cancel = &job->token->cancelled;
  job->config.targets = job->targets;
  job->config.ports = job->ports;

  size_t total = job->config.n_targets * job->config.n_ports;
  if (total > SWEEP_MAX_PROBES) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "addresses x ports exceeds 2^28 probes");
    return false;
  }
  job->result.states = malloc(total);
  if (job->result.states == NULL) return throw_status(env, napi_ok, "out of memory");

  napi_value promise, cancel, name, handle;
  CHECK(env, napi_create_function(env, "cancel", NAPI_AUTO_LENGTH, cancel_sweep, job->token, &cancel));
  /* The function now holds the second reference; its finalizer drops it. */
  atomic_fetch_add(&job->token->refs, 1);
  if (napi_add_finalizer(env, cancel, job->token, cancel_finalize, NULL, NULL) != napi_ok) {
    atomic_fetch_sub(&job->token->refs, 1);
    return throw_status(env, napi_generic_failure, "napi_add_finalizer");
  }
  CHECK(env, napi_create_object(env, &handle));
  CHECK(env, napi_set_named_property(env, handle, "cancel", cancel));
  CHECK(env, napi_create_string_utf8(env, "vigil:tcp-sweep", NAPI_AUTO_LENGTH, &name));
  CHECK(env, napi_create_promise(env, &job->deferred, &promise));
  bool queued = napi_set_named_property(env, handle, "promise", promise) == napi_ok &&
                napi_create_async_work(env, NULL, name, execute, complete, job, &job->work) == napi_ok;
  if (queued && napi_queue_async_work(env, job->work) != napi_ok) {
    napi_delete_async_work(env, job->work);
    queued = false;
  }
  if (!queued) {
    /* Nobody will see this promise (we throw instead); settling it frees the
     * deferred, and resolving rather than rejecting avoids an unhandled rejection. */
    napi_value undefined;
    napi_get_undefined(env, &undefined);
    napi_resolve_deferred(env, job->deferred, undefined);
    return throw_status(env, napi_generic_failure, "could not queue the sweep");
  }
  *out = handle;
  return true;
}

static napi_value sweep(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) {
    throw_status(env, napi_generic_failure, "napi_get_cb_info");
    return NULL;
  }
  if (argc < 3) {
    napi_throw_type_error(env, "ERR_MISSING_ARGS", "sweep(addresses, ports, options)");
    return NULL;
  }
  sweep_job *job = calloc(1, sizeof *job);
  if (job == NULL) {
    throw_status(env, napi_ok, "out of memory");
    return NULL;
  }
  napi_value handle = NULL;
  if (parse_addresses(env, argv[0], job) && parse_ports(env, argv[1], job) &&
      parse_options(env, argv[2], job) && start(env, job, &handle)) {
    return handle; /* complete() owns the job now */
  }
  job_free(job);
  return NULL;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  if (napi_create_function(env, "sweep", NAPI_AUTO_LENGTH, sweep, NULL, &fn) != napi_ok ||
      napi_set_named_property(env, exports, "sweep", fn) != napi_ok) {
    return NULL;
  }
  return exports;
}
