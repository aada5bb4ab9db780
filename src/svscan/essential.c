/* ISC license. svscan: essential services. A service whose directory holds
   a file named "essential" ends the whole tree when it stops for good: it
   gave up (finish exited 125), or it is down, will not be started again
   (want down, or once mode) and ran at least once. svscan then shuts
   everything down as on SIGTERM and exits with that service's last exit
   code (128+N if a signal N killed it). See doc/svscan.8, ESSENTIAL.

   svscan learns of a stop by reading NAME/supervise/xstatus whenever
   supervise renames a new one into place (inotify IN_MOVED_TO on
   NAME/supervise). supervise creates supervise/ after it starts, so the
   watch is placed as soon as the directory exists (retried on a short,
   growing delay), and the record is read once when it is. A record
   counts only if it was written by the supervise svscan runs now (its
   pid, bytes 56..59, and a time stamp not older than its start): a
   supervise/ left from an earlier run says nothing. */

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/inotify.h>
#include <skalibs/genalloc.h>
#include <skalibs/strerr.h>
#include <skalibs/stralloc.h>
#include <skalibs/types.h>
#include "svkit.h"
#include "svscan.h"

typedef struct ess_s ess_t ;
struct ess_s
{
  uint32_t i ;     /* service index */
  int wd ;         /* watch on NAME/supervise, -1 if none */
  pid_t wpid ;     /* the supervise that ran when the watch was placed */
  uint32_t delay ; /* ms before the next try to place the watch */
  tain next ;      /* when to try (or, without inotify, to read) next */
} ;

static genalloc ess = GENALLOC_ZERO ;  /* ess_t */
static stralloc fn = STRALLOC_ZERO ;
static int decided = 0 ;
static int code = 0 ;
int essential_rescan = 0 ;

#define ESS(k) (genalloc_s(ess_t, &ess) + (k))
#define NESS genalloc_len(ess_t, &ess)
#define WATCH_XSTATUS (IN_MOVED_TO | IN_ONLYDIR)

static char const *svfile (service_t const *s, char const *file)
{
  fn.len = 0 ;
  if (!stralloc_catb(&fn, s->name.s, s->name.len - 1)
   || !stralloc_cats(&fn, "/")
   || !stralloc_cats(&fn, file)
   || !stralloc_0(&fn)) return 0 ;
  return fn.s ;
}

static size_t find (uint32_t i)
{
  for (size_t k = 0 ; k < NESS ; k++) if (ESS(k)->i == i) return k ;
  return NESS ;
}

static void unwatch (ess_t *e)
{
  if (e->wd >= 0 && ifd >= 0 && e->wd != dirwd && !scan_is_parentwatch(e->wd)) inotify_rm_watch(ifd, e->wd) ;
  e->wd = -1 ;
}

void essential_forget (uint32_t i)
{
  size_t k = find(i) ;
  if (k == NESS) return ;
  unwatch(ESS(k)) ;
  *ESS(k) = *ESS(NESS - 1) ;
  genalloc_setlen(ess_t, &ess, NESS - 1) ;
  SERVICE(i)->essential = 0 ;
}

/* Does NAME/essential exist? Called for a new service, and for all of
   them on a scan that follows a change of such a file. */
void essential_check (uint32_t i)
{
  service_t *s = SERVICE(i) ;
  char const *p = svfile(s, "essential") ;
  int has ;
  if (!p) { strerr_warnwusys("allocate memory") ; return ; }
  has = access(p, F_OK) == 0 ;
  if (has == s->essential) return ;
  if (!has) { essential_forget(i) ; return ; }
  {
    ess_t e = { .i = i, .wd = -1, .wpid = 0, .delay = 10, .next = tain_zero } ;
    if (!genalloc_append(ess_t, &ess, &e)) { strerr_warnwusys("watch ", s->name.s, " as an essential service") ; return ; }
  }
  s->essential = 1 ;
}

int essential_decided (int *c)
{
  if (decided) *c = code ;
  return decided ;
}

/* Reads the record and, if the service stopped for good, stops the tree. */
static void judge (ess_t *e)
{
  service_t *s = SERVICE(e->i) ;
  svk_status st ;
  svk_statusread rd ;
  char fmt[UINT_FMT] ;
  /* after svc -dx, the supervise that wrote the last record may already
     have been reaped: then it is the one the watch was placed for */
  pid_t sp = s->sup[SUP_MAIN].pid ? s->sup[SUP_MAIN].pid : e->wpid ;
  if (decided || shutting || !s->want || !sp || s->sup[SUP_MAIN].stop) return ;
  if (svk_status_read(s->name.s, &st, &rd) < 0 || rd.source != SVK_SRC_SVKIT) return ;
  /* written by this supervise: its pid, and not before it started (a new
     pid namespace hands out the same pids again) */
  if (st.svpid != (uint32_t)sp || st.stamp.sec < s->mwall.sec
   || (st.stamp.sec == s->mwall.sec && st.stamp.nsec < s->mwall.nsec)) return ;
  if (st.state != SVK_DOWN || !st.starts) return ;
  if (!(st.flags & SVK_F_GAVEUP) && st.want != 'd' && !(st.flags & SVK_F_ONCE)) return ;
  if (!(st.flags & SVK_F_EXITED)) code = 1 ;  /* an adopted process: its status is unknown */
  else if (st.exitsig) code = 128 + (int)st.exitsig ;
  else code = st.exitcode & 255 ;
  decided = 1 ;
  fmt[uint_fmt(fmt, (unsigned int)code)] = 0 ;
  strerr_warnw("essential service ", s->name.s,
    st.flags & SVK_F_GAVEUP ? " gave up" : " is down for good",
    "; stopping every service, then exiting ", fmt) ;
  shutdown_begin() ;
}

/* An inotify event: 1 if it was on one of our watches. */
int essential_event (int wd, uint32_t mask, char const *name)
{
  for (size_t k = 0 ; k < NESS ; k++)
  {
    ess_t *e = ESS(k) ;
    if (e->wd != wd) continue ;
    if (mask & IN_IGNORED) { e->wd = -1 ; e->delay = 10 ; e->next = STAMP ; }
    else if (!strcmp(name, "xstatus")) judge(e) ;
    return 1 ;
  }
  return 0 ;
}

/* Places missing watches (reading the record once each time one is
   placed); without inotify, reads the records once a second. Lowers
   *deadline to the next try. */
void essential_step (tain *deadline)
{
  for (size_t k = 0 ; k < NESS && !decided && !shutting ; k++)
  {
    ess_t *e = ESS(k) ;
    service_t *s = SERVICE(e->i) ;
    if (e->wd >= 0 && s->sup[SUP_MAIN].pid && e->wpid != s->sup[SUP_MAIN].pid)
    {
      /* a new supervise: its first record may have come before it had
         a pid here; read it once */
      e->wpid = s->sup[SUP_MAIN].pid ;
      judge(e) ;
    }
    if (e->wd >= 0 || !s->sup[SUP_MAIN].pid) continue ;
    if (tain_future(&e->next))
    {
      if (tain_less(&e->next, deadline)) *deadline = e->next ;
      continue ;
    }
    if (ifd >= 0)
    {
      char const *p = svfile(s, "supervise") ;
      e->wd = p ? inotify_add_watch(ifd, p, WATCH_XSTATUS | IN_MASK_ADD) : -1 ;
      if (e->wd >= 0 && (e->wd == dirwd || scan_is_parentwatch(e->wd))) e->wd = -1 ;
      if (e->wd >= 0) { e->wpid = s->sup[SUP_MAIN].pid ; e->delay = 10 ; judge(e) ; continue ; }
      if (e->delay < 1000) e->delay <<= 1 ;
    }
    else { e->delay = 1000 ; judge(e) ; }
    tain_from_millisecs(&e->next, e->delay) ;
    tain_add(&e->next, &e->next, &STAMP) ;
    if (tain_less(&e->next, deadline)) *deadline = e->next ;
  }
}
