/* ISC license. svscan: the service table and the per-service state machine.
   svc_step() compares what the last scan saw (want, wantlog, log identity)
   with what runs (pid, lpid, mpiped) and does the next thing; it is called
   again whenever a child exits, a scan changes something, or a timer
   (start throttle, kill deadline) is due. */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/djbunix.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "svscan.h"

genalloc svcs = GENALLOC_ZERO ;
uint32_t nsvcs = 0 ;
static genalloc freeidx = GENALLOC_ZERO ;  /* uint32_t */
static genalloc dirtyq = GENALLOC_ZERO ;   /* uint32_t */
static genalloc timedq = GENALLOC_ZERO ;   /* uint32_t */
static htab bydir = HTAB_ZERO ;
static htab bypid = HTAB_ZERO ;            /* value: index << 1 | islog */
static stralloc path = STRALLOC_ZERO ;

/* ---- lookups ----------------------------------------------------------------- */

struct dirkey_s { dev_t dev ; ino_t ino ; } ;

static uint64_t dirhash (dev_t dev, ino_t ino)
{
  return htab_mix((uint64_t)ino ^ htab_mix((uint64_t)dev + 1)) ;
}

static int eqdir (uint32_t i, void const *k)
{
  struct dirkey_s const *d = k ;
  return SVC(i)->dev == d->dev && SVC(i)->ino == d->ino ;
}

uint32_t svc_lookup_dir (dev_t dev, ino_t ino)
{
  struct dirkey_s k = { .dev = dev, .ino = ino } ;
  return htab_find(&bydir, dirhash(dev, ino), &eqdir, &k) ;
}

static uint64_t pidhash (pid_t pid) { return htab_mix((uint64_t)pid) ; }

static int eqpid (uint32_t v, void const *k)
{
  svc_t const *s = SVC(v >> 1) ;
  return (v & 1 ? s->lpid : s->pid) == *(pid_t const *)k ;
}

/* NAME or NAME/log, in a scratch buffer valid until the next call;
   ./NAME when NAME would look like an option to supervise */
static char const *svpath (svc_t const *s, int islog)
{
  path.len = 0 ;
  if ((s->name.s[0] == '-' && !stralloc_cats(&path, "./"))
   || !stralloc_catb(&path, s->name.s, s->name.len - 1)
   || (islog && !stralloc_cats(&path, "/log"))
   || !stralloc_0(&path)) return 0 ;
  return path.s ;
}

/* Does NAME (or NAME/log) still lead to the directory we know? After a
   removal or a rename the name may lead elsewhere, or nowhere. */
static int still_there (svc_t const *s, int islog)
{
  struct stat st ;
  char const *p = svpath(s, islog) ;
  if (!p || stat(p, &st) < 0) return 0 ;
  return islog ? st.st_dev == s->lrdev && st.st_ino == s->lrino
               : st.st_dev == s->dev && st.st_ino == s->ino ;
}

/* ---- queues -------------------------------------------------------------------- */

void svc_dirty (uint32_t i)
{
  svc_t *s = SVC(i) ;
  if (s->dirty) return ;
  if (!genalloc_append(uint32_t, &dirtyq, &i))
  {
    strerr_warnwu1sys("allocate memory") ;
    return ;
  }
  s->dirty = 1 ;
}

static void settimer (uint32_t i, tain const *when)
{
  svc_t *s = SVC(i) ;
  if (tain_less(when, &s->wake)) s->wake = *when ;
  if (s->timed) return ;
  if (!genalloc_append(uint32_t, &timedq, &i))
  {
    strerr_warnwu1sys("allocate memory") ;
    return ;
  }
  s->timed = 1 ;
}

/* Marks the services whose timer is due as dirty, and lowers *deadline
   to the earliest pending one. Returns 1 if something became dirty. */
int svc_timers (tain *deadline)
{
  uint32_t *q = genalloc_s(uint32_t, &timedq) ;
  size_t n = genalloc_len(uint32_t, &timedq), j = 0 ;
  int due = 0 ;
  for (size_t k = 0 ; k < n ; k++)
  {
    uint32_t i = q[k] ;
    svc_t *s = SVC(i) ;
    if (!s->inuse || !s->timed) continue ;
    if (!tain_less(&s->wake, &tain_infinite)) { s->timed = 0 ; continue ; }
    if (!tain_less(&STAMP, &s->wake)) { s->timed = 0 ; svc_dirty(i) ; due = 1 ; continue ; }
    if (tain_less(&s->wake, deadline)) *deadline = s->wake ;
    q[j++] = i ;
  }
  genalloc_setlen(uint32_t, &timedq, j) ;
  return due || genalloc_len(uint32_t, &dirtyq) ;
}

/* ---- table ---------------------------------------------------------------------- */

#define WATCH_SVC (IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

uint32_t svc_new (char const *name, dev_t dev, ino_t ino)
{
  uint32_t i ;
  svc_t *s ;
  size_t nfree = genalloc_len(uint32_t, &freeidx) ;
  if (nfree) i = genalloc_s(uint32_t, &freeidx)[nfree - 1] ;
  else
  {
    if (!genalloc_readyplus(svc_t, &svcs, 1)) return HTAB_NONE ;
    i = genalloc_len(svc_t, &svcs) ;
  }
  if (!htab_put(&bydir, dirhash(dev, ino), i)) return HTAB_NONE ;
  if (nfree) genalloc_setlen(uint32_t, &freeidx, nfree - 1) ;
  else genalloc_setlen(svc_t, &svcs, i + 1) ;
  s = SVC(i) ;
  memset(s, 0, sizeof(svc_t)) ;
  s->name = stralloc_zero ;
  if (!stralloc_copyb(&s->name, name, strlen(name) + 1))
  {
    /* keep the slot consistent: a nameless service is retried by the next scan */
    htab_del(&bydir, dirhash(dev, ino), i) ;
    genalloc_append(uint32_t, &freeidx, &i) ;
    return HTAB_NONE ;
  }
  s->dev = dev ; s->ino = ino ;
  s->p[0] = s->p[1] = -1 ;
  s->wd = -1 ;
  s->wake = tain_infinite ;
  s->mnext = s->lnext = tain_zero ;
  s->inuse = 1 ;
  s->want = 1 ;
  nsvcs++ ;
  if (ifd >= 0)
  {
    /* IN_MASK_ADD: should name lead to a directory watched already (DIR
       itself, refused by scan.c unless it changed meanwhile, or a symlink
       target's parent), that watch keeps its events; and it is never ours
       to remove */
    s->wd = inotify_add_watch(ifd, name, WATCH_SVC | IN_MASK_ADD) ;
    if (s->wd >= 0 && (s->wd == dirwd || scan_is_parentwatch(s->wd))) s->wd = -1 ;
    else if (s->wd < 0)
    {
      static int warned = 0 ;
      if (!warned++) strerr_warnwu3sys("watch ", name, " (a log/ created later is only seen by the periodic scan)") ;
    }
  }
  svc_dirty(i) ;
  return i ;
}

int svc_rename (uint32_t i, char const *name)
{
  return stralloc_copyb(&SVC(i)->name, name, strlen(name) + 1) ;
}

static void closepipe (svc_t *s)
{
  if (s->p[0] >= 0) fd_close(s->p[0]) ;
  if (s->p[1] >= 0) fd_close(s->p[1]) ;
  s->p[0] = s->p[1] = -1 ;
}

static void svc_free (uint32_t i)
{
  svc_t *s = SVC(i) ;
  if (s->essential) essential_forget(i) ;
  closepipe(s) ;
  htab_del(&bydir, dirhash(s->dev, s->ino), i) ;
  if (s->wd >= 0 && ifd >= 0 && s->wd != dirwd && !scan_is_parentwatch(s->wd)) inotify_rm_watch(ifd, s->wd) ;
  stralloc_free(&s->name) ;
  s->inuse = 0 ;
  nsvcs-- ;
  if (!genalloc_append(uint32_t, &freeidx, &i)) strerr_warnwu1sys("allocate memory") ;
}

/* ---- starting and stopping supervise ---------------------------------------- */

static void start (uint32_t i, int islog)
{
  svc_t *s = SVC(i) ;
  char const *dir ;
  pid_t pid ;
  if (islog) { s->lrdev = s->ldev ; s->lrino = s->lino ; }
  if (!still_there(s, islog))
  {
    /* the name changed under us: the next scan (at once) sorts it out;
       if it does not, this is retried in a second, not in a loop */
    tain *next = islog ? &s->lnext : &s->mnext ;
    rescan_wanted = 1 ;
    tain_addsec(next, &STAMP, 1) ;
    settimer(i, next) ;
    return ;
  }
  dir = svpath(s, islog) ;
  if (!islog) svk_time_now(&s->mwall) ;
  pid = spawn_supervise(dir, islog ? s->p[0] : -1, islog ? -1 : s->mpiped ? s->p[1] : -1) ;
  if (islog) { s->lstart = STAMP ; tain_addsec(&s->lnext, &STAMP, 1) ; }
  else { s->mstart = STAMP ; tain_addsec(&s->mnext, &STAMP, 1) ; }
  if (pid < 0)
  {
    strerr_warnwu3sys("fork a supervise for ", dir, ", will retry") ;
    settimer(i, islog ? &s->lnext : &s->mnext) ;
    return ;
  }
  if (!htab_put(&bypid, pidhash(pid), i << 1 | !!islog))
  {
    strerr_warnwu1sys("allocate memory") ;
    kill(pid, SIGKILL) ;  /* reaped as an unknown child */
    settimer(i, islog ? &s->lnext : &s->mnext) ;
    return ;
  }
  if (islog) { s->lpid = pid ; s->lstop = 0 ; }
  else { s->pid = pid ; s->mstop = 0 ; }
}

/* main supervise: bring the service down and exit (dx). TERM means the
   same to supervise, and works when the name is gone. */
static void stop_main (svc_t *s)
{
  s->mstop = 1 ;
  if (!control_write(s->pid, "dx")) kill(s->pid, SIGTERM) ;
}

static int pipe_pending (svc_t const *s)
{
  int n = 0 ;
  return s->p[0] >= 0 && ioctl(s->p[0], FIONREAD, &n) == 0 && n > 0 ;
}

/* The producer is gone; the logger must read everything left in the pipe
   before it goes. Stages: 1. "o": it runs (once more, if it was down or
   waiting on its restart throttle) and is not restarted after; 2. when
   the pipe is empty, "x": supervise exits once the logger stops, which it
   does by itself at EOF; 3. if it has not after a second (an orphan of
   the service may hold the write end), "d". Polls FIONREAD every 50 ms,
   only while a removal waits for unread lines. */
static void drain_logger (uint32_t i)
{
  svc_t *s = SVC(i) ;
  tain t ;
  if (s->p[1] >= 0) { fd_close(s->p[1]) ; s->p[1] = -1 ; }
  switch (s->lstage)
  {
    case 0 :
      s->lstage = 1 ;
      if (!control_write(s->lpid, "o"))
      {
        /* NAME/log is gone, and so is its log directory: nothing to save */
        s->lstage = 3 ; s->lstop = 1 ;
        kill(s->lpid, SIGTERM) ;
        return ;
      }
      /* fall through */
    case 1 :
      if (pipe_pending(s))
      {
        tain_from_millisecs(&t, 50) ;
        tain_add(&t, &t, &STAMP) ;
        settimer(i, &t) ;
        return ;
      }
      s->lstage = 2 ; s->lstop = 1 ;
      if (!control_write(s->lpid, "x")) kill(s->lpid, SIGHUP) ;
      tain_addsec(&s->lxat, &STAMP, 1) ;
      /* fall through */
    case 2 :
      if (tain_less(&STAMP, &s->lxat)) { settimer(i, &s->lxat) ; return ; }
      s->lstage = 3 ;
      if (!control_write(s->lpid, "d")) kill(s->lpid, SIGTERM) ;
      return ;
    default : return ;
  }
}

void svc_kill (uint32_t i)
{
  svc_t *s = SVC(i) ;
  if (!s->pid && !s->lpid) return ;
  strerr_warnw3x("killing what is left of ", s->name.s, " after the grace period") ;
  if (s->pid) killtree(s->pid) ;
  if (s->lpid) killtree(s->lpid) ;
}

/* ---- the state machine -------------------------------------------------------- */

static int ready (tain const *when) { return !tain_less(&STAMP, when) ; }

static void step_remove (uint32_t i)
{
  svc_t *s = SVC(i) ;
  if (!s->removing)
  {
    s->removing = 1 ;
    tain_addsec(&s->killat, &STAMP, killsecs) ;
  }
  else if (ready(&s->killat))
  {
    svc_kill(i) ;
    tain_addsec(&s->killat, &STAMP, 1) ;
  }
  if (s->pid)
  {
    if (!s->mstop) stop_main(s) ;
    settimer(i, &s->killat) ;
    return ;
  }
  if (s->lpid)
  {
    /* the producer is gone: svscan's write end is the last one, so
       closing it lets the logger read to EOF and stop by itself */
    drain_logger(i) ;
    settimer(i, &s->killat) ;
    return ;
  }
  svc_free(i) ;
}

static void step_logged (uint32_t i)
{
  svc_t *s = SVC(i) ;
  if (s->p[1] < 0 && s->p[0] >= 0)
  {
    /* came back while its old logger drains: let that finish first */
    if (s->lpid) { drain_logger(i) ; return ; }
    closepipe(s) ;
  }
  if (s->p[0] < 0 && pipe2(s->p, O_CLOEXEC) < 0)
  {
    tain t ;
    strerr_warnwu3sys("create a pipe for ", s->name.s, ", will retry") ;
    tain_addsec(&t, &STAMP, 1) ;
    settimer(i, &t) ;
    return ;
  }
  if (s->lpid)
  {
    /* log/ was replaced: the old logger goes, the pipe stays */
    if ((s->lrdev != s->ldev || s->lrino != s->lino) && !s->lstop)
    {
      s->lstop = 1 ;
      kill(s->lpid, SIGTERM) ;
    }
  }
  else if (ready(&s->lnext)) start(i, 1) ;
  else settimer(i, &s->lnext) ;
  s = SVC(i) ;
  if (s->pid)
  {
    /* log/ appeared after the service started: its stdout is not the
       pipe, and only a new supervise can change that */
    if (!s->mpiped && !s->mstop) stop_main(s) ;
  }
  else if (ready(&s->mnext)) { s->mpiped = 1 ; start(i, 0) ; }
  else settimer(i, &s->mnext) ;
}

static void step_plain (uint32_t i)
{
  svc_t *s = SVC(i) ;
  int piped = s->pid && s->mpiped ;
  if (piped && !s->mstop) stop_main(s) ;
  if (s->lpid)
  {
    if (!piped) drain_logger(i) ;
  }
  else if (!piped) closepipe(s) ;
  if (s->pid) return ;
  if (ready(&s->mnext)) { s->mpiped = 0 ; start(i, 0) ; }
  else settimer(i, &s->mnext) ;
}

static void svc_step (uint32_t i)
{
  svc_t *s = SVC(i) ;
  s->wake = tain_infinite ;
  if (!s->want) { step_remove(i) ; return ; }
  s->removing = 0 ;
  if (s->wantlog) step_logged(i) ; else step_plain(i) ;
}

void svc_run_queues (void)
{
  for (;;)
  {
    size_t n = genalloc_len(uint32_t, &dirtyq) ;
    uint32_t i ;
    if (!n) break ;
    i = genalloc_s(uint32_t, &dirtyq)[n - 1] ;
    genalloc_setlen(uint32_t, &dirtyq, n - 1) ;
    if (!SVC(i)->inuse || !SVC(i)->dirty) continue ;
    SVC(i)->dirty = 0 ;
    svc_step(i) ;
  }
}

/* ---- children ----------------------------------------------------------------- */

static int pow2 (uint32_t n) { return n && !(n & (n - 1)) ; }

void svc_reaped (pid_t pid, int wstat)
{
  uint32_t v = htab_find(&bypid, pidhash(pid), &eqpid, &pid) ;
  svc_t *s ;
  int islog, stopped ;
  uint32_t *fail ;
  tain *started, t ;
  if (v == HTAB_NONE) return ;  /* an orphan we adopted */
  htab_del(&bypid, pidhash(pid), v) ;
  islog = v & 1 ;
  s = SVC(v >> 1) ;
  if (islog) { stopped = s->lstop ; s->lpid = 0 ; s->lstop = 0 ; s->lstage = 0 ; fail = &s->lfail ; started = &s->lstart ; }
  else { stopped = s->mstop ; s->pid = 0 ; s->mstop = 0 ; fail = &s->mfail ; started = &s->mstart ; }
  if (stopped || shutting || !s->want) *fail = 0 ;
  else
  {
    /* an exit nobody asked for: count quick ones so that a supervise that
       cannot run (lock held, exec failure) warns 1, 2, 4, 8... times, not
       once a second forever */
    char fmt[UINT_FMT] ;
    tain_addsec(&t, started, 10) ;
    *fail = tain_less(&STAMP, &t) ? *fail + 1 : 1 ;
    if (pow2(*fail))
    {
      char const *how = WIFSIGNALED(wstat) ? " was killed by signal " : " exited with code " ;
      fmt[uint_fmt(fmt, WIFSIGNALED(wstat) ? (unsigned int)WTERMSIG(wstat) : (unsigned int)WEXITSTATUS(wstat))] = 0 ;
      strerr_warnw6x("supervise for ", s->name.s, islog ? "/log" : "", how, fmt,
        !WIFSIGNALED(wstat) && WEXITSTATUS(wstat) == 111 ? " (lock held by another supervisor, or exec failure); restarting it at most once a second" : "; restarting it at most once a second") ;
    }
  }
  svc_dirty(v >> 1) ;
}

/* SIGHUP: a supervise waiting on its throttle is retried now */
void svc_retry_all (void)
{
  uint32_t n = genalloc_len(svc_t, &svcs) ;
  for (uint32_t i = 0 ; i < n ; i++)
  {
    svc_t *s = SVC(i) ;
    if (!s->inuse || !s->want) continue ;
    if ((!s->pid && s->mfail) || (s->wantlog && !s->lpid && s->lfail))
    {
      s->mnext = s->lnext = STAMP ;
      svc_dirty(i) ;
    }
  }
}

void svc_shutdown_all (void)
{
  uint32_t n = genalloc_len(svc_t, &svcs) ;
  for (uint32_t i = 0 ; i < n ; i++)
    if (SVC(i)->inuse) { SVC(i)->want = 0 ; svc_dirty(i) ; }
}
