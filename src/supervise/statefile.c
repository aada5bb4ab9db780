/* ISC license. supervise: the files of supervise/ that clients read. */

#include <errno.h>
#include <stdio.h>  /* rename */
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <skalibs/types.h>
#include <skalibs/strerr.h>
#include <skalibs/djbunix.h>
#include <skalibs/allreadwrite.h>
#include "supervise.h"

void state_stamp (void)
{
  svk_time_now(&sv.st.stamp) ;
}

/* Mode 0644 whatever the umask (under umask 0777 the owner's svstat could
   not read it); see svk_atomic_write for planted files. */
static void put (char const *file, char const *s, size_t n)
{
  if (!svk_atomic_write(file, s, n, 0644)) strerr_warnwusys("write ", sv.dir, "/", file) ;
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
  put("supervise/stat", buf, svk_statfile_fmt(buf, &sv.st)) ;
  put("supervise/pid", buf, svk_pidfile_fmt(buf, &sv.st)) ;
  svk_status_pack(buf, &sv.st) ;
  put("supervise/status", buf, SVK_STATUS_LEN) ;
  svk_xstatus_pack(buf, &sv.st) ;
  put("supervise/xstatus", buf, SVK_XSTATUS_LEN) ;
}

/* supervise/xstatus, if it is a regular file of supervise's own user (only
   that user, or root, can then have written it), read without blocking on
   whatever else may have been planted there.  1 if it holds a record. */
static int read_record (svk_status *st)
{
  char buf[SVK_XSTATUS_LEN + 1] ;
  struct stat s ;
  size_t r ;
  int fd = open("supervise/xstatus", O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC) ;
  if (fd < 0) return 0 ;
  if (fstat(fd, &s) < 0 || !S_ISREG(s.st_mode) || s.st_uid != geteuid())
  {
    fd_close(fd) ;
    strerr_warnw("ignoring ", sv.dir, "/supervise/xstatus: not a regular file of supervise's own user") ;
    return 0 ;
  }
  r = allread(fd, buf, sizeof buf) ;
  fd_close(fd) ;
  return SVK_XSTATUS_LEN_OK(r) && !svk_xstatus_unpack(st, buf, r) ;
}

/* Why the live process p, named by the record st, was not started by this
   directory's supervise in this boot, or 0 if it was.  A record copied
   with the directory (cp -r) or restored from a backup names another
   directory, or another boot; a record that is forged, or older than this
   check, names a process that may be anything. */
static char const *foreign (svk_status const *st, svk_procinfo const *p, int *withsvpid)
{
  static unsigned char const zero[16] ;
  if (st->version < 2) return "the record is in an old format (version 1), which does not say where it was written" ;
  if (!memcmp(sv.st.bootid, zero, 16)) return "the boot id is unknown" ;
  if (memcmp(st->bootid, sv.st.bootid, 16)) return "the record is from another boot" ;
  if (st->dirdev != sv.st.dirdev || st->dirino != sv.st.dirino)
    return "the record was written for another directory (a copy of this one?)" ;
  /* run and finish are started in a session of their own */
  if (p->sid != p->pid) return "it is not a session leader, so no supervise started it" ;
  /* the child of a supervise that still runs is in its care: when a
     supervise dies, its children get another parent */
  *withsvpid = 1 ;
  if (st->svpid && p->ppid == (pid_t)st->svpid) return "the supervise that started it still runs, with pid " ;
  return 0 ;
}

/* A supervise killed with SIGKILL leaves its service running: if xstatus
   names a process that is still the same one (same start time in /proc),
   started by this very directory's supervise in this boot, watch it
   through a pidfd instead of starting a second copy.  Any other live
   process it names is left alone, with a warning. */
int state_adopt (void)
{
  svk_status st ;
  svk_procinfo p ;
  char const *why ;
  char fmt[UINT32_FMT] ;
  char svfmt[UINT32_FMT] = "" ;
  int withsvpid = 0 ;
  uint64_t start ;
  int fd ;
  if (!read_record(&st)) return 0 ;
  /* a finish still running is adopted too: run must not start beside it */
  if ((st.state != SVK_RUN && st.state != SVK_FINISH) || st.pid <= 1 || !st.pidstart) return 0 ;
  if (svk_proc_stat((pid_t)st.pid, &p) <= 0 || p.start != st.pidstart) return 0 ;
  fmt[uint32_fmt(fmt, st.pid)] = 0 ;
  why = foreign(&st, &p, &withsvpid) ;
  if (why)
  {
    if (withsvpid) svfmt[uint32_fmt(svfmt, st.svpid)] = 0 ;
    strerr_warnw("not adopting pid ", fmt, " named by ", sv.dir, "/supervise/xstatus: ", why, svfmt, "; starting afresh") ;
    return 0 ;
  }
  fd = svk_pidfd_open((pid_t)st.pid) ;
  if (fd < 0)
  {
    strerr_warnwusys("adopt the service still running in ", sv.dir) ;
    return 0 ;
  }
  /* the pid could have been reused between the check and the open */
  if (svk_proc_starttime((pid_t)st.pid, &start) <= 0 || start != st.pidstart) { fd_close(fd) ; return 0 ; }
  coe(fd) ;
  sv.pidfd = fd ;
  st.svpid = sv.st.svpid ;
  st.flags &= ~(SVK_F_EXIT | SVK_F_GAVEUP) ;
  sv.st = st ;
  strerr_warnw("adopting the service still running in ", sv.dir, " with pid ", fmt) ;
  return 1 ;
}
