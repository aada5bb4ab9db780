/* ISC license. multilog: the script, its actions parsed from the command
   line, and daemontools' pattern matching.  See doc/multilog.8. */

#include <stdlib.h>
#include <string.h>
#include <skalibs/types.h>
#include <skalibs/strerr.h>
#include "multilog.h"

ml_script ml ;

static int scan_num (char const *s, uint64_t *n)
{
  size_t len = uint64_scan(s, n) ;
  return len && !s[len] ;
}

static void bad (char const *arg, char const *why)
{
  strerr_dief(100, "invalid action ", arg, ": ", why) ;
}

void ml_parse (char const *const *argv, unsigned int argc)
{
  uint64_t size = ML_SIZEDEF, maxtotal = 0, num = ML_NUMDEF, maxage = 0 ;
  char const *processor = 0 ;
  ml.actions = calloc(argc + 1, sizeof(ml_action)) ;
  ml.dirs = calloc(argc + 1, sizeof(ml_dir)) ;
  ml.statuses = calloc(argc + 1, sizeof(ml_status)) ;
  if (!ml.actions || !ml.dirs || !ml.statuses) strerr_diefusys(111, "allocate memory") ;
  ml.simple = 1 ;
  for (unsigned int i = 0 ; i < argc ; i++)
  {
    char const *a = argv[i] ;
    uint64_t n ;
    switch (a[0])
    {
      case 't' : case 'T' :
        if (a[1]) bad(a, "unknown action") ;
        if (i) bad(a, "a timestamp must be the first action") ;
        ml.stampmode = a[0] ;
        break ;
      case '+' : case '-' :
        ml.actions[ml.nactions].type = a[0] == '+' ? A_PLUS : A_MINUS ;
        ml.actions[ml.nactions++].arg = a + 1 ;
        ml.simple = 0 ;
        break ;
      case 'e' :
        if (a[1]) bad(a, "unknown action") ;
        ml.actions[ml.nactions++].type = A_ALERT ;
        ml.simple = 0 ;
        break ;
      case '=' :
      {
        size_t len = strlen(a + 1) ;
        ml_status *st = ml.statuses + ml.nstatuses ;
        if (!len) bad(a, "missing file name") ;
        st->name = a + 1 ;
        ml.actions[ml.nactions].type = A_STATUS ;
        ml.actions[ml.nactions++].idx = ml.nstatuses++ ;
        ml.simple = 0 ;
        break ;
      }
      case 's' :
        if (!scan_num(a + 1, &n)) bad(a, "size is not a number") ;
        size = n < ML_SIZEMIN ? ML_SIZEMIN : n ;
        break ;
      case 'n' :
        if (!scan_num(a + 1, &n)) bad(a, "count is not a number") ;
        if (n > 1000000) n = 1000000 ;
        num = n < ML_NUMMIN ? ML_NUMMIN : n ;
        break ;
      case 'S' :
        if (!scan_num(a + 1, &n)) bad(a, "size is not a number") ;
        maxtotal = n ;
        break ;
      case 'R' :
        if (!scan_num(a + 1, &n)) bad(a, "age is not a number") ;
        if (n > 0xffffffffu) n = 0xffffffffu ;
        maxage = n ;
        break ;
      case '!' :
        processor = a[1] ? a + 1 : 0 ;
        break ;
      case '.' : case '/' :
      {
        ml_dir *d = ml.dirs + ml.ndirs ;
        d->name = a ; d->size = size ; d->maxtotal = maxtotal ;
        d->num = (unsigned int)num ; d->maxage = (uint32_t)maxage ;
        d->processor = processor ;
        d->dfd = d->lockfd = d->curfd = -1 ;
        d->sel = 1 ;
        d->out = malloc(ML_OUTBUF) ;
        if (!d->out) strerr_diefusys(111, "allocate memory") ;
        ml.actions[ml.nactions].type = A_DIR ;
        ml.actions[ml.nactions++].idx = ml.ndirs++ ;
        break ;
      }
      default :
        bad(a, "unknown action") ;
    }
  }
}

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
