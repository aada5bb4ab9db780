/* ISC license. */

#ifndef SVSTAT_H
#define SVSTAT_H

#include "svkit.h"

/* The service's processes, read from /proc at the time of the call. */
typedef struct svstat_res_s svstat_res ;
struct svstat_res_s
{
  uint32_t procs ;
  uint64_t rss ;       /* bytes, summed over the processes */
  uint64_t cpums ;     /* user+system CPU, milliseconds, of the processes and
                          of the children they waited for */
} ;

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
  int hasres ;         /* res was read from /proc */
  svstat_res res ;
} ;

/* Field kinds for -o and -j. */
enum svstat_kind_e { SVSTAT_BOOL, SVSTAT_NUM, SVSTAT_STR } ;

typedef struct svstat_field_s svstat_field ;
struct svstat_field_s
{
  char const *name ;
  int kind ;
  int proc ;           /* needs res (a walk of /proc) */
  /* Writes the value into out (at most 64 bytes, NUL-terminated) and
     returns 1, or returns 0 if the value does not apply (null). */
  int (*get) (svstat const *, char *out) ;
} ;

extern svstat_field const svstat_fields[] ;
extern svstat_field const *svstat_field_find (char const *name, size_t len) ;

extern int svstat_isup (svstat const *) ;
extern uint64_t svstat_secs (svk_time const *now, svk_time const *then) ;
extern void svstat_sigfmt (char *out, uint32_t sig) ;

extern int svstat_isready (svstat const *) ;
extern int svstat_hasexit (svstat const *) ;
/* The name of a service: dir's last component; a logger's is X/log. */
extern size_t svstat_name (char const *dir, char const **name) ;

/* procs.c: the service's processes (issues 15, 18) */
#define SVSTAT_TREE_FMT 64
extern int svstat_resources (svstat const *, svstat_res *) ;  /* 0: unknown */
extern size_t svstat_tree_fmt (svstat const *, char *out) ;

/* table.c: -t, one row per DIR for humans; metrics.c: -m, Prometheus.
   Both take every DIR at once (columns are aligned, metrics grouped). */
extern void svstat_table (svstat const *, size_t n) ;
extern void svstat_metrics (svstat const *, size_t n) ;

/* svstat.c: output */
extern void svstat_put (char const *) ;
extern void svstat_putn (char const *, size_t) ;
extern void svstat_putu64 (uint64_t) ;

#endif
