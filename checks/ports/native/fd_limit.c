/*
 * How many sockets may a sweep hold open? RustScan#417/#438 show what happens when
 * a scanner ignores this: "too many open files" mid-scan, or ports silently lost.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <sys/resource.h>

#include "sweep.h"

/* Descriptors the rest of the process (libuv, fs, sqlite, sockets of other
 * checks running in parallel) may still need while a sweep runs. */
#define MIN_RESERVED_FDS 128

static rlim_t read_nr_open(void) {
  FILE *f = fopen("/proc/sys/fs/nr_open", "re");
  if (f == NULL) return 0;
  unsigned long long value = 0;
  int matched = fscanf(f, "%llu", &value);
  fclose(f);
  return matched == 1 ? (rlim_t)value : 0;
}

/* Raise the soft limit as far as allowed. RLIM_INFINITY hard limits are capped
 * at fs.nr_open, because setrlimit refuses anything above it. */
static rlim_t raise_soft_limit(void) {
  struct rlimit lim;
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return 1024;
  rlim_t target = lim.rlim_max;
  if (target == RLIM_INFINITY) {
    rlim_t nr_open = read_nr_open();
    target = nr_open > 0 ? nr_open : lim.rlim_cur;
  }
  if (target > lim.rlim_cur) {
    struct rlimit raised = {target, lim.rlim_max};
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) return target;
  }
  return lim.rlim_cur == RLIM_INFINITY ? target : lim.rlim_cur;
}

/* Counting /proc/self/fd is the only portable-enough way to know what is in use;
 * without /proc assume a quarter of the limit is taken. */
static long count_open_fds(rlim_t soft) {
  DIR *dir = opendir("/proc/self/fd");
  if (dir == NULL) return (long)(soft / 4);
  long count = 0;
  struct dirent *entry;
  while ((entry = readdir(dir)) != NULL) {
    if (entry->d_name[0] != '.') count++;
  }
  closedir(dir);
  return count;
}

int sweep_fd_budget(void) {
  rlim_t soft = raise_soft_limit();
  long in_use = count_open_fds(soft);
  long reserve = (long)(soft / 8);
  if (reserve < MIN_RESERVED_FDS) reserve = MIN_RESERVED_FDS;
  long budget = (long)soft - in_use - reserve;
  if (budget < 1) budget = 1;
  if (budget > 1000000) budget = 1000000;
  return (int)budget;
}
