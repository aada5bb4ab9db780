/* ISC license. */

/* What the clients (svc, svstat, svok) need to look at a supervise/
   directory written by svkit, daemontools or runit.  Whoever owns DIR may
   have planted anything there: no file of supervise/ is followed if it is
   a symlink, each must be of the type supervise makes (a FIFO, a regular
   file), none is opened in a way that blocks, none is read beyond the
   size it should have. */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include "svkit.h"

void svk_mkpath (char *out, char const *dir, char const *file)
{
  size_t n = strlen(dir) ;
  memcpy(out, dir, n) ;
  out[n] = '/' ;
  memcpy(out + n + 1, file, strlen(file) + 1) ;
}

int svk_dir_has (char const *dir, char const *file)
{
  char fn[strlen(dir) + strlen(file) + 2] ;
  struct stat st ;
  svk_mkpath(fn, dir, file) ;
  return stat(fn, &st) == 0 || errno != ENOENT ;
}

/* dir/file, opened with flags, never through a symlink, never blocking.
   Returns the fd, -1 (errno set), or SVK_BADTYPE if it is a symlink or
   not of the given type. */
static int openchecked (char const *dir, char const *file, int flags, mode_t type)
{
  char fn[strlen(dir) + strlen(file) + 2] ;
  struct stat st ;
  int fd ;
  svk_mkpath(fn, dir, file) ;
  fd = open(fn, flags | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC) ;
  if (fd < 0)
  {
    int e = errno ;
    if (e == ELOOP && lstat(fn, &st) == 0 && S_ISLNK(st.st_mode)) return SVK_BADTYPE ;
    errno = e ;
    return -1 ;
  }
  if (fstat(fd, &st) < 0)
  {
    int e = errno ;
    fd_close(fd) ;
    errno = e ;
    return -1 ;
  }
  if ((st.st_mode & S_IFMT) != type) { fd_close(fd) ; return SVK_BADTYPE ; }
  return fd ;
}

int svk_fifo_open (char const *dir, char const *file)
{
  return openchecked(dir, file, O_WRONLY, S_IFIFO) ;
}

int svk_supervise_ok (char const *dir)
{
  int fd = svk_fifo_open(dir, "supervise/ok") ;
  if (fd == SVK_BADTYPE) return fd ;
  if (fd < 0) return errno == ENXIO || errno == ENOENT ? 0 : -1 ;
  fd_close(fd) ;
  return 1 ;
}

/* Reads at most max bytes plus one, so that an oversized file is seen.
   Returns the size read, -1 (errno set) or SVK_BADTYPE. */
static ssize_t readfile (char const *dir, char const *file, char *buf, size_t max)
{
  size_t got = 0 ;
  int fd = openchecked(dir, file, O_RDONLY, S_IFREG) ;
  if (fd < 0) return fd ;
  while (got <= max)
  {
    ssize_t r = fd_read(fd, buf + got, max + 1 - got) ;
    if (r < 0) { int e = errno ; fd_close(fd) ; errno = e ; return -1 ; }
    if (!r) break ;
    got += (size_t)r ;
  }
  fd_close(fd) ;
  return (ssize_t)got ;
}

int svk_status_read (char const *dir, svk_status *st, svk_statusread *info)
{
  char buf[SVK_XSTATUS_LEN + 1] ;
  ssize_t r ;
  memset(info, 0, sizeof *info) ;
  info->file = SVK_XSTATUS_FILE ;
  r = readfile(dir, SVK_XSTATUS_FILE, buf, SVK_XSTATUS_LEN) ;
  if (r == SVK_BADTYPE) return SVK_READ_BADTYPE ;
  if (r >= 0)
  {
    info->len = (size_t)r ;
    if (!SVK_XSTATUS_LEN_OK((size_t)r)) return SVK_READ_BADSIZE ;
    if (svk_xstatus_unpack(st, buf, (size_t)r) < 0) return SVK_READ_BADDATA ;
    info->source = SVK_SRC_SVKIT ;
    return 0 ;
  }
  if (errno != ENOENT) return SVK_READ_SYSERR ;
  info->file = SVK_STATUS_FILE ;
  r = readfile(dir, SVK_STATUS_FILE, buf, SVK_STATUS_LEN) ;
  if (r == SVK_BADTYPE) return SVK_READ_BADTYPE ;
  if (r < 0) return SVK_READ_SYSERR ;
  info->len = (size_t)r ;
  if (r != SVK_STATUS_LEN && r != SVK_STATUS_DJB_LEN) return SVK_READ_BADSIZE ;
  if (svk_status_unpack(st, buf, (size_t)r) < 0) return SVK_READ_BADDATA ;
  info->source = r == SVK_STATUS_LEN ? SVK_SRC_RUNIT : SVK_SRC_DAEMONTOOLS ;
  return 0 ;
}
