/* ISC license. */

/* svlogs [-f] [-n N] DIR...: the last N lines of each service's log,
   merged in time order, in local time, each with its service's name;
   with -f, then every line appended, across rotations. */

#include <stdlib.h>
#include <string.h>
#include <skalibs/sgetopt.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "svlogs.h"

#define USAGE "svlogs [ -f ] [ -n lines ] dir..."
#define MAXN 1000000  /* -n: lines per log */
#define NAMEWIDTH 24  /* names are padded to the longest, up to this */

int main (int argc, char const *const *argv)
{
  subgetopt l = SUBGETOPT_ZERO ;
  unsigned int n = 10, nlogs = 0, skipped = 0 ;
  size_t width = 0 ;
  int fflag = 0 ;
  slog *logs ;
  PROG = "svlogs" ;
  for (;;)
  {
    int opt = subgetopt_r(argc, argv, "fn:", &l) ;
    if (opt == -1) break ;
    switch (opt)
    {
      case 'f' : fflag = 1 ; break ;
      case 'n' :
        if (!uint0_scan(l.arg, &n) || n > MAXN)
          strerr_dief(100, "invalid -n: ", l.arg, " (a number of lines, 0 to 1000000)") ;
        break ;
      default : strerr_dieusage(100, USAGE) ;
    }
  }
  argc -= l.ind ; argv += l.ind ;
  if (!argc) strerr_dieusage(100, USAGE) ;
  logs = (slog *)calloc(argc, sizeof(slog)) ;
  if (!logs) strerr_diefusys(111, "allocate memory") ;
  for (int i = 0 ; i < argc ; i++)
  {
    stralloc dir = STRALLOC_ZERO, name = STRALLOC_ZERO ;
    slog *lg = logs + nlogs ;
    if (!logdir_resolve(argv[i], &dir, &name))
    {
      skipped++ ; stralloc_free(&dir) ; stralloc_free(&name) ;
      continue ;
    }
    lg->dir = dir.s ; lg->name = name.s ; lg->fd = -1 ; lg->wd = -1 ;
    if (strlen(name.s) > width) width = strlen(name.s) ;
    nlogs++ ;
  }
  if (!nlogs) strerr_dief(111, "no log directory to show") ;
  line_setwidth(width < NAMEWIDTH ? width : NAMEWIDTH) ;
  tail_show(logs, nlogs, n, fflag) ;
  if (fflag) follow(logs, nlogs) ;
  for (unsigned int i = 0 ; i < nlogs ; i++)
  {
    free((char *)logs[i].dir) ; free((char *)logs[i].name) ;
  }
  free(logs) ;
  return skipped ? 111 : 0 ;
}
