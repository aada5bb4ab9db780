/* ISC license. */

/* svc -w: wait for a state with inotify on each DIR/supervise/.  Every
   status update of a supervise ends with a rename (IN_MOVED_TO); a
   supervise that dies closes its own write end of control
   (IN_CLOSE_WRITE) and its read end of ok (IN_CLOSE_NOWRITE).  We re-read
   the status only on such events: no poll. */

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <skalibs/strerr.h>
#include <skalibs/tai.h>
#include <skalibs/iopause.h>
#include "svc.h"

#define WATCHMASK (IN_MOVED_TO | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE | IN_CREATE \
  | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ATTRIB)

static int ifd = -1 ;

/* A FIFO or a symlink planted as a status file never changes into what
   supervise writes: waiting for it is waiting forever. */
static void badtype (svcdir *d, char const *file)
{
  strerr_warnw(d->dir, ": unable to read ", file, ": " SVK_NOTREG) ;
  d->failed = 1 ;
}

void svc_wait_prepare (svcdir *d, unsigned int n)
{
  ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC) ;
  if (ifd < 0) strerr_diefusys(111, "inotify_init1") ;
  for (unsigned int i = 0 ; i < n ; i++)
  {
    char fn[strlen(d[i].dir) + sizeof("/supervise")] ;
    svk_statusread info ;
    svk_mkpath(fn, d[i].dir, "supervise") ;
    /* Watch first, then take the baseline: no update can slip between. */
    d[i].wd = inotify_add_watch(ifd, fn, WATCHMASK) ;
    if (d[i].wd < 0)
    {
      if (errno == ENOENT) strerr_warnw(d[i].dir, ": supervise not running") ;
      else strerr_warnwusys("watch ", fn) ;
      d[i].failed = 1 ;
      continue ;
    }
    switch (svk_status_read(d[i].dir, &d[i].base, &info))
    {
      case 0 : d[i].baseok = 1 ; d[i].basesrc = info.source ; break ;
      case SVK_READ_BADTYPE : badtype(d + i, info.file) ; break ;
      default : break ;
    }
  }
}

static int restarted (svcdir const *d, svk_status const *st, int src)
{
  if (!d->baseok) return 1 ;
  if (src == SVK_SRC_SVKIT && d->basesrc == SVK_SRC_SVKIT) return st->starts != d->base.starts ;
  return st->pid != d->base.pid || st->stamp.sec != d->base.stamp.sec || st->stamp.nsec != d->base.stamp.nsec ;
}

static void check (svcdir *d, char what)
{
  svk_status st ;
  svk_statusread info ;
  int up, ready ;
  if (d->failed || d->done) return ;
  switch (svk_status_read(d->dir, &st, &info))
  {
    case 0 : break ;
    case SVK_READ_BADTYPE : badtype(d, info.file) ; return ;
    default : return ;  /* not written yet: wait for the next event */
  }
  up = svk_isup(&st) ;
  ready = svk_isready(&st, svk_dir_has(d->dir, "notification-fd")) ;
  switch (what)
  {
    case 'u' : d->done = up ; break ;
    case 'U' : d->done = ready ; break ;
    case 'd' : d->done = !up ; break ;
    case 'D' : d->done = st.state == SVK_DOWN && !st.pid ; break ;
    case 'r' : d->done = up && restarted(d, &st, info.source) ; break ;
    case 'R' : d->done = ready && restarted(d, &st, info.source) ; break ;
  }
}

static void alive (svcdir *d)
{
  int r ;
  if (d->failed || d->done) return ;
  r = svk_supervise_ok(d->dir) ;
  if (r == 1) return ;
  if (!r) strerr_warnw(d->dir, ": supervise exited while waiting") ;
  else if (r == SVK_BADTYPE) strerr_warnw(d->dir, ": " SVK_NOTFIFO_OK) ;
  else strerr_warnwusys("open ", d->dir, "/supervise/ok") ;
  d->failed = 1 ;
}

static void gone (svcdir *d)
{
  if (d->failed || d->done) return ;
  strerr_warnw(d->dir, ": supervise directory removed while waiting") ;
  d->failed = 1 ;
}

static int pending (svcdir const *d, unsigned int n)
{
  for (unsigned int i = 0 ; i < n ; i++) if (!d[i].failed && !d[i].done) return 1 ;
  return 0 ;
}

/* Reads the queued events and acts on them. */
static void events (svcdir *d, unsigned int n, char what)
{
  char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event)))) ;
  for (;;)
  {
    ssize_t r = read(ifd, buf, sizeof buf) ;
    if (r < 0)
    {
      if (errno == EINTR) continue ;
      if (errno == EAGAIN) return ;
      strerr_diefusys(111, "read inotify events") ;
    }
    for (char *p = buf ; p < buf + r ; )
    {
      struct inotify_event const *ev = (struct inotify_event const *)p ;
      p += sizeof(struct inotify_event) + ev->len ;
      if (ev->mask & IN_Q_OVERFLOW)
      {
        for (unsigned int i = 0 ; i < n ; i++) { check(d + i, what) ; alive(d + i) ; }
        continue ;
      }
      for (unsigned int i = 0 ; i < n ; i++)
      {
        if (d[i].wd != ev->wd) continue ;
        if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) { gone(d + i) ; continue ; }
        /* supervise holds ok open for reading: when it dies, ok is closed
           without writing, whichever of its descriptors the kernel
           releases first.  Our own liveness probe opens ok for writing, so its
           close is IN_CLOSE_WRITE: never react to that. */
        if (ev->len && !strcmp(ev->name, "ok"))
        {
          if (ev->mask & IN_CLOSE_NOWRITE) alive(d + i) ;
          continue ;
        }
        /* anyone reading the status files, ourselves included */
        if (!(ev->mask & ~(IN_CLOSE_NOWRITE | IN_ISDIR))) continue ;
        check(d + i, what) ;
        if (ev->len && (!strcmp(ev->name, "control") || !strcmp(ev->name, "lock")))
          alive(d + i) ;
      }
    }
  }
}

int svc_wait (svcdir *d, unsigned int n, char what, int ms)
{
  tain deadline ;
  iopause_fd x = { .fd = ifd, .events = IOPAUSE_READ } ;
  tain_now_set_stopwatch_g() ;
  if (ms >= 0)
  {
    tain tto ;
    tain_from_millisecs(&tto, ms) ;
    tain_add_g(&deadline, &tto) ;
  }
  else deadline = tain_infinite ;
  for (unsigned int i = 0 ; i < n ; i++) check(d + i, what) ;
  while (pending(d, n))
  {
    int r = iopause_g(&x, 1, &deadline) ;
    if (r < 0)
    {
      if (errno == EINTR) continue ;
      strerr_diefusys(111, "iopause") ;
    }
    if (!r)
    {
      for (unsigned int i = 0 ; i < n ; i++)
        if (!d[i].failed && !d[i].done) strerr_warnw(d[i].dir, ": timed out") ;
      return 99 ;
    }
    events(d, n, what) ;
  }
  return 0 ;
}
