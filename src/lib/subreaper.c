/* ISC license. */

#include <sys/prctl.h>
#include "svkit.h"

int svk_subreaper (void)
{
  return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) ;
}
