/* ISC license. */

/* envfile [-i] file prog...: exec prog with the variables of a .env file. */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include <skalibs/sgetopt.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "svkit.h"

#define USAGE "envfile [ -i ] file prog..."

/* The longest line: Linux's limit on one environment string
   (MAX_ARG_STRLEN), as for envdir; a longer line could never be passed. */
#define MAXLINE 131072
/* The most all the variables together may take: far above what execve
   accepts (ARG_MAX), so a huge file costs bounded memory. */
#define MAXTOTAL (16u << 20)

static void dienomem (void)
{
  strerr_diefusys(111, "allocate memory") ;
}

static void dieline (char const *file, size_t lineno, char const *reason)
{
  char fmt[SIZE_FMT] ;
  fmt[size_fmt(fmt, lineno)] = 0 ;
  strerr_dief(100, file, ":", fmt, ": ", reason) ;
}

static void doline (stralloc *modif, char const *file, size_t lineno, char const *s, size_t len)
{
  char const *reason ;
  if (svk_dotenv_line(modif, s, len, &reason) < 0)
  {
    if (!reason) dienomem() ;
    dieline(file, lineno, reason) ;
  }
  if (modif->len > MAXTOTAL) dieline(file, lineno, "the variables exceed 16 MiB in all") ;
}

/* Reads fd line by line into modif.  A line longer than MAXLINE is an
   error as soon as it is seen: the rest of it is never read. */
static void readfile (stralloc *modif, int fd, char const *file)
{
  static char buf[65536] ;
  static stralloc line = STRALLOC_ZERO ;  /* kept: a fatal error leaks nothing */
  size_t lineno = 1 ;
  line.len = 0 ;
  for (;;)
  {
    size_t i = 0 ;
    ssize_t r = fd_read(fd, buf, sizeof buf) ;
    if (r == -1) strerr_diefusys(111, "read ", file) ;
    if (!r) break ;
    while (i < (size_t)r)
    {
      char const *nl = memchr(buf + i, '\n', r - i) ;
      size_t end = nl ? (size_t)(nl - buf) : (size_t)r ;
      if (line.len + (end - i) > MAXLINE) dieline(file, lineno, "line longer than 131072 bytes") ;
      if (nl && !line.len) doline(modif, file, lineno, buf + i, end - i) ;
      else
      {
        if (!stralloc_catb(&line, buf + i, end - i)) dienomem() ;
        if (nl) { doline(modif, file, lineno, line.s, line.len) ; line.len = 0 ; }
      }
      if (nl) { lineno++ ; i = end + 1 ; } else i = end ;
    }
  }
  if (line.len) doline(modif, file, lineno, line.s, line.len) ;
}

int main (int argc, char const *const *argv)
{
  stralloc modif = STRALLOC_ZERO ;
  subgetopt l = SUBGETOPT_ZERO ;
  int ignore = 0 ;
  int fd ;
  PROG = "envfile" ;
  for (;;)
  {
    int opt = subgetopt_r(argc, argv, "i", &l) ;
    if (opt == -1) break ;
    switch (opt)
    {
      case 'i' : ignore = 1 ; break ;
      default : strerr_dieusage(100, USAGE) ;
    }
  }
  argc -= l.ind ; argv += l.ind ;
  if (argc < 2) strerr_dieusage(100, USAGE) ;
  fd = open(argv[0], O_RDONLY | O_CLOEXEC | O_NOCTTY) ;
  if (fd == -1)
  {
    if (errno != ENOENT || !ignore) strerr_diefusys(111, "open ", argv[0]) ;
  }
  else
  {
    readfile(&modif, fd, argv[0]) ;
    fd_close(fd) ;
  }
  svk_chain_exec(argv + 1, modif.s, modif.len) ;
}
