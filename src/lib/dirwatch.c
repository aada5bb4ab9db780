/* ISC license. */

/* inotify, Linux-only, kept here: svlogs watches log directories. */

#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>
#include "svkit.h"

int svk_dirwatch_init (void)
{
  return inotify_init1(IN_CLOEXEC) ;
}

int svk_dirwatch_add (int fd, char const *dir)
{
  return inotify_add_watch(fd, dir, IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR) ;
}

ssize_t svk_dirwatch_read (int fd, char *buf, size_t len, void (*f) (svk_dirwatch_event const *, void *), void *data)
{
  ssize_t r = read(fd, buf, len) ;
  size_t i = 0 ;
  if (r <= 0) return r ;
  while (i + sizeof(struct inotify_event) <= (size_t)r)
  {
    struct inotify_event ie ;
    svk_dirwatch_event e ;
    memcpy(&ie, buf + i, sizeof ie) ;
    e.wd = ie.wd ;
    e.name = ie.len ? buf + i + sizeof ie : "" ;
    e.overflow = !!(ie.mask & IN_Q_OVERFLOW) ;
    e.gone = !!(ie.mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF)) ;
    e.renamed = !!(ie.mask & (IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE)) ;
    f(&e, data) ;
    i += sizeof ie + ie.len ;
  }
  return r ;
}
