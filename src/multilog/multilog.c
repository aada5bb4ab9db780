/* ISC license. multilog: reads lines on stdin, writes them to actions.
   See doc/multilog.8.  This file is the main loop: signals, timers, iopause.
   The script is parsed in script.c, lines go through lines.c, the log
   directories are kept in logdir.c, and input is taken off a pipe only
   after the lines it holds are written (input.c). */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <skalibs/types.h>
#include <skalibs/buffer.h>
#include <skalibs/strerr.h>
#include <skalibs/djbunix.h>
#include <skalibs/selfpipe.h>
#include <skalibs/sig.h>
#include "multilog.h"

static int spfd = -1 ;

static void reap (void)
{
  int wstat ;
  pid_t pid ;
  while ((pid = wait_nohang(&wstat)) > 0)
    for (unsigned int i = 0 ; i < ml.ndirs ; i++)
      if (ml.dirs[i].pid == pid && ml.dirs[i].proc == P_RUNNING) ld_reap(ml.dirs + i, wstat) ;
}

static void handle_signals (void)
{
  for (;;)
  {
    int sig = selfpipe_read() ;
    if (sig <= 0) { if (sig < 0) strerr_diefusys(111, "selfpipe_read") ; return ; }
    if (sig == SIGTERM) ml_stop() ;
    else if (sig == SIGALRM)
    {
      for (unsigned int i = 0 ; i < ml.ndirs ; i++)
        if (ld_logical(ml.dirs + i)) ml.dirs[i].rotpending = 1 ;
    }
    else if (sig == SIGCHLD) reap() ;
  }
}

static int busy (void)
{
  for (unsigned int i = 0 ; i < ml.ndirs ; i++) if (ml.dirs[i].proc != P_NONE) return 1 ;
  return 0 ;
}

/* A status file: never block on a FIFO planted under its name. */
static void status_start (char const *name)
{
  struct stat st ;
  int fd = open(name, O_WRONLY | O_CREAT | O_APPEND | O_NONBLOCK | O_CLOEXEC, 0644) ;
  if (fd < 0 && errno != ENXIO) strerr_diefusys(111, "open ", name) ;
  if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
    strerr_dief(111, "unable to open ", name, ": not a regular file") ;
  close(fd) ;
}

int main (int argc, char const *const *argv)
{
  PROG = "multilog" ;
  ml_parse(argv + 1, argc > 0 ? (unsigned int)argc - 1 : 0) ;
  /* every file gets the mode documented for it, whatever the umask */
  ml_umask = umask(0) ;
  {
    sigset_t set ;
    sigemptyset(&set) ;
    sigaddset(&set, SIGTERM) ; sigaddset(&set, SIGALRM) ; sigaddset(&set, SIGCHLD) ;
    spfd = svk_sigtrap(&set) ;
    if (spfd < 0) strerr_diefusys(111, "trap signals") ;
  }
  sig_ignore(SIGPIPE) ;
  for (unsigned int i = 0 ; i < ml.nstatuses ; i++) status_start(ml.statuses[i].name) ;
  tain_now_set_stopwatch_g() ;  /* STAMP: monotonic, for every timer */
  for (unsigned int i = 0 ; i < ml.ndirs ; i++) ld_start(ml.dirs + i) ;
  in_setup() ;

  for (;;)
  {
    iopause_fd x[3] ;
    unsigned int nx = 1 ;
    tain deadline = TAIN_INFINITE ;
    int ok, wantin ;
    /* before any input is processed: a TERM that came after the last poll
       still stops at the end of the line in progress */
    handle_signals() ;
    for (unsigned int i = 0 ; i < ml.ndirs ; i++) ld_timers(ml.dirs + i) ;
    ml_retry = 0 ;
    ok = ml_process() ;
    /* nothing taken from a pipe that cannot show more: take what it shows */
    if (ok && in_pipe && !in_pos && in_len && !in_eof && !in_hup && !ml_stopping && in_stuck(in_len) > 0)
    {
      ml_force = 1 ;
      ok = ml_process() ;
      ml_force = 0 ;
    }
    ok = ok && ml_commit() ;
    if (ok && !ml_midline && (ml_stopping || (in_eof && in_pos == in_len)))
    {
      int done = !busy() ;
      for (unsigned int i = 0 ; i < ml.ndirs ; i++) if (!ld_final(ml.dirs + i)) done = 0 ;
      if (done) { in_unread() ; return 0 ; }
    }
    wantin = ok && !in_eof && !(ml_stopping && !ml_midline) ;
    x[0].fd = spfd ; x[0].events = IOPAUSE_READ ;
    if (wantin) nx += in_want(x + 1, &deadline) ;
    if (ml_retry)
    {
      tain t ;
      tain_from_millisecs(&t, ML_RETRY_MS) ;
      tain_add_g(&t, &t) ;
      if (tain_less(&t, &deadline)) deadline = t ;
    }
    for (unsigned int i = 0 ; i < ml.ndirs ; i++) ld_deadline(ml.dirs + i, &deadline) ;
    if (iopause_g(x, nx, &deadline) < 0)
    {
      if (errno == EINTR) continue ;
      strerr_diefusys(111, "iopause") ;
    }
    if (wantin && in_ready(x + 1) && in_fill()) ml_setstamp() ;
  }
}
