/* ISC license. */

/* envuidgid account prog...: exec prog with $UID and $GID of account. */

#include <pwd.h>
#include <string.h>
#include <skalibs/types.h>
#include <skalibs/strerr.h>
#include "svkit.h"

#define USAGE "envuidgid account prog..."

int main (int argc, char const *const *argv)
{
  struct passwd *pw ;
  char modif[4 + UINT64_FMT + 1 + 4 + UINT64_FMT + 1] ;
  size_t m = 0 ;
  PROG = "envuidgid" ;
  /* like daemontools, no options: every argument is taken literally */
  argc-- ; argv++ ;
  if (argc < 2) strerr_dieusage(100, USAGE) ;

  pw = svk_getpw_or_die(argv[0]) ;
  /* daemontools sets exactly these two; no GIDLIST */
  memcpy(modif + m, "UID=", 4) ; m += 4 ;
  m += uint64_fmt(modif + m, pw->pw_uid) ; modif[m++] = 0 ;
  memcpy(modif + m, "GID=", 4) ; m += 4 ;
  m += uint64_fmt(modif + m, pw->pw_gid) ; modif[m++] = 0 ;
  svk_chain_exec(argv + 1, modif, m) ;
}
