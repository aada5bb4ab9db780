/* ISC license. svscan internals: one service table, a scanner, a per-service
   state machine and the shutdown sequence. */

#ifndef SVSCAN_H
#define SVSCAN_H

#include <stdint.h>
#include <sys/types.h>
#include <skalibs/tai.h>
#include <skalibs/stralloc.h>
#include <skalibs/genalloc.h>
#include "svkit.h"

/* ---- htab.c: open-addressing hash of uint32 values under 64-bit hashes --- */

typedef struct htab_slot_s htab_slot ;
struct htab_slot_s { uint64_t h ; uint32_t v ; } ; /* v: 0 empty, 1 deleted, else value+2 */

typedef struct htab_s htab ;
struct htab_s { htab_slot *s ; uint32_t cap ; uint32_t n ; uint32_t used ; } ;
#define HTAB_ZERO { 0, 0, 0, 0 }
#define HTAB_NONE UINT32_MAX

typedef int htab_eq_func (uint32_t, void const *) ;
extern uint64_t htab_mix (uint64_t) ;
extern uint64_t htab_hashstr (char const *) ;
extern void htab_clear (htab *) ;
extern uint32_t htab_find (htab const *, uint64_t, htab_eq_func *, void const *) ;
extern int htab_put (htab *, uint64_t, uint32_t) ;
extern void htab_del (htab *, uint64_t, uint32_t) ;

/* ---- the service table ------------------------------------------------------ */

/* One supervise process: the service's own (SUP_MAIN) or its logger's
   (SUP_LOG, supervising NAME/log).  The two are alike, as in runsv. */
enum { SUP_MAIN = 0, SUP_LOG = 1 } ;
typedef struct supproc_s supproc ;
struct supproc_s
{
  tain next ;                  /* earliest next start (the once-a-second throttle) */
  tain start ;                 /* when it was started */
  pid_t pid ;                  /* 0 if none */
  uint32_t fail ;              /* consecutive unexpected exits, for warnings */
  unsigned int stop : 1 ;      /* told to exit */
} ;

typedef struct service_s service_t ;
struct service_s
{
  dev_t dev ; ino_t ino ;      /* identity of the service directory */
  dev_t ldev ; ino_t lino ;    /* NAME/log as last scanned */
  dev_t lrdev ; ino_t lrino ;  /* the log dir the running logger was started on */
  stralloc name ;              /* current name in DIR, NUL-terminated */
  supproc sup[2] ;             /* [SUP_MAIN], [SUP_LOG] */
  svk_time mwall ;             /* when the main supervise started, wall clock: its records are not older */
  tain killat ;                /* removal: SIGKILL what is left at this time */
  tain lxat ;                  /* drain: when to give up waiting for EOF */
  tain wake ;                  /* next time service_step wants to run */
  int p[2] ;                   /* the held pipe, -1 when none */
  int wd ;                     /* inotify watch on the service dir */
  uint32_t gen ;               /* last scan that saw it */
  uint8_t lstage ;             /* drain_logger() progress, 0 = not draining */
  unsigned int inuse : 1 ;
  unsigned int want : 1 ;      /* present in DIR */
  unsigned int wantlog : 1 ;   /* NAME/log is a directory */
  unsigned int mpiped : 1 ;    /* the running main supervise writes into p[1] */
  unsigned int removing : 1 ;  /* killat is armed */
  unsigned int dirty : 1 ;     /* queued in dirtyq */
  unsigned int timed : 1 ;     /* queued in timedq */
  unsigned int essential : 1 ; /* NAME/essential exists (essential.c) */
} ;

extern genalloc services ;     /* service_t, indexed; holes are !inuse */
extern uint32_t nservices ;        /* how many are inuse */
#define SERVICE(i) (genalloc_s(service_t, &services) + (i))

/* svscan.c: globals */
extern char const *supervise_path ;
extern unsigned int killsecs ;
extern int shutting ;
extern int ifd ;               /* inotify, -1 if unavailable */
extern int dirwd ;
extern int ispid1 ;
extern int proc_ok ;           /* /proc is about our pid namespace */
extern int rescan_wanted ;     /* a name no longer leads where we thought */

/* child.c */
extern pid_t spawn_supervise (char const *, int, int) ;
extern int control_write (pid_t, char const *) ;
extern void killtree (pid_t) ;

/* table.c: the service table and its queues */
extern uint32_t service_lookup_dir (dev_t, ino_t) ;
extern uint32_t service_new (char const *, dev_t, ino_t) ;
extern int service_rename (uint32_t, char const *) ;
extern void service_free (uint32_t) ;
extern void service_closepipe (service_t *) ;
extern void service_dirty (uint32_t) ;
extern void service_settimer (uint32_t, tain const *) ;
extern void services_run (void) ;      /* service_step() each dirty service */
extern int services_timers (tain *) ;

/* service.c: the per-service state machine */
extern void service_step (uint32_t) ;
extern void service_reaped (pid_t, int) ;
extern void service_kill (uint32_t) ;
extern void services_retry (void) ;
extern void services_shutdown (void) ;

/* scan.c */
extern uint32_t scangen ;
extern int scan (void) ;     /* 0: the directory could not be read; retry */
extern void scan_names (char const *, size_t) ;
extern void scan_forget_warnings (void) ;
extern int scan_is_parentwatch (int) ;

/* essential.c */
extern int essential_rescan ;         /* the next full scan looks for essential files again */
extern void essential_check (uint32_t) ;
extern void essential_forget (uint32_t) ;
extern int essential_event (int, uint32_t, char const *) ;
extern void essential_step (tain *) ;
extern int essential_decided (int *) ;  /* 1 and the exit code once one stopped for good */

/* shutdown.c */
extern void shutdown_begin (void) ;
extern int shutdown_step (tain *) ;   /* 1 when svscan may exit */
extern int reap (void) ;              /* 1 if svscan has no children left */

#endif
