/* ISC license.  Bench helper, used as a service's ./run (a symlink to it).
 * It stamps its own start: appends "MONOTONIC_NS PID CWD\n" to ./stamps
 * in a single O_APPEND write, then waits for a signal.  Arguments are
 * ignored (s6-supervise passes the service directory as argv[1]).
 * The clock is read first thing, so the stamp is the moment run started,
 * whatever the latency of whoever reads the file. */

#include <fcntl.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int main (void)
{
  struct timespec ts ;
  char cwd[512] ;
  char buf[640] ;
  int fd, n ;
  clock_gettime(CLOCK_MONOTONIC, &ts) ;
  if (!getcwd(cwd, sizeof cwd)) cwd[0] = '?', cwd[1] = 0 ;
  n = snprintf(buf, sizeof buf, "%lld %d %s\n",
    (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec, (int)getpid(), cwd) ;
  fd = open("stamps", O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644) ;
  if (fd >= 0)
  {
    if (write(fd, buf, n) != n) return 111 ;
    close(fd) ;
  }
  for (;;) pause() ;
}
