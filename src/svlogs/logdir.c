/* ISC license. */

/* Which log directory a DIR argument means, and the name to show. */

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>
#include "svlogs.h"

static void dienomem (void)
{
  strerr_diefusys(111, "allocate memory") ;
}

static int isdir (char const *path)
{
  struct stat st ;
  return !stat(path, &st) && S_ISDIR(st.st_mode) ;
}

static int isreg (char const *path)
{
  struct stat st ;
  return !stat(path, &st) && S_ISREG(st.st_mode) ;
}

/* The last component of path (no trailing slash), length in *n. */
static char const *lastcomp (char const *path, size_t len, size_t *n)
{
  size_t i = len ;
  while (i && path[i - 1] != '/') i-- ;
  *n = len - i ;
  return path + i ;
}

/* The name of a log directory: the service's, for S/web/log/main and
   S/web/log, else the directory's own. */
static void logname (char const *path, stralloc *name)
{
  char rp[PATH_MAX] ;
  size_t len = strlen(path), n ;
  char const *c = lastcomp(path, len, &n) ;
  if ((n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.') || !n)
  {
    if (realpath(path, rp)) { path = rp ; len = strlen(rp) ; c = lastcomp(path, len, &n) ; }
  }
  if (n == 4 && !memcmp(c, "main", 4) && c - path >= 5 && !memcmp(c - 4, "log/", 4))
  {
    len = c - path - 5 ; c = lastcomp(path, len, &n) ;
  }
  else if (n == 3 && !memcmp(c, "log", 3) && c > path)
  {
    len = c - path - 1 ; c = lastcomp(path, len, &n) ;
  }
  if (!n) { c = path ; n = strlen(path) ; }
  if (!stralloc_copyb(name, c, n) || !stralloc_0(name)) dienomem() ;
}

/* log/run names its directory when it is "multilog ... ./dir" with
   exactly one directory action on the line; anything else is a guess. */
static int fromrun (char const *logsvc, stralloc *dir)
{
  char buf[4096] ;
  stralloc file = STRALLOC_ZERO ;
  ssize_t r ;
  char const *found = 0 ;
  size_t flen = 0 ;
  unsigned int count = 0 ;
  char *line ;
  if (!stralloc_cats(&file, logsvc) || !stralloc_cats(&file, "/run") || !stralloc_0(&file)) dienomem() ;
  r = svfile_read_small(file.s, buf, sizeof buf) ;
  stralloc_free(&file) ;
  if (r <= 0) return 0 ;
  for (line = buf ; line && *line ; )
  {
    char *nl = strchr(line, '\n') ;
    char *w ;
    if (nl) *nl = 0 ;
    w = strstr(line, "multilog") ;
    if (w && (w == line || w[-1] == ' ' || w[-1] == '\t' || w[-1] == '/') && (w[8] == ' ' || w[8] == '\t'))
    {
      for (w += 8 ; *w ; )
      {
        size_t n ;
        while (*w == ' ' || *w == '\t') w++ ;
        n = strcspn(w, " \t") ;
        if (n && (w[0] == '.' || w[0] == '/')) { found = w ; flen = n ; count++ ; }
        w += n ;
      }
    }
    line = nl ? nl + 1 : 0 ;
  }
  if (count != 1) return 0 ;
  dir->len = 0 ;
  if (found[0] != '/' && (!stralloc_cats(dir, logsvc) || !stralloc_catb(dir, "/", 1))) dienomem() ;
  if (!stralloc_catb(dir, found, flen) || !stralloc_0(dir)) dienomem() ;
  return isdir(dir->s) ;
}

int logdir_resolve (char const *arg, stralloc *dir, stralloc *name)
{
  stralloc p = STRALLOC_ZERO ;
  size_t len = strlen(arg) ;
  int ok = 0 ;
  while (len > 1 && arg[len - 1] == '/') len-- ;
  if (!stralloc_copyb(dir, arg, len) || !stralloc_0(dir)) dienomem() ;
  {
    struct stat st ;
    if (stat(dir->s, &st) == -1)
    {
      if (errno == ENOENT || errno == ENOTDIR) strerr_warnw("skipped ", arg, ": no such directory") ;
      else strerr_warnwusys("read ", arg) ;
      return 0 ;
    }
    if (!S_ISDIR(st.st_mode)) { strerr_warnw("skipped ", arg, ": not a directory") ; return 0 ; }
  }
  if (!stralloc_copyb(&p, dir->s, len) || !stralloc_cats(&p, "/current") || !stralloc_0(&p)) dienomem() ;
  if (isreg(p.s)) { logname(dir->s, name) ; ok = 1 ; goto end ; }
  logname(dir->s, name) ;
  {
    /* DIR is a service directory (its logger in DIR/log), or the logger's
       own service directory (DIR ends in /log) */
    size_t n ;
    char const *c = lastcomp(dir->s, len, &n) ;
    p.len = len ;
    if (!(n == 3 && !memcmp(c, "log", 3)) && !stralloc_cats(&p, "/log")) dienomem() ;
  }
  {
    size_t base = p.len ;
    if (!stralloc_cats(&p, "/main") || !stralloc_0(&p)) dienomem() ;
    if (isdir(p.s)) { if (!stralloc_copy(dir, &p)) dienomem() ; ok = 1 ; goto end ; }
    p.len = base ;
    if (!stralloc_0(&p)) dienomem() ;
    {
      stralloc logsvc = STRALLOC_ZERO ;
      if (!stralloc_copy(&logsvc, &p)) dienomem() ;
      ok = fromrun(logsvc.s, &p) ;
      stralloc_free(&logsvc) ;
    }
    if (ok) { if (!stralloc_copy(dir, &p)) dienomem() ; goto end ; }
  }
  p.len = len ;
  if (!stralloc_cats(&p, "/log") || !stralloc_0(&p)) dienomem() ;
  if (isdir(p.s))
    strerr_warnw("skipped ", arg, ": neither log/main nor a single directory named by multilog in log/run") ;
  else
    strerr_warnw("skipped ", arg, ": neither a log directory (no regular file current) nor a service directory with a log/") ;
 end:
  stralloc_free(&p) ;
  return ok ;
}
