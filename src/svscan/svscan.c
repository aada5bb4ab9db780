/* ISC license. svscan [-t secs] [-k secs] [DIR]: one supervise per service
   directory in DIR, loggers connected through pipes svscan holds, instant
   pickup through inotify, a correct PID 1. See doc/svscan.8. */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <skalibs/djbunix.h>
#include <skalibs/iopause.h>
#include <skalibs/selfpipe.h>
#include <skalibs/sgetopt.h>
#include <skalibs/sig.h>
#include <skalibs/strerr.h>
#include <skalibs/stralloc.h>
#include <skalibs/types.h>
#include "svscan.h"

#define USAGE "svscan [ -t rescan-secs ] [ -k kill-secs ] [ dir ]"

char const *supervise_path = 0 ;
unsigned int killsecs = 10 ;
int shutting = 0 ;
int ifd = -1 ;
int dirwd = -1 ;
int ispid1 = 0 ;
int rescan_wanted = 0 ;
int proc_ok = 0 ;
struct rlimit nofile_orig ;

#define WATCH_DIR (IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

/* The supervise next to our own binary: a system daemontools may put
   another one first in PATH. */
static void find_supervise (char const *argv0)
{
  static stralloc sa = STRALLOC_ZERO ;
  char buf[PATH_MAX] ;
  ssize_t r = readlink("/proc/self/exe", buf, sizeof buf - 1) ;
  char const *base ;
  size_t dlen ;
  if (r > 0) { buf[r] = 0 ; base = buf ; }
  else base = argv0 ;
  {
    char const *slash = strrchr(base, '/') ;
    dlen = slash ? (size_t)(slash - base) : 0 ;
  }
  if (!(dlen ? stralloc_catb(&sa, base, dlen) : stralloc_cats(&sa, "."))
   || !stralloc_cats(&sa, "/supervise") || !stralloc_0(&sa))
    strerr_diefusys(111, "allocate memory") ;
  supervise_path = sa.s ;
  if (access(supervise_path, X_OK) < 0)
    strerr_warnwusys("find an executable ", supervise_path) ;
}

static void raise_nofile (void)
{
  struct rlimit r ;
  if (getrlimit(RLIMIT_NOFILE, &nofile_orig) < 0) { strerr_warnwusys("getrlimit") ; return ; }
  r = nofile_orig ;
  if (r.rlim_cur == r.rlim_max) return ;
  r.rlim_cur = r.rlim_max ;
  if (setrlimit(RLIMIT_NOFILE, &r) < 0)
  {
    /* an infinite hard limit is capped by fs.nr_open */
    r.rlim_cur = 1048576 ;
    if (r.rlim_cur < nofile_orig.rlim_cur || setrlimit(RLIMIT_NOFILE, &r) < 0)
      strerr_warnwusys("raise the open files limit") ;
  }
}

/* svscan reaches supervisors through /proc/PID/...; in a new pid
   namespace without its own /proc, those pids would name other processes. */
static void check_proc (void)
{
  char buf[32] ;
  pid_t p ;
  ssize_t r = readlink("/proc/self", buf, sizeof buf - 1) ;
  if (r > 0)
  {
    buf[r] = 0 ;
    if (pid_scan(buf, &p) && p == getpid()) { proc_ok = 1 ; return ; }
  }
  strerr_warnw("/proc is missing or belongs to another pid namespace (use unshare --mount-proc): supervisors get signals instead of control bytes, and services outlive a SIGKILLed supervise") ;
}

/* Which inotify events call for a scan. Events inside service
   directories only matter when they concern log/ or the directory
   itself; supervise creating supervise/ must not cost a scan. A batch
   that only adds names to DIR (a service renamed or created into it)
   looks at those names alone: pickup stays O(1) however many services
   there are. Returns 2 for a full scan, 1 if only *names need a look. */
static int read_inotify (stralloc *names)
{
  char buf[16384] __attribute__ ((aligned(__alignof__(struct inotify_event)))) ;
  int want = 0 ;
  for (;;)
  {
    ssize_t r = read(ifd, buf, sizeof buf) ;
    if (r < 0)
    {
      if (errno == EINTR) continue ;
      if (errno != EAGAIN) strerr_warnwusys("read inotify events") ;
      break ;
    }
    if (!r) break ;
    for (char *p = buf ; p < buf + r ;)
    {
      struct inotify_event const *ev = (struct inotify_event const *)p ;
      if (ev->mask & IN_Q_OVERFLOW) { want = 2 ; essential_rescan = 1 ; }
      else if (essential_event(ev->wd, ev->mask, ev->len ? ev->name : "")) ;
      else if (ev->wd == dirwd)
      {
        if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF))
        {
          strerr_warnw("the scan directory was removed or renamed") ;
          want = 2 ;
        }
        else if (!ev->len || ev->name[0] != '.')
        {
          if (ev->len && !(ev->mask & ~(IN_CREATE | IN_MOVED_TO | IN_ISDIR)) && want < 2)
          {
            if (stralloc_catb(names, ev->name, strlen(ev->name) + 1)) want = 1 ;
            else want = 2 ;
          }
          else want = 2 ;
        }
      }
      else if (scan_is_parentwatch(ev->wd)) want = 2 ;
      else if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF)) want = 2 ;
      else if (ev->len && !strcmp(ev->name, "log")) want = 2 ;
      else if (ev->len && !strcmp(ev->name, "essential")) { want = 2 ; essential_rescan = 1 ; }
      p += sizeof(struct inotify_event) + ev->len ;
    }
  }
  return want ;
}

int main (int argc, char const *const *argv)
{
  unsigned int tsecs = 60 ;
  int sfd ;
  int wantscan = 0, partial = 0 ;
  stralloc names = STRALLOC_ZERO ;
  tain nextscan ;
  tain scanretry = tain_infinite ;  /* a scan that could not read the directory */
  char const *argv0 = argv[0] ? argv[0] : "svscan" ;
  PROG = "svscan" ;
  {
    subgetopt l = SUBGETOPT_ZERO ;
    for (;;)
    {
      int opt = subgetopt_r(argc, argv, "t:k:", &l) ;
      if (opt == -1) break ;
      switch (opt)
      {
        case 't' : if (!uint0_scan(l.arg, &tsecs)) strerr_dieusage(100, USAGE) ; break ;
        case 'k' : if (!uint0_scan(l.arg, &killsecs)) strerr_dieusage(100, USAGE) ; break ;
        default : strerr_dieusage(100, USAGE) ;
      }
    }
    argc -= l.ind ; argv += l.ind ;
  }
  if (argc > 1) strerr_dieusage(100, USAGE) ;
  fd_sanitize() ;  /* 0, 1, 2 open, if only on /dev/null */
  find_supervise(argv0) ;
  if (argc && chdir(argv[0]) < 0) strerr_diefusys(111, "chdir to ", argv[0]) ;
  raise_nofile() ;
  check_proc() ;
  ispid1 = getpid() == 1 ;
  if (!ispid1 && svk_subreaper() < 0)
    strerr_warnwusys("become a child subreaper; orphans of services will not be reaped by svscan") ;
  {
    sigset_t set ;
    sigemptyset(&set) ;
    sigaddset(&set, SIGCHLD) ;
    sigaddset(&set, SIGTERM) ;
    sigaddset(&set, SIGINT) ;
    sigaddset(&set, SIGHUP) ;
    sigaddset(&set, SIGALRM) ;
    sfd = svk_sigtrap(&set) ;
    if (sfd < 0) strerr_diefusys(111, "trap signals") ;
  }
  sig_ignore(SIGPIPE) ;

  ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC) ;
  if (ifd < 0) strerr_warnwusys("use inotify; changes are seen by the periodic scan and on SIGALRM only") ;
  else
  {
    dirwd = inotify_add_watch(ifd, ".", WATCH_DIR) ;
    if (dirwd < 0)
    {
      strerr_warnwusys("watch the scan directory; changes are seen by the periodic scan and on SIGALRM only") ;
      fd_close(ifd) ; ifd = -1 ;
    }
  }

  tain_now_set_stopwatch_g() ;
  if (!scan()) tain_addsec_g(&scanretry, 1) ;
  tain_addsec_g(&nextscan, tsecs) ;

  for (;;)
  {
    iopause_fd x[2] ;
    tain deadline = tain_infinite ;
    unsigned int n = 1 ;
    int r ;
    services_run() ;
    if (shutting) { if (shutdown_step(&deadline)) break ; }
    else if (tsecs && tain_less(&nextscan, &deadline)) deadline = nextscan ;
    if (!shutting && tain_less(&scanretry, &deadline)) deadline = scanretry ;
    if (!shutting) essential_step(&deadline) ;
    if (services_timers(&deadline)) { tain_now_g() ; continue ; }
    if (rescan_wanted && !shutting) deadline = STAMP ;
    x[0].fd = sfd ; x[0].events = IOPAUSE_READ ;
    if (ifd >= 0) { x[1].fd = ifd ; x[1].events = IOPAUSE_READ ; n = 2 ; }
    r = iopause_g(x, n, &deadline) ;
    if (r < 0)
    {
      if (errno == EINTR) continue ;
      strerr_warnwusys("iopause") ;
      continue ;
    }
    if (x[0].revents & IOPAUSE_READ)
    {
      for (;;)
      {
        int sig = selfpipe_read() ;
        if (sig <= 0)
        {
          if (sig < 0) strerr_warnwusys("read the selfpipe") ;
          break ;
        }
        switch (sig)
        {
          case SIGCHLD : reap() ; break ;
          case SIGALRM : wantscan = 1 ; break ;
          case SIGHUP : wantscan = 1 ; essential_rescan = 1 ; scan_forget_warnings() ; services_retry() ; break ;
          case SIGTERM :
          case SIGINT : if (!shutting) shutdown_begin() ; break ;
          default : break ;
        }
      }
    }
    names.len = 0 ;
    if (n == 2 && x[1].revents & IOPAUSE_READ)
    {
      int what = read_inotify(&names) ;
      if (what == 2) wantscan = 1 ;
      else if (what == 1 && !wantscan) partial = 1 ;
    }
    if (rescan_wanted) wantscan = 1 ;
    if (tsecs && !tain_future(&nextscan)) wantscan = 1 ;
    if (!tain_future(&scanretry)) wantscan = 1 ;
    if (!shutting)
    {
      if (wantscan)
      {
        /* EMFILE and the like: try again in a second, not at the next
           periodic scan (which may be off) */
        scanretry = tain_infinite ;
        if (!scan()) tain_addsec_g(&scanretry, 1) ;
        tain_addsec_g(&nextscan, tsecs) ;
      }
      else if (partial) scan_names(names.s, names.len) ;
    }
    wantscan = partial = 0 ;
  }
  stralloc_free(&names) ;
  {
    int code = 0 ;
    essential_decided(&code) ;
    return code ;
  }
}
