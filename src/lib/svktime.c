/* ISC license. */

#include <time.h>
#include <skalibs/tai.h>
#include "svkit.h"

#define TAI_OFFSET (((uint64_t)1 << 62) + 10)

void svk_time_now (svk_time *t)
{
  struct timespec ts ;
  clock_gettime(CLOCK_REALTIME, &ts) ;
  t->sec = ts.tv_sec ; t->nsec = (uint32_t)ts.tv_nsec ;
}

void svk_mono_now (svk_time *t)
{
  struct timespec ts ;
  clock_gettime(CLOCK_MONOTONIC, &ts) ;
  t->sec = ts.tv_sec ; t->nsec = (uint32_t)ts.tv_nsec ;
}

int64_t svk_time_diff_ms (svk_time const *a, svk_time const *b)
{
  return (a->sec - b->sec) * 1000 + ((int64_t)a->nsec - (int64_t)b->nsec) / 1000000 ;
}

/* TAI64N labels as daemontools writes them: Unix seconds + 2^62 + 10,
   with no leap-second table (so not tain_now's conversion), packed and
   formatted by skalibs. */
static void to_tain (svk_time const *t, tain *a)
{
  a->sec.x = TAI_OFFSET + (uint64_t)t->sec ;
  a->nano = t->nsec ;
}

static void from_tain (tain const *a, svk_time *t)
{
  t->sec = (int64_t)(a->sec.x - TAI_OFFSET) ;
  t->nsec = a->nano ;
}

void svk_tai64n_pack (char *out, svk_time const *t)
{
  tain a ;
  to_tain(t, &a) ;
  tain_pack(out, &a) ;
}

void svk_tai64n_unpack (char const *in, svk_time *t)
{
  tain a ;
  tain_unpack(in, &a) ;
  from_tain(&a, t) ;
}

size_t svk_tai64n_fmt (char *out, svk_time const *t)
{
  tain a ;
  to_tain(t, &a) ;
  return timestamp_fmt(out, &a) ;
}

size_t svk_tai64n_scan (char const *s, size_t len, svk_time *t)
{
  tain a ;
  if (len < SVK_TAI64N_FMT || timestamp_scan(s, &a) != SVK_TAI64N_FMT) return 0 ;
  from_tain(&a, t) ;
  return SVK_TAI64N_FMT ;
}

static void fmt_dec (char *out, unsigned long v, unsigned int width)
{
  while (width--) { out[width] = '0' + v % 10 ; v /= 10 ; }
}

size_t svk_iso8601_fmt (char *out, svk_time const *t)
{
  struct tm tm ;
  time_t secs = (time_t)t->sec ;
  if (!gmtime_r(&secs, &tm)) { tm.tm_year = 70 ; tm.tm_mon = 0 ; tm.tm_mday = 1 ; tm.tm_hour = tm.tm_min = tm.tm_sec = 0 ; }
  fmt_dec(out, (unsigned long)(tm.tm_year + 1900) % 10000, 4) ;
  out[4] = '-' ; fmt_dec(out + 5, tm.tm_mon + 1, 2) ;
  out[7] = '-' ; fmt_dec(out + 8, tm.tm_mday, 2) ;
  out[10] = 'T' ; fmt_dec(out + 11, tm.tm_hour, 2) ;
  out[13] = ':' ; fmt_dec(out + 14, tm.tm_min, 2) ;
  out[16] = ':' ; fmt_dec(out + 17, tm.tm_sec, 2) ;
  out[19] = '.' ; fmt_dec(out + 20, t->nsec, 9) ;
  out[29] = 'Z' ;
  return SVK_ISO8601_FMT ;
}
