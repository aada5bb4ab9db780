/* ISC license. */

/* setuidgid [-s] account prog...: become account, then exec prog. */

#include <grp.h>
#include <pwd.h>
#include <unistd.h>
#include <skalibs/sgetopt.h>
#include <skalibs/strerr.h>
#include "svkit.h"

#define USAGE "setuidgid [-s] account prog..."

int main (int argc, char const *const *argv)
{
  subgetopt l = SUBGETOPT_ZERO ;
  int allgroups = 0 ;
  struct passwd *pw ;
  PROG = "setuidgid" ;
  for (;;)
  {
    int opt = subgetopt_r(argc, argv, "s", &l) ;
    if (opt == -1) break ;
    if (opt == 's') allgroups = 1 ;
    else strerr_dieusage(100, USAGE) ;
  }
  argc -= l.ind ; argv += l.ind ;
  if (argc < 2) strerr_dieusage(100, USAGE) ;

  pw = svk_getpw_or_die(argv[0]) ;
  if (allgroups)
  {
    if (initgroups(pw->pw_name, pw->pw_gid) == -1)
      strerr_diefusys(111, "set supplementary groups of account ", argv[0]) ;
  }
  else if (setgroups(1, &pw->pw_gid) == -1)
    strerr_diefusys(111, "set supplementary groups") ;
  if (setgid(pw->pw_gid) == -1) strerr_diefusys(111, "setgid") ;
  if (setuid(pw->pw_uid) == -1) strerr_diefusys(111, "setuid") ;
  svk_chain_exec(argv + 1, 0, 0) ;
}
