/* ISC license. */

/* svstat [-j | -o field,... | -t | -m] DIR...: the status of the supervise
   on each DIR.  Default output: daemontools' line, svkit's additions
   appended at the end. */

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <skalibs/types.h>
#include <skalibs/buffer.h>
#include <skalibs/sgetopt.h>
#include <skalibs/strerr.h>
#include <skalibs/genalloc.h>
#include "svstat.h"

#define USAGE "svstat [ -j | -o field,field,... | -t | -m ] dir..."
#define MAXFIELDS 64

static svstat_field const *fields[MAXFIELDS] ;
static unsigned int nfields = 0 ;
static int fieldsres = 0 ;
static char errbuf[256] ;

void svstat_putn (char const *s, size_t len)
{
  if (buffer_put(buffer_1, s, len) < 0) strerr_diefusys(111, "write to stdout") ;
}

void svstat_put (char const *s)
{
  svstat_putn(s, strlen(s)) ;
}

void svstat_putu64 (uint64_t n)
{
  char fmt[UINT64_FMT] ;
  svstat_putn(fmt, uint64_fmt(fmt, n)) ;
}

#define put svstat_put
#define putu64 svstat_putu64

static size_t errlen ;

static void erradd (char const *a)
{
  size_t len = strlen(a) ;
  if (len > sizeof(errbuf) - 1 - errlen) len = sizeof(errbuf) - 1 - errlen ;
  memcpy(errbuf + errlen, a, len) ;
  errlen += len ;
  errbuf[errlen] = 0 ;
}

static void seterr (char const *a, char const *b, char const *c)
{
  errlen = 0 ;
  erradd(a) ; erradd(b) ; erradd(c) ;
}

static void examine (svstat *s, char const *dir, int wantres)
{
  struct stat sb ;
  svk_statusread info ;
  memset(s, 0, sizeof *s) ;
  s->dir = dir ;
  if (stat(dir, &sb) < 0)
  {
    seterr("unable to stat directory: ", strerror(errno), "") ;
    s->error = errbuf ;
    return ;
  }
  if (!S_ISDIR(sb.st_mode))
  {
    s->error = "not a directory" ;
    return ;
  }
  switch (svk_supervise_ok(dir))
  {
    case 0 : return ;
    case 1 : s->running = 1 ; break ;
    case SVK_BADTYPE : s->error = SVK_NOTFIFO_OK ; return ;
    default :
      seterr("unable to open supervise/ok: ", strerror(errno), "") ;
      s->error = errbuf ;
      return ;
  }
  switch (svk_status_read(dir, &s->st, &info))
  {
    case 0 : break ;
    case SVK_READ_SYSERR :
      seterr("unable to read ", info.file, ": ") ;
      erradd(strerror(errno)) ;
      s->error = errbuf ;
      return ;
    case SVK_READ_BADTYPE :
      seterr("unable to read ", info.file, ": " SVK_NOTREG) ;
      s->error = errbuf ;
      return ;
    case SVK_READ_BADSIZE :
    {
      char fmt[SIZE_FMT] ;
      int x = !strcmp(info.file, SVK_XSTATUS_FILE) ;
      size_t want = x ? SVK_XSTATUS_LEN : SVK_STATUS_LEN ;
      seterr("bad format in ", info.file, ": ") ;
      if (info.len > want) erradd("file too long (more than ") ;
      else
      {
        erradd("wrong size (") ;
        fmt[size_fmt(fmt, info.len)] = 0 ;
        erradd(fmt) ;
        erradd(" bytes, expected ") ;
      }
      fmt[size_fmt(fmt, want)] = 0 ;
      erradd(fmt) ;
      erradd(x ? " bytes)" : " or 18 bytes)") ;
      s->error = errbuf ;
      return ;
    }
    default :
      seterr("bad format in ", info.file, ": invalid contents") ;
      s->error = errbuf ;
      return ;
  }
  s->source = info.source ;
  s->normallyup = !svk_dir_has(dir, "down") ;
  s->notifies = svk_dir_has(dir, "notification-fd") ;
  svk_time_now(&s->now) ;
  if (wantres) s->hasres = svstat_resources(s, &s->res) ;
}

/* daemontools' line, byte for byte, then svkit's additions. */
static void human (svstat const *s)
{
  svk_status const *st = &s->st ;
  char rawwant = st->flags & SVK_F_ONCE ? 0 : st->want ;
  put(s->dir) ; put(": ") ;
  if (s->error) { put(s->error) ; put("\n") ; return ; }
  if (!s->running) { put("supervise not running\n") ; return ; }
  if (st->pid) { put("up (pid ") ; putu64(st->pid) ; put(") ") ; }
  else put("down ") ;
  putu64(svstat_secs(&s->now, &st->stamp)) ;
  put(" seconds") ;
  if (st->pid && !s->normallyup) put(", normally down") ;
  if (!st->pid && s->normallyup) put(", normally up") ;
  if (st->pid && (st->flags & SVK_F_PAUSED)) put(", paused") ;
  if (!st->pid && rawwant == 'u') put(", want up") ;
  if (st->pid && rawwant == 'd') put(", want down") ;

  if (s->source == SVK_SRC_SVKIT && svstat_isup(s) && (st->flags & SVK_F_READY))
  {
    put(", ready ") ;
    putu64(svstat_secs(&s->now, &st->readystamp)) ;
    put(" seconds") ;
  }
  if (st->state == SVK_FINISH) put(", finishing") ;
  if (st->flags & SVK_F_ONCE) put(", once") ;
  if (st->flags & SVK_F_EXIT) put(", want exit") ;
  if (st->flags & SVK_F_GAVEUP) put(", gave up") ;
  if (s->source == SVK_SRC_SVKIT && (st->flags & SVK_F_EXITED) && st->state != SVK_RUN)
  {
    if (st->exitcode >= 0) { put(", exitcode ") ; putu64((uint64_t)st->exitcode) ; }
    else if (st->exitsig)
    {
      char sig[UINT32_FMT + 4] ;
      svstat_sigfmt(sig, st->exitsig) ;
      put(", signal ") ; put(sig) ;
    }
  }
  {
    char tree[SVSTAT_TREE_FMT] ;
    svstat_tree_fmt(s, tree) ;
    put(tree) ;
  }
  put("\n") ;
}

static void fieldline (svstat const *s)
{
  char val[72] ;
  if (s->error || !s->running)
  {
    strerr_warnw(s->dir, ": ", s->error ? s->error : "supervise not running") ;
    return ;
  }
  for (unsigned int i = 0 ; i < nfields ; i++)
  {
    if (i) put(" ") ;
    if (fields[i]->get(s, val)) put(val) ;
    else put(fields[i]->kind == SVSTAT_STR ? "NA" : "-1") ;
  }
  put("\n") ;
}

static void jstring (char const *s)
{
  static char const hex[] = "0123456789abcdef" ;
  put("\"") ;
  for (; *s ; s++)
  {
    unsigned char c = (unsigned char)*s ;
    char esc[7] = "\\u00" ;
    if (c == '"' || c == '\\') { esc[1] = (char)c ; esc[2] = 0 ; }
    else if (c < 0x20) { esc[4] = hex[c >> 4] ; esc[5] = hex[c & 15] ; esc[6] = 0 ; }
    else { esc[0] = (char)c ; esc[1] = 0 ; }
    put(esc) ;
  }
  put("\"") ;
}

static void jsonline (svstat const *s)
{
  char val[72] ;
  put("{\"dir\":") ; jstring(s->dir) ;
  if (s->error)
  {
    put(",\"running\":null,\"error\":") ; jstring(s->error) ; put("}\n") ;
    return ;
  }
  put(s->running ? ",\"running\":true" : ",\"running\":false") ;
  if (s->running)
    for (svstat_field const *f = svstat_fields ; f->name ; f++)
    {
      put(",\"") ; put(f->name) ; put("\":") ;
      if (!f->get(s, val)) put("null") ;
      else if (f->kind == SVSTAT_STR) jstring(val) ;
      else put(val) ;
    }
  put("}\n") ;
}

static void parsefields (char const *arg)
{
  while (*arg)
  {
    size_t len = strcspn(arg, ",") ;
    svstat_field const *f = svstat_field_find(arg, len) ;
    if (!f)
    {
      char name[len + 1] ;
      memcpy(name, arg, len) ; name[len] = 0 ;
      strerr_dief(100, "unknown field: ", name, " (see svstat(8))") ;
    }
    if (nfields >= MAXFIELDS) strerr_dief(100, "too many fields") ;
    fields[nfields++] = f ;
    if (f->proc) fieldsres = 1 ;
    arg += len ;
    if (*arg == ',') arg++ ;
  }
  if (!nfields) strerr_dieusage(100, USAGE) ;
}

int main (int argc, char const *const *argv)
{
  subgetopt l = SUBGETOPT_ZERO ;
  genalloc all = GENALLOC_ZERO ;  /* svstat, for -t and -m */
  int mode = 'h' ;
  int e = 0 ;
  PROG = "svstat" ;
  for (;;)
  {
    int opt = subgetopt_r(argc, argv, "jo:tm", &l) ;
    if (opt == -1) break ;
    switch (opt)
    {
      case 'j' : case 't' : case 'm' : mode = opt ; break ;
      case 'o' : mode = 'o' ; parsefields(l.arg) ; break ;
      default : strerr_dieusage(100, USAGE) ;
    }
  }
  argc -= l.ind ; argv += l.ind ;
  if (!argc) strerr_dieusage(100, USAGE) ;
  for (; *argv ; argv++)
  {
    svstat s ;
    examine(&s, *argv, mode != 'o' || fieldsres) ;
    if (s.error || (mode == 'o' && !s.running)) e = 1 ;
    switch (mode)
    {
      case 'o' : fieldline(&s) ; break ;
      case 'j' : jsonline(&s) ; break ;
      case 't' : case 'm' :
        if (s.error)
        {
          strerr_warnw(s.dir, ": ", s.error) ;
          s.error = "error" ;  /* errbuf is reused by the next DIR */
        }
        if (!genalloc_append(svstat, &all, &s)) strerr_diefusys(111, "allocate") ;
        break ;
      default : human(&s) ; break ;
    }
  }
  if (mode == 't') svstat_table(genalloc_s(svstat, &all), genalloc_len(svstat, &all)) ;
  if (mode == 'm') svstat_metrics(genalloc_s(svstat, &all), genalloc_len(svstat, &all)) ;
  genalloc_free(svstat, &all) ;
  if (!buffer_flush(buffer_1)) strerr_diefusys(111, "write to stdout") ;
  return e ? 111 : 0 ;
}
