/* ISC license. */

/* svlogs' output: "YYYY-MM-DD HH:MM:SS.mmm  name  text", and reading the
   stamps that multilog t and T write. */

#include <string.h>
#include <skalibs/buffer.h>
#include <skalibs/strerr.h>
#include "svlogs.h"

static char outbuf[1 << 16] ;
static buffer out = BUFFER_INIT(&svk_writev_wait, 1, outbuf, sizeof outbuf) ;
static size_t width ;

void line_setwidth (size_t w)
{
  width = w ;
}

static void put (char const *s, size_t len)
{
  if (buffer_put(&out, s, len) < 0) strerr_diefusys(111, "write to stdout") ;
}

void line_flush (void)
{
  if (!buffer_flush(&out)) strerr_diefusys(111, "write to stdout") ;
}

static int dec (char const *s, unsigned int n, unsigned int *v)
{
  unsigned int r = 0 ;
  for (unsigned int i = 0 ; i < n ; i++)
  {
    if (s[i] < '0' || s[i] > '9') return 0 ;
    r = r * 10 + (s[i] - '0') ;
  }
  *v = r ;
  return 1 ;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil (int64_t y, unsigned int m, unsigned int d)
{
  int64_t era ;
  unsigned int yoe, doy, doe ;
  y -= m <= 2 ;
  era = (y >= 0 ? y : y - 399) / 400 ;
  yoe = (unsigned int)(y - era * 400) ;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1 ;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy ;
  return era * 146097 + (int64_t)doe - 719468 ;
}

/* 2026-11-21T05:16:02.790135941Z (the fraction optional, 1 to 9 digits) */
static size_t iso_scan (char const *s, size_t len, svk_time *t)
{
  unsigned int y, mo, d, h, mi, se, i = 19 ;
  uint32_t ns = 0, scale = 1000000000 ;
  if (len < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') return 0 ;
  if (!dec(s, 4, &y) || !dec(s + 5, 2, &mo) || !dec(s + 8, 2, &d) || !dec(s + 11, 2, &h)
   || !dec(s + 14, 2, &mi) || !dec(s + 17, 2, &se)) return 0 ;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return 0 ;
  if (s[i] == '.')
  {
    i++ ;
    while (i < len && i < 29 && s[i] >= '0' && s[i] <= '9') { scale /= 10 ; ns += (s[i] - '0') * scale ; i++ ; }
    if (i == 20) return 0 ;
  }
  if (i >= len || s[i] != 'Z') return 0 ;
  t->sec = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se ;
  t->nsec = ns ;
  return i + 1 ;
}

size_t line_stamp (char const *s, size_t len, svk_time *t)
{
  size_t n = 0 ;
  if (!len) return 0 ;
  if (s[0] == '@') { n = svk_tai64n_scan(s, len, t) ; if (n && t->nsec > 999999999) n = 0 ; }
  else if (s[0] >= '0' && s[0] <= '9') n = iso_scan(s, len, t) ;
  if (!n) return 0 ;
  if (n < len && s[n] != ' ') return 0 ;
  return n < len ? n + 1 : n ;
}

void line_put (char const *name, svk_time const *t, char const *text, size_t len)
{
  static char const blanks[32] = "                                " ;
  char head[64] ;
  size_t n = t ? svk_localtime_fmt(head, t, 3) : 0 ;
  size_t nlen = strlen(name) ;
  if (!n) { memcpy(head, blanks, 23) ; n = 23 ; }
  head[n++] = ' ' ; head[n++] = ' ' ;
  put(head, n) ;
  put(name, nlen) ;
  for (size_t pad = nlen < width ? width - nlen + 2 : 2 ; pad ; )
  {
    size_t k = pad < sizeof blanks ? pad : sizeof blanks ;
    put(blanks, k) ; pad -= k ;
  }
  put(text, len) ;
  put("\n", 1) ;
}

void line_emit (char const *name, char const *s, size_t len)
{
  svk_time t ;
  size_t k = line_stamp(s, len, &t) ;
  s += k ; len -= k ;
  do
  {
    size_t piece = len > LINEMAX ? LINEMAX : len ;
    line_put(name, k ? &t : 0, s, piece) ;
    s += piece ; len -= piece ;
  } while (len) ;
}
