/* ISC license. Fuzz target: multilog's script parser (ml_parse()) and line
   selection (decide(): +, -, e, =, directories), from src/multilog/.
   Its sources are included (multilog.c with its main renamed), so that
   static functions are reachable; nothing in src/multilog/ is changed.
   Input: ACTION\nACTION\n... NUL LINE\nLINE\n...  (at most 64 actions).
   Oracle: ml_parse() either dies with exit 100 or yields well-formed tables;
   for every line, each directory's selection equals the one computed
   here independently from the actions before it. */

#include <string.h>
#include <skalibs/buffer.h>
#include "fuzz.h"

/* alert() writes to buffer_2: send it to a sink instead of stderr */
static char errsink[4096] ;
static ssize_t errsink_write (int fd, struct iovec const *v, unsigned int n)
{
  ssize_t w = 0 ;
  (void)fd ;
  for (unsigned int i = 0 ; i < n ; i++) w += v[i].iov_len ;
  return w ;
}
static buffer fuzz_err = BUFFER_INIT(&errsink_write, 2, errsink, sizeof errsink) ;
#undef buffer_2
#define buffer_2 (&fuzz_err)

#define main multilog_main
#include "../../src/multilog/logdir.c"
#include "../../src/multilog/script.c"
#include "../../src/multilog/input.c"
#include "../../src/multilog/lines.c"
#include "../../src/multilog/multilog.c"
#undef main

FUZZ_DIE_HOOKS

#define MAXARGS 64

static void reset (void)
{
  for (unsigned int i = 0 ; i < ml.ndirs ; i++) free(ml.dirs[i].out) ;
  free(ml.actions) ; free(ml.dirs) ; free(ml.statuses) ;
  ml.actions = 0 ; ml.dirs = 0 ; ml.statuses = 0 ;
  ml.nactions = ml.ndirs = ml.nstatuses = 0 ;
  ml.stampmode = 0 ; ml.simple = 0 ; stamplen = 0 ;
}

int LLVMFuzzerTestOneInput (uint8_t const *data, size_t size)
{
  uint8_t const *nul = memchr(data, 0, size) ;
  size_t slen = nul ? (size_t)(nul - data) : size ;
  char *script = malloc(slen + 1) ;
  char const *argv[MAXARGS + 1] ;
  unsigned int argc = 0 ;
  if (!script) abort() ;
  memcpy(script, data, slen) ; script[slen] = 0 ;
  for (char *p = script ; argc < MAXARGS ; )
  {
    char *nl = strchr(p, '\n') ;
    argv[argc++] = p ;
    if (!nl) break ;
    *nl = 0 ; p = nl + 1 ;
  }
  argv[argc] = 0 ;

  reset() ;
  fuzz_died = 0 ;
  fuzz_armed = 1 ;
  if (setjmp(fuzz_jb))
  {
    fuzz_armed = 0 ;
    FUZZ_ASSERT(fuzz_died == 100) ;
    reset() ; free(script) ;
    return 0 ;
  }
  ml_parse(argv, argc) ;
  fuzz_armed = 0 ;

  /* tables */
  FUZZ_ASSERT(ml.nactions <= argc && ml.ndirs <= argc && ml.nstatuses <= argc) ;
  for (unsigned int i = 0 ; i < ml.nactions ; i++)
  {
    ml_action const *a = ml.actions + i ;
    FUZZ_ASSERT(a->type <= A_DIR) ;
    if (a->type == A_DIR) FUZZ_ASSERT(a->idx < ml.ndirs) ;
    if (a->type == A_STATUS) FUZZ_ASSERT(a->idx < ml.nstatuses) ;
    if (a->type == A_PLUS || a->type == A_MINUS) FUZZ_ASSERT(a->arg != 0) ;
  }
  for (unsigned int i = 0 ; i < ml.ndirs ; i++)
  {
    FUZZ_ASSERT(ml.dirs[i].size >= ML_SIZEMIN) ;
    FUZZ_ASSERT(ml.dirs[i].num >= ML_NUMMIN && ml.dirs[i].num <= 1000000) ;
    FUZZ_ASSERT(ml.dirs[i].name[0] == '.' || ml.dirs[i].name[0] == '/') ;
  }
  for (unsigned int i = 0 ; i < ml.nstatuses ; i++)
  {
    FUZZ_ASSERT(ml.statuses[i].name[0]) ;
  }

  /* the timestamp as ml_setstamp() would put it */
  if (ml.stampmode == 't') { memcpy(stamp, "@400000006a4b1c2d0a0b0c0d ", 26) ; stamplen = 26 ; }
  else if (ml.stampmode == 'T') { memcpy(stamp, "2026-11-21T05:16:02.790135941Z ", 31) ; stamplen = 31 ; }
  else stamplen = 0 ;

  if (nul && !ml.simple)
  {
    char const *s = (char const *)nul + 1 ;
    size_t left = size - slen - 1 ;
    while (left)
    {
      char const *nl = memchr(s, '\n', left) ;
      size_t len = nl ? (size_t)(nl - s) : left ;
      char line[ML_MATCHLEN] ;
      size_t mlen ;
      int sel = 1 ;
      for (unsigned int i = 0 ; i < ml.ndirs ; i++) ml.dirs[i].sel = 2 ;
      decide(s, len, 1) ;
      /* what the matcher must have seen: stamp + line, cut at ML_MATCHLEN */
      memcpy(line, stamp, stamplen) ;
      mlen = len > ML_MATCHLEN - stamplen ? ML_MATCHLEN : stamplen + len ;
      memcpy(line + stamplen, s, mlen - stamplen) ;
      for (unsigned int i = 0 ; i < ml.nactions ; i++)
      {
        ml_action const *a = ml.actions + i ;
        if (a->type == A_PLUS && ml_match(a->arg, line, mlen)) sel = 1 ;
        else if (a->type == A_MINUS && ml_match(a->arg, line, mlen)) sel = 0 ;
        else if (a->type == A_DIR) FUZZ_ASSERT(ml.dirs[a->idx].sel == sel) ;
        else if (a->type == A_STATUS && sel)
        {
          ml_status const *st = ml.statuses + a->idx ;
          FUZZ_ASSERT(st->dirty && !memcmp(st->buf, line, mlen)) ;
          for (size_t k = mlen ; k < sizeof st->buf ; k++) FUZZ_ASSERT(st->buf[k] == '\n') ;
        }
      }
      for (unsigned int i = 0 ; i < ml.nstatuses ; i++) ml.statuses[i].dirty = 0 ;
      if (!nl) break ;
      left -= len + 1 ; s = nl + 1 ;
    }
  }
  reset() ;
  free(script) ;
  return 0 ;
}
