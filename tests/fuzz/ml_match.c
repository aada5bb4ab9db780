/* ISC license. Fuzz target: multilog's pattern matcher, ml_match().
   Input: PATTERN NUL LINE (no NUL: the whole input is the pattern, the
   line is empty).  Oracle: an independent index-based implementation of
   the documented semantics (doc/multilog.8). */

#include <string.h>
#include "fuzz.h"
#include "../../src/multilog/script.c"

static int ref (char const *p, size_t plen, char const *s, size_t len)
{
  size_t i = 0, j = 0 ;
  while (i < plen)
  {
    if (p[i] != '*')
    {
      if (j >= len || s[j] != p[i]) return 0 ;
      i++ ; j++ ;
      continue ;
    }
    if (i + 1 == plen) return 1 ;      /* trailing star: anything */
    /* inner star: skip to the first occurrence of the next pattern char */
    {
      char const *hit = j < len ? memchr(s + j, p[i + 1], len - j) : 0 ;
      if (!hit) return 0 ;
      j = (size_t)(hit - s) ;
      i++ ;
    }
  }
  return j == len ;
}

int LLVMFuzzerTestOneInput (uint8_t const *data, size_t size)
{
  uint8_t const *nul = memchr(data, 0, size) ;
  size_t plen = nul ? (size_t)(nul - data) : size ;
  size_t llen = nul ? size - plen - 1 : 0 ;
  char *pat = malloc(plen + 1) ;
  char *line = malloc(llen ? llen : 1) ;
  int got, want ;
  if (!pat || !line) abort() ;
  memcpy(pat, data, plen) ; pat[plen] = 0 ;
  if (llen) memcpy(line, nul + 1, llen) ;
  got = ml_match(pat, line, llen) ;
  want = ref(pat, plen, line, llen) ;
  FUZZ_ASSERT(got == want) ;
  /* a pattern without stars matches exactly itself */
  if (!memchr(pat, '*', plen)) FUZZ_ASSERT(got == (plen == llen && !memcmp(pat, line, llen))) ;
  /* "*" alone and the empty pattern */
  FUZZ_ASSERT(ml_match("*", line, llen)) ;
  FUZZ_ASSERT(ml_match("", line, llen) == !llen) ;
  free(pat) ; free(line) ;
  return 0 ;
}
