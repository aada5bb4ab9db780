/* ISC license. supervise: the listening sockets of the listen file.

   supervise binds them before a start when none is open, keeps them across
   every restart, and hands them to run as fds 3, 4, ... with LISTEN_FDS,
   LISTEN_PID and LISTEN_FDNAMES (systemd's socket activation), so that a
   restart never refuses a connection: the kernel queues what arrives while
   the server is booting again.  Only run gets them: the fds are
   close-on-exec here and moved into place in run's child only. */

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <skalibs/types.h>
#include <skalibs/fmtscan.h>
#include <skalibs/socket.h>
#include <skalibs/djbunix.h>
#include "supervise.h"

extern char **environ ;

#define LISTEN_FILE_MAX 4096
#define LISTEN_BACKLOG 4096   /* the kernel caps it at net.core.somaxconn */
#define UNIX_MODE 0660

typedef struct sock_s sock_t ;
struct sock_s
{
  int fd ;
  dev_t dev ;          /* a unix socket's file, removed at close if still ours */
  ino_t ino ;
  unsigned int path ;  /* offset in text, or ~0u for tcp */
} ;

unsigned int listen_n ;

/* Mapped at the first listen file and kept (no allocation afterwards), so
   that a service without one costs not a byte, and one with a small file
   one page: what is used lies at the start, LISTEN_FDNAMES right after the
   file's text, the error message (rarely touched) at the end. */
#define NAMES_AT 15
#define NFDS_AT 11
#define PID_AT 11
typedef struct block_s block_t ;
struct block_s
{
  char nfds[NFDS_AT + UINT_FMT] ;
  char pidvar[PID_AT + PID_FMT] ;
  sock_t socks[LISTEN_MAX] ;
  char text[2 * (LISTEN_FILE_MAX + 1) + NAMES_AT] ;  /* the file, then the names */
  char why[LISTEN_FILE_MAX / 4] ;
} ;
static block_t *L ;
static char *names ;
static size_t names_max ;
#define socks L->socks
#define text L->text
#define nfds L->nfds
#define pidvar L->pidvar
#define why L->why

/* why = "line N: WHAT: DETAIL" (a mistake in the file) or, with sys,
   "line N: WHAT DETAIL: strerror" (the system refused), truncated to fit;
   line 0 is the whole file: no "line N: " */
static int failx (unsigned int line, char const *what, char const *detail, int e, int sys)
{
  char num[UINT_FMT] ;
  char const *parts[7] = { line ? "line " : "", line ? num : "", line ? ": " : "", what, detail ? (sys ? " " : ": ") : "", detail ? detail : "", sys ? ": " : "" } ;
  size_t len = 0 ;
  num[uint_fmt(num, line)] = 0 ;
  for (unsigned int i = 0 ; i < 7 ; i++)
    for (char const *s = parts[i] ; *s && len < sizeof why - 1 ; s++) why[len++] = *s ;
  if (sys)
    for (char const *s = strerror(e) ; *s && len < sizeof why - 1 ; s++) why[len++] = *s ;
  why[len] = 0 ;
  errno = e ;
  return -1 ;
}
#define fail(line, what, detail, e) failx(line, what, detail, e, 0)
#define failsys(line, what, detail, e) failx(line, what, detail, e, 1)

static int isoctal (char const *s)
{
  if (!*s) return 0 ;
  for (; *s ; s++) if (*s < '0' || *s > '7') return 0 ;
  return 1 ;
}

/* A stale socket file (nobody accepts on it any more) is removed; a live
   one, or anything that is not a socket, is an address in use. */
static int unix_clear (char const *path)
{
  struct stat st ;
  int fd, r ;
  if (lstat(path, &st) < 0) return errno == ENOENT ? 0 : -1 ;
  if (!S_ISSOCK(st.st_mode)) return (errno = EEXIST, -1) ;
  fd = ipc_stream_internal(O_CLOEXEC | O_NONBLOCK) ;
  if (fd < 0) return -1 ;
  r = ipc_connect(fd, path) ;
  fd_close(fd) ;
  if (r || errno == EAGAIN || errno == EINPROGRESS) return (errno = EADDRINUSE, -1) ;
  if (errno != ECONNREFUSED) return -1 ;
  return unlink(path) < 0 && errno != ENOENT ? -1 : 0 ;
}

static int unix_bind (int fd, char const *path, unsigned int mode)
{
  struct stat st ;
  mode_t old ;
  int r ;
  if (unix_clear(path) < 0) return -1 ;
  /* the file is created with the mode asked for, never wider for a moment */
  old = umask(~mode & 0777) ;
  r = ipc_bind(fd, path) ;
  umask(old) ;
  if (r < 0) return -1 ;
  if (stat(path, &st) < 0) return -1 ;
  socks[listen_n].dev = st.st_dev ;
  socks[listen_n].ino = st.st_ino ;
  return 0 ;
}

/* One address, with its options, into socks[listen_n]; its name appended
   to names at *nlen. */
static int open_one (unsigned int line, char *addr, char **opt, unsigned int nopt, size_t *nlen)
{
  char ip[16] ;
  char const *name = 0 ;
  unsigned int mode = UNIX_MODE ;
  int reuseport = 0, fd, r ;
  int isunix = !strncmp(addr, "unix:", 5) ;
  int is6 = !strncmp(addr, "tcp6:", 5) ;
  uint16_t port = 0 ;
  size_t len ;
  for (unsigned int i = 0 ; i < nopt ; i++)
  {
    if (!strncmp(opt[i], "name=", 5) && opt[i][5]) name = opt[i] + 5 ;
    else if (!strcmp(opt[i], "reuseport") && !isunix) reuseport = 1 ;
    else if (isunix && isoctal(opt[i]) && strlen(opt[i]) <= 4)
    {
      uint0_oscan(opt[i], &mode) ;
      if (mode > 0777) return fail(line, "mode out of range", opt[i], EINVAL) ;
    }
    else return fail(line, "unknown option (want name=NAME, reuseport, or a unix socket's octal mode)", opt[i], EINVAL) ;
  }
  if (name && strchr(name, ':')) return fail(line, "a name may not hold ':'", name, EINVAL) ;
  if (isunix)
  {
    if (!addr[5]) return fail(line, "empty path", addr, EINVAL) ;
    if (strlen(addr + 5) > IPCPATH_MAX) return fail(line, "path too long", addr, EINVAL) ;
  }
  else if (is6 || !strncmp(addr, "tcp:", 4))
  {
    char *host = addr + (is6 ? 5 : 4) ;
    char *colon = strrchr(host, ':') ;
    if (!colon || !colon[1] || colon[1 + uint160_scan(colon + 1, &port)] || !port)
      return fail(line, "bad port", addr, EINVAL) ;
    *colon = 0 ;
    if (is6)
    {
      size_t hl = strlen(host) ;
      r = hl >= 2 && host[0] == '[' && host[hl-1] == ']' ;
      if (r) { host[hl-1] = 0 ; r = ip6_scan(host + 1, ip) == hl - 2 ; host[hl-1] = ']' ; }
    }
    else r = host[0] && ip4_scan(host, ip) == strlen(host) ;
    *colon = ':' ;
    if (!r) return fail(line, is6 ? "bad address (want tcp6:[ADDR]:PORT, ADDR numeric)" : "bad address (want tcp:HOST:PORT, HOST a numeric IPv4 address)", addr, EINVAL) ;
  }
  else return fail(line, "unknown address type (want tcp:HOST:PORT, tcp6:[ADDR]:PORT or unix:PATH)", addr, EINVAL) ;

  fd = isunix ? ipc_stream_internal(O_CLOEXEC) : is6 ? socket_tcp6_internal(O_CLOEXEC) : socket_tcp4_internal(O_CLOEXEC) ;
  if (fd < 0) return failsys(line, "unable to create a socket for", addr, errno) ;
  if (reuseport)
  {
    int one = 1 ;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) < 0) goto err ;
  }
  r = isunix ? unix_bind(fd, addr + 5, mode) : is6 ? socket_bind6_reuse(fd, ip, port) : socket_bind4_reuse(fd, ip, port) ;
  if (r < 0) goto err ;
  socks[listen_n].fd = fd ;
  socks[listen_n].path = isunix ? (unsigned int)(addr + 5 - text) : ~0u ;
  listen_n++ ;
  if (socket_listen(fd, LISTEN_BACKLOG) < 0) return failsys(line, "unable to listen on", addr, errno) ;
  /* the address is the default name, with ':', the list's separator, as '_' */
  if (!name) name = addr ;
  len = strlen(name) ;
  if (NAMES_AT + *nlen + len + 1 >= names_max) return fail(line, "names too long", name, EINVAL) ;
  if (*nlen) names[NAMES_AT + (*nlen)++] = ':' ;
  for (size_t i = 0 ; i < len ; i++) names[NAMES_AT + (*nlen)++] = name[i] == ':' ? '_' : name[i] ;
  names[NAMES_AT + *nlen] = 0 ;
  return 0 ;
 err:
  {
    int e = errno ;
    fd_close(fd) ;
    return failsys(line, "unable to bind", addr, e) ;
  }
}

void listen_close (void)
{
  while (listen_n)
  {
    sock_t *s = socks + --listen_n ;
    if (s->path != ~0u)
    {
      struct stat st ;
      char const *path = text + s->path ;
      if (!stat(path, &st) && st.st_dev == s->dev && st.st_ino == s->ino) unlink(path) ;
    }
    fd_close(s->fd) ;
  }
}

/* Reads the file and opens every socket, or none.  0 if all are open (or
   there is no file), -1 with errno set and *reason saying which line and why. */
int listen_open (char const **reason)
{
  struct stat st ;
  size_t nlen = 0 ;
  unsigned int line = 0 ;
  ssize_t r ;
  char *s ;
  if (listen_n) return 0 ;
  int se = stat("listen", &st) < 0 ? errno : 0 ;
  if (se == ENOENT) return 0 ;
  if (!L)
  {
    void *p = mmap(0, sizeof *L, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) ;
    if (p == MAP_FAILED) { *reason = strerror(errno) ; return -1 ; }
    L = p ;
  }
  *reason = why ;
  /* non-blocking: a FIFO planted there must not hang supervise; one byte
     more than allowed, to tell a file too large from one cut short */
  if (se) return failsys(0, "unable to stat it", 0, se) ;
  if (!S_ISREG(st.st_mode)) return fail(0, "not a regular file", 0, EINVAL) ;
  errno = 0 ;
  r = openreadnclose_nb("listen", text, LISTEN_FILE_MAX + 1) ;
  if (r < 0 || (r == 0 && errno))
  {
    if (errno == ENOENT) return 0 ;
    return failsys(0, "unable to read it", 0, errno ? errno : EIO) ;
  }
  if (r > LISTEN_FILE_MAX) return fail(0, "file too large (at most 4096 bytes)", 0, EINVAL) ;
  text[r] = 0 ;
  if (strlen(text) != (size_t)r) return fail(0, "file holds a NUL byte", 0, EINVAL) ;
  names = text + r + 1 ;
  names_max = sizeof text - (size_t)r - 1 ;
  memcpy(names, "LISTEN_FDNAMES=", NAMES_AT + 1) ;
  memcpy(nfds, "LISTEN_FDS=", NFDS_AT) ;
  memcpy(pidvar, "LISTEN_PID=", PID_AT) ;
  for (s = text ; *s ; )
  {
    char *fields[2 + LISTEN_OPTS_MAX] ;
    unsigned int nf = 0 ;
    char *eol = strchr(s, '\n') ;
    char *next = eol ? eol + 1 : s + strlen(s) ;
    if (eol) *eol = 0 ;
    line++ ;
    while (*s)
    {
      while (*s == ' ' || *s == '\t' || *s == '\r') *s++ = 0 ;
      if (!*s || *s == '#') break ;
      if (nf == 2 + LISTEN_OPTS_MAX) { listen_close() ; return fail(line, "too many fields", 0, EINVAL) ; }
      fields[nf++] = s ;
      while (*s && *s != ' ' && *s != '\t' && *s != '\r') s++ ;
    }
    s = next ;
    if (!nf) continue ;
    if (listen_n == LISTEN_MAX || open_one(line, fields[0], fields + 1, nf - 1, &nlen) < 0)
    {
      int e = listen_n == LISTEN_MAX ? EINVAL : errno ;
      if (listen_n == LISTEN_MAX) fail(line, "too many sockets (at most 64)", 0, e) ;
      listen_close() ;
      errno = e ;
      return -1 ;
    }
  }
  nfds[NFDS_AT + uint_fmt(nfds + NFDS_AT, listen_n)] = 0 ;
  return 0 ;
}

/* Fills envp (room for svk_envlen() + 4) for run: the environment without
   any LISTEN_* of our own parent's, then ours.  LISTEN_PID is completed in
   the child, which alone knows its pid. */
void listen_env (char const **envp)
{
  size_t n = 0 ;
  for (char **e = environ ; *e ; e++)
    if (strncmp(*e, "LISTEN_FDS=", 11) && strncmp(*e, "LISTEN_PID=", 11) && strncmp(*e, "LISTEN_FDNAMES=", 15))
      envp[n++] = *e ;
  envp[n++] = nfds ;
  envp[n++] = pidvar ;
  envp[n++] = names ;
  envp[n] = 0 ;
}

size_t listen_envlen (void)
{
  size_t n = 0 ;
  while (environ[n]) n++ ;
  return n ;
}

/* In run's child (vfork: only its own fd table is touched, and pidvar,
   which the parent never reads): the sockets to 3.., the notification pipe
   from to fd to.  Every source is first moved above every target, so no
   dup2 clobbers a source still to be moved. */
int listen_child (int from, int to)
{
  int tmp[LISTEN_MAX] ;
  int low = 3 + (int)listen_n ;
  if (to >= low) low = to + 1 ;
  pidvar[PID_AT + pid_fmt(pidvar + PID_AT, getpid())] = 0 ;
  if (from >= 0 && (from = fcntl(from, F_DUPFD_CLOEXEC, low)) < 0) return -1 ;
  for (unsigned int i = 0 ; i < listen_n ; i++)
    if ((tmp[i] = fcntl(socks[i].fd, F_DUPFD_CLOEXEC, low)) < 0) return -1 ;
  if (from >= 0 && dup2(from, to) < 0) return -1 ;
  for (unsigned int i = 0 ; i < listen_n ; i++)
    if (dup2(tmp[i], 3 + (int)i) < 0) return -1 ;
  return 0 ;
}
