/* ISC license. Fuzz target: envfile's reading of a .env file, readfile()
   in src/envfile/envfile.c (included with its main renamed, fd_read
   redirected to the input), and svk_dotenv_line() in src/lib/dotenv.c.
   Input: first byte = read size 1..64, the rest is the file.
   Oracle: (1) the chunked reader gives what splitting the whole file at
   newlines and parsing line by line gives, or dies 100 exactly when some
   line is malformed or longer than MAXLINE; (2) each line: a variable has
   a valid name and its value re-encoded double-quoted (and single-quoted,
   and unquoted, where those can hold it) parses back to the same entry; a
   line that sets nothing is blank or a comment; a refused line leaves the
   buffer unchanged. */

#include <string.h>
#include <skalibs/stralloc.h>
#include "fuzz.h"
#include "svkit.h"

static uint8_t const *fdata ;
static size_t flen, fpos, fchunk ;

static ssize_t fuzz_read (int fd, char *buf, size_t n)
{
  size_t k = flen - fpos ;
  FUZZ_ASSERT(fd == 1000) ;
  if (k > n) k = n ;
  if (k > fchunk) k = fchunk ;
  memcpy(buf, fdata + fpos, k) ;
  fpos += k ;
  return (ssize_t)k ;
}

#define fd_read(fd, b, n) fuzz_read(fd, b, n)
#define main envfile_main
#include "../../src/envfile/envfile.c"
#undef main

FUZZ_DIE_HOOKS

static int keyok (char const *s, size_t n)
{
  if (!n || !(s[0] == '_' || (s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z'))) return 0 ;
  for (size_t i = 1 ; i < n ; i++)
    if (!(s[i] == '_' || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9'))) return 0 ;
  return 1 ;
}

/* line must parse to exactly entry (n bytes, NUL included) */
static void reparse (char const *line, size_t len, char const *entry, size_t n)
{
  stralloc sa = STRALLOC_ZERO ;
  char const *why ;
  FUZZ_ASSERT(svk_dotenv_line(&sa, line, len, &why) == 1) ;
  FUZZ_ASSERT(sa.len == n && !memcmp(sa.s, entry, n)) ;
  stralloc_free(&sa) ;
}

/* Parses one line on its own and checks it. 1 ok, 0 refused. */
static int checkline (stralloc *all, char const *s, size_t len)
{
  size_t base = all->len ;
  char const *why = "unset" ;
  int r = svk_dotenv_line(all, s, len, &why) ;
  if (r < 0) { FUZZ_ASSERT(all->len == base && why) ; return 0 ; }
  if (!r)
  {
    size_t i = 0 ;
    FUZZ_ASSERT(all->len == base) ;
    while (i < len && (s[i] == ' ' || s[i] == '\t')) i++ ;
    FUZZ_ASSERT(i == len || s[i] == '#' || (i == len - 1 && s[i] == '\r')) ;
    return 1 ;
  }
  {
    char const *e = all->s + base ;
    size_t n = all->len - base ;
    char const *eq = memchr(e, '=', n) ;
    size_t klen, vlen ;
    char const *v ;
    stralloc q = STRALLOC_ZERO ;
    FUZZ_ASSERT(eq && !e[n - 1]) ;
    klen = eq - e ; v = eq + 1 ; vlen = n - klen - 2 ;
    FUZZ_ASSERT(keyok(e, klen)) ;
    FUZZ_ASSERT(!memchr(v, 0, vlen)) ;
    /* double-quoted */
    if (!stralloc_catb(&q, e, klen) || !stralloc_cats(&q, "=\"")) abort() ;
    for (size_t i = 0 ; i < vlen ; i++)
    {
      if (v[i] == '\n') { if (!stralloc_cats(&q, "\\n")) abort() ; }
      else if (v[i] == '"' || v[i] == '\\') { char b[2] = { '\\', v[i] } ; if (!stralloc_catb(&q, b, 2)) abort() ; }
      else if (!stralloc_catb(&q, v + i, 1)) abort() ;
    }
    if (!stralloc_cats(&q, "\"")) abort() ;
    reparse(q.s, q.len, e, n) ;
    /* single-quoted, with export */
    if (!memchr(v, '\'', vlen) && !memchr(v, '\n', vlen) && !memchr(v, '\r', vlen))
    {
      q.len = 0 ;
      if (!stralloc_cats(&q, "export ") || !stralloc_catb(&q, e, klen) || !stralloc_cats(&q, " = '")
       || !stralloc_catb(&q, v, vlen) || !stralloc_cats(&q, "' # c")) abort() ;
      reparse(q.s, q.len, e, n) ;
    }
    /* unquoted */
    if (vlen && !memchr(v, '#', vlen) && !memchr(v, '\n', vlen) && !memchr(v, '\r', vlen)
     && v[0] != '"' && v[0] != '\'' && v[0] != ' ' && v[0] != '\t'
     && v[vlen - 1] != ' ' && v[vlen - 1] != '\t')
    {
      q.len = 0 ;
      if (!stralloc_catb(&q, e, klen) || !stralloc_cats(&q, "=") || !stralloc_catb(&q, v, vlen)) abort() ;
      reparse(q.s, q.len, e, n) ;
    }
    stralloc_free(&q) ;
  }
  return 1 ;
}

int LLVMFuzzerTestOneInput (uint8_t const *data, size_t size)
{
  static stralloc got = STRALLOC_ZERO, want = STRALLOC_ZERO ;  /* static: survive the longjmp */
  int wantdie = 0 ;
  got.len = want.len = 0 ;
  if (!size) return 0 ;
  fchunk = 1 + data[0] % 64 ;
  fdata = data + 1 ; flen = size - 1 ; fpos = 0 ;
  {
    /* expected: split whole, parse each line */
    char const *s = (char const *)fdata ;
    size_t i = 0 ;
    while (i < flen && !wantdie)
    {
      char const *nl = memchr(s + i, '\n', flen - i) ;
      size_t end = nl ? (size_t)(nl - s) : flen ;
      if (end - i > MAXLINE || !checkline(&want, s + i, end - i)) wantdie = 1 ;
      i = end + 1 ;
    }
  }
  fuzz_died = 0 ;
  fuzz_armed = 1 ;
  if (setjmp(fuzz_jb))
  {
    fuzz_armed = 0 ;
    FUZZ_ASSERT(fuzz_died == 100 && wantdie) ;
  }
  else
  {
    readfile(&got, 1000, "file") ;
    fuzz_armed = 0 ;
    FUZZ_ASSERT(!wantdie) ;
    FUZZ_ASSERT(got.len == want.len && (!got.len || !memcmp(got.s, want.s, got.len))) ;
  }
  return 0 ;
}
