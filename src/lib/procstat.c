/* ISC license. */

#include <errno.h>
#include <string.h>
#include <skalibs/types.h>
#include "svkit.h"

/* Fields 3 (state) to 22 (starttime) of a stat line; comm (field 2) may
   hold spaces and parentheses, so the fields restart after the last ')'. */
int proc_stat (pid_t pid, svk_procinfo *p)
{
  char path[32] = "/proc/" ;
  char buf[1024] ;
  uint64_t u[19] ;
  ssize_t r ;
  char *s ;
  size_t n = 6 + pid_fmt(path + 6, pid) ;
  memcpy(path + n, "/stat", 6) ;
  r = svfile_read_small(path, buf, sizeof buf) ;
  if (r < 0) return errno == ENOENT || errno == ESRCH ? 0 : -1 ;
  s = strrchr(buf, ')') ;
  if (!s || s[1] != ' ' || !s[2]) return (errno = EINVAL, -1) ;
  p->pid = pid ;
  p->state = s[2] ;
  s += 3 ;
  /* fields 4..22: all unsigned but tty_nr, priority and nice */
  for (unsigned int i = 0 ; i < 19 ; i++)
  {
    if (*s++ != ' ') return (errno = EINVAL, -1) ;
    if (*s == '-') s++ ;
    n = uint64_scan(s, &u[i]) ;
    if (!n) return (errno = EINVAL, -1) ;
    s += n ;
  }
  p->ppid = (pid_t)u[0] ;
  p->pgid = (pid_t)u[1] ;
  p->sid = (pid_t)u[2] ;
  p->start = u[18] ;
  return 1 ;
}

int proc_starttime (pid_t pid, uint64_t *start)
{
  svk_procinfo p ;
  int r = proc_stat(pid, &p) ;
  if (r > 0) *start = p.start ;
  return r ;
}
