/* ISC license. */

#include <errno.h>
#include <pwd.h>
#include <skalibs/strerr.h>
#include "svkit.h"

/* Its own file: only the programs that look accounts up (linked
   dynamically, for NSS) pull getpwnam in. */
struct passwd *svk_getpw_or_die (char const *account)
{
  struct passwd *pw ;
  errno = 0 ;
  pw = getpwnam(account) ;
  if (pw) return pw ;
  /* getpwnam leaves errno 0 (or ENOENT...) for a plain miss */
  if (errno && errno != ENOENT && errno != ESRCH && errno != EBADF && errno != EPERM)
    strerr_diefusys(111, "look up account ", account) ;
  strerr_dief(111, "unknown account ", account) ;
}
