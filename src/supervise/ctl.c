/* ISC license. supervise: control bytes (DESIGN.md §3). */

#include <errno.h>
#include <signal.h>
#include <unistd.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>
#include "supervise.h"

void ctl_byte (char c)
{
  int sig = 0 ;
  switch (svk_control_decode(c, &sig))
  {
    case SVK_CTL_UP :
      sv.st.want = 'u' ;
      sv.st.flags &= ~(SVK_F_ONCE | SVK_F_GAVEUP) ;
      if (sv.st.state == SVK_DOWN && !(sv.st.flags & SVK_F_EXIT)) try_start() ;
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
      if (sv.st.state == SVK_DOWN && !(sv.st.flags & SVK_F_EXIT)) try_start() ;
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

/* Reads what is there, up to 4 kB per loop iteration (then one status write
   for the lot), with a small buffer: a big one would cost a stack page of
   private memory for the life of the process. */
void ctl_read (void)
{
  char buf[64] ;
  for (unsigned int n = 0 ; n < 64 ; n++)
  {
    ssize_t r = read(sv.ctlfd, buf, sizeof buf) ;
    if (r < 0)
    {
      if (errno != EAGAIN && errno != EINTR) strerr_warnwusys("read ", sv.dir, "/supervise/control") ;
      return ;
    }
    for (ssize_t i = 0 ; i < r ; i++) ctl_byte(buf[i]) ;
    if (r < (ssize_t)sizeof buf) return ;
  }
}
