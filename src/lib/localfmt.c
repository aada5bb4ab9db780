/* ISC license. */

/* Local time as "YYYY-MM-DD HH:MM:SS.fff...": tai64nlocal and svlogs. */

#include <time.h>
#include <skalibs/djbtime.h>
#include "svkit.h"

/* The date and time of the last second converted: a log holds many lines
   per second, and localtime_r is the expensive part. */
static int64_t cached_sec = INT64_MIN ;
static char cached[LOCALTM_FMT] ;
static size_t cached_len ;

size_t svk_localtime_fmt (char *out, svk_time const *t, unsigned int digits)
{
  size_t n ;
  if (t->sec != cached_sec)
  {
    struct tm tm ;
    time_t secs = (time_t)t->sec ;
    if ((int64_t)secs != t->sec || !localtime_r(&secs, &tm)) return 0 ;
    cached_len = localtm_fmt(cached, &tm) ;
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
