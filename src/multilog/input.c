/* ISC license. multilog: standard input.  A pipe is looked at with tee(2)
   into a private pipe and consumed (splice(2) to /dev/null) only once the
   lines it holds are written; anything else is read. */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <skalibs/strerr.h>
#include "multilog.h"

char in_buf[ML_INBUF] ;
size_t in_len, in_pos ;
size_t in_known ;
size_t in_streammin = ML_INBUF ;
int in_pipe, in_seekable, in_eof, in_hup ;

static int privp[2] = { -1, -1 } ;
static int devnull = -1 ;
static int epfd = -1 ;     /* edge-triggered epoll on the pipe: fires on every write */
static unsigned int backoff ;

void in_setup (void)
{
  struct stat st ;
  if (fstat(0, &st) < 0) strerr_diefusys(111, "stat standard input") ;
  if (!S_ISFIFO(st.st_mode))
  {
    in_seekable = lseek(0, 0, SEEK_CUR) >= 0 ;
    return ;
  }
  if (pipe2(privp, O_CLOEXEC | O_NONBLOCK) < 0) return ;
  {
    int cap = fcntl(0, F_GETPIPE_SZ), pcap ;
    if (cap > 0 && cap < ML_INBUF) cap = fcntl(0, F_SETPIPE_SZ, ML_INBUF) > 0 ? fcntl(0, F_GETPIPE_SZ) : cap ;
    fcntl(privp[1], F_SETPIPE_SZ, ML_INBUF) ;
    if (cap > 0) in_streammin = (size_t)cap / 2 < ML_INBUF / 2 ? (size_t)cap / 2 : ML_INBUF / 2 ;
    if (in_streammin < 2 * ML_MATCHLEN) in_streammin = 2 * ML_MATCHLEN ;
    pcap = fcntl(privp[1], F_GETPIPE_SZ) ;
    if (pcap > 0 && (size_t)pcap < in_streammin) in_streammin = (size_t)pcap ;
  }
  devnull = open("/dev/null", O_WRONLY | O_CLOEXEC) ;
  epfd = epoll_create1(EPOLL_CLOEXEC) ;
  if (epfd >= 0)
  {
    struct epoll_event ev = { .events = EPOLLIN | EPOLLET, .data = { .u32 = 0 } } ;
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, 0, &ev) < 0) { close(epfd) ; epfd = -1 ; }
  }
  in_pipe = 1 ;
}

/* Moves n bytes from fd to /dev/null (or to nowhere, through in_buf's
   unused end when splice cannot do it). */
static void drop (int fd, size_t n, char const *what)
{
  while (n)
  {
    ssize_t r = devnull >= 0 ? splice(fd, 0, devnull, 0, n, 0) : -1 ;
    if (r < 0 && devnull >= 0 && errno != EINTR) { close(devnull) ; devnull = -1 ; }
    if (r < 0 && devnull < 0)
    {
      char junk[4096] ;
      r = read(fd, junk, n < sizeof(junk) ? n : sizeof(junk)) ;
    }
    if (r < 0 && errno == EINTR) continue ;
    if (r <= 0) strerr_diefusys(111, what) ;
    n -= (size_t)r ;
  }
}

int in_fill (void)
{
  ssize_t r ;
  int fresh = 0 ;
  if (in_pipe)
  {
    r = tee(0, privp[1], ML_INBUF, SPLICE_F_NONBLOCK) ;
    if (r > 0)
    {
      size_t got = 0 ;
      while (got < (size_t)r)
      {
        ssize_t k = read(privp[0], in_buf + got, (size_t)r - got) ;
        if (k < 0 && errno == EINTR) continue ;
        if (k <= 0) strerr_diefusys(111, "read from private pipe") ;
        got += (size_t)k ;
      }
      in_len = got ;
      in_pos = 0 ;
      if (got > in_known) { in_known = 0 ; fresh = 1 ; }
    }
  }
  else
  {
    r = read(0, in_buf + in_len, ML_INBUF - in_len) ;
    if (r > 0) { in_len += (size_t)r ; fresh = 1 ; }
  }
  if (!r) in_eof = 1 ;
  else if (r < 0 && errno != EAGAIN && errno != EINTR)
    strerr_diefusys(111, "read standard input") ;
  return fresh ;
}

void in_consume (void)
{
  if (in_pipe)
  {
    if (in_pos) drop(0, in_pos, "consume standard input") ;
    if (in_len) in_known = in_len - in_pos ;
    in_len = in_pos = 0 ;
  }
  else if (in_pos)
  {
    memmove(in_buf, in_buf + in_pos, in_len - in_pos) ;
    in_len -= in_pos ;
    in_pos = 0 ;
  }
}

void in_unread (void)
{
  if (!in_pipe && in_len > in_pos) lseek(0, -(off_t)(in_len - in_pos), SEEK_CUR) ;
}

/* The slow path, when a partial line (seen bytes) is all tee(2) shows:
   can it grow before some of it is consumed?  Not if the pipe is full
   (its writer waits for us: a few bytes per pipe buffer, as one-byte
   splices leave) or holds more than tee can show (a private pipe with
   fewer buffers).  The private pipe, made no larger than the pipe, is
   full after a tee of all of it exactly when the pipe is.
   1 stuck, 0 not, -1 more bytes came meanwhile (look again). */
int in_stuck (size_t seen)
{
  struct pollfd p = { .fd = privp[1], .events = POLLOUT, .revents = 0 } ;
  int cap = fcntl(0, F_GETPIPE_SZ), pcap = fcntl(privp[1], F_GETPIPE_SZ), n = 0, full ;
  ssize_t r ;
  if (cap > 0 && pcap > cap && fcntl(privp[1], F_SETPIPE_SZ, cap) > 0 && in_streammin > (size_t)cap)
    in_streammin = (size_t)cap ;
  r = tee(0, privp[1], ML_INBUF, SPLICE_F_NONBLOCK) ;
  if (r <= 0) return 0 ;
  full = poll(&p, 1, 0) == 0 ;
  drop(privp[0], (size_t)r, "read from private pipe") ;
  if ((size_t)r > seen) return -1 ;
  if (ioctl(0, FIONREAD, &n) < 0) n = 0 ;
  return full || (size_t)n > (size_t)r ;
}

/* Sets up x (at most 2) to wait for input; lowers *deadline to a timer
   if it needs one. */
unsigned int in_want (iopause_fd *x, tain *deadline)
{
  int avail = 0 ;
  tain t ;
  x[0].fd = 0 ; x[0].events = IOPAUSE_READ ;
  if (!in_pipe || !in_known) { backoff = 0 ; return 1 ; }
  /* The pipe holds a partial line we have seen: POLLIN would fire at once.
     Wait for the next write instead (edge-triggered epoll), unless the
     pipe cannot grow it; the timer is a fallback for kernels without a
     wakeup per write. */
  if (epfd >= 0)
  {
    struct epoll_event ev[4] ;
    while (epoll_wait(epfd, ev, 4, 0) > 0) ;
  }
  if (ioctl(0, FIONREAD, &avail) < 0 || (size_t)avail > in_known || in_stuck(in_known))
  {
    backoff = 0 ;
    return 1 ;
  }
  x[0].events = 0 ;  /* still told about POLLHUP */
  backoff = backoff ? (backoff < 100 ? backoff * 2 : 100) : (epfd >= 0 ? 100 : 1) ;
  tain_from_millisecs(&t, backoff) ;
  tain_add_g(&t, &t) ;
  if (tain_less(&t, deadline)) *deadline = t ;
  if (epfd < 0) return 1 ;
  x[1].fd = epfd ; x[1].events = IOPAUSE_READ ;
  return 2 ;
}

/* After iopause (poll: the raw revents): 1 if there is input to look at. */
int in_ready (iopause_fd const *x)
{
  if (in_pipe) in_hup = !!(x[0].revents & POLLHUP) ;
  return (x[0].revents & (POLLIN | POLLHUP | POLLERR)) || (in_hup && in_known) ;
}
