/* ISC license. multilog: reads lines on stdin, writes them to actions.
   See doc/multilog.8.  Input is taken off a pipe only after the lines it
   holds are written (input.c). */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <skalibs/types.h>
#include <skalibs/buffer.h>
#include <skalibs/strerr.h>
#include <skalibs/djbunix.h>
#include <skalibs/selfpipe.h>
#include <skalibs/sig.h>
#include "multilog.h"

static ml_action *actions ;
static unsigned int nactions ;
static ml_dir *dirs ;
static unsigned int ndirs ;
static ml_status *statuses ;
static unsigned int nstatuses ;
static int stampmode ;     /* 0, 't' or 'T' */
static int simple ;        /* only directories: every line goes everywhere */

static int midline, decided, stopping ;
static int cutting ;       /* TERM: the line in progress ends with what is readable now */
static int force ;         /* take a partial line off a pipe that cannot show more */
static char stamp[SVK_ISO8601_FMT + 1] ;
static size_t stamplen ;
static int spfd = -1 ;

/* ---- script ----------------------------------------------------------- */

static int scan_num (char const *s, uint64_t *n)
{
  size_t len = uint64_scan(s, n) ;
  return len && !s[len] ;
}

static void bad (char const *arg, char const *why)
{
  strerr_dief(100, "invalid action ", arg, ": ", why) ;
}

static void parse (char const *const *argv, unsigned int argc)
{
  uint64_t size = ML_SIZEDEF, maxtotal = 0, num = ML_NUMDEF, maxage = 0 ;
  char const *processor = 0 ;
  actions = calloc(argc + 1, sizeof(ml_action)) ;
  dirs = calloc(argc + 1, sizeof(ml_dir)) ;
  statuses = calloc(argc + 1, sizeof(ml_status)) ;
  if (!actions || !dirs || !statuses) strerr_diefusys(111, "allocate memory") ;
  simple = 1 ;
  for (unsigned int i = 0 ; i < argc ; i++)
  {
    char const *a = argv[i] ;
    uint64_t n ;
    switch (a[0])
    {
      case 't' : case 'T' :
        if (a[1]) bad(a, "unknown action") ;
        if (i) bad(a, "a timestamp must be the first action") ;
        stampmode = a[0] ;
        break ;
      case '+' : case '-' :
        actions[nactions].type = a[0] == '+' ? A_PLUS : A_MINUS ;
        actions[nactions++].arg = a + 1 ;
        simple = 0 ;
        break ;
      case 'e' :
        if (a[1]) bad(a, "unknown action") ;
        actions[nactions++].type = A_ALERT ;
        simple = 0 ;
        break ;
      case '=' :
      {
        size_t len = strlen(a + 1) ;
        ml_status *st = statuses + nstatuses ;
        if (!len) bad(a, "missing file name") ;
        st->name = a + 1 ;
        st->tmp = malloc(len + 5) ;
        if (!st->tmp) strerr_diefusys(111, "allocate memory") ;
        memcpy(st->tmp, a + 1, len) ; memcpy(st->tmp + len, ".new", 5) ;
        actions[nactions].type = A_STATUS ;
        actions[nactions++].idx = nstatuses++ ;
        simple = 0 ;
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
        ml_dir *d = dirs + ndirs ;
        d->name = a ; d->size = size ; d->maxtotal = maxtotal ;
        d->num = (unsigned int)num ; d->maxage = (uint32_t)maxage ;
        d->processor = processor ;
        d->dfd = d->lockfd = d->curfd = -1 ;
        d->sel = 1 ;
        d->out = malloc(ML_OUTBUF) ;
        if (!d->out) strerr_diefusys(111, "allocate memory") ;
        actions[nactions].type = A_DIR ;
        actions[nactions++].idx = ndirs++ ;
        break ;
      }
      default :
        bad(a, "unknown action") ;
    }
  }
}

/* ---- lines ------------------------------------------------------------- */

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
  for (unsigned int i = 0 ; i < nactions ; i++)
  {
    ml_action const *a = actions + i ;
    switch (a->type)
    {
      case A_PLUS : if (!sel && ml_match(a->arg, line, mlen)) sel = 1 ; break ;
      case A_MINUS : if (sel && ml_match(a->arg, line, mlen)) sel = 0 ; break ;
      case A_ALERT : if (sel) alert(line, mlen, longer) ; break ;
      case A_STATUS :
        if (sel)
        {
          ml_status *st = statuses + a->idx ;
          memcpy(st->buf, line, mlen) ;
          memset(st->buf + mlen, '\n', sizeof(st->buf) - mlen) ;
          st->dirty = 1 ;
        }
        break ;
      case A_DIR : dirs[a->idx].sel = sel ; break ;
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
  int first = !midline ;
  size_t head = first ? stamplen : 0 ;
  size_t total = head + len + !!last ;
  if (!decided)
  {
    if (first && !simple) decide(s, len, last) ;
    decided = 1 ;
  }
  for (unsigned int i = 0 ; i < ndirs ; i++)
  {
    ml_dir *d = dirs + i ;
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
      if (!used) svk_mono_now(&d->born) ;
      put(d, s, len, head, d->taken, n) ;
      d->taken += n ;
      if (used + n >= d->size) d->rotpending = 1 ;
    }
    if (last && ld_logical(d) + 2000 >= d->size) d->rotpending = 1 ;
  }
  for (unsigned int i = 0 ; i < ndirs ; i++) dirs[i].taken = 0 ;
  decided = 0 ;
  midline = !last ;
  return 1 ;
}

static int queued (void)
{
  for (unsigned int i = 0 ; i < ndirs ; i++) if (dirs[i].taken) return 1 ;
  return 0 ;
}

/* Processes what is in in_buf. 0 if blocked. */
static int process (void)
{
  for (;;)
  {
    char const *s = in_buf + in_pos ;
    size_t avail = in_len - in_pos, len, adv ;
    int last ;
    char const *nl ;
    /* the rest stays in the pipe, or is seeked back */
    if (stopping && !midline && !cutting && !queued()) break ;
    if (!avail)
    {
      if ((in_eof || cutting) && midline && !emit("", 0, 1)) return 0 ;
      cutting = 0 ;
      break ;
    }
    nl = memchr(s, '\n', avail) ;
    if (nl) { len = (size_t)(nl - s) ; adv = len + 1 ; last = 1 ; }
    else if (in_eof || in_hup || cutting) { len = adv = avail ; last = 1 ; }
    else if (force || (in_pipe ? avail >= in_streammin : avail == ML_INBUF)) { len = adv = avail ; last = 0 ; }
    else break ;
    if (!emit(s, len, last)) return 0 ;
    in_pos += adv ;
    if (last) cutting = 0 ;
  }
  return 1 ;
}

static void write_status (ml_status *st)
{
  int fd ;
  /* a fresh file: whatever was planted as file.new is replaced, never written through */
  unlink(st->tmp) ;
  fd = open(st->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644) ;
  if (fd < 0) { strerr_warnwusys("open ", st->tmp) ; return ; }
  if (allwrite(fd, st->buf, sizeof(st->buf)) < sizeof(st->buf))
    strerr_warnwusys("write ", st->tmp) ;
  else if (rename(st->tmp, st->name) < 0)
    strerr_warnwusys("rename ", st->tmp, " to ", st->name) ;
  close(fd) ;
  st->dirty = 0 ;
}

/* Everything processed goes to disk, then leaves the input. 0 if blocked. */
static int commit (void)
{
  for (unsigned int i = 0 ; i < ndirs ; i++)
    if (!ld_flush(dirs + i)) return 0 ;
  for (unsigned int i = 0 ; i < nstatuses ; i++)
    if (statuses[i].dirty) write_status(statuses + i) ;
  /* a piece of a line leaves the pipe: a successor must keep it */
  for (unsigned int i = 0 ; i < ndirs ; i++) ld_mark(dirs + i, midline && dirs[i].sel) ;
  in_consume() ;
  for (unsigned int i = 0 ; i < ndirs ; i++)
    if (!ld_rotate(dirs + i)) return 0 ;
  return 1 ;
}

static void setstamp (void)
{
  svk_time now ;
  if (!stampmode) return ;
  svk_time_now(&now) ;
  stamplen = stampmode == 't' ? tai64n_fmt(stamp, &now) : iso8601_fmt(stamp, &now) ;
  stamp[stamplen++] = ' ' ;
}

/* ---- main loop ---------------------------------------------------------- */

static void reap (void)
{
  int wstat ;
  pid_t pid ;
  while ((pid = wait_nohang(&wstat)) > 0)
    for (unsigned int i = 0 ; i < ndirs ; i++)
      if (dirs[i].pid == pid && dirs[i].proc == P_RUNNING) ld_reap(dirs + i, wstat) ;
}

/* TERM: a line in progress (or a partial line alone in the pipe) ends
   with what is readable now, the rest of the input stays where it is.
   What was read from neither a pipe nor a file would be lost: it is all
   written, as at the end of input. */
static void stop (void)
{
  if (stopping || in_eof) return ;
  if (!in_pipe && !in_seekable) { in_eof = 1 ; return ; }
  stopping = 1 ;
  if (!in_pipe) return ;
  if (!in_len && in_fill()) setstamp() ;  /* in_len: processed, not yet consumed (a write failed) */
  if (midline || (in_len > in_pos && !memchr(in_buf + in_pos, '\n', in_len - in_pos))) cutting = 1 ;
}

static void handle_signals (void)
{
  for (;;)
  {
    int sig = selfpipe_read() ;
    if (sig <= 0) { if (sig < 0) strerr_diefusys(111, "selfpipe_read") ; return ; }
    if (sig == SIGTERM) stop() ;
    else if (sig == SIGALRM)
    {
      for (unsigned int i = 0 ; i < ndirs ; i++)
        if (ld_logical(dirs + i)) dirs[i].rotpending = 1 ;
    }
    else if (sig == SIGCHLD) reap() ;
  }
}

static int busy (void)
{
  for (unsigned int i = 0 ; i < ndirs ; i++) if (dirs[i].proc != P_NONE) return 1 ;
  return 0 ;
}

static void mintimer (int64_t *t, int64_t ms)
{
  if (ms < 0) ms = 0 ;
  if (*t < 0 || ms < *t) *t = ms ;
}

/* A status file: never block on a FIFO planted under its name. */
static void status_start (char const *name)
{
  struct stat st ;
  int fd = open(name, O_WRONLY | O_CREAT | O_APPEND | O_NONBLOCK | O_CLOEXEC, 0644) ;
  if (fd < 0 && errno != ENXIO) strerr_diefusys(111, "open ", name) ;
  if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
    strerr_dief(111, "unable to open ", name, ": not a regular file") ;
  close(fd) ;
}

int main (int argc, char const *const *argv)
{
  PROG = "multilog" ;
  parse(argv + 1, argc > 0 ? (unsigned int)argc - 1 : 0) ;
  /* every file gets the mode documented for it, whatever the umask */
  ml_umask = umask(0) ;
  spfd = selfpipe_init() ;
  if (spfd < 0) strerr_diefusys(111, "create selfpipe") ;
  {
    sigset_t set ;
    sigemptyset(&set) ;
    sigaddset(&set, SIGTERM) ; sigaddset(&set, SIGALRM) ; sigaddset(&set, SIGCHLD) ;
    if (selfpipe_trapset(&set) < 0) strerr_diefusys(111, "trap signals") ;
  }
  signal(SIGPIPE, SIG_IGN) ;
  for (unsigned int i = 0 ; i < nstatuses ; i++) status_start(statuses[i].name) ;
  for (unsigned int i = 0 ; i < ndirs ; i++) ld_start(dirs + i) ;
  in_setup() ;

  for (;;)
  {
    struct pollfd x[3] ;
    unsigned int nx = 1 ;
    svk_time now ;
    int64_t timeout = -1 ;
    int ok, wantin ;
    /* before any input is processed: a TERM that came after the last poll
       still stops at the end of the line in progress */
    handle_signals() ;
    svk_mono_now(&now) ;
    for (unsigned int i = 0 ; i < ndirs ; i++) ld_timers(dirs + i, &now) ;
    ml_retry = 0 ;
    ok = process() ;
    /* nothing taken from a pipe that cannot show more: take what it shows */
    if (ok && in_pipe && !in_pos && in_len && !in_eof && !in_hup && !stopping && in_stuck(in_len) > 0)
    {
      force = 1 ;
      ok = process() ;
      force = 0 ;
    }
    ok = ok && commit() ;
    if (ok && !midline && (stopping || (in_eof && in_pos == in_len)))
    {
      int done = !busy() ;
      for (unsigned int i = 0 ; i < ndirs ; i++) if (!ld_final(dirs + i)) done = 0 ;
      if (done) { in_unread() ; return 0 ; }
    }
    wantin = ok && !in_eof && !(stopping && !midline) ;
    x[0].fd = spfd ; x[0].events = POLLIN ;
    if (wantin)
    {
      int64_t ms ;
      nx += in_want(x + 1, &ms) ;
      if (ms >= 0) mintimer(&timeout, ms) ;
    }
    if (ml_retry) mintimer(&timeout, ML_RETRY_MS) ;
    for (unsigned int i = 0 ; i < ndirs ; i++)
    {
      ml_dir *d = dirs + i ;
      if (d->proc == P_RETRY || d->proc == P_FINISH) mintimer(&timeout, svk_time_diff_ms(&d->retry_at, &now) + 1) ;
      if (d->maxage && ld_logical(d) && !d->rotpending) mintimer(&timeout, svk_time_diff_ms(&d->born, &now) + (int64_t)d->maxage * 1000 + 1) ;
    }
    if (poll(x, nx, timeout > 1000000 ? 1000000 : (int)timeout) < 0)
    {
      if (errno == EINTR) continue ;
      strerr_diefusys(111, "poll") ;
    }
    if (wantin && in_ready(x + 1) && in_fill()) setstamp() ;
  }
}
