/* ISC license. Fuzz target: control bytes.  svk_control_decode() and
   svk_control_valid() (src/lib/control.c), and supervise's lifecycle
   (src/supervise/lifecycle.c, included as is: ctl_byte, run_exited,
   go_down) driving a model of the service: try_start, send_down,
   send_sig, run_finish and tree_stop are stand-ins here that check they
   are called in a sensible state.  Byte 0xff is not sent to ctl_byte but
   means "the service exits" (run_exited).  After the first NUL, the rest is a signal
   name for svk_signal_scan() (src/lib/svfile.c, down-signal files).
   Oracle: state invariants after every byte, and unknown bytes change
   nothing. */

#include <signal.h>
#include <string.h>
#include "fuzz.h"
#include "../../src/supervise/lifecycle.c"

FUZZ_DIE_HOOKS

sv_t sv ;
static uint32_t nextpid ;
static unsigned int starts ;

void try_start (void)
{
  if (!may_start()) return ;
  FUZZ_ASSERT(!sv.st.pid) ;
  sv.st.state = SVK_RUN ;
  sv.st.pid = ++nextpid ;
  sv.st.flags &= ~(SVK_F_PAUSED | SVK_F_TERMSENT | SVK_F_EXITED) ;
  starts++ ;
}

void send_sig (int sig)
{
  FUZZ_ASSERT(sig > 0 && sig < NSIG) ;
  if (!sv.st.pid) return ;
  FUZZ_ASSERT(sv.st.state != SVK_DOWN) ;
}

void send_down (void)
{
  FUZZ_ASSERT(sv.st.state == SVK_RUN && sv.st.pid) ;
  send_sig(SIGTERM) ;
  send_sig(SIGCONT) ;
  sv.st.flags |= SVK_F_TERMSENT ;
  sv.st.flags &= ~SVK_F_PAUSED ;
}

/* no ./finish, nothing left behind: straight down */
void run_finish (void) { go_down() ; }
int tree_stop (int then) { (void)then ; return 0 ; }
void notif_close (void) { }
void state_stamp (void) { }

static void service_exits (void)
{
  if (sv.st.state != SVK_RUN) return ;
  run_exited(0, 1) ;
  FUZZ_ASSERT(sv.st.exitcode == 0 && !sv.st.exitsig) ;
  FUZZ_ASSERT(!(sv.st.flags & (SVK_F_PAUSED | SVK_F_TERMSENT))) ;
  /* up again at once (the stand-in has no throttle) exactly if wanted */
  FUZZ_ASSERT((sv.st.state == SVK_RUN) == (sv.st.want == 'u' && !(sv.st.flags & (SVK_F_ONCE | SVK_F_EXIT)))) ;
}
int LLVMFuzzerTestOneInput (uint8_t const *data, size_t size)
{
  uint8_t const *nul = memchr(data, 0, size) ;
  size_t clen = nul ? (size_t)(nul - data) : size ;
  memset(&sv, 0, sizeof sv) ;
  sv.st.want = 'u' ;
  sv.ctlfd = sv.ctlwfd = sv.okfd = sv.lockfd = sv.notiffd = sv.pidfd = -1 ;
  nextpid = 0 ; starts = 0 ;
  fuzz_armed = 0 ;
  for (size_t i = 0 ; i < clen ; i++)
  {
    char c = (char)data[i] ;
    int sig = 0, act = svk_control_decode(c, &sig) ;
    svk_status before = sv.st ;
    FUZZ_ASSERT(act >= SVK_CTL_NONE && act <= SVK_CTL_SIGNAL) ;
    FUZZ_ASSERT(svk_control_valid(c) == (act != SVK_CTL_NONE)) ;
    if (act == SVK_CTL_SIGNAL) FUZZ_ASSERT(sig > 0 && sig < NSIG) ;
    if (data[i] == 0xff) { service_exits() ; continue ; }
    ctl_byte(c) ;
    /* invariants */
    FUZZ_ASSERT(sv.st.want == 'u' || sv.st.want == 'd') ;
    FUZZ_ASSERT((sv.st.state == SVK_RUN) == !!sv.st.pid) ;
    if (sv.st.flags & SVK_F_PAUSED) FUZZ_ASSERT(sv.st.state == SVK_RUN) ;
    if (sv.st.flags & SVK_F_TERMSENT) FUZZ_ASSERT(sv.st.state == SVK_RUN) ;
    switch (act)
    {
      case SVK_CTL_NONE :
        FUZZ_ASSERT(!memcmp(&before, &sv.st, sizeof before)) ;
        break ;
      case SVK_CTL_UP :
        FUZZ_ASSERT(sv.st.want == 'u' && !(sv.st.flags & SVK_F_ONCE)) ;
        if (!(sv.st.flags & SVK_F_EXIT)) FUZZ_ASSERT(sv.st.state == SVK_RUN) ;
        break ;
      case SVK_CTL_ONCE :
        FUZZ_ASSERT(sv.st.want == 'u' && (sv.st.flags & SVK_F_ONCE)) ;
        if (!(sv.st.flags & SVK_F_EXIT)) FUZZ_ASSERT(sv.st.state == SVK_RUN) ;
        break ;
      case SVK_CTL_DOWN :
        FUZZ_ASSERT(sv.st.want == 'd' && !(sv.st.flags & SVK_F_ONCE)) ;
        if (before.state == SVK_RUN) FUZZ_ASSERT(sv.st.flags & SVK_F_TERMSENT) ;
        FUZZ_ASSERT(!(sv.st.flags & SVK_F_PAUSED)) ;
        break ;
      case SVK_CTL_ONCEATMOST : FUZZ_ASSERT(sv.st.flags & SVK_F_ONCE) ; break ;
      case SVK_CTL_EXIT : FUZZ_ASSERT(sv.st.flags & SVK_F_EXIT) ; break ;
      case SVK_CTL_PAUSE :
        FUZZ_ASSERT(!!(sv.st.flags & SVK_F_PAUSED) == (sv.st.state == SVK_RUN)) ;
        break ;
      case SVK_CTL_CONT : FUZZ_ASSERT(!(sv.st.flags & SVK_F_PAUSED)) ; break ;
      default : break ;
    }
    FUZZ_ASSERT(sv.st.state == before.state || act == SVK_CTL_UP || act == SVK_CTL_ONCE) ;
  }
  if (nul)
  {
    size_t n = size - clen - 1 ;
    char *s = malloc(n + 1) ;
    int sig = -1 ;
    if (!s) abort() ;
    memcpy(s, nul + 1, n) ; s[n] = 0 ;
    if (svk_signal_scan(s, &sig)) FUZZ_ASSERT(sig > 0 && sig < NSIG) ;
    free(s) ;
  }
  return 0 ;
}
