/* ISC license. */

#ifndef SVC_H
#define SVC_H

#include "svkit.h"

typedef struct svcdir_s svcdir ;
struct svcdir_s
{
  char const *dir ;
  int wd ;             /* inotify watch on dir/supervise, -1 if none */
  int failed ;         /* a warning was printed: exit 111 */
  int done ;           /* the wanted state was reached */
  int baseok ;         /* base holds the status before the control bytes */
  int basesrc ;
  svk_status base ;
} ;

/* wait.c */
extern void svc_wait_prepare (svcdir *, unsigned int n) ;
/* Returns 0 when every DIR not failed is done, 99 on timeout (ms < 0: never). */
extern int svc_wait (svcdir *, unsigned int n, char what, int ms) ;

#endif
