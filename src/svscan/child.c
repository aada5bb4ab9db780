/* ISC license. svscan: starting a supervise, talking to it, killing it. */

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include <skalibs/selfpipe.h>
#include <skalibs/sig.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "svscan.h"

extern struct rlimit nofile_orig ;

pid_t spawn_supervise (char const *dir, int fdin, int fdout)
{
  char const *argv[3] = { "supervise", dir, 0 } ;
  pid_t pid = fork() ;
  if (pid) return pid ;
  /* child: its own session, so a ^C meant for svscan does not reach it;
     the file limit svscan was given, not the one it raised for itself */
  selfpipe_finish() ;
  sig_restore(SIGPIPE) ;
  sig_blocknone() ;
  setrlimit(RLIMIT_NOFILE, &nofile_orig) ;
  setsid() ;
  if ((fdin >= 0 && dup2(fdin, 0) < 0) || (fdout >= 0 && dup2(fdout, 1) < 0)) _exit(111) ;
  execv(supervise_path, (char *const *)argv) ;
  strerr_warnwusys("exec ", supervise_path) ;
  _exit(111) ;
}

/* Writes control bytes to a running supervise. supervise works from
   inside its directory, so /proc/PID/cwd reaches its control FIFO even
   when the directory was renamed out of DIR. 0 if it cannot be reached
   (directory deleted, or not a supervise that listens). */
int control_write (pid_t pid, char const *bytes)
{
  char fn[80] ;
  size_t n = strlen(bytes), m = 6 ;
  int fd, r ;
  if (!proc_ok) return 0 ;
  memcpy(fn, "/proc/", 6) ;
  m += pid_fmt(fn + m, pid) ;
  memcpy(fn + m, "/cwd/supervise/control", 23) ;
  fd = open(fn, O_WRONLY | O_NONBLOCK | O_CLOEXEC) ;
  if (fd < 0) return 0 ;
  r = fd_write(fd, bytes, n) == (ssize_t)n ;
  fd_close(fd) ;
  return r ;
}

/* SIGKILL a supervise and the process groups of its children (the service
   runs in its own session). Children are read before the supervise dies,
   after which they would be re-parented to us and anonymous. */
static void killgroup (pid_t c, void *data)
{
  (void)data ;
  kill(-c, SIGKILL) ;
  kill(c, SIGKILL) ;
}

void killtree (pid_t sp)
{
  if (proc_ok) svk_proc_children(sp, &killgroup, 0) ;
  kill(sp, SIGKILL) ;
}
