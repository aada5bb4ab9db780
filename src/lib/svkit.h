/* ISC license. svkit's shared code: one header, one concern per .c file. */

#ifndef SVKIT_H
#define SVKIT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* ---- svktime.c: wall-clock time and TAI64N labels ------------------------
 * Labels follow daemontools and runit: seconds = 2^62 + 10 + Unix time, no
 * leap-second table (DESIGN.md "Time labels").  Never use skalibs' tain_now
 * or *_sysclock for a label that leaves the process. */

typedef struct svk_time_s svk_time ;
struct svk_time_s
{
  int64_t sec ;   /* Unix seconds */
  uint32_t nsec ; /* 0..999999999 */
} ;

#define SVK_TAI64N_PACK 12   /* binary label */
#define SVK_TAI64N_FMT 25    /* '@' + 24 lowercase hex digits */
#define SVK_ISO8601_FMT 30   /* 2026-11-21T05:16:02.790135941Z */

extern void svk_time_now (svk_time *) ;                     /* CLOCK_REALTIME */
extern void svk_mono_now (svk_time *) ;                     /* CLOCK_MONOTONIC */
extern int64_t svk_time_diff_ms (svk_time const *a, svk_time const *b) ; /* a - b */
extern void svk_tai64n_pack (char *out, svk_time const *) ;     /* 12 bytes */
extern void svk_tai64n_unpack (char const *in, svk_time *) ;
extern size_t svk_tai64n_fmt (char *out, svk_time const *) ;    /* 25 bytes, returns 25 */
/* Scans "@" + 24 hex digits at the start of s (len bytes available).
   Returns 25 on success, 0 if s does not start with a label. */
extern size_t svk_tai64n_scan (char const *s, size_t len, svk_time *) ;
extern size_t svk_iso8601_fmt (char *out, svk_time const *) ;  /* 30 bytes, UTC */

/* ---- status.c: supervise/status, supervise/xstatus, stat, pid ------------- */

enum svk_state_e { SVK_DOWN = 0, SVK_RUN = 1, SVK_FINISH = 2 } ;

#define SVK_F_PAUSED    0x01u  /* STOP sent, no CONT since */
#define SVK_F_TERMSENT  0x02u  /* down-signal sent to the current process */
#define SVK_F_READY     0x04u  /* service reported readiness (notification-fd) */
#define SVK_F_ONCE      0x08u  /* do not restart when it exits (svc -o / -O) */
#define SVK_F_EXIT      0x10u  /* supervise exits once the service is down (svc -x) */
#define SVK_F_NORMDOWN  0x20u  /* ./down exists */
#define SVK_F_GAVEUP    0x40u  /* finish exited 125: permanent failure */
#define SVK_F_EXITED    0x80u  /* exitcode/exitsig describe a real past exit */

typedef struct svk_status_s svk_status ;
struct svk_status_s
{
  svk_time stamp ;      /* last state change */
  svk_time readystamp ; /* valid if flags & SVK_F_READY */
  uint64_t pidstart ;   /* /proc/PID/stat starttime of pid (0 if unknown) */
  uint32_t pid ;        /* service (or finish) pid, 0 if none */
  uint32_t svpid ;      /* supervise's own pid */
  uint32_t starts ;     /* how many times run was started */
  int32_t exitcode ;    /* last exit code of run, -1 if killed by a signal */
  uint32_t exitsig ;    /* signal that killed it, 0 if none */
  uint32_t killed ;     /* processes supervise KILLed since the last stop began */
  uint8_t state ;       /* enum svk_state_e */
  char want ;           /* 'u' or 'd' */
  uint8_t flags ;       /* SVK_F_* */
  uint8_t version ;     /* of the xstatus record read; svk_xstatus_pack writes the current one */
  /* Where and when the record was written (0 in a version 1 record): */
  uint64_t dirdev ;     /* st_dev and st_ino of the service directory */
  uint64_t dirino ;
  unsigned char bootid[16] ; /* /proc/sys/kernel/random/boot_id */
} ;

#define SVK_STATUS_LEN 20      /* runit layout; daemontools reads the first 18 */
#define SVK_STATUS_DJB_LEN 18
#define SVK_XSTATUS_LEN 96     /* version 2, what supervise writes */
#define SVK_XSTATUS_VERSION 2
#define SVK_XSTATUS_V1_LEN 64  /* version 1, still read */
#define SVK_XSTATUS_LEN_OK(n) ((n) == SVK_XSTATUS_LEN || (n) == SVK_XSTATUS_V1_LEN)

extern void svk_status_pack (char *out, svk_status const *) ;  /* 20 bytes */
/* Decodes an 18-byte (daemontools) or 20-byte (runit, svkit) status.
   Returns 0, or -1 with errno EINVAL if the size or a field is wrong. */
extern int svk_status_unpack (svk_status *, char const *in, size_t len) ;
extern void svk_xstatus_pack (char *out, svk_status const *) ; /* SVK_XSTATUS_LEN bytes */
/* Decodes a version 2 record (96 bytes) or a version 1 one (64 bytes: no
   directory identity, no boot id).  Returns 0, or -1 with errno EINVAL. */
extern int svk_xstatus_unpack (svk_status *, char const *in, size_t len) ;
/* runit's text files.  stat: "run", "down" or "finish" + flags + "\n";
   pid: the pid and "\n", or nothing.  out must hold 64 bytes. */
extern char const *svk_state_name (unsigned int) ;  /* "down", "run", "finish" */
extern int svk_isup (svk_status const *) ;            /* state run, with a pid */
extern int svk_isready (svk_status const *, int notifies) ; /* the readiness rule of svc -wU and svstat */
extern size_t svk_statfile_fmt (char *out, svk_status const *) ;
extern size_t svk_pidfile_fmt (char *out, svk_status const *) ;

/* ---- control.c: control bytes --------------------------------------------- */

enum svk_ctl_e
{
  SVK_CTL_NONE = 0,   /* unknown byte: ignored */
  SVK_CTL_UP,         /* u */
  SVK_CTL_DOWN,       /* d */
  SVK_CTL_ONCE,       /* o */
  SVK_CTL_ONCEATMOST, /* O */
  SVK_CTL_EXIT,       /* x */
  SVK_CTL_RESTART,    /* r */
  SVK_CTL_PAUSE,      /* p: STOP */
  SVK_CTL_CONT,       /* c: CONT */
  SVK_CTL_SIGNAL      /* h a i t k q 1 2 y w b: send a signal */
} ;

/* Returns the action of control byte c; for SVK_CTL_SIGNAL, *sig is set. */
extern int svk_control_decode (char c, int *sig) ;
/* The svc option letter for a control byte is the byte itself. */
extern int svk_control_valid (char c) ;

/* ---- svfile.c: small files of a service directory ------------------------- */

/* Reads a decimal number (trailing whitespace allowed) from file.
   Returns 1 and sets *n, 0 if the file does not exist, -1 on error with errno:
   EINVAL garbage, ERANGE larger than max, or the system error. */
extern int svfile_read_uint (char const *file, uint32_t max, uint32_t *n) ;
/* Reads a signal name (TERM, SIGTERM, term) or number. Same returns. */
extern int svfile_read_signal (char const *file, int *sig) ;
/* Parses a signal name or number; 1 on success, 0 if unknown. */
extern int svk_signal_scan (char const *s, int *sig) ;
/* Reads up to max-1 bytes of file into buf, NUL-terminated, trailing
   whitespace removed. Returns length, or -1 (errno ENOENT if absent). */
extern ssize_t svfile_read_small (char const *file, char *buf, size_t max) ;

/* ---- procstat.c ------------------------------------------------------------ */

typedef struct svk_procinfo_s svk_procinfo ;
struct svk_procinfo_s
{
  pid_t pid ;
  pid_t ppid ;
  pid_t pgid ;
  pid_t sid ;
  uint64_t start ;   /* field 22 of /proc/PID/stat: clock ticks since boot */
  uint64_t cpu ;     /* fields 14+15, utime+stime of all its threads: clock ticks */
  uint64_t ccpu ;    /* fields 16+17: the same, of the children it waited for */
  uint64_t rss ;     /* field 24: resident pages */
  char state ;       /* R S D Z T ... */
} ;

/* starttime (field 22 of /proc/PID/stat). Returns 1, or 0 if no such process,
   or -1 on error. */
extern int svk_proc_starttime (pid_t, uint64_t *) ;
/* /proc/PID/stat. Same returns. */
extern int svk_proc_stat (pid_t, svk_procinfo *) ;
/* Calls f for each process of /proc (thread-group leaders, increasing pid
   order; processes gone meanwhile are skipped), until f returns non-zero.
   Returns 0, 1 if f stopped it, -1 (errno) if /proc cannot be read.  No
   allocation: 3 kB of stack. */
extern int svk_proc_each (int (*f) (svk_procinfo const *, void *), void *data) ;

/* ---- procchildren.c ---------------------------------------------------------- */

/* f(child, data) for each child (> 1) of pid, from /proc (Linux).  Returns
   how many, or -1 if /proc/PID/task/PID/children cannot be read. */
extern int svk_proc_children (pid_t pid, void (*f) (pid_t, void *), void *data) ;

/* ---- proctree.c: the processes of a service without cgroups --------------- */

/* Members of a tree: every live (not zombie) process below root, plus,
   if sid > 0, every process of session sid and every process below those.
   Feed svk_tree_visit the processes of /proc in increasing pid order; it
   returns 1 for a member not seen before.  Repeat the pass while
   svk_tree_more returns 1 (a member whose parent has a higher pid came
   before it).  set is the caller's room for cap pids; beyond cap, members
   are still reported but their own children are missed by this walk. */
typedef struct svk_tree_s svk_tree ;
struct svk_tree_s
{
  pid_t root ;
  pid_t sid ;
  pid_t *set ;
  size_t cap ;
  size_t n ;
  unsigned int added ;
  unsigned int again ;
  unsigned int full ;
} ;
extern void svk_tree_init (svk_tree *, pid_t root, pid_t sid, pid_t *set, size_t cap) ;
extern int svk_tree_visit (svk_tree *, svk_procinfo const *) ;
extern int svk_tree_more (svk_tree *) ;

/* ---- pidfd.c: Linux pidfds ------------------------------------------------- */

extern int svk_pidfd_open (pid_t) ;          /* the fd, or -1 (errno) */
extern int svk_pidfd_signal (int, int) ;     /* 0, or -1 (errno: ESRCH once it exited) */

/* ---- sigreserved.c --------------------------------------------------------- */

/* In a child about to exec: signals 32 and 33 (glibc's, out of reach of
   sigaction()) back to default, in case whoever started us ignored them. */
extern void svk_sig_reset_reserved (void) ;

/* ---- sigtrap.c ------------------------------------------------------------ */

#include <signal.h>
/* selfpipe_init + selfpipe_trapset(set): the fd to poll, or -1 */
extern int svk_sigtrap (sigset_t const *set) ;

/* ---- subreaper.c ----------------------------------------------------------- */

/* PR_SET_CHILD_SUBREAPER: orphans below us come back to us.  0 or -1 (errno). */
extern int svk_subreaper (void) ;

/* ---- bootid.c --------------------------------------------------------------- */

/* The 16 bytes of /proc/sys/kernel/random/boot_id (a UUID, new at each
   boot).  Returns 0, or -1 (errno set; out zeroed). */
extern int svk_bootid (unsigned char *out) ;

/* ---- svclient.c: what svc, svstat and svok read in DIR/supervise/ --------- */

/* Whoever owns DIR may plant anything in supervise/: these never follow a
   symlink there, never block, and refuse a file of the wrong type with
   SVK_BADTYPE. */
#define SVK_BADTYPE (-2)
#define SVK_NOTFIFO_OK "supervise/ok is not a FIFO"

/* dir/file (e.g. "supervise/control") opened for writing, non-blocking.
   Returns the fd, SVK_BADTYPE if it is not a FIFO (a symlink included),
   or -1 with errno (ENXIO: nobody reads it; ENOENT: absent). */
extern int svk_fifo_open (char const *dir, char const *file) ;
/* 1 if a supervise runs on dir (supervise/ok opens for writing without
   blocking), 0 if not (ENXIO, ENOENT), SVK_BADTYPE if ok is not a FIFO,
   -1 on another error (errno set). */
extern int svk_supervise_ok (char const *dir) ;
/* out = dir/file; out has room for strlen(dir) + strlen(file) + 2 */
extern void svk_mkpath (char *out, char const *dir, char const *file) ;
/* 1 if dir/file exists, or cannot be told not to (stat fails otherwise
   than with ENOENT); 0 if it is absent.  For down and notification-fd. */
extern int svk_dir_has (char const *dir, char const *file) ;

#define SVK_XSTATUS_FILE "supervise/xstatus"
#define SVK_STATUS_FILE "supervise/status"
enum svk_src_e { SVK_SRC_SVKIT = 1, SVK_SRC_RUNIT, SVK_SRC_DAEMONTOOLS } ;
enum svk_read_e { SVK_READ_SYSERR = -1, SVK_READ_BADSIZE = -2, SVK_READ_BADDATA = -3, SVK_READ_BADTYPE = -4 } ;
#define SVK_NOTREG "not a regular file"
typedef struct svk_statusread_s svk_statusread ;
struct svk_statusread_s
{
  char const *file ;   /* the file read last, relative to dir */
  size_t len ;         /* its size (at most the expected size + 1) */
  int source ;         /* enum svk_src_e, on success */
} ;
/* Reads dir/supervise/xstatus if it exists (svkit), else supervise/status
   (20 bytes: runit or svkit without xstatus; 18 bytes: daemontools), each
   only if it is a regular file (SVK_READ_BADTYPE: a symlink, a FIFO...),
   never more than its size + 1 bytes.  Returns 0, or an svk_read_e (errno
   set for SVK_READ_SYSERR). */
extern int svk_status_read (char const *dir, svk_status *, svk_statusread *) ;

/* ---- atomicfile.c ---------------------------------------------------------- */

/* file.new written with exactly mode, then renamed over file; never
   through a planted symlink or FIFO; file.new removed after an error.
   1, or 0 with errno set. */
extern int svk_atomic_write (char const *file, char const *s, size_t n, mode_t mode) ;

/* ---- chainexec.c: chain-loaders ------------------------------------------ */

/* Execs argv (PATH search), first applying modif (skalibs env modifications:
   "NAME=value\0" sets, "NAME\0" unsets; modiflen 0 = none).  Never returns:
   dies 111 "unable to run ARGV0" as daemontools' chain-loaders do. */
extern void svk_chain_exec (char const *const *argv, char const *modif, size_t modiflen) ;

/* ---- readwait.c ------------------------------------------------------------- */

/* For filters whose stdin or stdout may have been made non-blocking by
   another holder of the pipe.  svk_read_stdin: bytes read (0 at end of
   file), waiting when none are there yet; dies 111 with a message on an
   error.  svk_writev_wait: a buffer operation (instead of buffer_write)
   that waits until fd takes more. */
struct iovec ;
extern ssize_t svk_read_stdin (char *buf, size_t n) ;
extern ssize_t svk_writev_wait (int fd, struct iovec const *v, unsigned int n) ;

/* ---- account.c ------------------------------------------------------------- */

struct passwd ;
/* getpwnam, or die: 111 "unknown account X" / "unable to look up account X". */
extern struct passwd *svk_getpw_or_die (char const *account) ;

/* ---- dotenv.c: one line of a .env file (envfile) ------------------------ */

struct stralloc_s ;
/* s: one line without its newline (a final CR is ignored).  Returns 1 and
   appends "KEY=VALUE\0" to sa, 0 for a blank or comment line, or -1 with
   *reason set (a static string; 0 if out of memory) for a malformed line;
   on 0 and -1 sa is unchanged. */
extern int svk_dotenv_line (struct stralloc_s *sa, char const *s, size_t len, char const **reason) ;

/* ---- localfmt.c: local time for humans ----------------------------------- */

/* "YYYY-MM-DD HH:MM:SS" in local time, then '.' and digits (0..9) digits
   of the fraction if digits > 0.  out must hold 40 bytes.  Returns the
   length, or 0 if the time cannot be converted.  Caches the last second. */
extern size_t svk_localtime_fmt (char *out, svk_time const *, unsigned int digits) ;

/* ---- dirwatch.c: inotify on directories (Linux) ---------------------------- */

typedef struct svk_dirwatch_event_s svk_dirwatch_event ;
struct svk_dirwatch_event_s
{
  int wd ;
  char const *name ;   /* the entry, "" for the directory itself */
  int overflow ;       /* events were lost: look at everything */
  int gone ;           /* the directory was removed or moved */
  int renamed ;        /* an entry was created, moved or removed */
} ;
/* An inotify fd (close-on-exec, blocking), or -1 (errno). */
extern int svk_dirwatch_init (void) ;
/* Watches dir for writes to its files and entries created, moved or
   removed.  Returns the watch descriptor or -1 (errno). */
extern int svk_dirwatch_add (int fd, char const *dir) ;
/* One read of fd into buf (at least 4096 bytes), calling f for each event.
   Returns what read returned. */
extern ssize_t svk_dirwatch_read (int fd, char *buf, size_t len, void (*f) (svk_dirwatch_event const *, void *), void *data) ;

#endif
