/* ISC license. */

/* tai64nlocal: copy stdin to stdout, replacing a TAI64N label at the start
   of a line ("@" + 24 hex digits, daemontools convention) with the local
   time "YYYY-MM-DD HH:MM:SS.nnnnnnnnn".  Anything else passes through
   unchanged.  Streaming: no line-length limit, output flushed per batch. */

#include <string.h>
#include <time.h>
#include <unistd.h>
#include <skalibs/buffer.h>
#include <skalibs/types.h>
#include <skalibs/strerr.h>
#include "svkit.h"

enum state_e { AT_START, IN_LABEL, IN_LINE } ;

static char outbuf[65536] ;
static buffer out = BUFFER_INIT(&svk_writev_wait, 1, outbuf, sizeof outbuf) ;

static void put (char const *s, size_t len)
{
  /* exit 111 as daemontools does, but with a message */
  if (buffer_put(&out, s, len) < 0) strerr_diefusys(111, "write to stdout") ;
}

/* label holds a complete "@" + 24 hex digits.  Writes the local time, or
   the label itself if it cannot be converted. */
static void convert (char const *label)
{
  svk_time t ;
  char s[40] ;
  size_t n ;
  if (!svk_tai64n_scan(label, SVK_TAI64N_FMT, &t) || t.nsec > 999999999) goto raw ;
  n = svk_localtime_fmt(s, &t, 9) ;
  if (!n) goto raw ;
  put(s, n) ;
  return ;
 raw:
  put(label, SVK_TAI64N_FMT) ;
}

static int ishex (char c)
{
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ;
}

int main (void)
{
  static char in[65536] ;
  char label[SVK_TAI64N_FMT] ;
  size_t lablen = 0 ;
  enum state_e st = AT_START ;
  PROG = "tai64nlocal" ;
  tzset() ;
  for (;;)
  {
    size_t i = 0 ;
    ssize_t r = svk_read_stdin(in, sizeof in) ;
    if (!r) break ;
    while (i < (size_t)r)
    {
      char c = in[i] ;
      switch (st)
      {
        case AT_START :
          if (c == '@') { label[0] = c ; lablen = 1 ; st = IN_LABEL ; i++ ; }
          else st = IN_LINE ;
          break ;
        case IN_LABEL :
          if (ishex(c))
          {
            label[lablen++] = c ; i++ ;
            if (lablen == SVK_TAI64N_FMT) { convert(label) ; st = IN_LINE ; }
          }
          else { put(label, lablen) ; st = IN_LINE ; }
          break ;
        case IN_LINE :
        {
          char const *nl = memchr(in + i, '\n', r - i) ;
          size_t end = nl ? (size_t)(nl - in) + 1 : (size_t)r ;
          put(in + i, end - i) ;
          i = end ;
          if (nl) st = AT_START ;
          break ;
        }
      }
    }
    if (!buffer_flush(&out)) strerr_diefusys(111, "write to stdout") ;
  }
  if (st == IN_LABEL) put(label, lablen) ;
  if (!buffer_flush(&out)) strerr_diefusys(111, "write to stdout") ;
  return 0 ;
}
