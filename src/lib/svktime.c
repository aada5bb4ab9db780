/* ISC license. */

#include <time.h>
#include <skalibs/uint64.h>
#include <skalibs/uint32.h>
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

void tai64n_pack (char *out, svk_time const *t)
{
  uint64_pack_big(out, TAI_OFFSET + (uint64_t)t->sec) ;
  uint32_pack_big(out + 8, t->nsec) ;
}

void tai64n_unpack (char const *in, svk_time *t)
{
  uint64_t s ;
  uint32_t n ;
  uint64_unpack_big(in, &s) ;
  uint32_unpack_big(in + 8, &n) ;
  t->sec = (int64_t)(s - TAI_OFFSET) ;
  t->nsec = n ;
}

static char const hexdigits[16] = "0123456789abcdef" ;

size_t tai64n_fmt (char *out, svk_time const *t)
{
  char pack[12] ;
  tai64n_pack(pack, t) ;
  out[0] = '@' ;
  for (unsigned int i = 0 ; i < 12 ; i++)
  {
    out[1 + 2*i] = hexdigits[(unsigned char)pack[i] >> 4] ;
    out[2 + 2*i] = hexdigits[(unsigned char)pack[i] & 15] ;
  }
  return SVK_TAI64N_FMT ;
}

static int hexval (char c)
{
  if (c >= '0' && c <= '9') return c - '0' ;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10 ;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10 ;
  return -1 ;
}

size_t tai64n_scan (char const *s, size_t len, svk_time *t)
{
  char pack[12] ;
  if (len < SVK_TAI64N_FMT || s[0] != '@') return 0 ;
  for (unsigned int i = 0 ; i < 12 ; i++)
  {
    int hi = hexval(s[1 + 2*i]), lo = hexval(s[2 + 2*i]) ;
    if (hi < 0 || lo < 0) return 0 ;
    pack[i] = (char)(hi << 4 | lo) ;
  }
  tai64n_unpack(pack, t) ;
  return SVK_TAI64N_FMT ;
}

static void fmt_dec (char *out, unsigned long v, unsigned int width)
{
  while (width--) { out[width] = '0' + v % 10 ; v /= 10 ; }
}

size_t iso8601_fmt (char *out, svk_time const *t)
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
