/* ISC license. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "tap.h"
#include "svkit.h"

static char dir[] = "/tmp/svkit-unit-svclient.XXXXXX" ;
static char fn[256] ;

static char const *path (char const *file)
{
  snprintf(fn, sizeof fn, "%s/%s", dir, file) ;
  return fn ;
}

static void put (char const *file, char const *s, size_t len)
{
  FILE *f = fopen(path(file), "w") ;
  if (!f) { perror("fopen") ; exit(111) ; }
  fwrite(s, 1, len, f) ;
  fclose(f) ;
}

int main (void)
{
  char buf[SVK_XSTATUS_LEN + 8] ;
  svk_status st = { 0 }, got ;
  svk_statusread info ;
  int fd ;
  if (!mkdtemp(dir)) { perror("mkdtemp") ; return 111 ; }

  is_int(svk_supervise_ok(dir), 0, "no supervise/: not running") ;
  mkdir(path("supervise"), 0700) ;
  mkfifo(path("supervise/ok"), 0600) ;
  is_int(svk_supervise_ok(dir), 0, "ok FIFO without reader: not running") ;
  fd = open(path("supervise/ok"), O_RDONLY | O_NONBLOCK) ;
  is_int(svk_supervise_ok(dir), 1, "ok FIFO with a reader: running") ;
  close(fd) ;

  is_int(svk_status_read(dir, &got, &info), SVK_READ_SYSERR, "no status: system error") ;
  is_int(errno, ENOENT, "ENOENT") ;

  st.stamp.sec = 1700000000 ; st.pid = 42 ; st.state = SVK_RUN ; st.want = 'u' ;
  svk_status_pack(buf, &st) ;
  put("supervise/status", buf, SVK_STATUS_DJB_LEN) ;
  is_int(svk_status_read(dir, &got, &info), 0, "18 bytes read") ;
  is_int(info.source, SVK_SRC_DAEMONTOOLS, "as daemontools") ;
  ok(got.pid == 42 && got.state == SVK_RUN, "pid and state") ;
  put("supervise/status", buf, SVK_STATUS_LEN) ;
  is_int(svk_status_read(dir, &got, &info), 0, "20 bytes read") ;
  is_int(info.source, SVK_SRC_RUNIT, "as runit") ;
  put("supervise/status", buf, 5) ;
  is_int(svk_status_read(dir, &got, &info), SVK_READ_BADSIZE, "5 bytes: bad size") ;
  is_int(info.len, 5, "size reported") ;
  ok(!strcmp(info.file, SVK_STATUS_FILE), "file named") ;
  memset(buf + SVK_STATUS_LEN, 0, 4) ;
  put("supervise/status", buf, SVK_STATUS_LEN + 4) ;
  is_int(svk_status_read(dir, &got, &info), SVK_READ_BADSIZE, "24 bytes: bad size") ;
  is_int(info.len, SVK_STATUS_LEN + 1, "read stops one byte past the size") ;
  put("supervise/status", "garbage garbage garb", 20) ;
  is_int(svk_status_read(dir, &got, &info), SVK_READ_BADDATA, "garbage: bad data") ;

  st.starts = 7 ; st.flags = SVK_F_READY ;
  svk_xstatus_pack(buf, &st) ;
  put("supervise/xstatus", buf, SVK_XSTATUS_LEN) ;
  is_int(svk_status_read(dir, &got, &info), 0, "xstatus preferred (status is garbage)") ;
  is_int(info.source, SVK_SRC_SVKIT, "as svkit") ;
  ok(got.starts == 7 && (got.flags & SVK_F_READY), "xstatus fields") ;
  buf[4] = 1 ;
  put("supervise/xstatus", buf, SVK_XSTATUS_V1_LEN) ;   /* what an older supervise wrote */
  is_int(svk_status_read(dir, &got, &info), 0, "version 1 xstatus (64 bytes) read") ;
  ok(got.starts == 7 && got.version == 1, "version 1 fields") ;
  buf[4] = SVK_XSTATUS_VERSION ;
  buf[0] = 'X' ;
  put("supervise/xstatus", buf, SVK_XSTATUS_LEN) ;
  is_int(svk_status_read(dir, &got, &info), SVK_READ_BADDATA, "bad magic: bad data") ;
  ok(!strcmp(info.file, SVK_XSTATUS_FILE), "xstatus named") ;
  put("supervise/xstatus", buf, 10) ;
  is_int(svk_status_read(dir, &got, &info), SVK_READ_BADSIZE, "short xstatus: bad size") ;

  /* planted files: never followed, never blocking, the wrong type refused */
  unlink(path("supervise/xstatus")) ;
  mkfifo(path("supervise/xstatus"), 0600) ;
  is_int(svk_status_read(dir, &got, &info), SVK_READ_BADTYPE, "a FIFO as xstatus: bad type, no block") ;
  ok(!strcmp(info.file, SVK_XSTATUS_FILE), "xstatus named") ;
  unlink(path("supervise/xstatus")) ;
  symlink("status", path("supervise/xstatus")) ;
  is_int(svk_status_read(dir, &got, &info), SVK_READ_BADTYPE, "a symlink as xstatus: bad type") ;
  unlink(path("supervise/xstatus")) ;
  unlink(path("supervise/status")) ;
  mkfifo(path("supervise/status"), 0600) ;
  is_int(svk_status_read(dir, &got, &info), SVK_READ_BADTYPE, "a FIFO as status: bad type") ;
  ok(!strcmp(info.file, SVK_STATUS_FILE), "status named") ;
  unlink(path("supervise/status")) ;
  unlink(path("supervise/ok")) ;
  put("supervise/ok", "", 0) ;
  is_int(svk_supervise_ok(dir), SVK_BADTYPE, "a regular file as ok: bad type") ;
  is_int(svk_fifo_open(dir, "supervise/ok"), SVK_BADTYPE, "svk_fifo_open refuses it") ;
  unlink(path("supervise/ok")) ;
  symlink("control", path("supervise/ok")) ;
  mkfifo(path("supervise/control"), 0600) ;
  fd = open(path("supervise/control"), O_RDONLY | O_NONBLOCK) ;
  is_int(svk_supervise_ok(dir), SVK_BADTYPE, "a symlink to a FIFO with a reader as ok: bad type") ;
  {
    int w = svk_fifo_open(dir, "supervise/control") ;
    ok(w >= 0, "the FIFO itself opens") ;
    if (w >= 0) close(w) ;
  }
  close(fd) ;
  is_int(svk_fifo_open(dir, "supervise/control"), -1, "without a reader: -1") ;
  is_int(errno, ENXIO, "ENXIO") ;

  unlink(path("supervise/control")) ; unlink(path("supervise/ok")) ;
  rmdir(path("supervise")) ; rmdir(dir) ;
  return tap_done() ;
}
