/* ISC license. svscan: reading the scan directory. One pass over the
   entries, one stat per entry and one per NAME/log, a hash lookup by
   (dev, ino): O(n) per scan, so a scan triggered by inotify stays fast
   with thousands of services. */

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <skalibs/direntry.h>
#include <skalibs/strerr.h>
#include "svscan.h"

uint32_t scangen = 0 ;

/* A set of names: the names one after another in sa, NUL-terminated,
   found by hash through t (value: offset in sa). */
typedef struct nameset_s nameset ;
struct nameset_s { stralloc sa ; htab t ; } ;
#define NAMESET_ZERO { STRALLOC_ZERO, HTAB_ZERO }
struct namekey_s { nameset const *set ; char const *name ; } ;

static nameset warned = NAMESET_ZERO ;       /* names warned about */
static nameset warnednew = NAMESET_ZERO ;    /* the same, as this scan sees them */
static genalloc pwatch = GENALLOC_ZERO ;     /* int: watches on symlink targets' parents */
static genalloc pwatchnew = GENALLOC_ZERO ;
static stralloc tmp = STRALLOC_ZERO ;

typedef struct devino_s devino ;
struct devino_s { dev_t dev ; ino_t ino ; } ;
static genalloc above = GENALLOC_ZERO ;      /* devino: DIR, its parent, ..., / */

static int eqname (uint32_t off, void const *k)
{
  struct namekey_s const *key = k ;
  return !strcmp(key->set->sa.s + off, key->name) ;
}

static int inset (nameset const *set, char const *name, uint64_t h)
{
  struct namekey_s k = { .set = set, .name = name } ;
  return htab_find(&set->t, h, &eqname, &k) != HTAB_NONE ;
}

static int addset (nameset *set, char const *name, uint64_t h)
{
  size_t off = set->sa.len ;
  if (off > UINT32_MAX / 2) { errno = ENOMEM ; return 0 ; }
  if (!stralloc_catb(&set->sa, name, strlen(name) + 1)) return 0 ;
  if (!htab_put(&set->t, h, (uint32_t)off)) { set->sa.len = off ; return 0 ; }
  return 1 ;
}

static void clearset (nameset *set)
{
  set->sa.len = 0 ;
  htab_clear(&set->t) ;
}

static int partial = 0 ;  /* scan_names() is running, not scan() */

/* Problems are reported when they appear, not on every scan: one hash
   lookup per entry, so a rescan stays linear in the number of entries. */
static void warn_once (char const *name, char const *what)
{
  uint64_t h = htab_hashstr(name) ;
  int known = inset(&warned, name, h) ;
  if (!known) strerr_warnw("ignoring ", name, ": ", what) ;
  if (partial ? !known && !addset(&warned, name, h) : !addset(&warnednew, name, h))
    strerr_warnwusys("allocate memory") ;
}

void scan_forget_warnings (void)
{
  clearset(&warned) ;
}

/* The identities of DIR and of each of its ancestors, up to the root
   (its own parent).  A full scan refreshes them: DIR may have moved. */
static void find_above (void)
{
  static stralloc p = STRALLOC_ZERO ;
  genalloc_setlen(devino, &above, 0) ;
  p.len = 0 ;
  if (!stralloc_cats(&p, ".")) return ;
  for (;;)
  {
    struct stat st ;
    devino x ;
    size_t n = genalloc_len(devino, &above) ;
    if (!stralloc_0(&p)) return ;
    p.len-- ;
    if (stat(p.s, &st) < 0) return ;  /* an ancestor we may not search: stop there */
    x.dev = st.st_dev ; x.ino = st.st_ino ;
    if (n && genalloc_s(devino, &above)[n - 1].dev == x.dev && genalloc_s(devino, &above)[n - 1].ino == x.ino) return ;
    if (!genalloc_append(devino, &above, &x) || !stralloc_cats(&p, "/..")) return ;
  }
}

/* 1 if st is DIR itself, 2 if an ancestor of DIR, else 0 */
static int is_above (struct stat const *st)
{
  devino const *a = genalloc_s(devino, &above) ;
  size_t n = genalloc_len(devino, &above) ;
  for (size_t i = 0 ; i < n ; i++)
    if (a[i].dev == st->st_dev && a[i].ino == st->st_ino) return i ? 2 : 1 ;
  return 0 ;
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
  if (!genalloc_append(int, &pwatchnew, &wd)) strerr_warnwusys("allocate memory") ;
}

static int is_service_wd (int wd)
{
  uint32_t n = genalloc_len(service_t, &services) ;
  for (uint32_t i = 0 ; i < n ; i++) if (SERVICE(i)->inuse && SERVICE(i)->wd == wd) return 1 ;
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
  service_t *s ;
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
    else if (e != ENOENT) { errno = e ; strerr_warnwusys("stat ", name) ; }
    return ;
  }
  if (!S_ISDIR(st.st_mode)) { warn_once(name, "not a directory") ; return ; }
  switch (is_above(&st))
  {
    /* supervise would run on DIR itself, or above it, and share (then
       remove) DIR's own inotify watch */
    case 1 : warn_once(name, "it leads to the scan directory itself") ; return ;
    case 2 : warn_once(name, "it leads to an ancestor of the scan directory") ; return ;
    default : break ;
  }
  i = service_lookup_dir(st.st_dev, st.st_ino) ;
  if (i == HTAB_NONE)
  {
    i = service_new(name, st.st_dev, st.st_ino) ;
    if (i == HTAB_NONE) { strerr_warnwusys("allocate memory for ", name) ; return ; }
    essential_check(i) ;
  }
  else
  {
    s = SERVICE(i) ;
    if (s->gen == scangen) return ;  /* a second name for the same directory */
    if (strcmp(s->name.s, name))
    {
      /* renamed, or a second name: keep the old one while it still works */
      struct stat o ;
      if ((stat(s->name.s, &o) < 0 || o.st_dev != s->dev || o.st_ino != s->ino)
       && !service_rename(i, name))
        strerr_warnwusys("allocate memory") ;
    }
    if (!s->want) { s->want = 1 ; service_dirty(i) ; }
    if (essential_rescan) essential_check(i) ;
  }
  s = SERVICE(i) ;
  s->gen = scangen ;
  tmp.len = 0 ;
  if (!stralloc_cats(&tmp, s->name.s) || !stralloc_cats(&tmp, "/log") || !stralloc_0(&tmp))
  {
    strerr_warnwusys("allocate memory") ;
    return ;
  }
  haslog = stat(tmp.s, &st) == 0 && S_ISDIR(st.st_mode) ;
  if (haslog != s->wantlog || (haslog && (st.st_dev != s->ldev || st.st_ino != s->lino)))
  {
    s->wantlog = haslog ;
    if (haslog) { s->ldev = st.st_dev ; s->lino = st.st_ino ; }
    service_dirty(i) ;
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
        strerr_warnwusys("allocate memory") ;
    genalloc_setlen(int, &pwatchnew, 0) ;
  }
}

int scan (void)
{
  DIR *dir ;
  int complete = 1 ;
  rescan_wanted = 0 ;
  scangen++ ;
  clearset(&warnednew) ;
  find_above() ;
  genalloc_setlen(int, &pwatchnew, 0) ;
  dir = opendir(".") ;
  if (!dir) { strerr_warnwusys("open the scan directory, will retry") ; return 0 ; }
  for (;;)
  {
    direntry *d ;
    errno = 0 ;
    d = readdir(dir) ;
    if (!d) break ;
    if (d->d_name[0] == '.') continue ;
    entry(d->d_name) ;
  }
  if (errno) { strerr_warnwusys("read the scan directory") ; complete = 0 ; }
  dir_close(dir) ;
  if (complete)
  {
    /* what this scan did not see is gone */
    uint32_t n = genalloc_len(service_t, &services) ;
    for (uint32_t i = 0 ; i < n ; i++)
    {
      service_t *s = SERVICE(i) ;
      if (s->inuse && s->want && s->gen != scangen) { s->want = 0 ; service_dirty(i) ; }
    }
    {
      nameset t = warned ; warned = warnednew ; warnednew = t ;
    }
    if (ifd >= 0) swap_parent_watches() ;
    essential_rescan = ifd < 0 ;
  }
  return complete ;
}
