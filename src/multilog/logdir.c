/* ISC license. multilog: one log directory (lock, recovery, rotation, processor). */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <skalibs/types.h>
#include <skalibs/strerr.h>
#include <skalibs/djbunix.h>
#include <skalibs/selfpipe.h>
#include <skalibs/sig.h>
#include "multilog.h"

int ml_retry = 0 ;
mode_t ml_umask = 022 ;
static char const *why ;  /* why open_plain refused a file (errno is then 0) */

static void later (ml_dir *d, unsigned int ms)
{
  tain t ;
  tain_from_millisecs(&t, ms) ;
  tain_add_g(&d->retry_at, &t) ;
}

/* A failure: warn once per episode, retry soon. */
static void fail (ml_dir *d, char const *verb, char const *file)
{
  if (!d->werr)
  {
    if (errno) strerr_warnwusys(verb, " ", d->name, "/", file, " (input paused, retrying)") ;
    else strerr_warnw("unable to ", verb, " ", d->name, "/", file, " (input paused, retrying): ", why) ;
  }
  d->werr = 1 ;
  ml_retry = 1 ;
}

static void die_in (ml_dir *d, char const *verb, char const *file)
{
  if (errno) strerr_diefusys(111, verb, " ", d->name, "/", file) ;
  strerr_dief(111, "unable to ", verb, " ", d->name, "/", file, ": ", why) ;
}

/* Only a regular file with a single link is ours: a FIFO would block an
   open(2), a hard link would have its other name written and chmod'ed. */
static int plain (struct stat const *st)
{
  if (!S_ISREG(st->st_mode)) why = "not a regular file" ;
  else if (st->st_nlink != 1) why = "it has other hard links" ;
  else return 1 ;
  errno = 0 ;
  return 0 ;
}

/* openat(2) in d that neither blocks nor follows a symlink, and accepts
   only a plain file.  -1 with errno, or with errno 0 and why set. */
static int open_plain (ml_dir *d, char const *file, int flags, mode_t mode)
{
  struct stat st ;
  int fd = openat(d->dfd, file, flags | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC, mode) ;
  if (fd < 0)
  {
    if (errno == ENXIO) { why = "not a regular file" ; errno = 0 ; }  /* a FIFO nobody reads */
    return -1 ;
  }
  if (fstat(fd, &st) < 0 || !plain(&st) || ndelay_off(fd) < 0)
  {
    int e = errno ;
    close(fd) ;
    errno = e ;
    return -1 ;
  }
  return fd ;
}

/* current's mode says whether its tail is a piece of a line already taken
   off the pipe (ML_MODE_CUT), so that a successor keeps it: see cut_short. */
void ld_mark (ml_dir *d, int cut)
{
  if (d->curfd < 0 || d->cut == cut) return ;
  if (fchmod(d->curfd, cut ? ML_MODE_CUT : ML_MODE_RUN) == 0) d->cut = cut ;
}

static void succeed (ml_dir *d)
{
  if (d->werr) strerr_warnw("resumed writing to ", d->name) ;
  d->werr = 0 ;
}

static int exists (ml_dir *d, char const *file)
{
  struct stat st ;
  return fstatat(d->dfd, file, &st, AT_SYMLINK_NOFOLLOW) == 0 ;
}

/* Name for a finished file: @<tai64n>.<code>, unique and increasing. */
static void archive_name (ml_dir *d, char *name, char code)
{
  svk_time t ;
  svk_time_now(&t) ;
  for (;;)
  {
    if (t.sec < d->last.sec || (t.sec == d->last.sec && t.nsec <= d->last.nsec))
    {
      t = d->last ;
      if (++t.nsec >= 1000000000u) { t.nsec = 0 ; t.sec++ ; }
    }
    svk_tai64n_fmt(name, &t) ;
    name[25] = '.' ; name[26] = code ; name[27] = 0 ;
    d->last = t ;
    if (!exists(d, name)) return ;
  }
}

/* Removes the oldest archives: at most num-1 archives besides current,
   and at most maxtotal bytes in them.  An @ entry that cannot be removed
   (a directory, say) is skipped, and not counted: it is not an archive. */
static void caps (ml_dir *d)
{
  char skip[256] ;  /* every entry up to this name is one that could not be removed */
  skip[0] = 0 ;
  for (;;)
  {
    char oldest[256] ;
    unsigned int count = 0 ;
    uint64_t total = 0 ;
    struct dirent *de ;
    int fd = dup(d->dfd) ;
    DIR *dir ;
    if (fd < 0) return ;
    dir = fdopendir(fd) ;
    if (!dir) { close(fd) ; return ; }
    rewinddir(dir) ;
    oldest[0] = 0 ;
    while ((de = readdir(dir)))
    {
      struct stat st ;
      if (de->d_name[0] != '@') continue ;
      if (strlen(de->d_name) >= sizeof(oldest)) continue ;
      if (skip[0] && strcmp(de->d_name, skip) <= 0) continue ;
      count++ ;
      if (d->maxtotal && fstatat(d->dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
        total += (uint64_t)st.st_size ;
      if (!oldest[0] || strcmp(de->d_name, oldest) < 0) strcpy(oldest, de->d_name) ;
    }
    closedir(dir) ;
    if (!count) return ;
    if (count < d->num && (!d->maxtotal || total <= d->maxtotal)) return ;
    if (unlinkat(d->dfd, oldest, 0) < 0 && errno != ENOENT)
    {
      if (!d->skipwarned)
        strerr_warnwusys("remove ", d->name, "/", oldest, " (skipped, as any such @ entry will be, without a warning)") ;
      d->skipwarned = 1 ;
      strcpy(skip, oldest) ;
    }
  }
}

static void syncdir (ml_dir *d)
{
  if (fsync(d->dfd) < 0 && errno != EINVAL && errno != EROFS)
    strerr_warnwusys("sync directory ", d->name) ;
}

static int opencur (ml_dir *d)
{
  struct stat st ;
  int fd = open_plain(d, "current", O_WRONLY | O_APPEND | O_CREAT, ML_MODE_RUN) ;
  if (fd < 0) { fail(d, "open", "current") ; return 0 ; }
  if (fstat(fd, &st) < 0 || fchmod(fd, ML_MODE_RUN) < 0)
  {
    fail(d, "set mode of", "current") ;
    close(fd) ;
    return 0 ;
  }
  d->curfd = fd ;
  d->cut = 0 ;
  d->cursize = (uint64_t)st.st_size ;
  d->kicked = d->cursize ;
  d->final = 0 ;
  if (d->cursize) d->born = STAMP ;
  return 1 ;
}

int ld_flush (ml_dir *d)
{
  if (d->outpos == d->outlen) { d->outpos = d->outlen = 0 ; return 1 ; }
  if (d->curfd < 0 && !opencur(d)) return 0 ;
  while (d->outpos < d->outlen)
  {
    ssize_t w = write(d->curfd, d->out + d->outpos, d->outlen - d->outpos) ;
    if (w < 0)
    {
      int e = errno ;
      size_t k = d->outpos ;
      if (e == EINTR) continue ;
      /* A full disk takes part of a line: cut the file back to the last
         whole line, so that no torn line is ever on disk (a successor
         started after a SIGKILL would append to it otherwise). */
      while (k && d->out[k-1] != '\n') k-- ;
      if (k < d->outpos && ftruncate(d->curfd, (off_t)(d->cursize - (d->outpos - k))) == 0)
      {
        d->cursize -= d->outpos - k ;
        d->outpos = k ;
        if (d->kicked > d->cursize) d->kicked = d->cursize ;
      }
      errno = e ;
      fail(d, "write to", "current") ;
      return 0 ;
    }
    d->outpos += (size_t)w ;
    d->cursize += (uint64_t)w ;
  }
  d->outpos = d->outlen = 0 ;
  if (d->cursize >= d->kicked + (d->size / 4 < ML_KICK ? d->size / 4 : ML_KICK))
  {
    /* start writeback early so that the fsync at rotation is short */
    sync_file_range(d->curfd, (off_t)d->kicked, (off_t)(d->cursize - d->kicked), SYNC_FILE_RANGE_WRITE) ;
    d->kicked = d->cursize ;
  }
  succeed(d) ;
  return 1 ;
}

static void proc_child (ml_dir *d)
{
  char const *argv[4] = { "/bin/sh", "-c", d->processor, 0 } ;
  int fd ;
  selfpipe_finish() ;
  sig_restore(SIGPIPE) ;
  if (fd_chdir(d->dfd) < 0) goto err ;
  fd = open_plain(d, "previous", O_RDONLY, 0) ;
  if (fd < 0 || fd_move(0, fd) < 0 || uncoe(0) < 0) goto err ;
  /* a stale processed or newstate (or a symlink planted as one) is replaced,
     never written through */
  unlink("processed") ;
  fd = open("processed", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644) ;
  if (fd < 0 || fd_move(1, fd) < 0) goto err ;
  fd = open_plain(d, "state", O_RDONLY | O_CREAT, 0644) ;
  if (fd < 0 || fd_move(4, fd) < 0 || uncoe(4) < 0) goto err ;
  unlink("newstate") ;
  fd = open("newstate", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644) ;
  if (fd < 0 || fd_move(5, fd) < 0) goto err ;
  umask(ml_umask) ;
  execv(argv[0], (char *const *)argv) ;
 err:
  if (!errno) strerr_dief(111, "unable to run processor for ", d->name, ": ", why) ;
  strerr_diefusys(111, "run processor for ", d->name) ;
}

static void proc_start (ml_dir *d)
{
  pid_t pid = fork() ;
  if (pid < 0)
  {
    strerr_warnwusys("fork processor for ", d->name) ;
    d->proc = P_RETRY ;
    later(d, ML_PROCRETRY_MS) ;
    return ;
  }
  if (!pid) proc_child(d) ;
  d->pid = pid ;
  d->proc = P_RUNNING ;
}

/* After a successful processor: make processed the newest archive.
   Every step can be repeated. */
static int proc_finish (ml_dir *d)
{
  char name[32] ;
  int fd = open_plain(d, "processed", O_WRONLY | O_APPEND, 0) ;
  if (fd >= 0)
  {
    if (fsync(fd) < 0 || fchmod(fd, ML_MODE_DONE) < 0) { close(fd) ; goto err ; }
    close(fd) ;
  }
  else if (errno != ENOENT) goto err ;
  fd = open_plain(d, "newstate", O_WRONLY | O_APPEND, 0) ;
  if (fd >= 0)
  {
    if (fsync(fd) < 0) { close(fd) ; goto err ; }
    close(fd) ;
  }
  else if (errno != ENOENT) goto err ;
  if (unlinkat(d->dfd, "previous", 0) < 0 && errno != ENOENT) goto err ;
  if (renameat(d->dfd, "newstate", d->dfd, "state") < 0 && errno != ENOENT) goto err ;
  if (exists(d, "processed"))
  {
    archive_name(d, name, 's') ;
    if (renameat(d->dfd, "processed", d->dfd, name) < 0) goto err ;
  }
  syncdir(d) ;
  caps(d) ;
  d->proc = P_NONE ;
  succeed(d) ;
  return 1 ;
 err:
  fail(d, "finish", "processed") ;
  d->proc = P_FINISH ;
  later(d, ML_RETRY_MS) ;
  return 0 ;
}

void ld_reap (ml_dir *d, int wstat)
{
  char fmt[UINT_FMT] ;
  d->pid = 0 ;
  if (WIFEXITED(wstat) && !WEXITSTATUS(wstat)) { proc_finish(d) ; return ; }
  if (WIFSIGNALED(wstat))
  {
    fmt[uint_fmt(fmt, WTERMSIG(wstat))] = 0 ;
    strerr_warnw("processor crashed (signal ", fmt, ") in ", d->name, ", will retry") ;
  }
  else
  {
    fmt[uint_fmt(fmt, WEXITSTATUS(wstat))] = 0 ;
    strerr_warnw("processor failed (exit code ", fmt, ") in ", d->name, ", will retry") ;
  }
  d->proc = P_RETRY ;
  later(d, ML_PROCRETRY_MS) ;
}

static int aged (ml_dir const *d, tain *when)
{
  if (!d->maxage || !ld_logical(d)) return 0 ;
  tain_addsec(when, &d->born, d->maxage) ;
  return 1 ;
}

void ld_timers (ml_dir *d)
{
  tain t ;
  if ((d->proc == P_RETRY || d->proc == P_FINISH) && !tain_future(&d->retry_at))
  {
    if (d->proc == P_RETRY) proc_start(d) ; else proc_finish(d) ;
  }
  if (aged(d, &t) && !tain_future(&t)) d->rotpending = 1 ;
}

void ld_deadline (ml_dir const *d, tain *deadline)
{
  tain t ;
  if ((d->proc == P_RETRY || d->proc == P_FINISH) && tain_less(&d->retry_at, deadline)) *deadline = d->retry_at ;
  if (!d->rotpending && aged(d, &t) && tain_less(&t, deadline)) *deadline = t ;
}

/* current -> archive (or -> previous and the processor).
   Returns 1 when done, 0 when it must be retried later. */
int ld_rotate (ml_dir *d)
{
  char name[32] ;
  if (!d->rotpending) return 1 ;
  if (!ld_flush(d)) return 0 ;
  if (d->curfd < 0 && !opencur(d)) return 0 ;
  if (!d->cursize) { d->rotpending = 0 ; return 1 ; }
  if (d->processor && d->proc != P_NONE) return 0 ;  /* wait for the previous one */
  if (fsync(d->curfd) < 0) { fail(d, "sync", "current") ; return 0 ; }
  if (fchmod(d->curfd, ML_MODE_DONE) < 0) { fail(d, "set mode of", "current") ; return 0 ; }
  if (d->processor)
  {
    if (renameat(d->dfd, "current", d->dfd, "previous") < 0)
    { fail(d, "rename", "current") ; return 0 ; }
  }
  else
  {
    archive_name(d, name, 's') ;
    if (renameat(d->dfd, "current", d->dfd, name) < 0)
    { fail(d, "rename", "current") ; return 0 ; }
  }
  close(d->curfd) ;
  d->curfd = -1 ;
  d->cursize = 0 ;
  d->rotpending = 0 ;
  opencur(d) ;  /* retried by ld_flush if it fails now */
  syncdir(d) ;  /* the rename and the new current */
  if (d->processor) proc_start(d) ; else caps(d) ;
  succeed(d) ;
  return 1 ;
}

/* At exit: current written, synced, marked finished (mode 0744). */
int ld_final (ml_dir *d)
{
  if (d->final) return 1 ;
  if (!ld_flush(d)) return 0 ;
  if (d->curfd < 0 && !opencur(d)) return 0 ;
  if (fsync(d->curfd) < 0) { fail(d, "sync", "current") ; return 0 ; }
  if (fchmod(d->curfd, ML_MODE_DONE) < 0) { fail(d, "set mode of", "current") ; return 0 ; }
  d->cut = 0 ;
  d->final = 1 ;
  return 1 ;
}

/* A write cut short by SIGKILL leaves the start of a line at the end of
   current.  Unless current is marked ML_MODE_CUT, that line was never
   taken off the pipe, so the next multilog logs it again: remove the piece
   (only if shorter than ML_CUTMAX, as a multilog without the mark streamed
   longer lines).  Returns the new size. */
static off_t cut_short (int fd, off_t size)
{
  static char buf[ML_CUTMAX] ;
  off_t from = size > ML_CUTMAX ? size - ML_CUTMAX : 0 ;
  ssize_t r = pread(fd, buf, (size_t)(size - from), from) ;
  char *nl ;
  if (r != size - from || (r && buf[r-1] == '\n')) return size ;
  nl = memrchr(buf, '\n', (size_t)r) ;
  if (!nl && from) return size ;  /* a long streamed line: keep it */
  from = nl ? from + (nl - buf) + 1 : 0 ;
  if (ftruncate(fd, from) < 0) return size ;
  return from ;
}

/* Start-up: anything but a plain file under one of our names was planted:
   refuse it (a symlink is removed instead, as it can be safely). */
static void check_plain (ml_dir *d, char const *file)
{
  struct stat st ;
  if (fstatat(d->dfd, file, &st, AT_SYMLINK_NOFOLLOW) < 0)
  {
    if (errno != ENOENT) die_in(d, "stat", file) ;
    return ;
  }
  if (S_ISLNK(st.st_mode))
  {
    strerr_warnw("removing the symbolic link ", d->name, "/", file, " (never followed)") ;
    if (unlinkat(d->dfd, file, 0) < 0) die_in(d, "remove", file) ;
  }
  else if (!plain(&st)) die_in(d, "open", file) ;
}

/* Startup: create, lock, recover what an interrupted run left. */
void ld_start (ml_dir *d)
{
  static char const *const names[] = { "state", "current", "processed", "newstate", "previous" } ;
  char name[32] ;
  struct stat st ;
  int fd ;
  if (mkdir(d->name, 0700) < 0 && errno != EEXIST)
    strerr_diefusys(111, "create directory ", d->name) ;
  d->dfd = open(d->name, O_RDONLY | O_DIRECTORY | O_CLOEXEC) ;
  if (d->dfd < 0) strerr_diefusys(111, "open directory ", d->name) ;
  /* Nothing in a log directory is followed if it is a symlink, or opened
     if it is not a plain file: see check_plain and open_plain, which
     covers one planted later (the open fails and is retried). */
  check_plain(d, "lock") ;
  d->lockfd = open_plain(d, "lock", O_WRONLY | O_APPEND | O_CREAT, 0600) ;
  if (d->lockfd < 0) die_in(d, "open", "lock") ;
  if (flock(d->lockfd, LOCK_EX | LOCK_NB) < 0)
  {
    if (errno == EWOULDBLOCK)
      strerr_dief(111, "unable to lock directory ", d->name, ": another multilog is writing to it") ;
    die_in(d, "lock", "lock") ;
  }
  for (unsigned int i = 0 ; i < sizeof(names) / sizeof(*names) ; i++) check_plain(d, names[i]) ;
  fd = open_plain(d, "state", O_WRONLY | O_APPEND | O_CREAT, 0644) ;
  if (fd < 0) die_in(d, "open", "state") ;
  close(fd) ;

  if (exists(d, "previous"))
  {
    /* the processor was interrupted: keep the raw data as .u */
    if (unlinkat(d->dfd, "processed", 0) < 0 && errno != ENOENT) die_in(d, "remove", "processed") ;
    if (unlinkat(d->dfd, "newstate", 0) < 0 && errno != ENOENT) die_in(d, "remove", "newstate") ;
    archive_name(d, name, 'u') ;
    if (renameat(d->dfd, "previous", d->dfd, name) < 0) die_in(d, "rename", "previous") ;
  }
  else if (exists(d, "processed"))
  {
    /* the processor succeeded; only the renames were missing */
    if (!proc_finish(d)) die_in(d, "finish", "processed") ;
  }
  else if (unlinkat(d->dfd, "newstate", 0) < 0 && errno != ENOENT) die_in(d, "remove", "newstate") ;

  if (fstatat(d->dfd, "current", &st, AT_SYMLINK_NOFOLLOW) == 0 && st.st_size > 0 && !(st.st_mode & 0100))
  {
    /* not marked finished: the last run was interrupted */
    fd = open_plain(d, "current", O_RDWR, 0) ;
    if (fd < 0) die_in(d, "open", "current") ;
    if (!(st.st_mode & S_ISVTX)) st.st_size = cut_short(fd, st.st_size) ;
    else fchmod(fd, ML_MODE_RUN) ;  /* an archive does not keep the mark */
    fsync(fd) ;
    close(fd) ;
    if (st.st_size)
    {
      archive_name(d, name, 'u') ;
      if (renameat(d->dfd, "current", d->dfd, name) < 0) die_in(d, "rename", "current") ;
    }
  }
  syncdir(d) ;
  caps(d) ;
  if (!opencur(d)) die_in(d, "open", "current") ;
  d->werr = 0 ;
  ml_retry = 0 ;
}
