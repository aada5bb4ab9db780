/* ISC license. multilog internals: see doc/multilog.8. */

#ifndef MULTILOG_H
#define MULTILOG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <skalibs/tai.h>
#include <skalibs/iopause.h>
#include "svkit.h"

#define ML_INBUF (256 * 1024)       /* input window, and the longest chunk of a line */
#define ML_OUTBUF (2 * ML_INBUF)    /* pending output of one log directory */
#define ML_MATCHLEN 1000            /* patterns and =file see this much of a line */
#define ML_ALERTLEN 200             /* e prints this much of a line */
#define ML_RETRY_MS 50              /* retry after a write or rename error */
#define ML_PROCRETRY_MS 1000        /* rerun a failed processor after this */
#define ML_KICK (1u << 20)         /* start writeback every MiB */
#define ML_CUTMAX (ML_INBUF / 2)   /* a cut-short last line shorter than this is dropped at start */
#define ML_SIZEMIN 4096
#define ML_SIZEDEF 99999
#define ML_NUMDEF 10
#define ML_NUMMIN 2
#define ML_MODE_RUN 0644            /* current while multilog runs */
#define ML_MODE_CUT 01644           /* the same, its tail already taken off the pipe */
#define ML_MODE_DONE 0744           /* a finished file (daemontools' mark) */

enum ml_action_e { A_PLUS, A_MINUS, A_ALERT, A_STATUS, A_DIR } ;

typedef struct ml_action_s ml_action ;
struct ml_action_s
{
  unsigned int type ;
  char const *arg ;    /* pattern (after +/-) */
  unsigned int idx ;   /* index into dirs or statusfiles */
} ;

typedef struct ml_status_s ml_status ;
struct ml_status_s
{
  char const *name ;
  int dirty ;
  char buf[ML_MATCHLEN + 1] ;
} ;

enum ml_proc_e { P_NONE = 0, P_RUNNING, P_RETRY, P_FINISH } ;

typedef struct ml_dir_s ml_dir ;
struct ml_dir_s
{
  char const *name ;
  uint64_t size ;      /* s */
  uint64_t maxtotal ;  /* S, 0 = none */
  unsigned int num ;   /* n */
  uint32_t maxage ;    /* R seconds, 0 = none */
  char const *processor ;
  int dfd ;
  int lockfd ;
  int curfd ;          /* -1 when current must be (re)opened */
  uint64_t cursize ;   /* bytes of current on disk */
  uint64_t kicked ;    /* writeback started up to here */
  char *out ;
  size_t outpos, outlen ;
  int sel ;            /* the line in progress goes here */
  int rotpending ;
  int cut ;            /* current is marked ML_MODE_CUT */
  size_t taken ;       /* bytes of the chunk being emitted already queued here */
  int skipwarned ;     /* warned about an @ entry it cannot remove */
  int werr ;           /* in a write-error episode (warned) */
  unsigned int proc ;  /* enum ml_proc_e */
  pid_t pid ;
  tain retry_at ;      /* monotonic (STAMP) */
  tain born ;          /* monotonic (STAMP): first byte of current */
  svk_time last ;      /* last archive label used */
  int final ;
} ;

/* input.c */
extern char in_buf[ML_INBUF] ;
extern size_t in_len, in_pos ;  /* [0, in_pos) processed, [in_pos, in_len) not yet */
extern size_t in_known ;        /* pipe: bytes of a partial line left in the pipe */
extern size_t in_streammin ;    /* pipe: stream a line without newline at this size */
extern int in_pipe, in_seekable, in_eof, in_hup ;
extern void in_setup (void) ;
extern int in_fill (void) ;     /* 1 if new bytes came */
extern void in_consume (void) ; /* [0, in_pos) is written: let it go */
extern void in_unread (void) ;  /* a file: seek back to the first byte not processed */
extern int in_stuck (size_t seen) ;
extern unsigned int in_want (iopause_fd *, tain *deadline) ;
extern int in_ready (iopause_fd const *) ;

/* script.c: the actions, from the command line */
typedef struct ml_script_s ml_script ;
struct ml_script_s
{
  ml_action *actions ;
  unsigned int nactions ;
  ml_dir *dirs ;
  unsigned int ndirs ;
  ml_status *statuses ;
  unsigned int nstatuses ;
  int stampmode ;      /* 0, 't' or 'T' */
  int simple ;         /* only directories: every line goes everywhere */
} ;
extern ml_script ml ;
extern void ml_parse (char const *const *argv, unsigned int argc) ;
extern int ml_match (char const *pattern, char const *s, size_t len) ;

/* lines.c: the line engine */
extern int ml_midline, ml_stopping, ml_force ;
extern void ml_setstamp (void) ;  /* a new stamp for the lines just read */
extern int ml_process (void) ;    /* queue what is in in_buf; 0 if blocked */
extern int ml_commit (void) ;     /* write what is queued, then consume it; 0 if blocked */
extern void ml_stop (void) ;      /* TERM */

/* logdir.c */
extern int ml_retry ;  /* set when an operation failed and must be retried */
extern mode_t ml_umask ;  /* the processor's; multilog itself runs with umask 0 */
extern void ld_start (ml_dir *) ;
extern void ld_mark (ml_dir *, int cut) ;
extern int ld_flush (ml_dir *) ;
extern int ld_rotate (ml_dir *) ;
extern void ld_reap (ml_dir *, int wstat) ;
extern void ld_timers (ml_dir *) ;               /* what is due at STAMP */
extern void ld_deadline (ml_dir const *, tain *) ; /* lowers it to this directory's next timer */
extern int ld_final (ml_dir *) ;
static inline uint64_t ld_logical (ml_dir const *d) { return d->cursize + (d->outlen - d->outpos) ; }

#endif
