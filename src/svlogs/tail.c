/* ISC license. */

/* svlogs without -f's loop: the last n lines of each log (from current,
   then from the newest archives if current holds fewer), merged in time
   order. */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <skalibs/djbunix.h>
#include <skalibs/genalloc.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>
#include "svlogs.h"

typedef struct entry_s entry ;
struct entry_s
{
  svk_time t ;     /* the line's stamp, or the last one before it */
  uint32_t log ;
  uint32_t seq ;   /* order within its log */
  size_t off ;     /* the raw line in text */
  size_t len ;
} ;

static stralloc text = STRALLOC_ZERO ;
static genalloc entries = GENALLOC_ZERO ;  /* entry */

#define MAXFILES 1000  /* archives looked at per log */

static void dienomem (void)
{
  strerr_diefusys(111, "allocate memory") ;
}

static int isarchive (char const *s)
{
  if (strlen(s) != ARCHNAME || s[0] != '@' || s[25] != '.' || (s[26] != 's' && s[26] != 'u')) return 0 ;
  for (unsigned int i = 1 ; i < 25 ; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return 0 ;
  return 1 ;
}

static int cmpname (void const *a, void const *b)
{
  return memcmp(a, b, ARCHNAME) ;
}

void logdir_archives (char const *dir, stralloc *names)
{
  DIR *d = opendir(dir) ;
  names->len = 0 ;
  if (!d) return ;
  for (;;)
  {
    struct dirent *e ;
    errno = 0 ;
    e = readdir(d) ;
    if (!e) break ;
    if (isarchive(e->d_name) && !stralloc_catb(names, e->d_name, ARCHNAME)) dienomem() ;
  }
  closedir(d) ;
  if (names->len) qsort(names->s, names->len / ARCHNAME, ARCHNAME, &cmpname) ;
}

/* Appends to sa the last want lines of fd's bytes [0, end): at most
   (want + 1) * LINEMAX bytes, the first (cut) line dropped if the bound
   is reached.  Returns the number of lines, or -1 on a read error. */
static ssize_t backlines (int fd, uint64_t end, size_t want, stralloc *sa)
{
  static char buf[65536] ;
  uint64_t pos = end, start = 0 ;
  uint64_t cap = ((uint64_t)want + 1) * LINEMAX ;
  size_t count = 0, base = sa->len, lines = 0 ;
  int capped = 0 ;
  while (pos > 0)
  {
    size_t chunk = pos < sizeof buf ? pos : sizeof buf ;
    ssize_t r ;
    size_t i ;
    if (end - pos >= cap) { start = pos ; capped = 1 ; break ; }
    pos -= chunk ;
    r = pread(fd, buf, chunk, pos) ;
    if (r != (ssize_t)chunk) return -1 ;
    for (i = chunk ; i-- ;)
      if (buf[i] == '\n' && ++count > want) break ;
    if (count > want) { start = pos + i + 1 ; break ; }
  }
  if (!stralloc_readyplus(sa, end - start + 1)) dienomem() ;
  if (pread(fd, sa->s + base, end - start, start) != (ssize_t)(end - start)) return -1 ;
  sa->len = base + (end - start) ;
  if (capped)
  {
    char *nl = memchr(sa->s + base, '\n', sa->len - base) ;
    size_t skip = nl ? (size_t)(nl - sa->s - base) + 1 : sa->len - base ;
    memmove(sa->s + base, sa->s + base + skip, sa->len - base - skip) ;
    sa->len -= skip ;
  }
  if (sa->len > base && sa->s[sa->len - 1] != '\n') sa->s[sa->len++] = '\n' ;
  for (size_t i = base ; i < sa->len ; i++) if (sa->s[i] == '\n') lines++ ;
  return (ssize_t)lines ;
}

/* The end of the last complete line of current (looked for in its last
   LINEMAX bytes; the whole file if there is none). */
static uint64_t lastline (int fd, uint64_t size)
{
  static char buf[LINEMAX] ;
  size_t n = size < LINEMAX ? size : LINEMAX ;
  ssize_t r = pread(fd, buf, n, size - n) ;
  if (r != (ssize_t)n) return size ;
  for (size_t i = n ; i-- ;) if (buf[i] == '\n') return size - n + i + 1 ;
  return n < size ? size : 0 ;
}

static void collect (slog *l, uint32_t idx, size_t want, int keepopen)
{
  genalloc pieces = GENALLOC_ZERO ;  /* stralloc, newest first */
  stralloc names = STRALLOC_ZERO ;
  stralloc path = STRALLOC_ZERO ;
  size_t have = 0 ;
  uint32_t seq = 0 ;
  svk_time last = { 0, 0 } ;
  struct stat st ;
  int fd ;
  if (!stralloc_cats(&path, l->dir) || !stralloc_cats(&path, "/current") || !stralloc_0(&path)) dienomem() ;
  svk_time_now(&l->opened) ;
  fd = open(path.s, O_RDONLY | O_CLOEXEC | O_NONBLOCK) ;
  if (fd == -1 && errno != ENOENT) strerr_warnwusys("open ", path.s) ;
  if (fd >= 0 && (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)))
  {
    strerr_warnw("skipped ", path.s, ": not a regular file") ;
    fd_close(fd) ; fd = -1 ;
  }
  if (fd >= 0)
  {
    uint64_t end = lastline(fd, st.st_size) ;
    stralloc sa = STRALLOC_ZERO ;
    ssize_t r = backlines(fd, end, want, &sa) ;
    if (r < 0) strerr_warnwusys("read ", path.s) ;
    else have = r ;
    if (!genalloc_append(stralloc, &pieces, &sa)) dienomem() ;
    if (keepopen && lseek(fd, end, SEEK_SET) != -1)
    {
      l->fd = fd ; l->dev = st.st_dev ; l->ino = st.st_ino ;
    }
    else fd_close(fd) ;
  }
  if (have < want)
  {
    size_t na ;
    logdir_archives(l->dir, &names) ;
    na = names.len / ARCHNAME ;
    for (size_t j = 0 ; j < na && j < MAXFILES && have < want ; j++)
    {
      size_t i = na - 1 - j ;  /* newest first */
      stralloc sa = STRALLOC_ZERO ;
      ssize_t r ;
      path.len = 0 ;
      if (!stralloc_cats(&path, l->dir) || !stralloc_catb(&path, "/", 1)
       || !stralloc_catb(&path, names.s + i * ARCHNAME, ARCHNAME) || !stralloc_0(&path)) dienomem() ;
      fd = open(path.s, O_RDONLY | O_CLOEXEC | O_NONBLOCK) ;
      if (fd == -1) continue ;  /* removed by the logger meanwhile */
      if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) { fd_close(fd) ; continue ; }
      r = backlines(fd, st.st_size, want - have, &sa) ;
      fd_close(fd) ;
      if (r < 0) { strerr_warnwusys("read ", path.s) ; stralloc_free(&sa) ; continue ; }
      have += r ;
      if (!genalloc_append(stralloc, &pieces, &sa)) dienomem() ;
    }
  }
  for (size_t p = genalloc_len(stralloc, &pieces) ; p-- ;)
  {
    stralloc *sa = genalloc_s(stralloc, &pieces) + p ;
    size_t base = text.len, i = 0 ;
    if (!stralloc_catb(&text, sa->s, sa->len)) dienomem() ;
    while (i < sa->len)
    {
      char const *s = text.s + base + i ;
      size_t len = (char const *)memchr(s, '\n', sa->len - i) - s ;
      entry e ;
      svk_time t ;
      if (line_stamp(s, len, &t)) last = t ;
      e.t = last ; e.log = idx ; e.seq = seq++ ; e.off = base + i ; e.len = len ;
      if (!genalloc_append(entry, &entries, &e)) dienomem() ;
      i += len + 1 ;
    }
    stralloc_free(sa) ;
  }
  genalloc_free(stralloc, &pieces) ;
  stralloc_free(&names) ;
  stralloc_free(&path) ;
}

static int cmpentry (void const *a, void const *b)
{
  entry const *x = a, *y = b ;
  if (x->t.sec != y->t.sec) return x->t.sec < y->t.sec ? -1 : 1 ;
  if (x->t.nsec != y->t.nsec) return x->t.nsec < y->t.nsec ? -1 : 1 ;
  if (x->log != y->log) return x->log < y->log ? -1 : 1 ;
  return x->seq < y->seq ? -1 : x->seq > y->seq ;
}

void tail_show (slog *logs, unsigned int nlogs, unsigned int n, int keepopen)
{
  entry *e ;
  size_t ne ;
  for (unsigned int i = 0 ; i < nlogs ; i++)
  {
    size_t before = genalloc_len(entry, &entries) ;
    collect(logs + i, i, n, keepopen) ;
    /* the pieces may hold a few more lines than asked: keep the last n */
    ne = genalloc_len(entry, &entries) - before ;
    if (ne > n)
    {
      e = genalloc_s(entry, &entries) ;
      memmove(e + before, e + before + (ne - n), n * sizeof(entry)) ;
      genalloc_setlen(entry, &entries, before + n) ;
    }
  }
  e = genalloc_s(entry, &entries) ;
  ne = genalloc_len(entry, &entries) ;
  if (ne) qsort(e, ne, sizeof(entry), &cmpentry) ;
  for (size_t i = 0 ; i < ne ; i++) line_emit(logs[e[i].log].name, text.s + e[i].off, e[i].len) ;
  line_flush() ;
  genalloc_free(entry, &entries) ;
  stralloc_free(&text) ;
}
