/* ISC license. Fuzz target: tai64nlocal's conversion loop, main() of
   src/tai64nlocal/tai64nlocal.c included with svk_read_stdin redirected to the
   input (read in chunks of 1..64 bytes set by the first byte, to cross
   every state at a read boundary) and its output buffer to memory.
   TZ is EST5EDT (no zone file needed).
   Oracle: line count preserved; input where no line starts with '@'
   comes out unchanged; a line that still starts with '@' (or never
   did) is the input line unchanged; a converted label becomes
   "[-]YYYY-MM-DD HH:MM:SS.nnnnnnnnn" and the rest of its line is kept. */

#include <string.h>
#include <stdlib.h>
#include <time.h>
#include <skalibs/allreadwrite.h>
#include <skalibs/buffer.h>
#include "fuzz.h"

static uint8_t const *fdata ;
static size_t flen, fpos, fchunk ;
static char *obuf ;
static size_t olen, ocap ;

static ssize_t fuzz_read (int fd, char *buf, size_t n)
{
  size_t k = flen - fpos ;
  FUZZ_ASSERT(fd == 0) ;
  if (k > n) k = n ;
  if (k > fchunk) k = fchunk ;
  memcpy(buf, fdata + fpos, k) ;
  fpos += k ;
  return (ssize_t)k ;
}

static ssize_t sink_write (int fd, struct iovec const *v, unsigned int n)
{
  ssize_t w = 0 ;
  (void)fd ;
  for (unsigned int i = 0 ; i < n ; i++)
  {
    if (!v[i].iov_len) continue ;
    if (olen + v[i].iov_len > ocap)
    {
      size_t c = (olen + v[i].iov_len) * 2 + 64 ;
      char *p = realloc(obuf, c) ;
      if (!p) abort() ;
      obuf = p ; ocap = c ;
    }
    memcpy(obuf + olen, v[i].iov_base, v[i].iov_len) ;
    olen += v[i].iov_len ; w += v[i].iov_len ;
  }
  return w ;
}

#include "svkit.h"   /* first: the macro below must not touch its prototype */
#define svk_read_stdin(b, n) fuzz_read(0, b, n)
#define main tai64nlocal_main
#include "../../src/tai64nlocal/tai64nlocal.c"
#undef main

FUZZ_DIE_HOOKS

int LLVMFuzzerInitialize (int *argc, char ***argv)
{
  (void)argc ; (void)argv ;
  setenv("TZ", "EST5EDT", 1) ;
  tzset() ;
  return 0 ;
}

static int isdig (char c) { return c >= '0' && c <= '9' ; }

int LLVMFuzzerTestOneInput (uint8_t const *data, size_t size)
{
  size_t nin = 0, nout = 0 ;
  int anyat = 0 ;
  if (!size) return 0 ;
  fchunk = 1 + data[0] % 64 ;
  fdata = data + 1 ; flen = size - 1 ; fpos = 0 ;
  olen = 0 ;
  if (!obuf) { ocap = 4096 ; obuf = malloc(ocap) ; if (!obuf) abort() ; }
  buffer_init(&out, &sink_write, 1, outbuf, sizeof outbuf) ;
  FUZZ_ASSERT(tai64nlocal_main() == 0) ;
  for (size_t i = 0 ; i < flen ; i++)
  {
    if (fdata[i] == '\n') nin++ ;
    if (fdata[i] == '@' && (!i || fdata[i - 1] == '\n')) anyat = 1 ;
  }
  for (size_t i = 0 ; i < olen ; i++) if (obuf[i] == '\n') nout++ ;
  FUZZ_ASSERT(nin == nout) ;
  if (!anyat) FUZZ_ASSERT(olen == flen && !memcmp(obuf, fdata, flen)) ;
  {
    /* line by line */
    char const *a = (char const *)fdata, *b = obuf ;
    size_t al = flen, bl = olen ;
    for (;;)
    {
      char const *an = memchr(a, '\n', al), *bn = memchr(b, '\n', bl) ;
      size_t la = an ? (size_t)(an - a) : al, lb = bn ? (size_t)(bn - b) : bl ;
      if (la && a[0] == '@' && !(lb && b[0] == '@'))
      {
        /* converted: label (25 bytes) replaced by the date, rest kept */
        size_t d = 1 ;
        FUZZ_ASSERT(la >= 25 && lb && (isdig(b[0]) || b[0] == '-')) ;
        while (d < lb && b[d] != ' ') d++ ;  /* [-]year-month-day */
        FUZZ_ASSERT(d >= 7) ;
        FUZZ_ASSERT(d + 19 <= lb) ;
        FUZZ_ASSERT(b[d - 3] == '-' && b[d - 6] == '-' && b[d + 3] == ':' && b[d + 6] == ':' && b[d + 9] == '.') ;
        FUZZ_ASSERT(lb - (d + 19) == la - 25 && !memcmp(b + d + 19, a + 25, la - 25)) ;
      }
      else FUZZ_ASSERT(la == lb && !memcmp(a, b, la)) ;
      if (!an) { FUZZ_ASSERT(!bn) ; break ; }
      FUZZ_ASSERT(bn) ;
      al -= la + 1 ; a = an + 1 ; bl -= lb + 1 ; b = bn + 1 ;
    }
  }
  return 0 ;
}
