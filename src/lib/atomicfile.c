/* ISC license. */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>  /* rename */
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include "svkit.h"

#define FLAGS (O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)

/* FILE.new, written, then renamed over FILE: a reader sees the old
   contents or the new, never a part.  FILE.new is created afresh
   (O_EXCL, O_NOFOLLOW: whatever was planted under that name, a symlink
   or a FIFO, is replaced, never written through or waited on), gets
   exactly mode whatever the umask, and is removed after an error; rename
   replaces a symlink planted as FILE instead of writing through it.
   Returns 1, or 0 with errno set. */
int svk_atomic_write (char const *file, char const *s, size_t n, mode_t mode)
{
  size_t len = strlen(file) ;
  char tmp[len + 5] ;
  int fd, e ;
  memcpy(tmp, file, len) ;
  memcpy(tmp + len, ".new", 5) ;
  fd = open(tmp, FLAGS, mode) ;
  if (fd < 0 && errno == EEXIST)
  {
    unlink(tmp) ;
    fd = open(tmp, FLAGS, mode) ;
  }
  if (fd < 0) return 0 ;
  if (fchmod(fd, mode) < 0 || allwrite(fd, s, n) < n) { e = errno ; fd_close(fd) ; goto err ; }
  fd_close(fd) ;
  if (rename(tmp, file) < 0) { e = errno ; goto err ; }
  return 1 ;
 err:
  unlink(tmp) ;
  errno = e ;
  return 0 ;
}
