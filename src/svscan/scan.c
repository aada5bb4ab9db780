/* ISC license. svscan: reading the scan directory. One pass over the
   entries, one stat per entry and one per NAME/log, a hash lookup by
   (dev, ino): O(n) per scan, so a scan triggered by inotify stays fast
   with thousands of services. */

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <skalibs/direntry.h>
#include <skalibs/strerr.h>
#include "svscan.h"

uint32_t scangen = 0 ;
static stralloc warned = STRALLOC_ZERO ;     /* names warned about: NUL-separated */
static stralloc warnednew = STRALLOC_ZERO ;
static genalloc pwatch = GENALLOC_ZERO ;     /* int: watches on symlink targets' parents */
static genalloc pwatchnew = GENALLOC_ZERO ;
static stralloc tmp = STRALLOC_ZERO ;

static int inset (stralloc const *sa, char const *name)
{
  size_t i = 0 ;
  while (i < sa->len)
  {
    if (!strcmp(sa->s + i, name)) return 1 ;
    i += strlen(sa->s + i) + 1 ;
  }
  return 0 ;
}

static int partial = 0 ;  /* scan_names() is running, not scan() */

/* Problems are reported when they appear, not on every scan. */
static void warn_once (char const *name, char const *what)
{
  int known = inset(&warned, name) ;
  if (!known) strerr_warnw4x("ignoring ", name, ": ", what) ;
  if (partial ? !known && !stralloc_catb(&warned, name, strlen(name) + 1)
              : !stralloc_catb(&warnednew, name, strlen(name) + 1))
    strerr_warnwu1sys("allocate memory") ;
}

void scan_forget_warnings (void)
{
  warned.len = 0 ;
}

int scan_is_parentwatch (int wd)
{
  int const *w = genalloc_s(int, &pwatch) ;
  size_t n = genalloc_len(int, &pwatch) ;
  for (size_t i = 0 ; i < n ; i++) if (w[i] == wd) return 1 ;
  return 0 ;
}

/* A broken symlink starts working when its target appears: watch the
   directory the target would appear in, or its nearest existing ancestor. */
static void watch_target_parent (char const *name)
{
  char buf[4097] ;
  ssize_t r ;
  char *slash ;
  int wd ;
  if (ifd < 0) return ;
  r = readlink(name, buf, sizeof buf - 1) ;
  if (r <= 0) return ;
  buf[r] = 0 ;
  /* the nearest existing ancestor: a rescan after it changes watches
     one level deeper, until the target itself shows up */
  for (;;)
  {
    slash = strrchr(buf, '/') ;
    if (!slash) return ;  /* relative to DIR, which is watched */
    if (slash == buf) slash[1] = 0 ; else *slash = 0 ;
    wd = inotify_add_watch(ifd, buf, IN_CREATE | IN_MOVED_TO | IN_MASK_ADD | IN_ONLYDIR) ;
    if (wd >= 0 || (errno != ENOENT && errno != ENOTDIR) || slash == buf) break ;
  }
  if (wd < 0 || wd == dirwd) return ;
  {
    int const *w = genalloc_s(int, &pwatchnew) ;
    size_t n = genalloc_len(int, &pwatchnew) ;
    for (size_t i = 0 ; i < n ; i++) if (w[i] == wd) return ;
  }
  if (!genalloc_append(int, &pwatchnew, &wd)) strerr_warnwu1sys("allocate memory") ;
}

static int is_service_wd (int wd)
{
  uint32_t n = genalloc_len(svc_t, &svcs) ;
  for (uint32_t i = 0 ; i < n ; i++) if (SVC(i)->inuse && SVC(i)->wd == wd) return 1 ;
  return 0 ;
}

static void swap_parent_watches (void)
{
  int const *w = genalloc_s(int, &pwatch) ;
  size_t n = genalloc_len(int, &pwatch) ;
  genalloc t ;
  for (size_t i = 0 ; i < n ; i++)
  {
    int const *nw = genalloc_s(int, &pwatchnew) ;
    size_t nn = genalloc_len(int, &pwatchnew), j = 0 ;
    for (; j < nn ; j++) if (nw[j] == w[i]) break ;
    if (j == nn && !is_service_wd(w[i])) inotify_rm_watch(ifd, w[i]) ;
  }
  t = pwatch ; pwatch = pwatchnew ; pwatchnew = t ;
  genalloc_setlen(int, &pwatchnew, 0) ;
}

static void entry (char const *name)
{
  struct stat st ;
  uint32_t i ;
  svc_t *s ;
  int haslog ;
  if (stat(name, &st) < 0)
  {
    struct stat lst ;
    int e = errno ;
    if (lstat(name, &lst) == 0 && S_ISLNK(lst.st_mode))
    {
      warn_once(name, "broken symbolic link") ;
      watch_target_parent(name) ;
    }
    else if (e != ENOENT) { errno = e ; strerr_warnwu2sys("stat ", name) ; }
    return ;
  }
  if (!S_ISDIR(st.st_mode)) { warn_once(name, "not a directory") ; return ; }
  i = svc_lookup_dir(st.st_dev, st.st_ino) ;
  if (i == HTAB_NONE)
  {
    i = svc_new(name, st.st_dev, st.st_ino) ;
    if (i == HTAB_NONE) { strerr_warnwu2sys("allocate memory for ", name) ; return ; }
  }
  else
  {
    s = SVC(i) ;
    if (s->gen == scangen) return ;  /* a second name for the same directory */
    if (strcmp(s->name.s, name))
    {
      /* renamed, or a second name: keep the old one while it still works */
      struct stat o ;
      if ((stat(s->name.s, &o) < 0 || o.st_dev != s->dev || o.st_ino != s->ino)
       && !svc_rename(i, name))
        strerr_warnwu1sys("allocate memory") ;
    }
    if (!s->want) { s->want = 1 ; svc_dirty(i) ; }
  }
  s = SVC(i) ;
  s->gen = scangen ;
  tmp.len = 0 ;
  if (!stralloc_cats(&tmp, s->name.s) || !stralloc_cats(&tmp, "/log") || !stralloc_0(&tmp))
  {
    strerr_warnwu1sys("allocate memory") ;
    return ;
  }
  haslog = stat(tmp.s, &st) == 0 && S_ISDIR(st.st_mode) ;
  if (haslog != s->wantlog || (haslog && (st.st_dev != s->ldev || st.st_ino != s->lino)))
  {
    s->wantlog = haslog ;
    if (haslog) { s->ldev = st.st_dev ; s->lino = st.st_ino ; }
    svc_dirty(i) ;
  }
}

/* Only the given names (NUL-terminated, concatenated), which appeared in
   DIR: nothing is pruned, watches on symlink targets are only added. */
void scan_names (char const *names, size_t len)
{
  partial = 1 ;
  for (size_t i = 0 ; i < len ; i += strlen(names + i) + 1)
    if (names[i] != '.') entry(names + i) ;
  partial = 0 ;
  if (ifd >= 0)
  {
    /* keep what watch_target_parent() added */
    int const *w = genalloc_s(int, &pwatchnew) ;
    size_t n = genalloc_len(int, &pwatchnew) ;
    for (size_t k = 0 ; k < n ; k++)
      if (!scan_is_parentwatch(w[k]) && !genalloc_append(int, &pwatch, &w[k]))
        strerr_warnwu1sys("allocate memory") ;
    genalloc_setlen(int, &pwatchnew, 0) ;
  }
}

int scan (void)
{
  DIR *dir ;
  int complete = 1 ;
  rescan_wanted = 0 ;
  scangen++ ;
  warnednew.len = 0 ;
  genalloc_setlen(int, &pwatchnew, 0) ;
  dir = opendir(".") ;
  if (!dir) { strerr_warnwu1sys("open the scan directory, will retry") ; return 0 ; }
  for (;;)
  {
    direntry *d ;
    errno = 0 ;
    d = readdir(dir) ;
    if (!d) break ;
    if (d->d_name[0] == '.') continue ;
    entry(d->d_name) ;
  }
  if (errno) { strerr_warnwu1sys("read the scan directory") ; complete = 0 ; }
  dir_close(dir) ;
  if (complete)
  {
    /* what this scan did not see is gone */
    uint32_t n = genalloc_len(svc_t, &svcs) ;
    for (uint32_t i = 0 ; i < n ; i++)
    {
      svc_t *s = SVC(i) ;
      if (s->inuse && s->want && s->gen != scangen) { s->want = 0 ; svc_dirty(i) ; }
    }
    {
      stralloc t = warned ; warned = warnednew ; warnednew = t ;
    }
    if (ifd >= 0) swap_parent_watches() ;
  }
  return complete ;
}
