/* ISC license. multilog: the line engine.  Each line read is matched
   against the script (selection, e, =), stamped, and queued for the log
   directories it goes to, cut at each directory's size; commit() writes
   what is queued and only then lets it leave the input.  See
   doc/multilog.8. */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <skalibs/buffer.h>
#include <skalibs/strerr.h>
#include <skalibs/djbunix.h>
#include "multilog.h"

int ml_midline ;           /* the line in progress is partly queued */
int ml_stopping ;          /* TERM: stop at the end of the line in progress */
int ml_force ;             /* take a partial line off a pipe that cannot show more */
static int decided ;       /* the line in progress has been matched */
static int cutting ;       /* TERM: the line in progress ends with what is readable now */
static char stamp[SVK_ISO8601_FMT + 1] ;
static size_t stamplen ;

static void alert (char const *s, size_t len, int longer)
{
  if (len > ML_ALERTLEN) { len = ML_ALERTLEN ; longer = 1 ; }
  buffer_put(buffer_2, s, len) ;
  if (longer) buffer_puts(buffer_2, "...") ;
  buffer_putflush(buffer_2, "\n", 1) ;
}

/* Selection, e and = for a line whose first chunk is s (len bytes). */
static void decide (char const *s, size_t len, int last)
{
  char line[ML_MATCHLEN] ;
  size_t mlen = stamplen ;
  int sel = 1 ;
  int longer = !last || stamplen + len > ML_MATCHLEN ;
  memcpy(line, stamp, stamplen) ;
  if (len > ML_MATCHLEN - mlen) len = ML_MATCHLEN - mlen ;
  memcpy(line + mlen, s, len) ;
  mlen += len ;
  for (unsigned int i = 0 ; i < ml.nactions ; i++)
  {
    ml_action const *a = ml.actions + i ;
    switch (a->type)
    {
      case A_PLUS : if (!sel && ml_match(a->arg, line, mlen)) sel = 1 ; break ;
      case A_MINUS : if (sel && ml_match(a->arg, line, mlen)) sel = 0 ; break ;
      case A_ALERT : if (sel) alert(line, mlen, longer) ; break ;
      case A_STATUS :
        if (sel)
        {
          ml_status *st = ml.statuses + a->idx ;
          memcpy(st->buf, line, mlen) ;
          memset(st->buf + mlen, '\n', sizeof(st->buf) - mlen) ;
          st->dirty = 1 ;
        }
        break ;
      case A_DIR : ml.dirs[a->idx].sel = sel ; break ;
    }
  }
}

/* Queues bytes [from, from + n) of a chunk: the stamp (head bytes, first
   chunk only), s, and the newline (last chunk only). */
static void put (ml_dir *d, char const *s, size_t len, size_t head, size_t from, size_t n)
{
  char *o = d->out + d->outlen ;
  d->outlen += n ;
  if (from < head)
  {
    size_t k = head - from < n ? head - from : n ;
    memcpy(o, stamp + from, k) ; o += k ; from += k ; n -= k ;
  }
  from -= head ;
  if (n && from < len)
  {
    size_t k = len - from < n ? len - from : n ;
    memcpy(o, s + from, k) ; o += k ; n -= k ;
  }
  if (n) *o = '\n' ;
}

/* One chunk of a line: the whole line if last, else a piece of a long one.
   No file grows beyond its s: a line that does not fit in what is left
   starts the next file, one longer than s (or arriving in pieces) is
   continued there.  Returns 0 if it could not be queued now (retry later,
   same chunk: d->taken says how much each directory has). */
static int emit (char const *s, size_t len, int last)
{
  int first = !ml_midline ;
  size_t head = first ? stamplen : 0 ;
  size_t total = head + len + !!last ;
  if (!decided)
  {
    if (first && !ml.simple) decide(s, len, last) ;
    decided = 1 ;
  }
  for (unsigned int i = 0 ; i < ml.ndirs ; i++)
  {
    ml_dir *d = ml.dirs + i ;
    if (!d->sel) continue ;
    if (first && last && !d->taken && !d->rotpending)
    {
      /* the common case, a whole line that fits: what the loop below
         would do, in one pass */
      uint64_t used = ld_logical(d) ;
      if (used && used + total <= d->size && d->outlen + total <= ML_OUTBUF)
      {
        char *o = d->out + d->outlen ;
        memcpy(o, stamp, head) ;
        memcpy(o + head, s, len) ;
        o[head + len] = '\n' ;
        d->outlen += total ;
        d->taken = total ;
        if (used + total + 2000 >= d->size) d->rotpending = 1 ;
        continue ;
      }
    }
    if (first && !d->taken && ld_logical(d) && ld_logical(d) + total > d->size) d->rotpending = 1 ;
    while (d->taken < total)
    {
      uint64_t used ;
      size_t n = total - d->taken ;
      if (d->rotpending && !ld_rotate(d)) return 0 ;
      used = ld_logical(d) ;
      if (used >= d->size) { d->rotpending = 1 ; continue ; }
      if (n > d->size - used) n = (size_t)(d->size - used) ;
      if (d->outlen + n > ML_OUTBUF && !ld_flush(d)) return 0 ;
      if (!used) d->born = STAMP ;
      put(d, s, len, head, d->taken, n) ;
      d->taken += n ;
      if (used + n >= d->size) d->rotpending = 1 ;
    }
    if (last && ld_logical(d) + 2000 >= d->size) d->rotpending = 1 ;
  }
  for (unsigned int i = 0 ; i < ml.ndirs ; i++) ml.dirs[i].taken = 0 ;
  decided = 0 ;
  ml_midline = !last ;
  return 1 ;
}

static int queued (void)
{
  for (unsigned int i = 0 ; i < ml.ndirs ; i++) if (ml.dirs[i].taken) return 1 ;
  return 0 ;
}

/* Processes what is in in_buf. 0 if blocked. */
int ml_process (void)
{
  for (;;)
  {
    char const *s = in_buf + in_pos ;
    size_t avail = in_len - in_pos, len, adv ;
    int last ;
    char const *nl ;
    /* the rest stays in the pipe, or is seeked back */
    if (ml_stopping && !ml_midline && !cutting && !queued()) break ;
    if (!avail)
    {
      if ((in_eof || cutting) && ml_midline && !emit("", 0, 1)) return 0 ;
      cutting = 0 ;
      break ;
    }
    nl = memchr(s, '\n', avail) ;
    if (nl) { len = (size_t)(nl - s) ; adv = len + 1 ; last = 1 ; }
    else if (in_eof || in_hup || cutting) { len = adv = avail ; last = 1 ; }
    else if (ml_force || (in_pipe ? avail >= in_streammin : avail == ML_INBUF)) { len = adv = avail ; last = 0 ; }
    else break ;
    if (!emit(s, len, last)) return 0 ;
    in_pos += adv ;
    if (last) cutting = 0 ;
  }
  return 1 ;
}

static void write_status (ml_status *st)
{
  if (!svk_atomic_write(st->name, st->buf, sizeof(st->buf), 0644))
    strerr_warnwusys("write ", st->name) ;
  st->dirty = 0 ;
}

/* Everything processed goes to disk, then leaves the input. 0 if blocked. */
int ml_commit (void)
{
  for (unsigned int i = 0 ; i < ml.ndirs ; i++)
    if (!ld_flush(ml.dirs + i)) return 0 ;
  for (unsigned int i = 0 ; i < ml.nstatuses ; i++)
    if (ml.statuses[i].dirty) write_status(ml.statuses + i) ;
  /* a piece of a line leaves the pipe: a successor must keep it */
  for (unsigned int i = 0 ; i < ml.ndirs ; i++) ld_mark(ml.dirs + i, ml_midline && ml.dirs[i].sel) ;
  in_consume() ;
  for (unsigned int i = 0 ; i < ml.ndirs ; i++)
    if (!ld_rotate(ml.dirs + i)) return 0 ;
  return 1 ;
}

void ml_setstamp (void)
{
  svk_time now ;
  if (!ml.stampmode) return ;
  svk_time_now(&now) ;
  stamplen = ml.stampmode == 't' ? svk_tai64n_fmt(stamp, &now) : svk_iso8601_fmt(stamp, &now) ;
  stamp[stamplen++] = ' ' ;
}

/* TERM: a line in progress (or a partial line alone in the pipe) ends
   with what is readable now, the rest of the input stays where it is.
   What was read from neither a pipe nor a file would be lost: it is all
   written, as at the end of input. */
void ml_stop (void)
{
  if (ml_stopping || in_eof) return ;
  if (!in_pipe && !in_seekable) { in_eof = 1 ; return ; }
  ml_stopping = 1 ;
  if (!in_pipe) return ;
  if (!in_len && in_fill()) ml_setstamp() ;  /* in_len: processed, not yet consumed (a write failed) */
  if (ml_midline || (in_len > in_pos && !memchr(in_buf + in_pos, '\n', in_len - in_pos))) cutting = 1 ;
}
