/* ISC license. supervise: reading supervise/control (the bytes are
   events of lifecycle.c). */

#include <errno.h>
#include <signal.h>
#include <unistd.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>
#include "supervise.h"


/* Reads what is there, up to 4 kB per loop iteration (then one status write
   for the lot), with a small buffer: a big one would cost a stack page of
   private memory for the life of the process. */
void ctl_read (void)
{
  char buf[64] ;
  for (unsigned int n = 0 ; n < 64 ; n++)
  {
    ssize_t r = read(sv.ctlfd, buf, sizeof buf) ;
    if (r < 0)
    {
      if (errno != EAGAIN && errno != EINTR) strerr_warnwusys("read ", sv.dir, "/supervise/control") ;
      return ;
    }
    for (ssize_t i = 0 ; i < r ; i++) ctl_byte(buf[i]) ;
    if (r < (ssize_t)sizeof buf) return ;
  }
}
