/* ISC license. */

/* fghack prog...: run prog with many descriptors on a pipe, and stay in the
   foreground until every process holding one has closed it. */

#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include <skalibs/types.h>
#include <skalibs/strerr.h>
#include "svkit.h"

#define USAGE "fghack prog..."
#define NCOPIES 30  /* as daemontools: a daemon closing fds 0..29 still holds one */

int main (int argc, char const *const *argv)
{
  int p[2] ;
  int copies[NCOPIES] ;
  pid_t pid ;
  int wstat ;
  PROG = "fghack" ;
  /* like daemontools, no options: every argument is taken literally */
  if (argc < 2) strerr_dieusage(100, USAGE) ;
  if (pipe(p) == -1) strerr_diefusys(111, "create pipe") ;
  if (coe(p[0]) == -1) strerr_diefusys(111, "set close-on-exec") ;
  for (unsigned int i = 0 ; i < NCOPIES ; i++)
    if ((copies[i] = dup(p[1])) == -1) strerr_diefusys(111, "dup") ;
  pid = fork() ;
  if (pid == -1) strerr_diefusys(111, "fork") ;
  if (!pid) svk_chain_exec(argv + 1, 0, 0) ;

  /* the parent keeps only the read end, so EOF means every holder is gone */
  fd_close(p[1]) ;
  for (unsigned int i = 0 ; i < NCOPIES ; i++) fd_close(copies[i]) ;
  for (;;)
  {
    char buf[4096] ;
    ssize_t r = fd_read(p[0], buf, sizeof buf) ;
    if (r == -1) strerr_diefusys(111, "read pipe") ;
    if (!r) break ;
  }
  if (wait_pid(pid, &wstat) == -1) strerr_diefusys(111, "wait for child") ;
  if (WIFSIGNALED(wstat))
  {
    char fmt[INT_FMT] ;
    fmt[int_fmt(fmt, WTERMSIG(wstat))] = 0 ;
    strerr_dief(111, "child crashed with signal ", fmt) ;
  }
  return WEXITSTATUS(wstat) ;
}
