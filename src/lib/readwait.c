/* ISC license. */

#include <errno.h>
#include <poll.h>
#include <sys/uio.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/strerr.h>
#include "svkit.h"

/* A filter's stdin or stdout may be a pipe someone else made non-blocking
   (the flag belongs to the open file description, shared by every holder):
   instead of failing on EAGAIN, the filters wait until the pipe is ready. */
static int waitfor (int fd, short events)
{
  struct pollfd x = { .fd = fd, .events = events } ;
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
    if (errno != EAGAIN) strerr_diefusys(111, "read stdin") ;
    if (waitfor(0, POLLIN) < 0) strerr_diefusys(111, "wait for stdin") ;
  }
}

/* A skalibs buffer operation, in place of buffer_write: writev that waits
   out a non-blocking fd instead of failing with EAGAIN. */
ssize_t svk_writev_wait (int fd, struct iovec const *v, unsigned int n)
{
  for (;;)
  {
    ssize_t r = fd_writev(fd, v, n) ;
    if (r >= 0 || errno != EAGAIN) return r ;
    if (waitfor(fd, POLLOUT) < 0) return -1 ;
  }
}
