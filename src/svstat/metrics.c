/* ISC license. */

/* svstat -m: the Prometheus text exposition format (version 0.0.4), one
   family after the other (HELP, TYPE, then a sample per DIR), labels
   service and dir.  A DIR without a running supervise, or that could not
   be read, is reported down (svkit_service_up 0) and nothing else is known
   of it but that. */

#include <string.h>
#include <skalibs/types.h>
#include "svstat.h"

enum { M_UP, M_READY, M_WANTEDUP, M_NORMALLYUP, M_START, M_STARTS, M_EXITCODE,
       M_EXITSIG, M_PROCS, M_RSS, M_CPU, M_SUPERVISED, M_N } ;

typedef struct metric_s metric ;
struct metric_s
{
  char const *name ;
  char const *type ;
  char const *help ;
} ;

static metric const metrics[M_N] =
{
  { "svkit_service_up", "gauge", "1 if the service process runs (state run), else 0; 0 too if no supervise runs on the directory or it could not be read." },
  { "svkit_service_ready", "gauge", "1 if the service is up and ready (notification-fd), else 0." },
  { "svkit_service_wanted_up", "gauge", "1 if supervise restarts the service when it stops (want up, not once)." },
  { "svkit_service_normally_up", "gauge", "1 if the service directory has no down file." },
  { "svkit_service_start_time_seconds", "gauge", "Unix time the service process started (while it is up)." },
  { "svkit_service_starts_total", "counter", "Times supervise started ./run since supervise started (svkit)." },
  { "svkit_service_last_exit_code", "gauge", "Exit code of the last run of the service, if it exited (svkit)." },
  { "svkit_service_last_exit_signal", "gauge", "Signal number that killed the last run of the service, if one did (svkit)." },
  { "svkit_service_processes", "gauge", "Processes of the service now: the descendants of supervise (svkit)." },
  { "svkit_service_resident_memory_bytes", "gauge", "Resident memory of the service's processes, summed (svkit)." },
  { "svkit_service_cpu_seconds_total", "counter", "User and system CPU time of the service's live processes and of the children they waited for (svkit)." },
  { "svkit_supervise_running", "gauge", "1 if a supervise runs on the directory, else 0." },
} ;

static void put (char const *s) { svstat_put(s) ; }

/* Label values are UTF-8 with \\, \" and \n escaped; a byte that is not
   part of valid UTF-8 becomes U+FFFD. */
static size_t utf8len (unsigned char const *s, size_t max)
{
  unsigned char c = s[0] ;
  size_t n ;
  uint32_t cp ;
  if (c < 0x80) return 1 ;
  if (c >= 0xc2 && c <= 0xdf) { n = 2 ; cp = c & 0x1f ; }
  else if (c >= 0xe0 && c <= 0xef) { n = 3 ; cp = c & 0x0f ; }
  else if (c >= 0xf0 && c <= 0xf4) { n = 4 ; cp = c & 0x07 ; }
  else return 0 ;
  if (n > max) return 0 ;
  for (size_t i = 1 ; i < n ; i++)
  {
    if ((s[i] & 0xc0) != 0x80) return 0 ;
    cp = cp << 6 | (s[i] & 0x3f) ;
  }
  if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff))) return 0 ;
  return n ;
}

static void label (char const *s, size_t len)
{
  unsigned char const *u = (unsigned char const *)s ;
  size_t i = 0 ;
  while (i < len)
  {
    size_t n = utf8len(u + i, len - i) ;
    if (!n) { svstat_putn("\xef\xbf\xbd", 3) ; i++ ; }
    else if (u[i] == '\\') { put("\\\\") ; i++ ; }
    else if (u[i] == '"') { put("\\\"") ; i++ ; }
    else if (u[i] == '\n') { put("\\n") ; i++ ; }
    else { svstat_putn(s + i, n) ; i += n ; }
  }
}

static int num (char *out, uint64_t n)
{
  out[uint64_fmt(out, n)] = 0 ;
  return 1 ;
}

/* seconds with three decimals */
static int secs (char *out, uint64_t ms)
{
  size_t len = uint64_fmt(out, ms / 1000) ;
  out[len++] = '.' ;
  out[len++] = '0' + (char)(ms % 1000 / 100) ;
  out[len++] = '0' + (char)(ms % 100 / 10) ;
  out[len++] = '0' + (char)(ms % 10) ;
  out[len] = 0 ;
  return 1 ;
}

/* Writes the value of metric m for s into out and returns 1, or returns 0
   if s has none. */
static int value (svstat const *s, unsigned int m, char *out)
{
  svk_status const *st = &s->st ;
  int known = s->running && !s->error ;
  int exited = known && svstat_hasexit(s) ;
  switch (m)
  {
    case M_UP : return num(out, known && svstat_isup(s)) ;
    case M_SUPERVISED : return !s->error && num(out, !!s->running) ;
    case M_READY : return known && num(out, svstat_isready(s)) ;
    case M_WANTEDUP : return known && num(out, st->want == 'u' && !(st->flags & SVK_F_ONCE)) ;
    case M_NORMALLYUP : return known && num(out, !!s->normallyup) ;
    case M_START : return known && svstat_isup(s) && st->stamp.sec > 0 && num(out, (uint64_t)st->stamp.sec) ;
    case M_STARTS : return known && s->source == SVK_SRC_SVKIT && num(out, st->starts) ;
    case M_EXITCODE : return exited && st->exitcode >= 0 && num(out, (uint64_t)st->exitcode) ;
    case M_EXITSIG : return exited && st->exitcode < 0 && st->exitsig && num(out, st->exitsig) ;
    case M_PROCS : return known && s->hasres && num(out, s->res.procs) ;
    case M_RSS : return known && s->hasres && num(out, s->res.rss) ;
    case M_CPU : return known && s->hasres && secs(out, s->res.cpums) ;
    default : return 0 ;
  }
}

static void sample (svstat const *s, unsigned int m)
{
  char const *name ;
  size_t len = svstat_name(s->dir, &name) ;
  char val[UINT64_FMT + 4] ;
  if (!value(s, m, val)) return ;
  put(metrics[m].name) ;
  put("{service=\"") ; label(name, len) ;
  put("\",dir=\"") ; label(s->dir, strlen(s->dir)) ;
  put("\"} ") ; put(val) ; put("\n") ;
}

void svstat_metrics (svstat const *all, size_t n)
{
  for (unsigned int m = 0 ; m < M_N ; m++)
  {
    put("# HELP ") ; put(metrics[m].name) ; put(" ") ; put(metrics[m].help) ; put("\n") ;
    put("# TYPE ") ; put(metrics[m].name) ; put(" ") ; put(metrics[m].type) ; put("\n") ;
    for (size_t k = 0 ; k < n ; k++) sample(all + k, m) ;
  }
}
