/* ISC license. multilog: reads lines on stdin, writes them to actions.
   See doc/multilog.8.  Input is taken off a pipe only after the lines it
   holds are written (tee(2) to look, splice(2) to consume). */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
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

static char inbuf[ML_INBUF] ;
static size_t inlen, inpos ;  /* [0, inpos) processed, [inpos, inlen) not yet */
static int ispipe ;
static int privp[2] = { -1, -1 } ;
static int devnull = -1 ;
static size_t streammin = ML_INBUF ; /* pipe: stream a line without newline at this size */
static size_t known ;      /* pipe: bytes of a partial line left in the pipe */
static int ineof, inhup, midline, decided, stopping ;
static char stamp[SVK_ISO8601_FMT + 1] ;
static size_t stamplen ;
static int spfd = -1 ;
static int epfd = -1 ;     /* pipe: edge-triggered epoll, fires on every write */

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

/* One chunk of a line: the whole line if last, else a piece of a long one.
   Returns 0 if it could not be queued now (retry later, same chunk). */
static int emit (char const *s, size_t len, int last)
{
  int first = !midline ;
  size_t need = (first ? stamplen : 0) + len + !!last ;
  if (!decided)
  {
    if (first && !simple) decide(s, len, last) ;
    decided = 1 ;
  }
  for (unsigned int i = 0 ; i < ndirs ; i++)
  {
    ml_dir *d = dirs + i ;
    if (first)
    {
      if (d->sel && ld_logical(d) && ld_logical(d) + need > d->size) d->rotpending = 1 ;
      if (d->rotpending && !ld_rotate(d)) return 0 ;
    }
    if (d->sel && d->outlen + need > ML_OUTBUF && !ld_flush(d)) return 0 ;
  }
  for (unsigned int i = 0 ; i < ndirs ; i++)
  {
    ml_dir *d = dirs + i ;
    char *o ;
    if (!d->sel) continue ;
    if (!ld_logical(d)) svk_mono_now(&d->born) ;
    o = d->out + d->outlen ;
    if (first) { memcpy(o, stamp, stamplen) ; o += stamplen ; }
    memcpy(o, s, len) ; o += len ;
    if (last) *o++ = '\n' ;
    d->outlen = (size_t)(o - d->out) ;
    if (last && ld_logical(d) + 2000 >= d->size) d->rotpending = 1 ;
  }
  decided = 0 ;
  midline = !last ;
  return 1 ;
}

/* Processes what is in inbuf. 0 if blocked. */
static int process (void)
{
  for (;;)
  {
    char const *s = inbuf + inpos ;
    size_t avail = inlen - inpos, len, adv ;
    int last ;
    char const *nl ;
    if (stopping && !midline) break ;  /* the rest stays in the pipe, or is seeked back */
    if (!avail)
    {
      if (ineof && midline) { if (!emit("", 0, 1)) return 0 ; }
      break ;
    }
    nl = memchr(s, '\n', avail) ;
    if (nl) { len = (size_t)(nl - s) ; adv = len + 1 ; last = 1 ; }
    else if (ineof || inhup) { len = adv = avail ; last = 1 ; }
    else if (ispipe ? avail >= streammin : avail == ML_INBUF) { len = adv = avail ; last = 0 ; }
    else break ;
    if (!emit(s, len, last)) return 0 ;
    inpos += adv ;
  }
  return 1 ;
}

static void write_status (ml_status *st)
{
  int fd = open(st->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) ;
  if (fd < 0) { strerr_warnwusys("open ", st->tmp) ; return ; }
  if (allwrite(fd, st->buf, sizeof(st->buf)) < sizeof(st->buf))
    strerr_warnwusys("write ", st->tmp) ;
  else if (rename(st->tmp, st->name) < 0)
    strerr_warnwusys("rename ", st->tmp, " to ", st->name) ;
  close(fd) ;
  st->dirty = 0 ;
}

/* Consumes n bytes of the stdin pipe. */
static void consume (size_t n)
{
  while (n)
  {
    ssize_t r = devnull >= 0 ? splice(0, 0, devnull, 0, n, 0) : -1 ;
    if (r < 0 && devnull >= 0 && errno != EINTR) { close(devnull) ; devnull = -1 ; }
    if (r < 0 && devnull < 0)
      r = read(0, inbuf, n < ML_INBUF ? n : ML_INBUF) ;
    if (r < 0 && errno == EINTR) continue ;
    if (r <= 0) strerr_diefusys(111, "consume standard input") ;
    n -= (size_t)r ;
  }
}

/* Everything processed goes to disk, then leaves the input. 0 if blocked. */
static int commit (void)
{
  for (unsigned int i = 0 ; i < ndirs ; i++)
    if (!ld_flush(dirs + i)) return 0 ;
  for (unsigned int i = 0 ; i < nstatuses ; i++)
    if (statuses[i].dirty) write_status(statuses + i) ;
  if (ispipe)
  {
    if (inpos) consume(inpos) ;
    if (inlen) known = inlen - inpos ;
    inlen = inpos = 0 ;
  }
  else if (inpos)
  {
    memmove(inbuf, inbuf + inpos, inlen - inpos) ;
    inlen -= inpos ;
    inpos = 0 ;
  }
  if (!midline)
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

/* Reads more input into inbuf. */
static void fill (void)
{
  ssize_t r ;
  if (ispipe)
  {
    r = tee(0, privp[1], ML_INBUF, SPLICE_F_NONBLOCK) ;
    if (r > 0)
    {
      size_t got = 0 ;
      while (got < (size_t)r)
      {
        ssize_t k = read(privp[0], inbuf + got, (size_t)r - got) ;
        if (k < 0 && errno == EINTR) continue ;
        if (k <= 0) strerr_diefusys(111, "read from private pipe") ;
        got += (size_t)k ;
      }
      inlen = got ;
      inpos = 0 ;
      if (got > known) { known = 0 ; setstamp() ; }
    }
  }
  else
  {
    r = read(0, inbuf + inlen, ML_INBUF - inlen) ;
    if (r > 0) { inlen += (size_t)r ; setstamp() ; }
  }
  if (!r) ineof = 1 ;
  else if (r < 0 && errno != EAGAIN && errno != EINTR)
    strerr_diefusys(111, "read standard input") ;
}

static void setup_input (void)
{
  struct stat st ;
  if (fstat(0, &st) < 0) strerr_diefusys(111, "stat standard input") ;
  if (!S_ISFIFO(st.st_mode)) return ;
  if (pipe2(privp, O_CLOEXEC | O_NONBLOCK) < 0) return ;
  {
    int cap = fcntl(0, F_GETPIPE_SZ) ;
    if (cap > 0 && cap < ML_INBUF) cap = fcntl(0, F_SETPIPE_SZ, ML_INBUF) > 0 ? fcntl(0, F_GETPIPE_SZ) : cap ;
    fcntl(privp[1], F_SETPIPE_SZ, ML_INBUF) ;
    if (cap > 0) streammin = (size_t)cap / 2 < ML_INBUF / 2 ? (size_t)cap / 2 : ML_INBUF / 2 ;
    if (streammin < 2 * ML_MATCHLEN) streammin = 2 * ML_MATCHLEN ;
    {
      int pcap = fcntl(privp[1], F_GETPIPE_SZ) ;
      if (pcap > 0 && (size_t)pcap < streammin) streammin = (size_t)pcap ;
    }
  }
  devnull = open("/dev/null", O_WRONLY | O_CLOEXEC) ;
  epfd = epoll_create1(EPOLL_CLOEXEC) ;
  if (epfd >= 0)
  {
    struct epoll_event ev = { .events = EPOLLIN | EPOLLET, .data = { .u32 = 0 } } ;
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, 0, &ev) < 0) { close(epfd) ; epfd = -1 ; }
  }
  ispipe = 1 ;
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

static void handle_signals (void)
{
  for (;;)
  {
    int sig = selfpipe_read() ;
    if (sig <= 0) { if (sig < 0) strerr_diefusys(111, "selfpipe_read") ; return ; }
    if (sig == SIGTERM) stopping = 1 ;
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

int main (int argc, char const *const *argv)
{
  unsigned int backoff = 0 ;
  PROG = "multilog" ;
  parse(argv + 1, argc > 0 ? (unsigned int)argc - 1 : 0) ;
  spfd = selfpipe_init() ;
  if (spfd < 0) strerr_diefusys(111, "create selfpipe") ;
  {
    sigset_t set ;
    sigemptyset(&set) ;
    sigaddset(&set, SIGTERM) ; sigaddset(&set, SIGALRM) ; sigaddset(&set, SIGCHLD) ;
    if (selfpipe_trapset(&set) < 0) strerr_diefusys(111, "trap signals") ;
  }
  signal(SIGPIPE, SIG_IGN) ;
  for (unsigned int i = 0 ; i < nstatuses ; i++)
  {
    int fd = open(statuses[i].name, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644) ;
    if (fd < 0) strerr_diefusys(111, "open ", statuses[i].name) ;
    close(fd) ;
  }
  for (unsigned int i = 0 ; i < ndirs ; i++) ld_start(dirs + i) ;
  setup_input() ;

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
    ok = process() && commit() ;
    if (ok && !midline && (stopping || (ineof && inpos == inlen)))
    {
      int done = !busy() ;
      for (unsigned int i = 0 ; i < ndirs ; i++) if (!ld_final(dirs + i)) done = 0 ;
      if (done)
      {
        if (!ispipe && inlen > inpos) lseek(0, -(off_t)(inlen - inpos), SEEK_CUR) ;
        return 0 ;
      }
    }
    wantin = ok && !ineof && !(stopping && !midline) ;
    x[0].fd = spfd ; x[0].events = POLLIN ;
    x[1].fd = 0 ; x[1].events = 0 ;
    if (wantin)
    {
      nx = 2 ;
      x[1].events = POLLIN ;
      if (ispipe && known)
      {
        /* The pipe holds a partial line we have seen: POLLIN would fire at
           once.  Wait for the next write instead (edge-triggered epoll);
           the timer is a fallback for kernels without a wakeup per write. */
        int avail = 0 ;
        if (epfd >= 0)
        {
          struct epoll_event ev[4] ;
          while (epoll_wait(epfd, ev, 4, 0) > 0) ;
        }
        if (ioctl(0, FIONREAD, &avail) == 0 && (size_t)avail <= known)
        {
          x[1].events = 0 ;  /* still told about POLLHUP */
          if (epfd >= 0) { x[2].fd = epfd ; x[2].events = POLLIN ; nx = 3 ; }
          backoff = backoff ? (backoff < 100 ? backoff * 2 : 100) : (epfd >= 0 ? 100 : 1) ;
          mintimer(&timeout, backoff) ;
        }
        else backoff = 0 ;
      }
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
    if (ispipe && nx >= 2) inhup = !!(x[1].revents & POLLHUP) ;
    if (wantin && (x[1].revents & (POLLIN | POLLHUP | POLLERR))) fill() ;
    else if (wantin && inhup && known) fill() ;
  }
}
