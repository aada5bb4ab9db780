/* ISC license. */

#include <errno.h>
#include <string.h>
#include <skalibs/types.h>
#include "svkit.h"

int proc_starttime (pid_t pid, uint64_t *start)
{
  char path[32] = "/proc/" ;
  char buf[1024] ;
  ssize_t r ;
  char *p ;
  unsigned int field = 2 ;
  size_t n = 6 + pid_fmt(path + 6, pid) ;
  memcpy(path + n, "/stat", 6) ;
  r = svfile_read_small(path, buf, sizeof buf) ;
  if (r < 0) return errno == ENOENT || errno == ESRCH ? 0 : -1 ;
  /* comm may hold spaces and parentheses: fields restart after the last ')' */
  p = strrchr(buf, ')') ;
  if (!p) return (errno = EINVAL, -1) ;
  while (*p && field < 22) if (*p++ == ' ') field++ ;
  if (field != 22 || !uint64_scan(p, start)) return (errno = EINVAL, -1) ;
  return 1 ;
}
