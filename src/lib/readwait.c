/* ISC license. */

#include <errno.h>
#include <poll.h>
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
