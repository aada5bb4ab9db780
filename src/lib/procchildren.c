/* ISC license. */

#include <fcntl.h>
#include <string.h>
#include <skalibs/types.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include "svkit.h"

/* Linux: /proc/PID/task/PID/children lists the children of PID's main
   thread (svkit's daemons have no other).  Calls f for each one above 1,
   in the order listed.  Returns how many, or -1 if the list cannot be
   read.  Reads at most 8 kB of it (about 1,000 children). */
int svk_proc_children (pid_t pid, void (*f) (pid_t, void *), void *data)
{
  char fn[sizeof "/proc//task//children" + 2 * PID_FMT] ;
  char buf[8192] ;
  size_t m = 0 ;
  ssize_t r ;
  int fd, n = 0 ;
  memcpy(fn, "/proc/", 6) ; m = 6 ;
  m += pid_fmt(fn + m, pid) ;
  memcpy(fn + m, "/task/", 6) ; m += 6 ;
  m += pid_fmt(fn + m, pid) ;
  memcpy(fn + m, "/children", 10) ;
  fd = open(fn, O_RDONLY | O_CLOEXEC) ;
  if (fd < 0) return -1 ;
  r = fd_read(fd, buf, sizeof buf - 1) ;
  fd_close(fd) ;
  if (r < 0) return -1 ;
  buf[r] = 0 ;
  for (size_t k = 0 ; k < (size_t)r ;)
  {
    pid_t c ;
    size_t l = pid_scan(buf + k, &c) ;
    if (!l) { k++ ; continue ; }
    if (c > 1) { f(c, data) ; n++ ; }
    k += l ;
  }
  return n ;
}
