/* ISC license. */

/* Linux 5.3: a descriptor for a process that is not our child (supervise
   adopting the service a killed supervise left running): poll it to learn
   of the exit, signal through it with no risk of a reused pid. */

#include <signal.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "svkit.h"

int svk_pidfd_open (pid_t pid)
{
  return (int)syscall(SYS_pidfd_open, pid, 0u) ;
}

int svk_pidfd_signal (int fd, int sig)
{
  return (int)syscall(SYS_pidfd_send_signal, fd, sig, (void *)0, 0u) ;
}
