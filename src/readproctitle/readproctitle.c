/* ISC license. */

/* readproctitle args... dots: keep the latest bytes of stdin visible in the
   last argument, so that ps shows them. */

#include <string.h>
#include <unistd.h>
#include <skalibs/strerr.h>
#include "svkit.h"

#define USAGE "readproctitle args... ....."
#define KEEP 3  /* leading dots always left in place */

int main (int argc, char **argv)
{
  char *title ;
  size_t len, room ;
  PROG = "readproctitle" ;
  if (argc < 2) strerr_dieusage(100, USAGE) ;
  /* The title is written in place, in the argv memory the kernel shows as
     /proc/PID/cmdline; its length is fixed by the argument we were given. */
  title = argv[argc - 1] ;
  len = strlen(title) ;
  if (len < 5) strerr_dieusage(100, USAGE) ;
  memset(title, '.', len) ;
  room = len - KEEP ;
  for (;;)
  {
    char buf[4096] ;
    size_t n = 0 ;
    ssize_t r = svk_read_stdin(buf, sizeof buf) ;
    if (!r) return 0 ;
    /* NUL bytes would cut the title short: drop them, as daemontools does */
    for (ssize_t i = 0 ; i < r ; i++) if (buf[i]) buf[n++] = buf[i] ;
    if (n >= room) memcpy(title + KEEP, buf + n - room, room) ;
    else
    {
      memmove(title + KEEP, title + KEEP + n, room - n) ;
      memcpy(title + len - n, buf, n) ;
    }
  }
}
