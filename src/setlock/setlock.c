/* ISC license. */

/* setlock [-nNxX] file prog...: take an exclusive flock on file, then exec
   prog, which inherits the locked descriptor. */

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <skalibs/sgetopt.h>
#include <skalibs/strerr.h>
#include "svkit.h"

#define USAGE "setlock [-nNxX] file prog..."

int main (int argc, char const *const *argv)
{
  subgetopt l = SUBGETOPT_ZERO ;
  int nonblock = 0, quiet = 0 ;
  int fd ;
  PROG = "setlock" ;
  for (;;)
  {
    int opt = subgetopt_r(argc, argv, "nNxX", &l) ;
    if (opt == -1) break ;
    switch (opt)
    {
      case 'n' : nonblock = 1 ; break ;
      case 'N' : nonblock = 0 ; break ;
      case 'x' : quiet = 1 ; break ;
      case 'X' : quiet = 0 ; break ;
      default : strerr_dieusage(100, USAGE) ;
    }
  }
  argc -= l.ind ; argv += l.ind ;
  if (argc < 2) strerr_dieusage(100, USAGE) ;

  /* No O_CLOEXEC: the descriptor, hence the lock, goes to prog. */
  fd = open(argv[0], O_WRONLY | O_APPEND | O_CREAT | O_NOCTTY, 0600) ;
  if (fd == -1)
  {
    if (quiet) return 0 ;
    strerr_diefusys(111, "open ", argv[0]) ;
  }
  /* flock, as daemontools: the lock belongs to the open file description,
     so it stays held while prog or any of its children keeps the fd. */
  while (flock(fd, LOCK_EX | (nonblock ? LOCK_NB : 0)) == -1)
  {
    if (errno == EINTR) continue ;
    if (quiet) return 0 ;
    strerr_diefusys(111, "lock ", argv[0]) ;
  }
  svk_chain_exec(argv + 1, 0, 0) ;
}
