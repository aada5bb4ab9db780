/* ISC license. supervise DIR: runs DIR/run, restarts it, obeys DIR/supervise/control. */

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <skalibs/strerr.h>
#include <skalibs/djbunix.h>
#include <skalibs/sig.h>
#include <skalibs/selfpipe.h>
#include <skalibs/iopause.h>
#include <skalibs/tai.h>
#include "supervise.h"

sv_t sv ;
static int spfd ;

/* Called with the lock held, so nothing here disturbs a live supervise.
   Whatever is not a FIFO (a planted symlink, a stray regular file, which
   would also be readable forever: a busy loop) is replaced by one. */
static void mkfifo0600 (char const *file)
{
  struct stat st ;
  if (!mkfifo(file, 0600)) goto fix ;
  if (errno != EEXIST) strerr_diefusys(111, "create ", sv.dir, "/", file) ;
  if (lstat(file, &st) < 0) strerr_diefusys(111, "stat ", sv.dir, "/", file) ;
  if (S_ISFIFO(st.st_mode))
  {
    if ((st.st_mode & 07777) == 0600) return ;
    goto fix ;
  }
  strerr_warnw("replacing ", sv.dir, "/", file, " (not a FIFO)") ;
  if (unlink(file) < 0 || mkfifo(file, 0600) < 0)
    strerr_diefusys(111, "create ", sv.dir, "/", file) ;
 fix:
  if (chmod(file, 0600) < 0) strerr_diefusys(111, "chmod ", sv.dir, "/", file) ;
}

static int open_fifo (char const *file, int flags)
{
  struct stat st ;
  int fd = open(file, flags | O_NONBLOCK | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW) ;
  if (fd < 0) strerr_diefusys(111, "open ", sv.dir, "/", file) ;
  if (fstat(fd, &st) < 0) strerr_diefusys(111, "stat ", sv.dir, "/", file) ;
  if (!S_ISFIFO(st.st_mode)) strerr_dief(111, sv.dir, "/", file, " is not a FIFO") ;
  return fd ;
}

static void take_lock (void)
{
  struct flock fl ;
  int fd = open("supervise/lock", O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW, 0600) ;
  if (fd < 0 && errno == ELOOP)
  {
    /* a planted symlink: never lock (or create) whatever it points to */
    strerr_warnw("replacing ", sv.dir, "/supervise/lock (a symlink)") ;
    if (unlink("supervise/lock") < 0) strerr_diefusys(111, "unlink ", sv.dir, "/supervise/lock") ;
    fd = open("supervise/lock", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW, 0600) ;
  }
  if (fd < 0) strerr_diefusys(111, "open ", sv.dir, "/supervise/lock") ;
  memset(&fl, 0, sizeof fl) ;
  fl.l_type = F_WRLCK ;
  fl.l_whence = SEEK_SET ;
  /* flock for daemontools and runit, a record lock for skalibs and s6-svok */
  if (flock(fd, LOCK_EX | LOCK_NB) < 0 || fcntl(fd, F_SETLK, &fl) < 0)
  {
    if (errno == EWOULDBLOCK || errno == EAGAIN || errno == EACCES)
      strerr_dief(111, "unable to lock ", sv.dir, "/supervise/lock", ": another supervise is running on it") ;
    strerr_diefusys(111, "lock ", sv.dir, "/supervise/lock") ;
  }
  fchmod(fd, 0600) ;
  sv.lockfd = fd ;
}

static void setup (void)
{
  struct stat st ;
  if (chdir(sv.dir) < 0) strerr_diefusys(111, "chdir to ", sv.dir) ;
  /* what xstatus records, so that only this directory's supervise of this
     boot adopts what it names (a copy of the directory gets another inode) */
  if (stat(".", &st) < 0) strerr_diefusys(111, "stat ", sv.dir) ;
  sv.st.dirdev = (uint64_t)st.st_dev ;
  sv.st.dirino = (uint64_t)st.st_ino ;
  if (svk_bootid(sv.st.bootid) < 0) strerr_warnwusys("read the boot id (nothing will be adopted)") ;
  /* 0700 whatever the umask, also for an existing supervise/ (or the
     directory a symlink points to) */
  if (mkdir("supervise", 0700) < 0)
  {
    if (errno != EEXIST) strerr_diefusys(111, "mkdir ", sv.dir, "/supervise") ;
    if (chmod("supervise", 0700) < 0) strerr_warnwusys("chmod ", sv.dir, "/supervise") ;
  }
  else if (chmod("supervise", 0700) < 0) strerr_diefusys(111, "chmod ", sv.dir, "/supervise") ;
  take_lock() ;
  mkfifo0600("supervise/control") ;
  mkfifo0600("supervise/ok") ;
  sv.ctlfd = open_fifo("supervise/control", O_RDONLY) ;
  sv.ctlwfd = open_fifo("supervise/control", O_WRONLY) ;
  /* Dispositions ignored by whoever started us would be inherited by run:
     back to default. */
  for (int i = 1 ; i < NSIG ; i++)
  {
    struct sigaction sa ;
    if (i == SIGKILL || i == SIGSTOP || sigaction(i, 0, &sa) < 0) continue ;
    if (sa.sa_handler == SIG_IGN) sig_restore(i) ;
  }
  spfd = selfpipe_init() ;
  if (spfd < 0) strerr_diefusys(111, "init selfpipe") ;
  /* Every signal that can be caught comes through the selfpipe, and those
     on_signals has no use for are dropped there: none stops or kills
     supervise, leaving its service unwatched (USR1, ALRM, QUIT, PIPE,
     TSTP, real-time signals...).  A real fault (SEGV from the kernel)
     still kills.  Trapped signals are blocked (signalfd) or handled, never
     ignored, so that run and finish get default dispositions with no
     work in the child but the empty mask it sets anyway. */
  {
    sigset_t set ;
    sigfillset(&set) ;
    if (!selfpipe_trapset(&set)) strerr_diefusys(111, "trap signals") ;
  }
}

static void reap (void)
{
  for (;;)
  {
    int wstat ;
    pid_t pid = wait_nohang(&wstat) ;
    if (pid <= 0) { tree_reaped(pid < 0 && errno == ECHILD) ; break ; }
    if (sv.pidfd >= 0 || (uint32_t)pid != sv.st.pid) continue ;
    if (sv.st.state == SVK_RUN) run_exited(wstat, 1) ;
    else if (sv.st.state == SVK_FINISH) finish_exited(wstat) ;
  }
}

static void on_signals (void)
{
  for (;;)
  {
    int sig = selfpipe_read() ;
    if (sig < 0) strerr_diefusys(111, "read selfpipe") ;
    if (!sig) break ;
    switch (sig)
    {
      case SIGCHLD : reap() ; break ;
      case SIGTERM :
      case SIGINT : ctl_byte('d') ; ctl_byte('x') ; break ;
      case SIGHUP : ctl_byte('x') ; break ;
      default : break ;   /* caught only so that it does no harm */
    }
  }
}

static tain const *earliest (void)
{
  tain const *d = &sv.startdl ;
  if (tain_less(&sv.killdl, d)) d = &sv.killdl ;
  if (tain_less(&sv.finishdl, d)) d = &sv.finishdl ;
  if (tain_less(tree_deadline(), d)) d = tree_deadline() ;
  return d ;
}

int main (int argc, char const *const *argv)
{
  PROG = "supervise" ;
  if (argc < 2 || !argv[1][0]) strerr_dieusage(100, "supervise dir") ;
  sv.dir = argv[1] ;
  sv.notiffd = sv.pidfd = -1 ;
  sv.startdl = sv.killdl = sv.finishdl = tain_infinite ;
  setup() ;
  tree_init() ;
  tain_now_set_stopwatch_g() ;
  tain_addsec(&sv.laststart, &STAMP, -1) ;
  sv.st.svpid = (uint32_t)getpid() ;
  sv.st.want = 'u' ;
  if (!state_adopt())
  {
    state_stamp() ;
    if (access("down", F_OK) == 0) sv.st.want = 'd' ;
    else if (errno != ENOENT) strerr_warnwusys("check ", sv.dir, "/down") ;
    if (sv.st.want == 'u') try_start() ;
  }
  else
  {
    sv.laststart = STAMP ;
    tree_adopt() ;
    if (sv.st.state == SVK_FINISH) finish_deadline() ;
  }
  state_write() ;
  sv.okfd = open_fifo("supervise/ok", O_RDONLY) ;

  for (;;)
  {
    iopause_fd x[4] ;
    unsigned int n = 2, ictl, inotif = 0, ipidfd = 0 ;
    svk_status before ;
    int r ;
    if ((sv.st.flags & SVK_F_EXIT) && sv.st.state == SVK_DOWN) break ;
    x[0].fd = spfd ; x[0].events = IOPAUSE_READ ;
    x[ictl = 1].fd = sv.ctlfd ; x[1].events = IOPAUSE_READ ;
    if (sv.notiffd >= 0) { x[inotif = n].fd = sv.notiffd ; x[n++].events = IOPAUSE_READ ; }
    if (sv.pidfd >= 0) { x[ipidfd = n].fd = sv.pidfd ; x[n++].events = IOPAUSE_READ ; }
    r = iopause_g(x, n, earliest()) ;
    if (r < 0)
    {
      if (errno == EINTR) continue ;
      strerr_diefusys(111, "iopause") ;
    }
    tain_now_g() ;
    memcpy(&before, &sv.st, sizeof before) ;
    if (x[0].revents & (IOPAUSE_READ | IOPAUSE_EXCEPT)) on_signals() ;
    if (ipidfd && sv.pidfd >= 0 && x[ipidfd].revents & (IOPAUSE_READ | IOPAUSE_EXCEPT))
    {
      if (sv.st.state == SVK_FINISH)
      {
        /* an adopted finish: its exit code is unknown, taken as 0 */
        fd_close(sv.pidfd) ;
        sv.pidfd = -1 ;
        finish_exited(0) ;
      }
      else run_exited(0, 0) ;
    }
    if (x[ictl].revents & (IOPAUSE_READ | IOPAUSE_EXCEPT)) ctl_read() ;
    if (inotif && sv.notiffd >= 0 && x[inotif].revents & (IOPAUSE_READ | IOPAUSE_EXCEPT)) notif_read() ;
    on_deadlines() ;
    /* down and staying down: connections are refused, not queued for a
       server that is not coming (doc/supervise.8) */
    if (listen_n && sv.st.state == SVK_DOWN && !want_run()) listen_close() ;
    if (memcmp(&before, &sv.st, sizeof before)) state_write() ;
  }
  listen_close() ;
  state_write() ;
  return 0 ;
}
