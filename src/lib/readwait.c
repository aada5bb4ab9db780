/* ISC license. */

#include <errno.h>
#include <poll.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/strerr.h>
#include "svkit.h"

/* A filter's stdin may be a pipe someone else made non-blocking (the flag
   belongs to the open file description, shared by every holder): instead of
   failing on EAGAIN, wait until there is something to read. */
int svk_wait_readable (int fd)
{
  struct pollfd x = { .fd = fd, .events = POLLIN } ;
  for (;;)
  {
    int r = poll(&x, 1, -1) ;
    if (r > 0) return 1 ;
    if (r < 0 && errno != EINTR) return -1 ;
  }
}

/* The filters' read from stdin: n > 0 bytes, or 0 at end of file; waits out
   a non-blocking stdin; dies with a message (exit 111) on an error. */
ssize_t svk_read_stdin (char *buf, size_t n)
{
  for (;;)
  {
    ssize_t r = fd_read(0, buf, n) ;
    if (r >= 0) return r ;
    if (errno != EAGAIN) strerr_diefu1sys(111, "read stdin") ;
    if (svk_wait_readable(0) < 0) strerr_diefu1sys(111, "wait for stdin") ;
  }
}
