/* ISC license. supervise: shared state of the one-process, one-loop daemon. */

#ifndef SUPERVISE_H
#define SUPERVISE_H

#include <sys/types.h>
#include <skalibs/tai.h>
#include "svkit.h"

typedef struct sv_s sv_t ;
struct sv_s
{
  svk_status st ;       /* what the status files say */
  char const *dir ;     /* as given on the command line, for messages */
  tain laststart ;      /* monotonic time of the last start attempt */
  tain startdl ;        /* throttled start pending (tain_infinite if none) */
  tain killdl ;         /* timeout-kill after the down-signal */
  tain finishdl ;       /* timeout-finish */
  int notiffd ;         /* read end of the notification-fd pipe, or -1 */
  int pidfd ;           /* adopted service (not our child), or -1 */
  int ctlfd ;
  int ctlwfd ;          /* held so that control never reads EOF */
  int okfd ;
  int lockfd ;
} ;

extern sv_t sv ;

/* statefile.c */
extern void state_write (void) ;
extern void state_stamp (void) ;      /* st.stamp = now (wall clock) */
extern int state_adopt (void) ;       /* 1 if a live service was adopted */

/* spawn.c */
extern void try_start (void) ;        /* start now, or arm the 1 s throttle */
extern void finish_deadline (void) ;
extern void send_down (void) ;        /* down-signal + CONT, TERMSENT, timeout-kill */
extern void send_sig (int) ;
extern void on_deadlines (void) ;
extern void notif_read (void) ;
extern void notif_close (void) ;
extern void run_finish (void) ;       /* after run: finish, or down */
extern int down_signal (void) ;       /* the down-signal file, or TERM */
extern uint32_t read_ms (char const *file, uint32_t dflt) ;

/* tree.c: the service's whole process tree */
#define TREE_FINISH 1
#define TREE_DOWN 2
extern void tree_init (void) ;        /* become a child subreaper */
extern void tree_adopt (void) ;       /* follow an adopted service's session */
extern void tree_signal (int) ;       /* to the main process and its group */
/* The main process is gone: 1 if leftovers are being stopped (then
   run_finish or go_down follows, as then says), 0 if there are none. */
extern int tree_stop (int then) ;
extern void tree_reaped (int nochild) ;
extern tain const *tree_deadline (void) ;
extern void tree_deadlines (void) ;

/* listen.c: the sockets of the listen file, fds 3.. of run */
#define LISTEN_MAX 64
#define LISTEN_OPTS_MAX 3
extern unsigned int listen_n ;        /* open now */
extern int listen_open (char const **reason) ;   /* if none is open */
extern void listen_close (void) ;
extern size_t listen_envlen (void) ;
extern void listen_env (char const **envp) ;     /* room for envlen + 4 */
extern int listen_child (int from, int to) ;     /* in run's child */

/* ctl.c */
extern void ctl_read (void) ;

/* lifecycle.c: every transition (see the table there) */
extern void ctl_byte (char) ;
extern void run_exited (int wstat, int known) ;  /* known = 0: adopted, status unknown */
extern void finish_exited (int wstat) ;
extern void go_down (void) ;          /* down, and up again if wanted */

/* May run start now?  Down, wanted up, not exiting.  The one test. */
static inline int may_start (void)
{
  return sv.st.state == SVK_DOWN && sv.st.want == 'u' && !(sv.st.flags & SVK_F_EXIT) ;
}

/* Start again after an exit?  Wanted up, not once, not exiting. */
static inline int want_run (void)
{
  return sv.st.want == 'u' && !(sv.st.flags & (SVK_F_ONCE | SVK_F_EXIT)) ;
}

#endif
