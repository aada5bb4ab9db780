/* ISC license. svscan: reaping, and the orderly shutdown on TERM/INT.
   Order: every producer's supervise gets "dx"; a logger is told to stop
   (Ox) only once its producer's supervise has exited and svscan has
   closed its write end of the pipe, so it reads to EOF first (service.c,
   step_remove). Each service has killsecs before SIGKILL. When no service
   is left, remaining children (orphans we adopted; as PID 1, every
   process of the namespace) get TERM, then KILL after killsecs. */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "svscan.h"

/* Reaps every child that has exited. Returns 1 if no child is left. */
int reap (void)
{
  for (;;)
  {
    int wstat ;
    pid_t pid = wait_nohang(&wstat) ;
    if (pid > 0) { service_reaped(pid, wstat) ; continue ; }
    if (pid < 0 && errno == EINTR) continue ;
    return pid < 0 && errno == ECHILD ;
  }
}

void shutdown_begin (void)
{
  shutting = 1 ;
  services_shutdown() ;
}

/* Sends sig to our remaining children. As PID 1, to the whole namespace. */
static void signal_child (pid_t c, void *data)
{
  int sig = *(int *)data ;
  kill(c, sig) ;
  if (sig == SIGTERM) kill(c, SIGCONT) ;
}

static void signal_leftovers (int sig)
{
  if (ispid1) { kill(-1, sig) ; return ; }
  if (proc_ok) svk_proc_children(getpid(), &signal_child, &sig) ;
}

int shutdown_step (tain *deadline)
{
  static int phase = 0 ;
  static tain dl ;
  *deadline = tain_infinite ;
  if (nservices) return 0 ;
  if (reap()) return 1 ;
  switch (phase)
  {
    case 0 :
      signal_leftovers(SIGTERM) ;
      tain_addsec_g(&dl, killsecs) ;
      phase = 1 ;
      break ;
    case 1 :
      if (tain_future(&dl)) break ;
      strerr_warnw("killing the processes left after the grace period") ;
      signal_leftovers(SIGKILL) ;
      tain_addsec_g(&dl, 5) ;
      phase = 2 ;
      break ;
    default :
      if (tain_future(&dl)) break ;
      strerr_warnw("some children do not die; exiting anyway") ;
      return 1 ;
  }
  *deadline = dl ;
  return 0 ;
}
