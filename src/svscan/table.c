/* ISC license. svscan: the service table.  Services are found by
   directory identity (bydir) and kept in an indexed array with a free
   list; service.c's state machine runs for those queued as dirty (dirtyq)
   or whose timer is due (timedq). */

#include <string.h>
#include <sys/inotify.h>
#include <skalibs/djbunix.h>
#include <skalibs/strerr.h>
#include "svscan.h"

genalloc services = GENALLOC_ZERO ;
uint32_t nservices = 0 ;
static genalloc freeidx = GENALLOC_ZERO ;  /* uint32_t */
static genalloc dirtyq = GENALLOC_ZERO ;   /* uint32_t */
static genalloc timedq = GENALLOC_ZERO ;   /* uint32_t */
static htab bydir = HTAB_ZERO ;

/* ---- lookups ----------------------------------------------------------------- */

struct dirkey_s { dev_t dev ; ino_t ino ; } ;

static uint64_t dirhash (dev_t dev, ino_t ino)
{
  return htab_mix((uint64_t)ino ^ htab_mix((uint64_t)dev + 1)) ;
}

static int eqdir (uint32_t i, void const *k)
{
  struct dirkey_s const *d = k ;
  return SERVICE(i)->dev == d->dev && SERVICE(i)->ino == d->ino ;
}

uint32_t service_lookup_dir (dev_t dev, ino_t ino)
{
  struct dirkey_s k = { .dev = dev, .ino = ino } ;
  return htab_find(&bydir, dirhash(dev, ino), &eqdir, &k) ;
}

/* ---- queues -------------------------------------------------------------------- */

void service_dirty (uint32_t i)
{
  service_t *s = SERVICE(i) ;
  if (s->dirty) return ;
  if (!genalloc_append(uint32_t, &dirtyq, &i))
  {
    strerr_warnwusys("allocate memory") ;
    return ;
  }
  s->dirty = 1 ;
}

void service_settimer (uint32_t i, tain const *when)
{
  service_t *s = SERVICE(i) ;
  if (tain_less(when, &s->wake)) s->wake = *when ;
  if (s->timed) return ;
  if (!genalloc_append(uint32_t, &timedq, &i))
  {
    strerr_warnwusys("allocate memory") ;
    return ;
  }
  s->timed = 1 ;
}

/* Marks the services whose timer is due as dirty, and lowers *deadline
   to the earliest pending one. Returns 1 if something became dirty. */
int services_timers (tain *deadline)
{
  uint32_t *q = genalloc_s(uint32_t, &timedq) ;
  size_t n = genalloc_len(uint32_t, &timedq), j = 0 ;
  int due = 0 ;
  for (size_t k = 0 ; k < n ; k++)
  {
    uint32_t i = q[k] ;
    service_t *s = SERVICE(i) ;
    if (!s->inuse || !s->timed) continue ;
    if (!tain_less(&s->wake, &tain_infinite)) { s->timed = 0 ; continue ; }
    if (!tain_future(&s->wake)) { s->timed = 0 ; service_dirty(i) ; due = 1 ; continue ; }
    if (tain_less(&s->wake, deadline)) *deadline = s->wake ;
    q[j++] = i ;
  }
  genalloc_setlen(uint32_t, &timedq, j) ;
  return due || genalloc_len(uint32_t, &dirtyq) ;
}

void services_run (void)
{
  for (;;)
  {
    size_t n = genalloc_len(uint32_t, &dirtyq) ;
    uint32_t i ;
    if (!n) break ;
    i = genalloc_s(uint32_t, &dirtyq)[n - 1] ;
    genalloc_setlen(uint32_t, &dirtyq, n - 1) ;
    if (!SERVICE(i)->inuse || !SERVICE(i)->dirty) continue ;
    SERVICE(i)->dirty = 0 ;
    service_step(i) ;
  }
}

/* ---- table ---------------------------------------------------------------------- */

#define WATCH_SVC (IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

uint32_t service_new (char const *name, dev_t dev, ino_t ino)
{
  uint32_t i ;
  service_t *s ;
  size_t nfree = genalloc_len(uint32_t, &freeidx) ;
  if (nfree) i = genalloc_s(uint32_t, &freeidx)[nfree - 1] ;
  else
  {
    if (!genalloc_readyplus(service_t, &services, 1)) return HTAB_NONE ;
    i = genalloc_len(service_t, &services) ;
  }
  if (!htab_put(&bydir, dirhash(dev, ino), i)) return HTAB_NONE ;
  if (nfree) genalloc_setlen(uint32_t, &freeidx, nfree - 1) ;
  else genalloc_setlen(service_t, &services, i + 1) ;
  s = SERVICE(i) ;
  memset(s, 0, sizeof(service_t)) ;
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
  s->sup[SUP_MAIN].next = s->sup[SUP_LOG].next = tain_zero ;
  s->inuse = 1 ;
  s->want = 1 ;
  nservices++ ;
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
      if (!warned++) strerr_warnwusys("watch ", name, " (a log/ created later is only seen by the periodic scan)") ;
    }
  }
  service_dirty(i) ;
  return i ;
}

int service_rename (uint32_t i, char const *name)
{
  return stralloc_copyb(&SERVICE(i)->name, name, strlen(name) + 1) ;
}

void service_closepipe (service_t *s)
{
  if (s->p[0] >= 0) fd_close(s->p[0]) ;
  if (s->p[1] >= 0) fd_close(s->p[1]) ;
  s->p[0] = s->p[1] = -1 ;
}

void service_free (uint32_t i)
{
  service_t *s = SERVICE(i) ;
  if (s->essential) essential_forget(i) ;
  service_closepipe(s) ;
  htab_del(&bydir, dirhash(s->dev, s->ino), i) ;
  if (s->wd >= 0 && ifd >= 0 && s->wd != dirwd && !scan_is_parentwatch(s->wd)) inotify_rm_watch(ifd, s->wd) ;
  stralloc_free(&s->name) ;
  s->inuse = 0 ;
  nservices-- ;
  if (!genalloc_append(uint32_t, &freeidx, &i)) strerr_warnwusys("allocate memory") ;
}
