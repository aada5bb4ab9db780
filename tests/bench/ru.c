/* ISC license.  Bench helper: ru OUTFILE PROG ARGS...
 * Runs PROG as a child and, when it exits, writes
 * "USER_S SYS_S MAXRSS_KB WAITSTATUS\n" to OUTFILE.  A small exec'd parent
 * is needed: Linux carries a parent's RSS high-water mark across fork and
 * exec into ru_maxrss, so a big driver cannot measure its child directly. */

#include <stdio.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main (int argc, char **argv)
{
  struct rusage ru ;
  int status ;
  pid_t pid ;
  FILE *f ;
  if (argc < 3) { fputs("usage: ru outfile prog args...\n", stderr) ; return 100 ; }
  pid = fork() ;
  if (pid < 0) { perror("ru: fork") ; return 111 ; }
  if (!pid)
  {
    execvp(argv[2], argv + 2) ;
    perror("ru: exec") ;
    _exit(111) ;
  }
  if (wait4(pid, &status, 0, &ru) != pid) { perror("ru: wait4") ; return 111 ; }
  f = fopen(argv[1], "w") ;
  if (!f) { perror("ru: fopen") ; return 111 ; }
  fprintf(f, "%ld.%06ld %ld.%06ld %ld %d\n",
    (long)ru.ru_utime.tv_sec, (long)ru.ru_utime.tv_usec,
    (long)ru.ru_stime.tv_sec, (long)ru.ru_stime.tv_usec, ru.ru_maxrss, status) ;
  return fclose(f) ? 111 : 0 ;
}
