/* ISC license. */

/* svstat: the processes of a service, read from /proc at the time of the
   call (supervise never samples).  supervise is a child subreaper, so they
   are its descendants; an adopted service's session counts too.  /proc is
   read once for all DIRs, and only when a field asked needs it.  CPU time
   counts the children the processes waited for; not the orphans supervise
   reaped (their time goes to supervise, with every past run's). */

#include <unistd.h>
#include <skalibs/types.h>
#include <skalibs/alloc.h>
#include <skalibs/genalloc.h>
#include "svstat.h"

static genalloc tab = GENALLOC_ZERO ;  /* svk_procinfo, in pid order */
static pid_t *set = 0 ;
static int loaded = 0 ;                /* 1 read, -1 unreadable */

static int collect (svk_procinfo const *p, void *data)
{
  (void)data ;
  return !genalloc_append(svk_procinfo, &tab, p) ;
}

static int load (void)
{
  if (!loaded)
  {
    loaded = svk_proc_each(&collect, 0) ? -1 : 1 ;
    if (loaded > 0 && genalloc_len(svk_procinfo, &tab))
    {
      set = alloc(genalloc_len(svk_procinfo, &tab) * sizeof(pid_t)) ;
      if (!set) loaded = -1 ;
    }
  }
  return loaded > 0 ;
}

static int exists (svk_procinfo const *p, size_t n, pid_t pid)
{
  size_t lo = 0, hi = n ;
  while (lo < hi)
  {
    size_t mid = lo + (hi - lo) / 2 ;
    if (p[mid].pid == pid) return 1 ;
    if (p[mid].pid < pid) lo = mid + 1 ; else hi = mid ;
  }
  return 0 ;
}

int svstat_resources (svstat const *s, svstat_res *res)
{
  static uint64_t pagesize = 0, hz = 0 ;
  svk_procinfo const *p ;
  size_t n ;
  svk_tree t ;
  uint64_t pages = 0, ticks = 0 ;
  uint32_t c = 0 ;
  if (s->source != SVK_SRC_SVKIT || !s->st.svpid || !load()) return 0 ;
  p = genalloc_s(svk_procinfo, &tab) ;
  n = genalloc_len(svk_procinfo, &tab) ;
  if (!exists(p, n, (pid_t)s->st.svpid)) return 0 ;  /* a stale record */
  if (!hz)
  {
    long r = sysconf(_SC_PAGESIZE) ;
    pagesize = r > 0 ? (uint64_t)r : 4096 ;
    r = sysconf(_SC_CLK_TCK) ;
    hz = r > 0 ? (uint64_t)r : 100 ;
  }
  svk_tree_init(&t, (pid_t)s->st.svpid, (pid_t)s->st.pid, set, n) ;
  do
    for (size_t i = 0 ; i < n ; i++)
      if (svk_tree_visit(&t, p + i))
      {
        c++ ;
        pages += p[i].rss ;
        ticks += p[i].cpu + p[i].ccpu ;
      }
  while (svk_tree_more(&t)) ;
  res->procs = c ;
  res->rss = pages * pagesize ;
  res->cpums = ticks * 1000 / hz ;
  return 1 ;
}

static size_t add (char *out, size_t len, char const *s)
{
  while (*s) out[len++] = *s++ ;
  return len ;
}

/* ", N processes" beside the main process (or finish), and after a stop
   ", N killed": what the default line appends. */
size_t svstat_tree_fmt (svstat const *s, char *out)
{
  size_t len = 0 ;
  uint32_t n = s->res.procs ;
  if (s->hasres && n > (s->st.pid ? 1u : 0u))
  {
    len = add(out, len, ", ") ;
    len += uint32_fmt(out + len, n) ;
    len = add(out, len, n == 1 ? " process" : " processes") ;
  }
  if (s->source == SVK_SRC_SVKIT && s->st.killed && !svstat_isup(s))
  {
    len = add(out, len, ", ") ;
    len += uint32_fmt(out + len, s->st.killed) ;
    len = add(out, len, " killed") ;
  }
  out[len] = 0 ;
  return len ;
}
