/* ISC license. */

/* svstat -t: one row per DIR, columns aligned, for humans (what pm2 ls
   shows).  Durations and sizes are rounded for reading; -o, -j and -m give
   the exact values. */

#include <string.h>
#include <skalibs/types.h>
#include <skalibs/alloc.h>
#include <skalibs/strerr.h>
#include "svstat.h"

#define NCOLS 8
#define CELL 32

static char const *const heads[NCOLS] =
  { "NAME", "STATE", "PID", "UPTIME", "STARTS", "CPU", "MEM", "READY" } ;
static int const right[NCOLS] = { 0, 0, 1, 1, 1, 1, 1, 0 } ;

static size_t two (char *out, uint64_t n)
{
  out[0] = '0' + (char)(n / 10 % 10) ;
  out[1] = '0' + (char)(n % 10) ;
  return 2 ;
}

/* 45s, 12m03s, 3h04m, 5d03h; with ms, under a minute: 1.23s */
static void duration (char *out, uint64_t secs, uint64_t ms, int withms)
{
  size_t len ;
  if (secs < 60)
  {
    len = uint64_fmt(out, secs) ;
    if (withms) { out[len++] = '.' ; len += two(out + len, ms % 1000 / 10) ; }
    out[len++] = 's' ;
  }
  else
  {
    static uint64_t const unit[3] = { 60, 3600, 86400 } ;
    static char const big[3] = "mhd", small[3] = "smh" ;
    unsigned int i = secs < 3600 ? 0 : secs < 86400 ? 1 : 2 ;
    uint64_t sub = i ? unit[i - 1] : 1 ;
    len = uint64_fmt(out, secs / unit[i]) ;
    out[len++] = big[i] ;
    len += two(out + len, secs % unit[i] / sub) ;
    out[len++] = small[i] ;
  }
  out[len] = 0 ;
}

/* 512B, 812.0K, 45.2M, 1.3G */
static void size (char *out, uint64_t bytes)
{
  static char const units[] = "BKMGTPE" ;
  unsigned int i = 0 ;
  uint64_t whole = bytes, tenths = 0 ;
  size_t len ;
  while (whole >= 1024 && i < 6)
  {
    tenths = (whole % 1024) * 10 / 1024 ;
    whole /= 1024 ;
    i++ ;
  }
  len = uint64_fmt(out, whole) ;
  if (i) { out[len++] = '.' ; out[len++] = '0' + (char)tenths ; }
  out[len++] = units[i] ;
  out[len] = 0 ;
}

static char const *state (svstat const *s)
{
  if (s->error) return "error" ;
  if (!s->running) return "unsupervised" ;
  if (s->st.state == SVK_FINISH) return "finish" ;
  if (!svstat_isup(s)) return "down" ;
  return s->st.flags & SVK_F_PAUSED ? "paused" : "up" ;
}

typedef struct trow_s trow ;
struct trow_s
{
  char const *name ;  /* in the DIR argument, not NUL-terminated */
  size_t namelen ;
  char cell[NCOLS][CELL] ;  /* cell[0] unused */
} ;

static void row (svstat const *s, trow *r)
{
  char (*cell)[CELL] = r->cell ;
  int up = s->running && !s->error && svstat_isup(s) ;
  r->namelen = svstat_name(s->dir, &r->name) ;
  for (unsigned int i = 2 ; i < NCOLS ; i++) strcpy(cell[i], "-") ;
  strcpy(cell[1], state(s)) ;
  if (!s->running || s->error) return ;
  if (up)
  {
    uint64_t secs = svstat_secs(&s->now, &s->st.stamp) ;
    cell[2][uint32_fmt(cell[2], s->st.pid)] = 0 ;
    duration(cell[3], secs, 0, 0) ;
    strcpy(cell[7], svstat_isready(s) ? "yes" : "no") ;
  }
  if (s->source == SVK_SRC_SVKIT) cell[4][uint32_fmt(cell[4], s->st.starts)] = 0 ;
  if (s->hasres)
  {
    duration(cell[5], s->res.cpums / 1000, s->res.cpums, 1) ;
    size(cell[6], s->res.rss) ;
  }
}

static void pad (size_t n)
{
  static char const spaces[] = "                                " ;
  while (n)
  {
    size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1 ;
    svstat_putn(spaces, k) ;
    n -= k ;
  }
}

static void line (char const *const *cells, size_t const *lens, size_t const *width)
{
  for (unsigned int i = 0 ; i < NCOLS ; i++)
  {
    size_t fill = width[i] > lens[i] ? width[i] - lens[i] : 0 ;
    if (i) pad(2) ;
    if (right[i]) pad(fill) ;
    svstat_putn(cells[i], lens[i]) ;
    if (!right[i] && i + 1 < NCOLS) pad(fill) ;
  }
  svstat_putn("\n", 1) ;
}

void svstat_table (svstat const *all, size_t n)
{
  size_t width[NCOLS], lens[NCOLS] ;
  char const *cells[NCOLS] ;
  trow *tab = alloc((n ? n : 1) * sizeof *tab) ;
  if (!tab) strerr_diefusys(111, "allocate") ;
  for (unsigned int i = 0 ; i < NCOLS ; i++) lens[i] = width[i] = strlen(heads[i]) ;
  for (size_t k = 0 ; k < n ; k++)
  {
    row(all + k, tab + k) ;
    if (tab[k].namelen > width[0]) width[0] = tab[k].namelen ;
    for (unsigned int i = 1 ; i < NCOLS ; i++)
    {
      size_t len = strlen(tab[k].cell[i]) ;
      if (len > width[i]) width[i] = len ;
    }
  }
  line(heads, lens, width) ;
  for (size_t k = 0 ; k < n ; k++)
  {
    cells[0] = tab[k].name ; lens[0] = tab[k].namelen ;
    for (unsigned int i = 1 ; i < NCOLS ; i++)
    {
      cells[i] = tab[k].cell[i] ;
      lens[i] = strlen(cells[i]) ;
    }
    line(cells, lens, width) ;
  }
  alloc_free(tab) ;
}
