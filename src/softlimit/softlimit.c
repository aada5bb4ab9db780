/* ISC license. */

/* softlimit [-a -c -d -f -l -m -o -p -r -s -t n|=] prog...: set soft
   resource limits, then exec prog. */

#include <sys/resource.h>
#include <skalibs/types.h>
#include <skalibs/sgetopt.h>
#include <skalibs/strerr.h>
#include "svkit.h"

#define USAGE "softlimit [-a allbytes] [-c corebytes] [-d databytes] [-f filebytes] [-l lockbytes] [-m membytes] [-o openfiles] [-p processes] [-r residentbytes] [-s stackbytes] [-t cpusecs] prog..."

static void setsoft (int resource, char opt, char const *arg)
{
  struct rlimit r ;
  char name[3] = { '-', opt, 0 } ;
  if (getrlimit(resource, &r) == -1) strerr_diefusys(111, "getrlimit for ", name) ;
  if (arg[0] == '=' && !arg[1]) r.rlim_cur = r.rlim_max ;
  else
  {
    uint64_t n ;
    size_t len = uint64_scan(arg, &n) ;
    if (!len || arg[len]) strerr_dief(100, "invalid limit for ", name, ": ", arg) ;
    /* a soft limit cannot exceed the hard one: cap it, as daemontools does */
    if (r.rlim_max != RLIM_INFINITY && n > (uint64_t)r.rlim_max) n = r.rlim_max ;
    r.rlim_cur = (rlim_t)n ;
  }
  if (setrlimit(resource, &r) == -1) strerr_diefusys(111, "setrlimit for ", name) ;
}

int main (int argc, char const *const *argv)
{
  subgetopt l = SUBGETOPT_ZERO ;
  PROG = "softlimit" ;
  for (;;)
  {
    /* limits are applied in command-line order, so a later option wins */
    int opt = subgetopt_r(argc, argv, "a:c:d:f:l:m:o:p:r:s:t:", &l) ;
    if (opt == -1) break ;
    switch (opt)
    {
      case 'a' : setsoft(RLIMIT_AS, opt, l.arg) ; break ;
      case 'c' : setsoft(RLIMIT_CORE, opt, l.arg) ; break ;
      case 'd' : setsoft(RLIMIT_DATA, opt, l.arg) ; break ;
      case 'f' : setsoft(RLIMIT_FSIZE, opt, l.arg) ; break ;
      case 'l' : setsoft(RLIMIT_MEMLOCK, opt, l.arg) ; break ;
      case 'm' :
        setsoft(RLIMIT_DATA, opt, l.arg) ;
        setsoft(RLIMIT_STACK, opt, l.arg) ;
        setsoft(RLIMIT_MEMLOCK, opt, l.arg) ;
        setsoft(RLIMIT_AS, opt, l.arg) ;
        break ;
      case 'o' : setsoft(RLIMIT_NOFILE, opt, l.arg) ; break ;
      case 'p' : setsoft(RLIMIT_NPROC, opt, l.arg) ; break ;
      case 'r' : setsoft(RLIMIT_RSS, opt, l.arg) ; break ;
      case 's' : setsoft(RLIMIT_STACK, opt, l.arg) ; break ;
      case 't' : setsoft(RLIMIT_CPU, opt, l.arg) ; break ;
      default : strerr_dieusage(100, USAGE) ;
    }
  }
  argc -= l.ind ; argv += l.ind ;
  if (argc < 1) strerr_dieusage(100, USAGE) ;
  svk_chain_exec(argv, 0, 0) ;
}
