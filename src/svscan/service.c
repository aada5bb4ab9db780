/* ISC license. svscan: the per-service state machine.  service_step()
   compares what the last scan saw (want, wantlog, the log's identity) with
   what runs (the two supervise processes in sup[], mpiped) and does the
   next thing; it is called again whenever a child exits, a scan changes
   something, or a timer (start throttle, kill deadline) is due. */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <skalibs/djbunix.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "svscan.h"

static htab bypid = HTAB_ZERO ;            /* value: index << 1 | islog */
static stralloc path = STRALLOC_ZERO ;

/* ---- supervise processes by pid, service paths ---------------------------------- */

static uint64_t pidhash (pid_t pid) { return htab_mix((uint64_t)pid) ; }

static int eqpid (uint32_t v, void const *k)
{
  return SERVICE(v >> 1)->sup[v & 1].pid == *(pid_t const *)k ;
}

/* NAME or NAME/log, in a scratch buffer valid until the next call;
   ./NAME when NAME would look like an option to supervise */
static char const *svpath (service_t const *s, int islog)
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
static int still_there (service_t const *s, int islog)
{
  struct stat st ;
  char const *p = svpath(s, islog) ;
  if (!p || stat(p, &st) < 0) return 0 ;
  return islog ? st.st_dev == s->lrdev && st.st_ino == s->lrino
               : st.st_dev == s->dev && st.st_ino == s->ino ;
}

/* ---- starting and stopping supervise ---------------------------------------- */

static void start (uint32_t i, int islog)
{
  service_t *s = SERVICE(i) ;
  supproc *sp = s->sup + islog ;
  char const *dir ;
  pid_t pid ;
  if (islog) { s->lrdev = s->ldev ; s->lrino = s->lino ; }
  if (!still_there(s, islog))
  {
    /* the name changed under us: the next scan (at once) sorts it out;
       if it does not, this is retried in a second, not in a loop */
    rescan_wanted = 1 ;
    tain_addsec(&sp->next, &STAMP, 1) ;
    service_settimer(i, &sp->next) ;
    return ;
  }
  dir = svpath(s, islog) ;
  if (!islog) svk_time_now(&s->mwall) ;
  pid = spawn_supervise(dir, islog ? s->p[0] : -1, islog ? -1 : s->mpiped ? s->p[1] : -1) ;
  sp->start = STAMP ;
  tain_addsec(&sp->next, &STAMP, 1) ;
  if (pid < 0)
  {
    strerr_warnwusys("fork a supervise for ", dir, ", will retry") ;
    service_settimer(i, &sp->next) ;
    return ;
  }
  if (!htab_put(&bypid, pidhash(pid), i << 1 | !!islog))
  {
    strerr_warnwusys("allocate memory") ;
    kill(pid, SIGKILL) ;  /* reaped as an unknown child */
    service_settimer(i, &sp->next) ;
    return ;
  }
  sp->pid = pid ;
  sp->stop = 0 ;
}

/* main supervise: bring the service down and exit (dx). TERM means the
   same to supervise, and works when the name is gone. */
static void stop_main (service_t *s)
{
  s->sup[SUP_MAIN].stop = 1 ;
  if (!control_write(s->sup[SUP_MAIN].pid, "dx")) kill(s->sup[SUP_MAIN].pid, SIGTERM) ;
}

static int pipe_pending (service_t const *s)
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
  service_t *s = SERVICE(i) ;
  tain t ;
  if (s->p[1] >= 0) { fd_close(s->p[1]) ; s->p[1] = -1 ; }
  switch (s->lstage)
  {
    case 0 :
      s->lstage = 1 ;
      if (!control_write(s->sup[SUP_LOG].pid, "o"))
      {
        /* NAME/log is gone, and so is its log directory: nothing to save */
        s->lstage = 3 ; s->sup[SUP_LOG].stop = 1 ;
        kill(s->sup[SUP_LOG].pid, SIGTERM) ;
        return ;
      }
      /* fall through */
    case 1 :
      if (pipe_pending(s))
      {
        tain_from_millisecs(&t, 50) ;
        tain_add(&t, &t, &STAMP) ;
        service_settimer(i, &t) ;
        return ;
      }
      s->lstage = 2 ; s->sup[SUP_LOG].stop = 1 ;
      if (!control_write(s->sup[SUP_LOG].pid, "x")) kill(s->sup[SUP_LOG].pid, SIGHUP) ;
      tain_addsec(&s->lxat, &STAMP, 1) ;
      /* fall through */
    case 2 :
      if (tain_future(&s->lxat)) { service_settimer(i, &s->lxat) ; return ; }
      s->lstage = 3 ;
      if (!control_write(s->sup[SUP_LOG].pid, "d")) kill(s->sup[SUP_LOG].pid, SIGTERM) ;
      return ;
    default : return ;
  }
}

void service_kill (uint32_t i)
{
  service_t *s = SERVICE(i) ;
  if (!s->sup[SUP_MAIN].pid && !s->sup[SUP_LOG].pid) return ;
  strerr_warnw("killing what is left of ", s->name.s, " after the grace period") ;
  if (s->sup[SUP_MAIN].pid) killtree(s->sup[SUP_MAIN].pid) ;
  if (s->sup[SUP_LOG].pid) killtree(s->sup[SUP_LOG].pid) ;
}

/* ---- the state machine -------------------------------------------------------- */

static int due (tain const *when) { return !tain_future(when) ; }

static void step_remove (uint32_t i)
{
  service_t *s = SERVICE(i) ;
  if (!s->removing)
  {
    s->removing = 1 ;
    tain_addsec(&s->killat, &STAMP, killsecs) ;
  }
  else if (due(&s->killat))
  {
    service_kill(i) ;
    tain_addsec(&s->killat, &STAMP, 1) ;
  }
  if (s->sup[SUP_MAIN].pid)
  {
    if (!s->sup[SUP_MAIN].stop) stop_main(s) ;
    service_settimer(i, &s->killat) ;
    return ;
  }
  if (s->sup[SUP_LOG].pid)
  {
    /* the producer is gone: svscan's write end is the last one, so
       closing it lets the logger read to EOF and stop by itself */
    drain_logger(i) ;
    service_settimer(i, &s->killat) ;
    return ;
  }
  service_free(i) ;
}

static void step_logged (uint32_t i)
{
  service_t *s = SERVICE(i) ;
  if (s->p[1] < 0 && s->p[0] >= 0)
  {
    /* came back while its old logger drains: let that finish first */
    if (s->sup[SUP_LOG].pid) { drain_logger(i) ; return ; }
    service_closepipe(s) ;
  }
  if (s->p[0] < 0 && pipe2(s->p, O_CLOEXEC) < 0)
  {
    tain t ;
    strerr_warnwusys("create a pipe for ", s->name.s, ", will retry") ;
    tain_addsec(&t, &STAMP, 1) ;
    service_settimer(i, &t) ;
    return ;
  }
  if (s->sup[SUP_LOG].pid)
  {
    /* log/ was replaced: the old logger goes, the pipe stays */
    if ((s->lrdev != s->ldev || s->lrino != s->lino) && !s->sup[SUP_LOG].stop)
    {
      s->sup[SUP_LOG].stop = 1 ;
      kill(s->sup[SUP_LOG].pid, SIGTERM) ;
    }
  }
  else if (due(&s->sup[SUP_LOG].next)) start(i, 1) ;
  else service_settimer(i, &s->sup[SUP_LOG].next) ;
  s = SERVICE(i) ;
  if (s->sup[SUP_MAIN].pid)
  {
    /* log/ appeared after the service started: its stdout is not the
       pipe, and only a new supervise can change that */
    if (!s->mpiped && !s->sup[SUP_MAIN].stop) stop_main(s) ;
  }
  else if (due(&s->sup[SUP_MAIN].next)) { s->mpiped = 1 ; start(i, 0) ; }
  else service_settimer(i, &s->sup[SUP_MAIN].next) ;
}

static void step_plain (uint32_t i)
{
  service_t *s = SERVICE(i) ;
  int piped = s->sup[SUP_MAIN].pid && s->mpiped ;
  if (piped && !s->sup[SUP_MAIN].stop) stop_main(s) ;
  if (s->sup[SUP_LOG].pid)
  {
    if (!piped) drain_logger(i) ;
  }
  else if (!piped) service_closepipe(s) ;
  if (s->sup[SUP_MAIN].pid) return ;
  if (due(&s->sup[SUP_MAIN].next)) { s->mpiped = 0 ; start(i, 0) ; }
  else service_settimer(i, &s->sup[SUP_MAIN].next) ;
}

void service_step (uint32_t i)
{
  service_t *s = SERVICE(i) ;
  s->wake = tain_infinite ;
  if (!s->want) { step_remove(i) ; return ; }
  s->removing = 0 ;
  if (s->wantlog) step_logged(i) ; else step_plain(i) ;
}

/* ---- children ----------------------------------------------------------------- */

static int pow2 (uint32_t n) { return n && !(n & (n - 1)) ; }

void service_reaped (pid_t pid, int wstat)
{
  uint32_t v = htab_find(&bypid, pidhash(pid), &eqpid, &pid) ;
  service_t *s ;
  supproc *sp ;
  int islog, stopped ;
  tain t ;
  if (v == HTAB_NONE) return ;  /* an orphan we adopted */
  htab_del(&bypid, pidhash(pid), v) ;
  islog = v & 1 ;
  s = SERVICE(v >> 1) ;
  sp = s->sup + islog ;
  stopped = sp->stop ;
  sp->pid = 0 ;
  sp->stop = 0 ;
  if (islog) s->lstage = 0 ;
  if (stopped || shutting || !s->want) sp->fail = 0 ;
  else
  {
    /* an exit nobody asked for: count quick ones so that a supervise that
       cannot run (lock held, exec failure) warns 1, 2, 4, 8... times, not
       once a second forever */
    char fmt[UINT_FMT] ;
    tain_addsec(&t, &sp->start, 10) ;
    sp->fail = tain_future(&t) ? sp->fail + 1 : 1 ;
    if (pow2(sp->fail))
    {
      char const *how = WIFSIGNALED(wstat) ? " was killed by signal " : " exited with code " ;
      fmt[uint_fmt(fmt, WIFSIGNALED(wstat) ? (unsigned int)WTERMSIG(wstat) : (unsigned int)WEXITSTATUS(wstat))] = 0 ;
      strerr_warnw("supervise for ", s->name.s, islog ? "/log" : "", how, fmt,
        !WIFSIGNALED(wstat) && WEXITSTATUS(wstat) == 111 ? " (lock held by another supervisor, or exec failure); restarting it at most once a second" : "; restarting it at most once a second") ;
    }
  }
  service_dirty(v >> 1) ;
}

/* SIGHUP: a supervise waiting on its throttle is retried now */
void services_retry (void)
{
  uint32_t n = genalloc_len(service_t, &services) ;
  for (uint32_t i = 0 ; i < n ; i++)
  {
    service_t *s = SERVICE(i) ;
    if (!s->inuse || !s->want) continue ;
    if ((!s->sup[SUP_MAIN].pid && s->sup[SUP_MAIN].fail) || (s->wantlog && !s->sup[SUP_LOG].pid && s->sup[SUP_LOG].fail))
    {
      s->sup[SUP_MAIN].next = s->sup[SUP_LOG].next = STAMP ;
      service_dirty(i) ;
    }
  }
}

void services_shutdown (void)
{
  uint32_t n = genalloc_len(service_t, &services) ;
  for (uint32_t i = 0 ; i < n ; i++)
    if (SERVICE(i)->inuse) { SERVICE(i)->want = 0 ; service_dirty(i) ; }
}
