/* ISC license. supervise: the service's lifecycle, every transition in
   one file.  The mechanics (forking, signals, timers) are in spawn.c and
   tree.c; statefile.c writes the result after each loop iteration.

   States: down, run (./run runs), finish (./finish runs).  Between run
   and finish, and between finish and down, tree.c may first stop what
   the main process left behind (tree_stop), then calls run_finish or
   go_down.  What supervise wants: sv.st.want ('u' or 'd') and the flags
   ONCE (do not restart after an exit) and EXIT (exit once down).

   event              down                   run                  finish
   u                  start*                 -                    -
   o                  start* (once)          no restart after     no restart after
   d                  cancel a start         down-signal          -
   O                  cancel a start         no restart after     no restart after
   x                  exit                   exit once down       exit once down
   t                  -                      down-signal          -
   p c a h i q 1 2    -                      that signal          that signal
   run exits          -                      finish, or down**    -
   finish exits       -                      -                    down** (125: want down, gave up)
   start timer        start* if may_start()  -                    -
   kill timer         -                      KILL                 -
   finish timer       -                      -                    KILL

   start*: try_start(), at most once a second (else the start timer).
   down**: go_down(), then start* again if want_run(). */

#include <signal.h>
#include <sys/wait.h>
#include <skalibs/djbunix.h>
#include "supervise.h"

/* ---- control bytes ------------------------------------------------------- */

void ctl_byte (char c)
{
  int sig = 0 ;
  switch (svk_control_decode(c, &sig))
  {
    case SVK_CTL_UP :
      sv.st.want = 'u' ;
      sv.st.flags &= ~(SVK_F_ONCE | SVK_F_GAVEUP) ;
      try_start() ;
      break ;
    case SVK_CTL_DOWN :
      sv.st.want = 'd' ;
      sv.st.flags &= ~SVK_F_ONCE ;
      sv.startdl = tain_infinite ;
      if (sv.st.state == SVK_RUN) send_down() ;
      break ;
    case SVK_CTL_ONCE :
      sv.st.want = 'u' ;
      sv.st.flags |= SVK_F_ONCE ;
      sv.st.flags &= ~SVK_F_GAVEUP ;
      try_start() ;
      break ;
    case SVK_CTL_ONCEATMOST :
      sv.st.flags |= SVK_F_ONCE ;
      sv.startdl = tain_infinite ;
      break ;
    case SVK_CTL_EXIT :
      sv.st.flags |= SVK_F_EXIT ;
      sv.startdl = tain_infinite ;
      break ;
    case SVK_CTL_RESTART :
      if (sv.st.state == SVK_RUN) send_down() ;
      break ;
    case SVK_CTL_PAUSE :
      if (sv.st.state == SVK_RUN) { send_sig(SIGSTOP) ; sv.st.flags |= SVK_F_PAUSED ; }
      break ;
    case SVK_CTL_CONT :
      if (sv.st.pid) send_sig(SIGCONT) ;
      sv.st.flags &= ~SVK_F_PAUSED ;
      break ;
    case SVK_CTL_SIGNAL :
      send_sig(sig) ;
      break ;
    default : break ;
  }
}

/* ---- exits ----------------------------------------------------------------- */

void go_down (void)
{
  sv.st.state = SVK_DOWN ;
  sv.st.pid = 0 ;
  sv.st.pidstart = 0 ;
  sv.finishdl = tain_infinite ;
  state_stamp() ;
  if (want_run()) try_start() ;
}

/* known = 0: an adopted process whose exit status we cannot know */
void run_exited (int wstat, int known)
{
  if (!(sv.st.flags & SVK_F_TERMSENT)) sv.st.killed = 0 ;   /* a stop begins */
  if (known)
  {
    sv.st.exitcode = WIFEXITED(wstat) ? WEXITSTATUS(wstat) : -1 ;
    sv.st.exitsig = WIFSIGNALED(wstat) ? (uint32_t)WTERMSIG(wstat) : 0 ;
    sv.st.flags |= SVK_F_EXITED ;
  }
  else
  {
    sv.st.exitcode = 0 ;
    sv.st.exitsig = 0 ;
    sv.st.flags &= ~SVK_F_EXITED ;
  }
  sv.st.flags &= ~(SVK_F_PAUSED | SVK_F_TERMSENT | SVK_F_READY) ;
  sv.killdl = tain_infinite ;
  notif_close() ;
  if (sv.pidfd >= 0) { fd_close(sv.pidfd) ; sv.pidfd = -1 ; }
  if (tree_stop(TREE_FINISH)) return ;
  run_finish() ;
}

void finish_exited (int wstat)
{
  if (WIFEXITED(wstat) && WEXITSTATUS(wstat) == 125)
  {
    sv.st.want = 'd' ;
    sv.st.flags |= SVK_F_GAVEUP ;
  }
  if (tree_stop(TREE_DOWN)) return ;
  go_down() ;
}
