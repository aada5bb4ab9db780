/* ISC license. svlogs: the parts shared by its files. */

#ifndef SVLOGS_H
#define SVLOGS_H

#include <stdint.h>
#include <sys/types.h>
#include <skalibs/stralloc.h>
#include "svkit.h"

/* A line longer than this is shown in pieces of this size. */
#define LINEMAX 65536

typedef struct slog_s slog ;
struct slog_s
{
  char const *dir ;   /* the log directory (holds current) */
  char const *name ;  /* the service's name, shown on each line */
  int fd ;            /* current, open for reading; -1 if none */
  int wd ;            /* inotify watch, -1 if none */
  dev_t dev ;         /* of the open current */
  ino_t ino ;
  svk_time opened ;   /* when current was opened: later archives are new */
  stralloc part ;     /* the start of a line not complete yet */
  unsigned int dirty : 1 ;   /* something may be there to read */
  unsigned int check : 1 ;   /* current may have been rotated */
  unsigned int queued : 1 ;  /* in the dirty list */
} ;

/* logdir.c: DIR as given -> the log directory and the name.  Returns 1,
   or 0 after a warning naming the problem (the DIR is skipped). */
extern int logdir_resolve (char const *arg, stralloc *dir, stralloc *name) ;

/* line.c: stamps and output */
/* The stamp at the start of s ("@" + 24 hex digits, or ISO 8601 UTC as
   multilog T writes it) and the space after it: returns its length and
   sets *t, or 0 if s starts with no stamp. */
extern size_t line_stamp (char const *s, size_t len, svk_time *t) ;
extern void line_setwidth (size_t namewidth) ;
/* Writes "local-time  name  text\n"; t 0: no stamp (blank time). */
extern void line_put (char const *name, svk_time const *t, char const *text, size_t len) ;
/* Splits a line at LINEMAX and gives each piece to line_put, the stamp
   taken out. */
extern void line_emit (char const *name, char const *s, size_t len) ;
extern void line_flush (void) ;

/* tail.c: the archives of dir ("@" + 24 hex + ".s" or ".u"), ARCHNAME
   bytes each, oldest first. */
#define ARCHNAME 27
extern void logdir_archives (char const *dir, stralloc *names) ;
/* the last n lines of every log, merged in time order; leaves each
   log's current open at the end of its last complete line (for -f). */
extern void tail_show (slog *logs, unsigned int nlogs, unsigned int n, int keepopen) ;

/* follow.c: never returns. */
extern void follow (slog *logs, unsigned int nlogs) ;

#endif
