/* ISC license. */

/* svlogs -f: lines as they are appended, across rotations.  One inotify
   watch per log directory; a log is read only when its directory reports
   a write or a new entry.  No polling. */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/alloc.h>
#include <skalibs/djbunix.h>
#include <skalibs/iopause.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>
#include "svlogs.h"

static slog *logs ;
static unsigned int nlogs ;
static unsigned int *dirty ;   /* indexes of the logs to read */
static unsigned int ndirty ;
static unsigned int *bywd ;    /* watch descriptor -> log index + 1 */
static size_t nbywd ;

static void dienomem (void)
{
  strerr_diefusys(111, "allocate memory") ;
}

static void mark (unsigned int i, int check)
{
  slog *l = logs + i ;
  l->dirty = 1 ;
  if (check) l->check = 1 ;
  if (!l->queued) { l->queued = 1 ; dirty[ndirty++] = i ; }
}

static void on_event (svk_dirwatch_event const *e, void *data)
{
  unsigned int i ;
  (void)data ;
  if (e->overflow)
  {
    for (i = 0 ; i < nlogs ; i++) if (logs[i].wd >= 0) mark(i, 1) ;
    return ;
  }
  if (e->wd < 0 || (size_t)e->wd >= nbywd || !bywd[e->wd]) return ;
  i = bywd[e->wd] - 1 ;
  if (e->gone)
  {
    if (logs[i].wd >= 0) strerr_warnw("no longer following ", logs[i].dir, ": the directory was removed or moved") ;
    bywd[e->wd] = 0 ;
    logs[i].wd = -1 ;
    mark(i, 0) ;  /* read what is left */
    return ;
  }
  if (strcmp(e->name, "current")) return ;  /* an archive, a processor's output... */
  mark(i, e->renamed) ;
}

/* Splits buf into lines, the first completing l->part. */
static void lines (slog *l, char const *s, size_t len)
{
  while (len)
  {
    char const *nl = memchr(s, '\n', len) ;
    size_t n = nl ? (size_t)(nl - s) : len ;
    if (!l->part.len && nl) line_emit(l->name, s, n) ;
    else
    {
      size_t room = LINEMAX - l->part.len ;
      if (n > room)  /* a line too long: show it in pieces */
      {
        if (!stralloc_catb(&l->part, s, room)) dienomem() ;
        line_emit(l->name, l->part.s, l->part.len) ;
        l->part.len = 0 ;
        s += room ; len -= room ;
        continue ;
      }
      if (!stralloc_catb(&l->part, s, n)) dienomem() ;
      if (nl) { line_emit(l->name, l->part.s, l->part.len) ; l->part.len = 0 ; }
    }
    if (!nl) break ;
    s += n + 1 ; len -= n + 1 ;
  }
}

/* Reads l->fd up to its end, or 1 MiB (then the log stays dirty, so that
   one busy log does not starve the others).  Returns 1 if at the end. */
static int drain (slog *l)
{
  static char buf[131072] ;
  for (unsigned int k = 0 ; k < 8 ; k++)
  {
    ssize_t r = read(l->fd, buf, sizeof buf) ;
    if (r == -1)
    {
      if (errno == EINTR) continue ;
      strerr_warnwusys("read ", l->dir, "/current") ;
      return 1 ;
    }
    if (!r)
    {
      struct stat st ;
      off_t pos = lseek(l->fd, 0, SEEK_CUR) ;
      /* truncated in place: start again from its beginning */
      if (pos > 0 && !fstat(l->fd, &st) && st.st_size < pos) { lseek(l->fd, 0, SEEK_SET) ; continue ; }
      return 1 ;
    }
    lines(l, buf, r) ;
  }
  return 0 ;
}

/* Reads the whole of dir/name (an archive) as lines. */
static void readall (slog *l, char const *name, dev_t xdev, ino_t xino1, ino_t xino2)
{
  stralloc path = STRALLOC_ZERO ;
  struct stat st ;
  slog tmp = *l ;
  int fd ;
  if (!stralloc_cats(&path, l->dir) || !stralloc_catb(&path, "/", 1)
   || !stralloc_catb(&path, name, ARCHNAME) || !stralloc_0(&path)) dienomem() ;
  fd = open(path.s, O_RDONLY | O_CLOEXEC | O_NONBLOCK) ;
  stralloc_free(&path) ;
  if (fd == -1) return ;  /* removed meanwhile */
  if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)
   || (st.st_dev == xdev && (st.st_ino == xino1 || st.st_ino == xino2))) { fd_close(fd) ; return ; }
  tmp.fd = fd ;
  while (!drain(&tmp)) ;
  if (tmp.part.len) { line_emit(l->name, tmp.part.s, tmp.part.len) ; tmp.part.len = 0 ; }
  l->part = tmp.part ;
  fd_close(fd) ;
}

/* current replaced (rotation)?  Finish the old file, then the archives
   made since it was opened (the logger may have rotated several times
   before we looked), then open the new current. */
static void reopen (slog *l)
{
  stralloc path = STRALLOC_ZERO ;
  struct stat st ;
  svk_time now ;
  ino_t oldino = l->fd >= 0 ? l->ino : 0 ;
  int fd ;
  if (!stralloc_cats(&path, l->dir) || !stralloc_cats(&path, "/current") || !stralloc_0(&path)) dienomem() ;
  svk_time_now(&now) ;
  fd = open(path.s, O_RDONLY | O_CLOEXEC | O_NONBLOCK) ;
  if (fd == -1 && errno != ENOENT) strerr_warnwusys("open ", path.s) ;  /* EMFILE: ulimit -n */
  stralloc_free(&path) ;
  if (fd >= 0 && (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode))) { fd_close(fd) ; fd = -1 ; }
  if (fd == -1 || (l->fd >= 0 && st.st_dev == l->dev && st.st_ino == l->ino))
  {
    if (fd >= 0) fd_close(fd) ;
    return ;
  }
  if (l->fd >= 0)
  {
    while (!drain(l)) ;
    if (l->part.len) { line_emit(l->name, l->part.s, l->part.len) ; l->part.len = 0 ; }
    fd_close(l->fd) ;
    l->fd = -1 ;
  }
  {
    stralloc names = STRALLOC_ZERO ;
    char since[SVK_TAI64N_FMT] ;
    svk_tai64n_fmt(since, &l->opened) ;
    logdir_archives(l->dir, &names) ;
    for (size_t i = 0 ; i < names.len ; i += ARCHNAME)
      if (memcmp(names.s + i, since, SVK_TAI64N_FMT) > 0)
        readall(l, names.s + i, st.st_dev, st.st_ino, oldino) ;
    stralloc_free(&names) ;
  }
  l->fd = fd ; l->dev = st.st_dev ; l->ino = st.st_ino ; l->opened = now ;
}

static void pump (void)
{
  unsigned int n = ndirty ;
  ndirty = 0 ;
  for (unsigned int j = 0 ; j < n ; j++)
  {
    unsigned int i = dirty[j] ;
    slog *l = logs + i ;
    int done = 1 ;
    l->queued = 0 ;
    if (l->check) { l->check = 0 ; reopen(l) ; }
    if (l->fd >= 0) done = drain(l) ;
    l->dirty = !done ;
    if (!done) mark(i, 0) ;
  }
  line_flush() ;
}

void follow (slog *ls, unsigned int n)
{
  static char evbuf[65536] ;
  unsigned int watched = 0 ;
  int ifd = svk_dirwatch_init() ;
  logs = ls ; nlogs = n ;
  if (ifd == -1) strerr_diefusys(111, "initialize inotify") ;
  if (ndelay_on(ifd) == -1) strerr_diefusys(111, "set inotify non-blocking") ;
  dirty = (unsigned int *)alloc(n * sizeof(unsigned int)) ;
  if (!dirty) dienomem() ;
  for (unsigned int i = 0 ; i < n ; i++)
  {
    slog *l = logs + i ;
    l->wd = svk_dirwatch_add(ifd, l->dir) ;
    if (l->wd == -1)
    {
      if (errno == ENOSPC) strerr_dief(111, "unable to watch ", l->dir, ": too many inotify watches (raise fs.inotify.max_user_watches)") ;
      strerr_warnwusys("watch ", l->dir) ;
      continue ;
    }
    if ((size_t)l->wd >= nbywd)
    {
      size_t m = (size_t)l->wd * 2 + 16 ;
      char *p = (char *)bywd ;
      if (!alloc_realloc(&p, m * sizeof(unsigned int))) dienomem() ;
      bywd = (unsigned int *)p ;
      memset(bywd + nbywd, 0, (m - nbywd) * sizeof(unsigned int)) ;
      nbywd = m ;
    }
    if (bywd[l->wd])
    {
      strerr_warnw("skipped ", l->dir, ": given twice") ;
      l->wd = -1 ;
      continue ;
    }
    bywd[l->wd] = i + 1 ;
    watched++ ;
    /* what was written or rotated between the tail and the watch */
    mark(i, 1) ;
  }
  if (!watched) strerr_dief(111, "no log directory to follow") ;
  for (;;)
  {
    ssize_t r ;
    pump() ;
    if (!ndirty)
    {
      iopause_fd x = { .fd = ifd, .events = IOPAUSE_READ } ;
      if (iopause(&x, 1, 0, 0) == -1 && errno != EINTR) strerr_diefusys(111, "iopause") ;
    }
    r = svk_dirwatch_read(ifd, evbuf, sizeof evbuf, &on_event, 0) ;
    if (r == -1 && errno != EAGAIN && errno != EINTR) strerr_diefusys(111, "read inotify events") ;
  }
}
