/* ISC license. */

/* Linux and glibc: signals 32 and 33 are glibc's own (thread cancellation
   and set*id broadcast), and glibc's sigaction() refuses them.  A parent
   that ignored them with the raw system call (some container runtimes and
   CI runners do) would pass that on through exec to every service.  This
   puts both back to default with the raw call; only for a child about to
   exec, whose glibc installs its own handlers when it needs them. */

#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "svkit.h"

void svk_sig_reset_reserved (void)
{
#ifdef SYS_rt_sigaction
  struct { void (*handler)(int) ; unsigned long flags ; void (*restorer)(void) ; unsigned long mask ; } ksa ;
  memset(&ksa, 0, sizeof ksa) ;
  ksa.handler = SIG_DFL ;
  syscall(SYS_rt_sigaction, 32, &ksa, (void *)0, sizeof ksa.mask) ;
  syscall(SYS_rt_sigaction, 33, &ksa, (void *)0, sizeof ksa.mask) ;
#endif
}
