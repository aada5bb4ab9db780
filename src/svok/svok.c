/* ISC license. */

/* svok DIR: is a supervise running on DIR? 0 yes, 100 no, 111 error. */

#include <skalibs/strerr.h>
#include "svkit.h"

#define USAGE "svok dir"

int main (int argc, char const *const *argv)
{
  PROG = "svok" ;
  if (argc != 2 || !argv[1][0]) strerr_dieusage(100, USAGE) ;
  switch (svk_supervise_ok(argv[1]))
  {
    case 1 : return 0 ;
    case 0 : return 100 ;
    case SVK_BADTYPE : strerr_dief(111, argv[1], ": " SVK_NOTFIFO_OK) ;
    default : strerr_diefusys(111, "open ", argv[1], "/supervise/ok") ;
  }
}
