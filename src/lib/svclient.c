/* ISC license. */

/* What the clients (svc, svstat, svok) need to look at a supervise/
   directory written by svkit, daemontools or runit. */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <skalibs/djbunix.h>
#include "svkit.h"

static void mkpath (char *out, char const *dir, char const *file)
{
  size_t n = strlen(dir) ;
  memcpy(out, dir, n) ;
  out[n] = '/' ;
  memcpy(out + n + 1, file, strlen(file) + 1) ;
}

int svk_supervise_ok (char const *dir)
{
  char fn[strlen(dir) + sizeof("/supervise/ok")] ;
  int fd ;
  mkpath(fn, dir, "supervise/ok") ;
  fd = open(fn, O_WRONLY | O_NONBLOCK | O_CLOEXEC) ;
  if (fd < 0) return errno == ENXIO || errno == ENOENT ? 0 : -1 ;
  fd_close(fd) ;
  return 1 ;
}

/* Reads at most max bytes plus one, so that an oversized file is seen. */
static ssize_t readfile (char const *dir, char const *file, char *buf, size_t max)
{
  char fn[strlen(dir) + strlen(file) + 2] ;
  mkpath(fn, dir, file) ;
  return openreadnclose(fn, buf, max + 1) ;
}

int svk_status_read (char const *dir, svk_status *st, svk_statusread *info)
{
  char buf[SVK_XSTATUS_LEN + 1] ;
  ssize_t r ;
  memset(info, 0, sizeof *info) ;
  info->file = SVK_XSTATUS_FILE ;
  r = readfile(dir, SVK_XSTATUS_FILE, buf, SVK_XSTATUS_LEN) ;
  if (r >= 0)
  {
    info->len = (size_t)r ;
    if (!SVK_XSTATUS_LEN_OK((size_t)r)) return SVK_READ_BADSIZE ;
    if (xstatus_unpack(st, buf, (size_t)r) < 0) return SVK_READ_BADDATA ;
    info->source = SVK_SRC_SVKIT ;
    return 0 ;
  }
  if (errno != ENOENT) return SVK_READ_SYSERR ;
  info->file = SVK_STATUS_FILE ;
  r = readfile(dir, SVK_STATUS_FILE, buf, SVK_STATUS_LEN) ;
  if (r < 0) return SVK_READ_SYSERR ;
  info->len = (size_t)r ;
  if (r != SVK_STATUS_LEN && r != SVK_STATUS_DJB_LEN) return SVK_READ_BADSIZE ;
  if (status_unpack(st, buf, (size_t)r) < 0) return SVK_READ_BADDATA ;
  info->source = r == SVK_STATUS_LEN ? SVK_SRC_RUNIT : SVK_SRC_DAEMONTOOLS ;
  return 0 ;
}
