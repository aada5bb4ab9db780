/* ISC license. */

/* tai64n: copy stdin to stdout, each line prefixed with "@<label> ", the
   TAI64N time at which its first byte was read.  One clock read and one
   write per batch of input. */

#include <string.h>
#include <unistd.h>
#include <skalibs/buffer.h>
#include <skalibs/strerr.h>
#include "svkit.h"

#define INSIZE 65536

static char outbuf[INSIZE + 8192] ;

static void put (buffer *b, char const *s, size_t len)
{
  /* exit 111 as daemontools does, but with a message */
  if (buffer_put(b, s, len) < 0) strerr_diefusys(111, "write to stdout") ;
}

int main (void)
{
  static char in[INSIZE] ;
  buffer out = BUFFER_INIT(&svk_writev_wait, 1, outbuf, sizeof outbuf) ;
  int atstart = 1 ;
  PROG = "tai64n" ;
  for (;;)
  {
    char label[SVK_TAI64N_FMT + 1] ;
    svk_time now ;
    size_t i = 0 ;
    ssize_t r = svk_read_stdin(in, sizeof in) ;
    if (!r) break ;
    svk_time_now(&now) ;
    svk_tai64n_fmt(label, &now) ;
    label[SVK_TAI64N_FMT] = ' ' ;
    while (i < (size_t)r)
    {
      char const *nl = memchr(in + i, '\n', r - i) ;
      size_t end = nl ? (size_t)(nl - in) + 1 : (size_t)r ;
      if (atstart) put(&out, label, sizeof label) ;
      put(&out, in + i, end - i) ;
      atstart = !!nl ;
      i = end ;
    }
    if (!buffer_flush(&out)) strerr_diefusys(111, "write to stdout") ;
  }
  if (!buffer_flush(&out)) strerr_diefusys(111, "write to stdout") ;
  return 0 ;
}
