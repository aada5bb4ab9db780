/* ISC license. supervise: a service is its whole process tree (DESIGN.md §2).

   supervise is a child subreaper: every process the service starts, also
   one that double-forked or called setsid, stays below it (an orphan comes
   back to supervise, not to svscan or init).  So "the service's processes"
   are supervise's descendants, found in /proc without cgroups.

   A stop: the down-signal (and CONT) goes to the main process and its
   process group (tree_signal).  Once the main process is gone (run or
   finish exited, for whatever reason), the tree is "swept": every process
   still below supervise gets the down-signal and CONT, once; sweeps are
   repeated on SIGCHLD and every SWEEP_MS to catch what was forked
   meanwhile; what is alive after timeout-kill (GRACE_MS when absent or 0)
   gets KILL, sweep after sweep, until nothing is left (at most GIVEUP_MS).
   Meanwhile the state is finish with no pid; finish, or the next run, or
   "down" follow only then.  With no child left (waitpid: ECHILD), there is
   nothing to sweep and nothing to wait for: a clean restart costs one
   waitpid.  keep-orphans turns all this off (daemontools' behaviour). */

#include <errno.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>
#include <skalibs/djbunix.h>
#include "supervise.h"

#define GRACE_MS 3000u     /* leftovers' KILL without a timeout-kill */
#define GIVEUP_MS 5000u    /* KILLed processes that do not go: left alone */
#define SWEEP_MS 100u      /* sweep period while the down-signal works */
#define SWEEP_KILL_MS 20u  /* sweep period after KILL */
#define SWEEP_MIN_MS 5u    /* sweeps on SIGCHLD: at most one per this */
#define TREE_CAP 256       /* parents followed per sweep (stack) */
#define NSEEN 64           /* processes that got the signal of this phase */

static struct
{
  tain sweepdl ;
  tain killdl ;          /* phase 1: KILL; phase 2: give up */
  tain lastsweep ;
  pid_t sid ;            /* an adopted service's session, or 0 */
  pid_t seen[NSEEN] ;
  unsigned int nseen ;
  int sig ;              /* the down-signal */
  uint8_t phase ;        /* 0 none, 1 down-signal sent, 2 KILL sent */
  uint8_t then ;         /* TREE_FINISH or TREE_DOWN */
} tr = { .sweepdl = TAIN_INFINITE, .killdl = TAIN_INFINITE } ;

static int keep (void)
{
  return access("keep-orphans", F_OK) == 0 ;
}

void tree_init (void)
{
  if (svk_subreaper() < 0)
    strerr_warnwusys("become a child subreaper (processes that leave the service's tree will not be stopped)") ;
}

/* The adopted service's session holds the orphans of the SIGKILLed
   supervise that did not change session; they are followed by their sid. */
void tree_adopt (void)
{
  svk_procinfo p ;
  if (sv.st.pid && svk_proc_stat((pid_t)sv.st.pid, &p) > 0 && p.sid == (pid_t)sv.st.pid) tr.sid = p.sid ;
}

/* The down-signal to the main process and its process group (run is a
   session leader: its group is its pid for its whole life). */
void tree_signal (int sig)
{
  if (!sv.st.pid) return ;
  if (keep()) { send_sig(sig) ; return ; }
  /* an adopted process is no child of ours: its pid may only be used while
     it lives (the pidfd says so) */
  if (sv.pidfd >= 0 && svk_pidfd_signal(sv.pidfd, 0) < 0) return ;
  if (kill(-(pid_t)sv.st.pid, sig) < 0) send_sig(sig) ;
}

/* 1 if supervise still has a child; reaps those that are dead.  Called
   only when no run or finish is running: every child is a leftover. */
static int children (void)
{
  for (;;)
  {
    int w ;
    pid_t pid = wait_nohang(&w) ;
    if (pid > 0) continue ;
    if (pid < 0 && errno == EINTR) continue ;
    return !(pid < 0 && errno == ECHILD) ;
  }
}

static int seen (pid_t pid)
{
  for (unsigned int i = 0 ; i < tr.nseen ; i++) if (tr.seen[i] == pid) return 1 ;
  if (tr.nseen < NSEEN) tr.seen[tr.nseen++] = pid ;
  return 0 ;
}

typedef struct walk_s walk ;
struct walk_s
{
  svk_tree t ;
  unsigned int found ;
} ;

/* Between the read of /proc and the kill, a process that is not our child
   can be reaped by its parent, and its pid reused: a window of
   microseconds, after a full turn of the pid space. */
static int visit (svk_procinfo const *p, void *data)
{
  walk *w = data ;
  if (!svk_tree_visit(&w->t, p)) return 0 ;
  w->found++ ;
  if (tr.phase == 2)
  {
    int first = !seen(p->pid) ;
    if (!kill(p->pid, SIGKILL) && first && sv.st.killed < UINT32_MAX) sv.st.killed++ ;
  }
  else if (!seen(p->pid))
  {
    kill(p->pid, tr.sig) ;
    kill(p->pid, SIGCONT) ;
  }
  return 0 ;
}

/* Signals the processes of the tree; returns how many were alive. */
static unsigned int sweep (void)
{
  pid_t set[TREE_CAP] ;
  walk w ;
  tr.lastsweep = STAMP ;
  if (!children() && !tr.sid) return 0 ;
  svk_tree_init(&w.t, (pid_t)sv.st.svpid, tr.sid, set, TREE_CAP) ;
  w.found = 0 ;
  do
  {
    if (svk_proc_each(&visit, &w) < 0)
    {
      strerr_warnwusys("read /proc to stop the processes left by ", sv.dir, " (leaving them)") ;
      return 0 ;
    }
  } while (svk_tree_more(&w.t)) ;
  if (!w.found) tr.sid = 0 ;  /* the session is empty: its number may be reused */
  return w.found ;
}

static void after (tain *dl, tain const *from, uint32_t ms)
{
  tain d ;
  tain_from_millisecs(&d, (int)ms) ;
  tain_add(dl, from, &d) ;
}

static void later (tain *dl, uint32_t ms)
{
  after(dl, &STAMP, ms) ;
}

static void done (void)
{
  tr.phase = 0 ;
  tr.sweepdl = tr.killdl = tain_infinite ;
  if (tr.then == TREE_FINISH) run_finish() ;
  else go_down() ;
}

int tree_stop (int then)
{
  uint32_t ms ;
  if (!tr.sid && !children()) return 0 ;
  if (keep()) { tr.sid = 0 ; return 0 ; }
  tr.sig = down_signal() ;
  tr.phase = 1 ;
  tr.nseen = 0 ;
  if (!sweep()) { tr.phase = 0 ; return 0 ; }
  tr.then = (uint8_t)then ;
  sv.st.state = SVK_FINISH ;
  sv.st.pid = 0 ;
  sv.st.pidstart = 0 ;
  state_stamp() ;
  ms = read_ms("timeout-kill", 0) ;
  later(&tr.killdl, ms ? ms : GRACE_MS) ;
  later(&tr.sweepdl, SWEEP_MS) ;
  return 1 ;
}

void tree_reaped (int nochild)
{
  tain dl ;
  if (!tr.phase) return ;
  if (nochild && !tr.sid) { done() ; return ; }
  after(&dl, &tr.lastsweep, SWEEP_MIN_MS) ;
  if (tain_less(&dl, &tr.sweepdl)) tr.sweepdl = dl ;
}

tain const *tree_deadline (void)
{
  return tain_less(&tr.killdl, &tr.sweepdl) ? &tr.killdl : &tr.sweepdl ;
}

void tree_deadlines (void)
{
  if (!tr.phase) return ;
  if (!tain_less(&STAMP, &tr.killdl))
  {
    if (tr.phase == 2)
    {
      strerr_warnw("processes left by ", sv.dir, " survive SIGKILL: leaving them") ;
      done() ;
      return ;
    }
    tr.phase = 2 ;
    tr.nseen = 0 ;
    later(&tr.killdl, GIVEUP_MS) ;
    tr.sweepdl = STAMP ;
  }
  if (tain_less(&STAMP, &tr.sweepdl)) return ;
  if (!sweep()) { done() ; return ; }
  later(&tr.sweepdl, tr.phase == 2 ? SWEEP_KILL_MS : SWEEP_MS) ;
}
