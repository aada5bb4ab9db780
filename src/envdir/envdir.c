/* ISC license. */

/* envdir dir prog...: exec prog with one environment variable per file of dir. */

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <string.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "svkit.h"

#define USAGE "envdir dir prog..."

static void dienomem (void)
{
  strerr_diefusys(111, "allocate memory") ;
}

/* The most of a first line read: Linux's limit on one environment string
   (MAX_ARG_STRLEN), so that no value the kernel could pass is refused and
   /dev/zero or a huge file costs at most this much memory. */
#define MAXLINE 131072

/* Appends to modif "NAME=VALUE\0" (VALUE: the first line, trailing spaces
   and tabs removed, NULs turned into newlines), or "NAME\0" (unset) if the
   file is empty.  Dies 100 on a first line longer than MAXLINE. */
static void readvar (stralloc *modif, int dfd, char const *dir, char const *name)
{
  size_t vstart ;
  int empty = 1 ;
  int fd ;
  if (strchr(name, '='))
    strerr_dief(100, "invalid variable name (contains =): ", dir, "/", name) ;
  if (!stralloc_cats(modif, name) || !stralloc_catb(modif, "=", 1)) dienomem() ;
  vstart = modif->len ;
  fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY) ;
  if (fd == -1)
  {
    /* vanished since readdir, or a dangling symlink: an empty file, as
       daemontools treats it */
    if (errno != ENOENT) strerr_diefusys(111, "open ", dir, "/", name) ;
  }
  else
  {
    for (;;)
    {
      size_t got = modif->len - vstart ;
      size_t want = MAXLINE + 1 - got < 4096 ? MAXLINE + 1 - got : 4096 ;
      ssize_t r ;
      char *nl ;
      if (got > MAXLINE)
      {
        char fmt[SIZE_FMT] ;
        fmt[size_fmt(fmt, MAXLINE)] = 0 ;
        strerr_dief(100, "unable to read ", dir, "/", name, ": first line longer than ", fmt, " bytes") ;
      }
      if (!stralloc_readyplus(modif, want)) dienomem() ;
      r = fd_read(fd, modif->s + modif->len, want) ;
      if (r == -1) strerr_diefusys(111, "read ", dir, "/", name) ;
      if (!r) break ;
      empty = 0 ;
      nl = memchr(modif->s + modif->len, '\n', r) ;
      if (nl) { modif->len = nl - modif->s ; break ; }
      modif->len += r ;
    }
    fd_close(fd) ;
  }
  if (empty)
  {
    modif->len = vstart - 1 ;  /* drop the '=': "NAME\0" unsets */
  }
  else
  {
    while (modif->len > vstart && (modif->s[modif->len - 1] == ' ' || modif->s[modif->len - 1] == '\t'))
      modif->len-- ;
    for (size_t i = vstart ; i < modif->len ; i++)
      if (!modif->s[i]) modif->s[i] = '\n' ;
  }
  if (!stralloc_0(modif)) dienomem() ;
}

int main (int argc, char const *const *argv)
{
  stralloc modif = STRALLOC_ZERO ;
  char const *dir ;
  DIR *d ;
  int dfd ;
  PROG = "envdir" ;
  /* like daemontools, no options: every argument is taken literally */
  if (argc < 3) strerr_dieusage(100, USAGE) ;
  dir = argv[1] ;
  dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) ;
  if (dfd == -1) strerr_diefusys(111, "open directory ", dir) ;
  d = fdopendir(dfd) ;
  if (!d) strerr_diefusys(111, "open directory ", dir) ;
  for (;;)
  {
    struct dirent *e ;
    errno = 0 ;
    e = readdir(d) ;
    if (!e) break ;
    if (e->d_name[0] == '.') continue ;
    readvar(&modif, dfd, dir, e->d_name) ;
  }
  if (errno) strerr_diefusys(111, "read directory ", dir) ;
  closedir(d) ;
  svk_chain_exec(argv + 2, modif.s, modif.len) ;
}
