/* ISC license. */

/* The last step of every chain-loader: exec the rest of the command line. */

#include <skalibs/strerr.h>
#include <skalibs/exec.h>
#include "svkit.h"

void svk_chain_exec (char const *const *argv, char const *modif, size_t modiflen)
{
  /* skalibs' xexec* die with 126/127; daemontools run scripts expect 111. */
  if (modiflen) mexec_am(argv[0], argv, modif, modiflen) ;
  else exec(argv) ;
  strerr_diefusys(111, "run ", argv[0]) ;
}
