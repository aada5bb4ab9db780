/* ISC license. */

/* Local time as "YYYY-MM-DD HH:MM:SS.fff...": tai64nlocal and svlogs.
   Not skalibs' localtm_fmt: for a year outside 0..9999 (a label far in
   the past or future, which tai64nlocal must still convert) it writes
   past LOCALTM_FMT; the tai64nlocal fuzz target found it. */

#include <time.h>
#include <skalibs/types.h>
#include "svkit.h"

static void fmt2 (char *s, unsigned int v)
{
  s[0] = '0' + v / 10 % 10 ; s[1] = '0' + v % 10 ;
}

/* The date and time of the last second converted: a log holds many lines
   per second, and localtime_r is the expensive part. */
static int64_t cached_sec = INT64_MIN ;
static char cached[UINT64_FMT + 20] ;
static size_t cached_len ;

size_t svk_localtime_fmt (char *out, svk_time const *t, unsigned int digits)
{
  size_t n ;
  if (t->sec != cached_sec)
  {
    struct tm tm ;
    time_t secs = (time_t)t->sec ;
    if ((int64_t)secs != t->sec || !localtime_r(&secs, &tm)) return 0 ;
    n = long_fmt(cached, (long)tm.tm_year + 1900) ;
    cached[n++] = '-' ; fmt2(cached + n, tm.tm_mon + 1) ; n += 2 ;
    cached[n++] = '-' ; fmt2(cached + n, tm.tm_mday) ; n += 2 ;
    cached[n++] = ' ' ; fmt2(cached + n, tm.tm_hour) ; n += 2 ;
    cached[n++] = ':' ; fmt2(cached + n, tm.tm_min) ; n += 2 ;
    cached[n++] = ':' ; fmt2(cached + n, tm.tm_sec) ; n += 2 ;
    cached_len = n ;
    cached_sec = t->sec ;
  }
  for (n = 0 ; n < cached_len ; n++) out[n] = cached[n] ;
  if (digits)
  {
    uint32_t v = t->nsec ;
    if (digits > 9) digits = 9 ;
    for (unsigned int i = digits ; i < 9 ; i++) v /= 10 ;
    out[n++] = '.' ;
    for (unsigned int i = digits ; i-- ;) { out[n + i] = '0' + v % 10 ; v /= 10 ; }
    n += digits ;
  }
  return n ;
}
