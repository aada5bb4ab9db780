/* ISC license. multilog: daemontools pattern matching. */

#include "multilog.h"

/* A pattern is stars and non-stars.  A non-star matches itself; a star
   before the end matches any string not containing the next pattern
   character (the shortest such string is taken, there is no backtracking);
   a star at the end matches anything. */
int ml_match (char const *p, char const *s, size_t len)
{
  for (;;)
  {
    char c = *p++ ;
    if (!c) return !len ;
    if (c == '*')
    {
      c = *p ;
      if (!c) return 1 ;
      while (len && *s != c) { s++ ; len-- ; }
      if (!len) return 0 ;
      continue ;
    }
    if (!len || *s != c) return 0 ;
    s++ ; len-- ;
  }
}
