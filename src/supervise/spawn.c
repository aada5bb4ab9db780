/* ISC license. supervise: the mechanics of the lifecycle (lifecycle.c
   decides): starting run and finish, signals, deadlines. */

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <skalibs/types.h>
#include <skalibs/strerr.h>
#include <skalibs/djbunix.h>
#include <skalibs/tai.h>
#include "supervise.h"

extern char **environ ;

#define NOTIF_MAX 1023u
#define MS_MAX 86400000u   /* a day: larger timeouts are a typo */

static void warn_bad (char const *file, char const *what)
{
  int e = errno ;
  if (e == EINVAL || e == ERANGE)
    strerr_warnw("invalid ", file, " in ", sv.dir, ": ", what) ;
  else
  {
    errno = e ;
    strerr_warnwusys("read ", sv.dir, "/", file) ;
  }
}

/* A timeout file, in ms; the default when absent or bad. */
uint32_t read_ms (char const *file, uint32_t dflt)
{
  uint32_t n ;
  int r = svfile_read_uint(file, MS_MAX, &n) ;
  if (r > 0) return n ;
  if (r < 0) warn_bad(file, "using the default") ;
  return dflt ;
}

static void deadline_ms (tain *dl, uint32_t ms)
{
  tain d ;
  tain_from_millisecs(&d, (int)ms) ;
  tain_add_g(dl, &d) ;
}

static char const *reason (char const *file, int e)
{
  struct stat s ;
  if (e == EACCES && !stat(file, &s) && S_ISDIR(s.st_mode)) return "is a directory" ;
  if (e == ENOENT && !lstat(file, &s) && S_ISLNK(s.st_mode)) return "dangling symlink" ;
  if (e == ENOENT && !access(file, F_OK)) return "interpreter not found" ;
  return strerror(e) ;
}

/* vfork, as fast as posix_spawn and with no allocation (posix_spawn's file
   actions malloc): the child gets default dispositions (supervise ignores
   nothing: it traps every signal, see setup), a new session, the
   notification pipe as fd tofd (or, for run, the listen sockets as fds
   3..), an empty signal mask.  All of our own fds are close-on-exec.  The
   child reports an exec failure through shared memory, as glibc's
   posix_spawn. */
static char const *sp_file ;
static char *const *sp_argv ;
static char const *const *sp_envp ;
static int sp_from, sp_to, sp_listen ;
static volatile int sp_errno ;

/* withlisten: run, which gets the listen sockets as fds 3.. (listen.c) */
static pid_t spawn (char const *file, char *const *argv, char const *const *envp, int fromfd, int tofd, int withlisten)
{
  pid_t pid ;
  sp_file = file ; sp_argv = argv ; sp_envp = envp ; sp_from = fromfd ; sp_to = tofd ;
  sp_listen = withlisten ;
  sp_errno = 0 ;
  pid = vfork() ;
  if (pid < 0) return -1 ;
  if (!pid)
  {
    sigset_t set ;
    if (setsid() < 0
     || (sp_listen ? listen_child(sp_from, sp_to) < 0
                   : sp_from >= 0 && dup2(sp_from, sp_to) < 0)) { sp_errno = errno ; _exit(127) ; }
    sigemptyset(&set) ;
    sigprocmask(SIG_SETMASK, &set, 0) ;
    svk_sig_reset_reserved() ;
    execve(sp_file, sp_argv, (char *const *)sp_envp) ;
    sp_errno = errno ;
    _exit(127) ;
  }
  if (sp_errno)
  {
    int e = sp_errno ;
    waitpid(pid, 0, 0) ;
    errno = e ;
    return -1 ;
  }
  return pid ;
}

void notif_close (void)
{
  if (sv.notiffd >= 0) { fd_close(sv.notiffd) ; sv.notiffd = -1 ; }
}

void notif_read (void)
{
  char buf[64] ;
  ssize_t r = read(sv.notiffd, buf, sizeof buf) ;
  if (r < 0) { if (errno != EAGAIN && errno != EINTR) notif_close() ; return ; }
  if (!r) { notif_close() ; return ; }
  if (memchr(buf, '\n', (size_t)r))
  {
    svk_time_now(&sv.st.readystamp) ;
    sv.st.flags |= SVK_F_READY ;
    notif_close() ;
  }
}

/* Sets up the notification pipe; returns the write end, -1 for none, or
   -2 with errno set and *verb saying what failed (the file cannot be read,
   no pipe can be made): then the start is retried later rather than made
   without the readiness the service expects. */
static int notif_open (uint32_t *n, char const **verb)
{
  int p[2] ;
  int r = svfile_read_uint("notification-fd", NOTIF_MAX, n) ;
  if (!r) return -1 ;
  *verb = "read " ;
  if (r < 0 && errno != EINVAL && errno != ERANGE) return -2 ;
  if (r < 0 || *n < 3)
  {
    if (r > 0) errno = ERANGE ;
    warn_bad("notification-fd", "ignoring it (want a number from 3 to 1023)") ;
    return -1 ;
  }
  *verb = "create a pipe for " ;
  if (pipe2(p, O_CLOEXEC) < 0) return -2 ;
  if (p[1] == (int)*n)
  {
    /* dup2(fd, fd) would keep close-on-exec: move it out of the way */
    int fd = fcntl(p[1], F_DUPFD_CLOEXEC, (int)*n + 1) ;
    int e = errno ;
    fd_close(p[1]) ;
    if (fd < 0) { fd_close(p[0]) ; errno = e ; return -2 ; }
    p[1] = fd ;
  }
  ndelay_on(p[0]) ;
  sv.notiffd = p[0] ;
  return p[1] ;
}

/* A shortage of descriptors, memory or processes, or a run being written,
   passes by itself; anything else needs someone to fix it. */
static int temporary (int e)
{
  switch (e)
  {
    case EAGAIN : case EINTR : case EMFILE : case ENFILE : case ENOMEM :
    case ENOBUFS : case ETXTBSY : return 1 ;
    default : return 0 ;
  }
}

/* The failure of a start, on file (run, notification-fd or listen), for reason e.
   A temporary one: a warning and a retry in 1 s, every time.  A permanent
   one (EACCES, ENOENT, ELOOP...): one warning, a retry in 1 s (the file
   may be being written), then every SLOW ms without a word, until it
   works or the reason changes; svc -u retries at once. */
#define SLOW 10000u
static char const *failfile ;   /* the permanent failure last warned of */
static int failerr ;

static void start_failed (char const *verb, char const *file, int e, char const *why)
{
  static char const *const tail[2][2] =   /* [not run itself][permanent] */
  {
    { " (retrying in 1 second)", " (retrying in 1 second, then every 10 seconds, silently unless the reason changes)" },
    { " (run not started; retrying in 1 second)", " (run not started; retrying in 1 second, then every 10 seconds, silently unless the reason changes)" }
  } ;
  int perm = !temporary(e) ;
  uint32_t ms = 1000 ;
  if (perm && file == failfile && e == failerr) ms = SLOW ;
  else
  {
    strerr_warnw("unable to ", verb, sv.dir, "/", file, ": ", why, tail[file[0] != 'r'][perm]) ;
    failfile = perm ? file : 0 ;
    failerr = perm ? e : 0 ;
  }
  if (sv.st.want == 'u') deadline_ms(&sv.startdl, ms) ;
}

/* run, with the listen sockets when there are (envp on the stack: no
   allocation after start-up) */
static pid_t spawn_run (int wfd, uint32_t n)
{
  static char *const argv[2] = { "./run", 0 } ;
  if (!listen_n) return spawn("./run", argv, (char const *const *)environ, wfd, (int)n, 0) ;
  {
    char const *envp[listen_envlen() + 4] ;
    listen_env(envp) ;
    return spawn("./run", argv, envp, wfd, (int)n, 1) ;
  }
}

static void do_start (void)
{
  char const *verb = "" ;
  char const *why ;
  uint32_t n = 0 ;
  int wfd ;
  pid_t pid ;
  sv.startdl = tain_infinite ;
  sv.laststart = STAMP ;
  notif_close() ;
  if (listen_open(&why) < 0)
  {
    start_failed("use ", "listen", errno, why) ;
    return ;
  }
  wfd = notif_open(&n, &verb) ;
  if (wfd == -2)
  {
    int e = errno ;
    start_failed(verb, "notification-fd", e, strerror(e)) ;
    return ;
  }
  if (wfd >= 0 && n < 3 + listen_n)
  {
    /* the server would write its readiness into a listening socket */
    fd_close(wfd) ;
    notif_close() ;
    start_failed("use ", "notification-fd", EINVAL, "that fd is one of the listen sockets (fds 3 and up, one per line of listen)") ;
    return ;
  }
  pid = spawn_run(wfd, n) ;
  if (wfd >= 0) fd_close(wfd) ;
  if (pid < 0)
  {
    int e = errno ;
    notif_close() ;
    start_failed("spawn ", "run", e, reason("run", e)) ;
    return ;
  }
  failfile = 0 ;
  failerr = 0 ;
  sv.st.pid = (uint32_t)pid ;
  sv.st.state = SVK_RUN ;
  sv.st.starts++ ;
  sv.st.flags &= ~(SVK_F_READY | SVK_F_TERMSENT | SVK_F_PAUSED) ;
  state_stamp() ;
  if (svk_proc_starttime(pid, &sv.st.pidstart) <= 0) sv.st.pidstart = 0 ;
}

void try_start (void)
{
  tain next ;
  if (!may_start()) return ;
  tain_addsec(&next, &sv.laststart, 1) ;
  if (tain_less(&STAMP, &next)) sv.startdl = next ;
  else do_start() ;
}

static void fmt_int (char *s, int v)
{
  s[int_fmt(s, v)] = 0 ;
}

/* finish if there is one, else down (and up again if wanted) */
void run_finish (void)
{
  char code[INT_FMT] ;
  char sig[INT_FMT] ;
  char *argv[4] = { "./finish", code, sig, 0 } ;
  pid_t pid ;
  if (access("finish", X_OK) < 0) { go_down() ; return ; }
  fmt_int(code, sv.st.exitcode) ;
  fmt_int(sig, (int)sv.st.exitsig) ;
  pid = spawn("./finish", argv, (char const *const *)environ, -1, -1, 0) ;
  if (pid < 0)
  {
    strerr_warnw("unable to spawn ", sv.dir, "/finish", ": ", reason("finish", errno)) ;
    go_down() ;
    return ;
  }
  sv.st.pid = (uint32_t)pid ;
  sv.st.state = SVK_FINISH ;
  state_stamp() ;
  if (svk_proc_starttime(pid, &sv.st.pidstart) <= 0) sv.st.pidstart = 0 ;
  finish_deadline() ;
}

/* finish gets timeout-finish from now: from its start, or from its adoption
   by a supervise that replaced a SIGKILLed one */
void finish_deadline (void)
{
  uint32_t ms = read_ms("timeout-finish", 5000) ;
  sv.finishdl = tain_infinite ;
  if (ms) { sv.finishdl = STAMP ; deadline_ms(&sv.finishdl, ms) ; }
}

void send_sig (int sig)
{
  if (!sv.st.pid) return ;
  if (sv.pidfd >= 0) svk_pidfd_signal(sv.pidfd, sig) ;
  else kill((pid_t)sv.st.pid, sig) ;
}

int down_signal (void)
{
  int sig = SIGTERM ;
  int r = svfile_read_signal("down-signal", &sig) ;
  if (r < 0) { sig = SIGTERM ; warn_bad("down-signal", "using TERM") ; }
  return sig ;
}

void send_down (void)
{
  int sig = down_signal() ;
  uint32_t ms ;
  if (!(sv.st.flags & SVK_F_TERMSENT)) sv.st.killed = 0 ;
  tree_signal(sig) ;
  tree_signal(SIGCONT) ;
  sv.st.flags |= SVK_F_TERMSENT ;
  sv.st.flags &= ~SVK_F_PAUSED ;
  ms = read_ms("timeout-kill", 0) ;
  if (ms)
  {
    /* a repeated d must not postpone a KILL already due */
    tain dl = STAMP ;
    deadline_ms(&dl, ms) ;
    if (tain_less(&dl, &sv.killdl)) sv.killdl = dl ;
  }
}

void on_deadlines (void)
{
  tree_deadlines() ;
  if (!tain_less(&STAMP, &sv.killdl))
  {
    sv.killdl = tain_infinite ;
    if (sv.st.state == SVK_RUN) { send_sig(SIGKILL) ; sv.st.killed++ ; }
  }
  if (!tain_less(&STAMP, &sv.finishdl))
  {
    sv.finishdl = tain_infinite ;
    if (sv.st.state == SVK_FINISH)
    {
      strerr_warnw("timeout-finish expired in ", sv.dir, ": killing finish") ;
      send_sig(SIGKILL) ;
      sv.st.killed++ ;
    }
  }
  if (!tain_less(&STAMP, &sv.startdl))
  {
    sv.startdl = tain_infinite ;
    if (may_start()) do_start() ;
  }
}
