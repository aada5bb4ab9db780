/* ISC license. */

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <skalibs/sig.h>
#include <skalibs/types.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include "svkit.h"

ssize_t svfile_read_small (char const *file, char *buf, size_t max)
{
  ssize_t r ;
  int fd = open(file, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC) ;
  if (fd < 0) return -1 ;
  r = allread(fd, buf, max - 1) ;
  if (r < 0) { fd_close(fd) ; return -1 ; }
  fd_close(fd) ;
  while (r > 0 && (buf[r-1] == '\n' || buf[r-1] == ' ' || buf[r-1] == '\t' || buf[r-1] == '\r')) r-- ;
  buf[r] = 0 ;
  return r ;
}

int svfile_read_uint (char const *file, uint32_t max, uint32_t *n)
{
  char buf[32] ;
  uint64_t v ;
  size_t pos ;
  ssize_t r = svfile_read_small(file, buf, sizeof buf) ;
  if (r < 0) return errno == ENOENT ? 0 : -1 ;
  pos = uint64_scan(buf, &v) ;
  if (!pos || pos != (size_t)r) return (errno = r >= (ssize_t)sizeof buf - 1 || (pos && buf[pos] >= '0' && buf[pos] <= '9') ? ERANGE : EINVAL, -1) ;
  if (pos > 19 || v > max) return (errno = ERANGE, -1) ;
  *n = (uint32_t)v ;
  return 1 ;
}

int svk_signal_scan (char const *s, int *sig)
{
  int n ;
  size_t len = sig0_scan(s, &n) ;  /* a number, or a name with or without SIG, any case */
  if (!len || s[len] || n <= 0 || n >= NSIG) return 0 ;
  *sig = n ;
  return 1 ;
}

int svfile_read_signal (char const *file, int *sig)
{
  char buf[32] ;
  ssize_t r = svfile_read_small(file, buf, sizeof buf) ;
  if (r < 0) return errno == ENOENT ? 0 : -1 ;
  /* a NUL inside would hide the rest of the file from the scan */
  if (strlen(buf) != (size_t)r || !svk_signal_scan(buf, sig)) return (errno = EINVAL, -1) ;
  return 1 ;
}
