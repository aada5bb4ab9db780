/* ISC license. */

/* One line of a dotenv file: the subset that Node's dotenv, Docker's
   --env-file and systemd's EnvironmentFile= agree on (doc/envfile.8). */

#include <string.h>
#include <skalibs/stralloc.h>
#include "svkit.h"

static int isblank_ (char c) { return c == ' ' || c == '\t' ; }
static int keystart (char c) { return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ; }
static int keychar (char c) { return keystart(c) || (c >= '0' && c <= '9') ; }

/* After a closing quote: only blanks, then nothing or a comment. */
static int rest_ok (char const *s, size_t i, size_t len)
{
  while (i < len && isblank_(s[i])) i++ ;
  return i == len || s[i] == '#' ;
}

int svk_dotenv_line (stralloc *sa, char const *s, size_t len, char const **reason)
{
  size_t base = sa->len ;
  size_t i = 0, k ;
  if (len && s[len - 1] == '\r') len-- ;  /* a file written on Windows */
  if (memchr(s, 0, len)) { *reason = "NUL byte in line" ; return -1 ; }
  while (i < len && isblank_(s[i])) i++ ;
  if (i == len || s[i] == '#') return 0 ;
  if (len - i > 7 && !memcmp(s + i, "export", 6) && isblank_(s[i + 6]))
  {
    i += 7 ;
    while (i < len && isblank_(s[i])) i++ ;
  }
  k = i ;
  if (i == len || !keystart(s[i])) { *reason = "a variable name must start with a letter or _" ; return -1 ; }
  while (i < len && keychar(s[i])) i++ ;
  if (!stralloc_catb(sa, s + k, i - k) || !stralloc_catb(sa, "=", 1)) goto nomem ;
  while (i < len && isblank_(s[i])) i++ ;
  if (i == len || s[i] != '=')
  {
    sa->len = base ;
    *reason = i == len ? "no = after the variable name" : "invalid character in variable name" ;
    return -1 ;
  }
  i++ ;
  while (i < len && isblank_(s[i])) i++ ;
  if (i < len && s[i] == '\'')
  {
    char const *q = memchr(s + i + 1, '\'', len - i - 1) ;
    if (!q) { sa->len = base ; *reason = "unterminated single quote" ; return -1 ; }
    if (!stralloc_catb(sa, s + i + 1, q - s - i - 1)) goto nomem ;
    i = q - s + 1 ;
    if (!rest_ok(s, i, len)) { sa->len = base ; *reason = "text after the closing quote" ; return -1 ; }
  }
  else if (i < len && s[i] == '"')
  {
    for (i++ ;; i++)
    {
      char c ;
      if (i == len) { sa->len = base ; *reason = "unterminated double quote" ; return -1 ; }
      c = s[i] ;
      if (c == '"') break ;
      if (c == '\\' && i + 1 < len)
      {
        char d = s[i + 1] ;
        if (d == 'n') { c = '\n' ; i++ ; }
        else if (d == '"' || d == '\\') { c = d ; i++ ; }
        /* any other backslash is kept as it is */
      }
      if (!stralloc_catb(sa, &c, 1)) goto nomem ;
    }
    i++ ;
    if (!rest_ok(s, i, len)) { sa->len = base ; *reason = "text after the closing quote" ; return -1 ; }
  }
  else
  {
    /* unquoted: up to a '#' that follows a blank (a comment), blanks trimmed */
    size_t end = i ;
    while (end < len && !(s[end] == '#' && end > i && isblank_(s[end - 1]))) end++ ;
    while (end > i && isblank_(s[end - 1])) end-- ;
    if (!stralloc_catb(sa, s + i, end - i)) goto nomem ;
  }
  if (!stralloc_0(sa)) goto nomem ;
  return 1 ;
 nomem:
  sa->len = base ;
  *reason = 0 ;
  return -1 ;
}
