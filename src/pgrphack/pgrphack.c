/* ISC license. */

/* pgrphack prog...: exec prog in a new session (hence a new process group). */

#include <unistd.h>
#include <skalibs/strerr.h>
#include "svkit.h"

#define USAGE "pgrphack prog..."

int main (int argc, char const *const *argv)
{
  PROG = "pgrphack" ;
  /* like daemontools, no options: every argument is taken literally */
  argc-- ; argv++ ;
  if (argc < 1) strerr_dieusage(100, USAGE) ;
  /* setsid fails only if we already lead a process group (e.g. a run script
     started by supervise in its own session): then there is nothing to do,
     as with daemontools, which ignores the failure too. */
  setsid() ;
  svk_chain_exec(argv, 0, 0) ;
}
