/*
 * cordon-exec-guard: answers fanotify FAN_OPEN_EXEC_PERM events on the given mounts, allowing an
 * execve only when the executed file's canonical path, or its SHA-256, is in the trust file.
 *   usage: cordon-exec-guard <trust-file> <mount>...
 * Trust file: one absolute path or "sha256:<hex>" per line. SIGHUP reloads it. Prints "ready" on
 * stdout once every mark is in place, then logs denials on stderr. If it dies the kernel allows
 * pending and later events, so a crash never locks the device up (and the agent restarts it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <unistd.h>

static char **paths, **hashes;
static size_t npaths, nhashes;
static volatile sig_atomic_t reload;

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void free_list(char **l, size_t n) { for (size_t i = 0; i < n; i++) free(l[i]); free(l); }

static int load_trust(const char *file) {
  FILE *f = fopen(file, "r");
  if (!f) return -1;
  char **p = NULL, **h = NULL; size_t np = 0, nh = 0, cp = 0, ch = 0;
  char *line = NULL; size_t cap = 0; ssize_t len;
  while ((len = getline(&line, &cap, f)) > 0) {
    if (line[len - 1] == '\n') line[--len] = 0;
    if (len == 0) continue;
    if (strncmp(line, "sha256:", 7) == 0) {
      if (nh == ch) { ch = ch ? ch * 2 : 64; h = realloc(h, ch * sizeof *h); }
      h[nh++] = strdup(line + 7);
    } else {
      if (np == cp) { cp = cp ? cp * 2 : 4096; p = realloc(p, cp * sizeof *p); }
      p[np++] = strdup(line);
    }
  }
  free(line); fclose(f);
  qsort(p, np, sizeof *p, cmp); qsort(h, nh, sizeof *h, cmp);
  free_list(paths, npaths); free_list(hashes, nhashes);
  paths = p; npaths = np; hashes = h; nhashes = nh;
  return 0;
}

static int in_list(char **l, size_t n, const char *s) { return n && bsearch(&s, l, n, sizeof *l, cmp) != NULL; }

/* SHA-256 (FIPS 180-4), written out here so the helper needs nothing but libc. */
static const uint32_t K[64] = {
  0x428a2f98,0x71374491,0xb5c0fbcf,0xe9b5dba5,0x3956c25b,0x59f111f1,0x923f82a4,0xab1c5ed5,0xd807aa98,0x12835b01,0x243185be,0x550c7dc3,
  0x72be5d74,0x80deb1fe,0x9bdc06a7,0xc19bf174,0xe49b69c1,0xefbe4786,0x0fc19dc6,0x240ca1cc,0x2de92c6f,0x4a7484aa,0x5cb0a9dc,0x76f988da,
  0x983e5152,0xa831c66d,0xb00327c8,0xbf597fc7,0xc6e00bf3,0xd5a79147,0x06ca6351,0x14292967,0x27b70a85,0x2e1b2138,0x4d2c6dfc,0x53380d13,
  0x650a7354,0x766a0abb,0x81c2c92e,0x92722c85,0xa2bfe8a1,0xa81a664b,0xc24b8b70,0xc76c51a3,0xd192e819,0xd6990624,0xf40e3585,0x106aa070,
  0x19a4c116,0x1e376c08,0x2748774c,0x34b0bcb5,0x391c0cb3,0x4ed8aa4a,0x5b9cca4f,0x682e6ff3,0x748f82ee,0x78a5636f,0x84c87814,0x8cc70208,
  0x90befffa,0xa4506ceb,0xbef9a3f7,0xc67178f2};
#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
static void block(uint32_t s[8], const unsigned char *b) {
  uint32_t w[64], a, bb, c, d, e, f, g, h, t1, t2;
  for (int i = 0; i < 16; i++) w[i] = (uint32_t)b[4*i] << 24 | (uint32_t)b[4*i+1] << 16 | (uint32_t)b[4*i+2] << 8 | b[4*i+3];
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = ROR(w[i-15], 7) ^ ROR(w[i-15], 18) ^ (w[i-15] >> 3), s1 = ROR(w[i-2], 17) ^ ROR(w[i-2], 19) ^ (w[i-2] >> 10);
    w[i] = w[i-16] + s0 + w[i-7] + s1;
  }
  a = s[0]; bb = s[1]; c = s[2]; d = s[3]; e = s[4]; f = s[5]; g = s[6]; h = s[7];
  for (int i = 0; i < 64; i++) {
    t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
    t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & bb) ^ (a & c) ^ (bb & c));
    h = g; g = f; f = e; e = d + t1; d = c; c = bb; bb = a; a = t1 + t2;
  }
  s[0] += a; s[1] += bb; s[2] += c; s[3] += d; s[4] += e; s[5] += f; s[6] += g; s[7] += h;
}
static int sha256_fd(int fd, char hex[65]) {
  uint32_t s[8] = {0x6a09e667,0xbb67ae85,0x3c6ef372,0xa54ff53a,0x510e527f,0x9b05688c,0x1f83d9ab,0x5be0cd19};
  unsigned char buf[65536 + 128]; uint64_t total = 0; off_t off = 0; ssize_t n; size_t have = 0;
  while ((n = pread(fd, buf + have, 65536, off)) > 0) {
    off += n; total += (uint64_t)n; have += (size_t)n;
    size_t i = 0;
    for (; i + 64 <= have; i += 64) block(s, buf + i);
    memmove(buf, buf + i, have - i); have -= i;
  }
  if (n < 0) return -1;
  buf[have++] = 0x80;
  while (have % 64 != 56) buf[have++] = 0;
  for (int i = 7; i >= 0; i--) buf[have++] = (unsigned char)((total * 8) >> (i * 8));
  for (size_t i = 0; i < have; i += 64) block(s, buf + i);
  for (int i = 0; i < 8; i++) sprintf(hex + 8 * i, "%08x", s[i]);
  return 0;
}

static int allowed(int fd, char *path, size_t cap) {
  char link[64];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, path, cap - 1);
  path[n < 0 ? 0 : n] = 0;
  if (n > 0 && in_list(paths, npaths, path)) return 1;
  char hex[65];
  return nhashes && sha256_fd(fd, hex) == 0 && in_list(hashes, nhashes, hex);
}

static void on_hup(int sig) { (void)sig; reload = 1; }

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: %s <trust-file> <mount>...\n", argv[0]); return 2; }
  if (load_trust(argv[1]) != 0) { fprintf(stderr, "cannot read trust file %s: %s\n", argv[1], strerror(errno)); return 2; }
  int fan = fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC, O_RDONLY | O_LARGEFILE | O_CLOEXEC);
  if (fan < 0) { fprintf(stderr, "fanotify_init: %s\n", strerror(errno)); return 2; }
  for (int i = 2; i < argc; i++)
    if (fanotify_mark(fan, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_OPEN_EXEC_PERM, AT_FDCWD, argv[i]) != 0) {
      fprintf(stderr, "fanotify_mark %s: %s\n", argv[i], strerror(errno)); return 2;
    }
  struct sigaction sa = {0};
  sa.sa_handler = on_hup; /* no SA_RESTART: read() returns EINTR so the reload happens at once */
  sigaction(SIGHUP, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
  printf("ready\n"); fflush(stdout);
  int devnull = open("/dev/null", O_WRONLY); dup2(devnull, 1); close(devnull);
  char buf[8192] __attribute__((aligned(__alignof__(struct fanotify_event_metadata))));
  char path[PATH_MAX];
  for (;;) {
    if (reload) { reload = 0; if (load_trust(argv[1]) != 0) fprintf(stderr, "reload failed: %s\n", strerror(errno)); }
    ssize_t len = read(fan, buf, sizeof buf);
    if (len < 0) { if (errno == EINTR) continue; fprintf(stderr, "read: %s\n", strerror(errno)); return 1; }
    struct fanotify_event_metadata *md = (struct fanotify_event_metadata *)buf;
    for (; FAN_EVENT_OK(md, len); md = FAN_EVENT_NEXT(md, len)) {
      if (md->vers != FANOTIFY_METADATA_VERSION) { fprintf(stderr, "fanotify ABI mismatch\n"); return 1; }
      if (md->fd < 0) continue;
      if (md->mask & FAN_OPEN_EXEC_PERM) {
        struct fanotify_response r = { .fd = md->fd, .response = FAN_ALLOW };
        if (md->pid != getpid() && !allowed(md->fd, path, sizeof path)) {
          r.response = FAN_DENY;
          fprintf(stderr, "deny pid=%d path=%s\n", md->pid, path);
        }
        if (write(fan, &r, sizeof r) != sizeof r) fprintf(stderr, "response: %s\n", strerror(errno));
      }
      close(md->fd);
    }
  }
}
