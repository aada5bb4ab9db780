/* ISC license. /proc/PID/stat, and every process of /proc, without
   allocation (supervise calls these from its loop). */

#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <dirent.h>
#include <skalibs/types.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include "svkit.h"

/* Fields 3 (state) to 24 (rss) of a stat line; comm (field 2) may hold
   spaces and parentheses, so the fields restart after the last ')'. */
static int parse (char *buf, svk_procinfo *p)
{
  uint64_t u[21] ;
  int neg = 0 ;
  char *s = strrchr(buf, ')') ;
  if (!s || s[1] != ' ' || !s[2]) return (errno = EINVAL, -1) ;
  p->state = s[2] ;
  s += 3 ;
  /* fields 4..24: unsigned except tty_nr, cutime, cstime, priority, nice,
     rss (signed; only priority and nice are ever negative) */
  for (unsigned int i = 4 ; i <= 24 ; i++)
  {
    size_t n ;
    if (*s++ != ' ') return (errno = EINVAL, -1) ;
    if (*s == '-') { s++ ; neg = i == 24 ; }
    n = uint64_scan(s, &u[i - 4]) ;
    if (!n) return (errno = EINVAL, -1) ;
    s += n ;
  }
  p->ppid = (pid_t)u[0] ;
  p->pgid = (pid_t)u[1] ;
  p->sid = (pid_t)u[2] ;
  p->cpu = u[10] + u[11] ;
  p->ccpu = u[12] + u[13] ;
  p->start = u[18] ;
  p->rss = neg ? 0 : u[20] ;
  return 1 ;
}

static int readstat (int dirfd, char const *name, svk_procinfo *p)
{
  char buf[1024] ;
  ssize_t r ;
  int fd = openat(dirfd, name, O_RDONLY | O_NOCTTY | O_CLOEXEC) ;
  if (fd < 0) return errno == ENOENT || errno == ESRCH ? 0 : -1 ;
  r = allread(fd, buf, sizeof buf - 1) ;
  fd_close(fd) ;
  if (r <= 0) return r < 0 && errno != ESRCH ? -1 : 0 ;  /* a process gone meanwhile reads empty */
  buf[r] = 0 ;
  return parse(buf, p) ;
}

int svk_proc_stat (pid_t pid, svk_procinfo *p)
{
  char path[32] = "/proc/" ;
  size_t n = 6 + pid_fmt(path + 6, pid) ;
  memcpy(path + n, "/stat", 6) ;
  p->pid = pid ;
  return readstat(AT_FDCWD, path, p) ;
}

int svk_proc_starttime (pid_t pid, uint64_t *start)
{
  svk_procinfo p ;
  int r = svk_proc_stat(pid, &p) ;
  if (r > 0) *start = p.start ;
  return r ;
}

/* getdents64 on /proc lists the processes (thread-group leaders) in
   increasing pid order, after a few named entries. */
int svk_proc_each (int (*f) (svk_procinfo const *, void *), void *data)
{
  char buf[2048] __attribute__((aligned(8))) ;
  int dfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC) ;
  if (dfd < 0) return -1 ;
  for (;;)
  {
    ssize_t r = getdents64(dfd, buf, sizeof buf) ;
    if (r < 0) { int e = errno ; fd_close(dfd) ; errno = e ; return -1 ; }
    if (!r) break ;
    for (ssize_t k = 0 ; k < r ; )
    {
      struct dirent64 const *d = (struct dirent64 const *)(buf + k) ;
      char name[UINT64_FMT + 6] ;
      uint64_t pid ;
      size_t len ;
      svk_procinfo p ;
      k += d->d_reclen ;
      len = uint64_scan(d->d_name, &pid) ;
      if (!len || d->d_name[len] || pid > 0x7fffffff) continue ;
      memcpy(name, d->d_name, len) ;
      memcpy(name + len, "/stat", 6) ;
      p.pid = (pid_t)pid ;
      switch (readstat(dfd, name, &p))
      {
        case 1 : break ;
        case 0 : continue ;
        default : if (errno == EINVAL || errno == EACCES) continue ; fd_close(dfd) ; return -1 ;
      }
      if ((*f)(&p, data)) { fd_close(dfd) ; return 1 ; }
    }
  }
  fd_close(dfd) ;
  return 0 ;
}
