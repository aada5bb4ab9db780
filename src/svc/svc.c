/* ISC license. */

/* svc [-udoOxrpchaitkq12yb] [-w u|U|d|D|r|R] [-T ms] DIR...
   Writes the control bytes, in the order given, in one write per DIR to
   DIR/supervise/control; then optionally waits for a state. */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <skalibs/types.h>
#include <skalibs/sgetopt.h>
#include <skalibs/strerr.h>
#include <skalibs/djbunix.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/sig.h>
#include <signal.h>
#include "svc.h"

#define USAGE "svc [ -udoOxrpchaitkq12yb ] [ -w u|U|d|D|r|R ] [ -T ms ] dir..."

static void send (svcdir *d, char const *bytes, size_t len)
{
  ssize_t w ;
  int fd = svk_fifo_open(d->dir, "supervise/control") ;
  d->failed = 1 ;
  if (fd == SVK_BADTYPE)
  {
    strerr_warnw(d->dir, ": supervise/control is not a FIFO: nothing written") ;
    return ;
  }
  if (fd < 0)
  {
    if (errno == ENXIO || errno == ENOENT) strerr_warnw(d->dir, ": supervise not running") ;
    else strerr_warnwusys("open ", d->dir, "/supervise/control") ;
    return ;
  }
  do w = write(fd, bytes, len) ; while (w < 0 && errno == EINTR) ;
  if (w < 0) strerr_warnwusys("write to ", d->dir, "/supervise/control") ;
  else if ((size_t)w < len) strerr_warnw("short write to ", d->dir, "/supervise/control") ;
  else d->failed = 0 ;
  fd_close(fd) ;
}

int main (int argc, char const *const *argv)
{
  subgetopt l = SUBGETOPT_ZERO ;
  char bytes[PIPE_BUF] ;
  size_t len = 0 ;
  char what = 0 ;
  int ms = -1 ;
  int e = 0 ;
  PROG = "svc" ;
  for (;;)
  {
    int opt = subgetopt_r(argc, argv, "udoOxrpchaitkq12ybw:T:", &l) ;
    if (opt == -1) break ;
    switch (opt)
    {
      case 'w' :
        if (strlen(l.arg) != 1 || !strchr("uUdDrR", l.arg[0])) strerr_dieusage(100, USAGE) ;
        what = l.arg[0] ;
        break ;
      case 'T' :
      {
        unsigned int u ;
        if (!uint0_scan(l.arg, &u) || u > INT_MAX) strerr_dieusage(100, USAGE) ;
        ms = (int)u ;
        break ;
      }
      case '?' : strerr_dieusage(100, USAGE) ;
      default :
        if (!svk_control_valid((char)opt)) strerr_dieusage(100, USAGE) ;
        if (len >= sizeof bytes) strerr_dief(100, "too many commands") ;
        bytes[len++] = (char)opt ;
    }
  }
  argc -= l.ind ; argv += l.ind ;
  if (!argc) strerr_dieusage(100, USAGE) ;
  /* A supervise dying between our open and our write: EPIPE, not death. */
  if (!sig_ignore(SIGPIPE)) strerr_diefusys(111, "ignore SIGPIPE") ;
  {
    /* one record per DIR, on the heap: no limit but memory */
    unsigned int n = (unsigned int)argc ;
    svcdir *d = calloc(n, sizeof(svcdir)) ;
    if (!d) strerr_diefusys(111, "allocate memory") ;
    for (unsigned int i = 0 ; i < n ; i++) { d[i].dir = argv[i] ; d[i].wd = -1 ; }
    if (what) svc_wait_prepare(d, n) ;
    for (unsigned int i = 0 ; i < n ; i++)
    {
      if (d[i].failed) continue ;
      if (len) send(d + i, bytes, len) ;
      else
      {
        int r = svk_supervise_ok(d[i].dir) ;
        if (r == 1) continue ;
        if (!r) strerr_warnw(d[i].dir, ": supervise not running") ;
        else if (r == SVK_BADTYPE) strerr_warnw(d[i].dir, ": " SVK_NOTFIFO_OK) ;
        else strerr_warnwusys("open ", d[i].dir, "/supervise/ok") ;
        d[i].failed = 1 ;
      }
    }
    if (what) e = svc_wait(d, n, what, ms) ;
    for (unsigned int i = 0 ; i < n ; i++) if (d[i].failed) { e = 111 ; break ; }
    free(d) ;
  }
  return e ;
}
