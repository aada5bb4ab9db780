/* ISC license. */

#ifndef SVSTAT_H
#define SVSTAT_H

#include "svkit.h"

/* What svstat learned about one DIR. */
typedef struct svstat_s svstat ;
struct svstat_s
{
  char const *dir ;
  int running ;        /* a supervise runs on dir */
  char const *error ;  /* non-null: dir could not be read; the message */
  svk_status st ;
  int source ;         /* enum svk_src_e */
  int normallyup ;     /* no ./down file */
  int notifies ;       /* ./notification-fd exists */
  svk_time now ;
} ;

/* Field kinds for -o and -j. */
enum svstat_kind_e { SVSTAT_BOOL, SVSTAT_NUM, SVSTAT_STR } ;

typedef struct svstat_field_s svstat_field ;
struct svstat_field_s
{
  char const *name ;
  int kind ;
  /* Writes the value into out (at most 64 bytes, NUL-terminated) and
     returns 1, or returns 0 if the value does not apply (null). */
  int (*get) (svstat const *, char *out) ;
} ;

extern svstat_field const svstat_fields[] ;
extern svstat_field const *svstat_field_find (char const *name, size_t len) ;

extern int svstat_isup (svstat const *) ;
extern uint64_t svstat_secs (svk_time const *now, svk_time const *then) ;
extern void svstat_sigfmt (char *out, uint32_t sig) ;

/* procs.c: the service's processes (issue 15) */
#define SVSTAT_TREE_FMT 64
extern int svstat_procs (svstat const *, uint32_t *) ;  /* 0: unknown */
extern size_t svstat_tree_fmt (svstat const *, char *out) ;

#endif
