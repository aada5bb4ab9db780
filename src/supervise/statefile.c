/* ISC license. supervise: the files of supervise/ that clients read. */

#include <errno.h>
#include <stdio.h>  /* rename */
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <skalibs/types.h>
#include <skalibs/strerr.h>
#include <skalibs/djbunix.h>
#include <skalibs/allreadwrite.h>
#include "supervise.h"

void state_stamp (void)
{
  svk_time_now(&sv.st.stamp) ;
}

/* NAME.new then rename.  Mode 0644 at most whatever the umask; a symlink
   planted as NAME.new is never followed (O_EXCL|O_NOFOLLOW), and rename
   replaces a symlink planted as NAME instead of writing through it. */
static void put (char const *file, char const *s, size_t n)
{
  char tmp[24] ;
  size_t len = strlen(file) ;
  int fd ;
  memcpy(tmp, file, len) ;
  memcpy(tmp + len, ".new", 5) ;
  fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0644) ;
  if (fd < 0 && errno == EEXIST)
  {
    unlink(tmp) ;
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0644) ;
  }
  if (fd < 0) goto err ;
  if (allwrite(fd, s, n) < n) { fd_close(fd) ; goto errunlink ; }
  fd_close(fd) ;
  if (rename(tmp, file) < 0) goto errunlink ;
  return ;
 errunlink:
  {
    int e = errno ;
    unlink(tmp) ;
    errno = e ;
  }
 err:
  strerr_warnwu4sys("write ", sv.dir, "/", file) ;
}

/* Each file is replaced atomically.  xstatus goes last, so that a client
   woken by inotify (IN_MOVED_TO xstatus) finds the others already current;
   status goes just before it, so that the window in which peers' clients
   (reading status) and svkit's (reading xstatus) disagree is one rename. */
void state_write (void)
{
  char buf[SVK_XSTATUS_LEN] ;
  if (access("down", F_OK) == 0) sv.st.flags |= SVK_F_NORMDOWN ;
  else sv.st.flags &= ~SVK_F_NORMDOWN ;
  put("supervise/stat", buf, statfile_fmt(buf, &sv.st)) ;
  put("supervise/pid", buf, pidfile_fmt(buf, &sv.st)) ;
  status_pack(buf, &sv.st) ;
  put("supervise/status", buf, SVK_STATUS_LEN) ;
  xstatus_pack(buf, &sv.st) ;
  put("supervise/xstatus", buf, SVK_XSTATUS_LEN) ;
}

/* A supervise killed with SIGKILL leaves its service running: if xstatus
   names a process that is still the same one (same start time in /proc),
   watch it through a pidfd instead of starting a second copy. */
int state_adopt (void)
{
  char buf[SVK_XSTATUS_LEN] ;
  svk_status st ;
  uint64_t start ;
  int fd ;
  ssize_t r = openreadnclose("supervise/xstatus", buf, sizeof buf) ;
  if (r != SVK_XSTATUS_LEN || xstatus_unpack(&st, buf, (size_t)r) < 0) return 0 ;
  /* a finish still running is adopted too: run must not start beside it */
  if ((st.state != SVK_RUN && st.state != SVK_FINISH) || st.pid <= 1 || !st.pidstart) return 0 ;
  if (proc_starttime((pid_t)st.pid, &start) <= 0 || start != st.pidstart) return 0 ;
  fd = (int)syscall(SYS_pidfd_open, (pid_t)st.pid, 0u) ;
  if (fd < 0)
  {
    strerr_warnwu2sys("adopt the service still running in ", sv.dir) ;
    return 0 ;
  }
  /* the pid could have been reused between the check and the open */
  if (proc_starttime((pid_t)st.pid, &start) <= 0 || start != st.pidstart) { fd_close(fd) ; return 0 ; }
  coe(fd) ;
  sv.pidfd = fd ;
  st.svpid = sv.st.svpid ;
  st.flags &= ~(SVK_F_EXIT | SVK_F_GAVEUP) ;
  sv.st = st ;
  {
    char fmt[UINT32_FMT] ;
    fmt[uint32_fmt(fmt, st.pid)] = 0 ;
    strerr_warnw4x("adopting the service still running in ", sv.dir, " with pid ", fmt) ;
  }
  return 1 ;
}
