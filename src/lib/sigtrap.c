/* ISC license. */

#include <signal.h>
#include <skalibs/selfpipe.h>
#include "svkit.h"

/* The daemons' one way to receive signals: as events on a file descriptor
   (skalibs' selfpipe, a signalfd on Linux), for every signal in set.
   Returns the descriptor to poll, or -1 with errno set. */
int svk_sigtrap (sigset_t const *set)
{
  int fd = selfpipe_init() ;
  if (fd < 0) return -1 ;
  if (!selfpipe_trapset(set)) { selfpipe_finish() ; return -1 ; }
  return fd ;
}
