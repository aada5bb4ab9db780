/* ISC license. */

/* The named fields of svstat -o and the keys of svstat -j. */

#include <string.h>
#include <skalibs/types.h>
#include <skalibs/sig.h>
#include "svstat.h"

int svstat_isup (svstat const *s)
{
  return svk_isup(&s->st) ;
}

/* Whole seconds between two labels, as daemontools' svstat counts them. */
uint64_t svstat_secs (svk_time const *now, svk_time const *then)
{
  return now->sec > then->sec ? (uint64_t)(now->sec - then->sec) : 0 ;
}

void svstat_sigfmt (char *out, uint32_t sig)
{
  char const *name = sig_name((int)sig) ;
  if (name && strcmp(name, "???"))
  {
    memcpy(out, "SIG", 3) ;
    memcpy(out + 3, name, strlen(name) + 1) ;
  }
  else out[uint32_fmt(out, sig)] = 0 ;
}

int svstat_isready (svstat const *s)
{
  return svk_isready(&s->st, s->notifies) ;
}

static svk_time const *readystamp (svstat const *s)
{
  return s->st.flags & SVK_F_READY ? &s->st.readystamp : &s->st.stamp ;
}

int svstat_hasexit (svstat const *s)
{
  return s->source == SVK_SRC_SVKIT && (s->st.flags & SVK_F_EXITED) ;
}

static int putbool (char *out, int b)
{
  strcpy(out, b ? "true" : "false") ;
  return 1 ;
}

static int putu64 (char *out, uint64_t n)
{
  out[uint64_fmt(out, n)] = 0 ;
  return 1 ;
}

static int f_up (svstat const *s, char *out) { return putbool(out, svstat_isup(s)) ; }
static int f_wantedup (svstat const *s, char *out) { return putbool(out, s->st.want == 'u' && !(s->st.flags & SVK_F_ONCE)) ; }
static int f_normallyup (svstat const *s, char *out) { return putbool(out, s->normallyup) ; }
static int f_ready (svstat const *s, char *out) { return putbool(out, svstat_isready(s)) ; }
static int f_paused (svstat const *s, char *out) { return putbool(out, s->st.pid && (s->st.flags & SVK_F_PAUSED)) ; }
static int f_once (svstat const *s, char *out) { return putbool(out, !!(s->st.flags & SVK_F_ONCE)) ; }
static int f_wantexit (svstat const *s, char *out) { return putbool(out, !!(s->st.flags & SVK_F_EXIT)) ; }
static int f_finishing (svstat const *s, char *out) { return putbool(out, s->st.state == SVK_FINISH) ; }
static int f_gaveup (svstat const *s, char *out) { return putbool(out, !!(s->st.flags & SVK_F_GAVEUP)) ; }

static int f_pid (svstat const *s, char *out)
{
  return svstat_isup(s) ? putu64(out, s->st.pid) : 0 ;
}

static int f_exitcode (svstat const *s, char *out)
{
  if (!svstat_hasexit(s) || s->st.exitcode < 0) return 0 ;
  return putu64(out, (uint64_t)s->st.exitcode) ;
}

static int f_signal (svstat const *s, char *out)
{
  if (!svstat_hasexit(s) || s->st.exitcode >= 0 || !s->st.exitsig) return 0 ;
  svstat_sigfmt(out, s->st.exitsig) ;
  return 1 ;
}

static int f_signum (svstat const *s, char *out)
{
  if (!svstat_hasexit(s) || s->st.exitcode >= 0 || !s->st.exitsig) return 0 ;
  return putu64(out, s->st.exitsig) ;
}

static int f_updownsince (svstat const *s, char *out)
{
  out[svk_tai64n_fmt(out, &s->st.stamp)] = 0 ;
  return 1 ;
}

static int f_updownfor (svstat const *s, char *out)
{
  return putu64(out, svstat_secs(&s->now, &s->st.stamp)) ;
}

static int f_readysince (svstat const *s, char *out)
{
  if (!svstat_isready(s)) return 0 ;
  out[svk_tai64n_fmt(out, readystamp(s))] = 0 ;
  return 1 ;
}

static int f_readyfor (svstat const *s, char *out)
{
  if (!svstat_isready(s)) return 0 ;
  return putu64(out, svstat_secs(&s->now, readystamp(s))) ;
}

static int f_state (svstat const *s, char *out)
{
  strcpy(out, svk_state_name(s->st.state)) ;
  return 1 ;
}

static int f_starts (svstat const *s, char *out)
{
  return s->source == SVK_SRC_SVKIT ? putu64(out, s->st.starts) : 0 ;
}

static int f_svpid (svstat const *s, char *out)
{
  return s->source == SVK_SRC_SVKIT && s->st.svpid ? putu64(out, s->st.svpid) : 0 ;
}

static int f_source (svstat const *s, char *out)
{
  strcpy(out, s->source == SVK_SRC_SVKIT ? "svkit" : s->source == SVK_SRC_RUNIT ? "runit" : "daemontools") ;
  return 1 ;
}

static int f_procs (svstat const *s, char *out)
{
  return s->hasres ? putu64(out, s->res.procs) : 0 ;
}

static int f_rss (svstat const *s, char *out)
{
  return s->hasres ? putu64(out, s->res.rss) : 0 ;
}

/* seconds, two decimals (the kernel counts in hundredths) */
static int f_cpu (svstat const *s, char *out)
{
  size_t len ;
  uint64_t cs = s->res.cpums / 10 ;
  if (!s->hasres) return 0 ;
  len = uint64_fmt(out, cs / 100) ;
  out[len++] = '.' ;
  out[len++] = '0' + (char)(cs % 100 / 10) ;
  out[len++] = '0' + (char)(cs % 10) ;
  out[len] = 0 ;
  return 1 ;
}

static int f_killed (svstat const *s, char *out)
{
  return s->source == SVK_SRC_SVKIT ? putu64(out, s->st.killed) : 0 ;
}

/* The order is the order of the JSON keys. */
svstat_field const svstat_fields[] =
{
  { "up", SVSTAT_BOOL, 0, &f_up },
  { "wantedup", SVSTAT_BOOL, 0, &f_wantedup },
  { "normallyup", SVSTAT_BOOL, 0, &f_normallyup },
  { "ready", SVSTAT_BOOL, 0, &f_ready },
  { "paused", SVSTAT_BOOL, 0, &f_paused },
  { "pid", SVSTAT_NUM, 0, &f_pid },
  { "exitcode", SVSTAT_NUM, 0, &f_exitcode },
  { "signal", SVSTAT_STR, 0, &f_signal },
  { "signum", SVSTAT_NUM, 0, &f_signum },
  { "updownsince", SVSTAT_STR, 0, &f_updownsince },
  { "readysince", SVSTAT_STR, 0, &f_readysince },
  { "updownfor", SVSTAT_NUM, 0, &f_updownfor },
  { "readyfor", SVSTAT_NUM, 0, &f_readyfor },
  { "state", SVSTAT_STR, 0, &f_state },
  { "once", SVSTAT_BOOL, 0, &f_once },
  { "wantexit", SVSTAT_BOOL, 0, &f_wantexit },
  { "finishing", SVSTAT_BOOL, 0, &f_finishing },
  { "gaveup", SVSTAT_BOOL, 0, &f_gaveup },
  { "starts", SVSTAT_NUM, 0, &f_starts },
  { "svpid", SVSTAT_NUM, 0, &f_svpid },
  { "source", SVSTAT_STR, 0, &f_source },
  { "procs", SVSTAT_NUM, 1, &f_procs },
  { "killed", SVSTAT_NUM, 0, &f_killed },
  { "rss", SVSTAT_NUM, 1, &f_rss },
  { "cpu", SVSTAT_NUM, 1, &f_cpu },
  { 0, 0, 0, 0 }
} ;

size_t svstat_name (char const *dir, char const **name)
{
  size_t len = strlen(dir), i ;
  while (len > 1 && dir[len - 1] == '/') len-- ;
  i = len ;
  while (i && dir[i - 1] != '/') i-- ;
  if (i == len) i = 0 ;  /* "/" */
  if (len - i == 3 && !memcmp(dir + i, "log", 3))
  {
    size_t j = i ;
    while (j && dir[j - 1] == '/') j-- ;
    if (j)
    {
      while (j && dir[j - 1] != '/') j-- ;
      i = j ;
    }
  }
  *name = dir + i ;
  return len - i ;
}

svstat_field const *svstat_field_find (char const *name, size_t len)
{
  svstat_field const *f = svstat_fields ;
  for (; f->name ; f++)
    if (strlen(f->name) == len && !memcmp(f->name, name, len)) return f ;
  return 0 ;
}
