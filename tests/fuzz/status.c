/* ISC license. Fuzz target: the status decoders (src/lib/status.c) and
   the client reader (src/lib/svclient.c).
   Input: raw bytes.  They are decoded as a status file (18 or 20 bytes:
   daemontools, runit) and as an xstatus file (96 bytes, version 2, or 64,
   version 1); whatever decodes must encode back to the same bytes (a
   version 1 record, to the same bytes in version 2).  Then the bytes after the first one
   are written as DIR/supervise/xstatus (first byte odd) or
   DIR/supervise/status (even) and read back with svk_status_read(). */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "fuzz.h"
#include "svkit.h"

static char dir[4096] ;

static void cleanup (void)
{
  char fn[4200] ;
  snprintf(fn, sizeof fn, "%s/%s", dir, SVK_XSTATUS_FILE) ; unlink(fn) ;
  snprintf(fn, sizeof fn, "%s/%s", dir, SVK_STATUS_FILE) ; unlink(fn) ;
  snprintf(fn, sizeof fn, "%s/supervise", dir) ; rmdir(fn) ;
  rmdir(dir) ;
}

int LLVMFuzzerInitialize (int *argc, char ***argv)
{
  char sub[4200] ;
  char const *tmp = getenv("TMPDIR") ;
  (void)argc ; (void)argv ;
  snprintf(dir, sizeof dir, "%s/svkit-fuzz-status.%ld", tmp && *tmp ? tmp : "/tmp", (long)getpid()) ;
  snprintf(sub, sizeof sub, "%s/supervise", dir) ;
  if (mkdir(dir, 0700) < 0 && errno != EEXIST) abort() ;
  if (mkdir(sub, 0700) < 0 && errno != EEXIST) abort() ;
  atexit(&cleanup) ;
  return 0 ;
}

static void check_fmt (svk_status const *st)
{
  char out[64] ;
  size_t n = svk_statfile_fmt(out, st) ;
  FUZZ_ASSERT(n > 0 && n <= 64 && out[n - 1] == '\n') ;
  n = svk_pidfile_fmt(out, st) ;
  FUZZ_ASSERT(n <= 64) ;
  FUZZ_ASSERT(st->pid ? n >= 2 && out[n - 1] == '\n' : !n) ;
}

static void writefile (char const *name, uint8_t const *s, size_t len)
{
  char fn[4200] ;
  int fd ;
  snprintf(fn, sizeof fn, "%s/%s", dir, name) ;
  fd = open(fn, O_WRONLY | O_CREAT | O_TRUNC, 0600) ;
  if (fd < 0) abort() ;
  if (len && write(fd, s, len) != (ssize_t)len) abort() ;
  close(fd) ;
}

int LLVMFuzzerTestOneInput (uint8_t const *data, size_t size)
{
  char const *in = (char const *)data ;
  svk_status st, st2 ;
  char buf[SVK_XSTATUS_LEN] ;

  if (!svk_status_unpack(&st, in, size))
  {
    FUZZ_ASSERT(size == SVK_STATUS_LEN || size == SVK_STATUS_DJB_LEN) ;
    FUZZ_ASSERT(st.state <= 2 && (st.want == 'u' || st.want == 'd')) ;
    FUZZ_ASSERT(st.stamp.nsec <= 999999999) ;
    svk_status_pack(buf, &st) ;
    FUZZ_ASSERT(!memcmp(buf, in, SVK_STATUS_DJB_LEN)) ;
    if (size == SVK_STATUS_LEN) FUZZ_ASSERT(!memcmp(buf, in, SVK_STATUS_LEN)) ;
    FUZZ_ASSERT(!svk_status_unpack(&st2, buf, SVK_STATUS_LEN)) ;
    FUZZ_ASSERT(!memcmp(&st.stamp, &st2.stamp, sizeof st.stamp) && st.pid == st2.pid && st.want == st2.want) ;
    check_fmt(&st) ;
  }
  else FUZZ_ASSERT(errno == EINVAL) ;

  if (!svk_xstatus_unpack(&st, in, size))
  {
    FUZZ_ASSERT(SVK_XSTATUS_LEN_OK(size)) ;
    FUZZ_ASSERT(st.version == (size == SVK_XSTATUS_LEN ? SVK_XSTATUS_VERSION : 1)) ;
    FUZZ_ASSERT(st.state <= 2 && (st.want == 'u' || st.want == 'd')) ;
    svk_xstatus_pack(buf, &st) ;
    /* byte 4 is the version: a version 1 record is packed as version 2 */
    FUZZ_ASSERT(!memcmp(buf, in, 4) && !memcmp(buf + 5, in + 5, 59)) ;
    if (size == SVK_XSTATUS_LEN) FUZZ_ASSERT(!memcmp(buf + 64, in + 64, SVK_XSTATUS_LEN - 64)) ;
    FUZZ_ASSERT(!svk_xstatus_unpack(&st2, buf, SVK_XSTATUS_LEN)) ;
    st2.version = st.version ;
    FUZZ_ASSERT(!memcmp(&st, &st2, sizeof st)) ;
    check_fmt(&st) ;
  }
  else FUZZ_ASSERT(errno == EINVAL) ;

  if (size)
  {
    svk_statusread info ;
    char fn[4200] ;
    int x = data[0] & 1, r ;
    snprintf(fn, sizeof fn, "%s/%s", dir, SVK_XSTATUS_FILE) ;
    unlink(fn) ;
    snprintf(fn, sizeof fn, "%s/%s", dir, SVK_STATUS_FILE) ;
    unlink(fn) ;
    writefile(x ? SVK_XSTATUS_FILE : SVK_STATUS_FILE, data + 1, size - 1) ;
    r = svk_status_read(dir, &st, &info) ;
    FUZZ_ASSERT(!strcmp(info.file, x ? SVK_XSTATUS_FILE : SVK_STATUS_FILE)) ;
    FUZZ_ASSERT(info.len <= (x ? SVK_XSTATUS_LEN : SVK_STATUS_LEN) + 1) ;
    FUZZ_ASSERT(info.len == (size - 1 < (x ? SVK_XSTATUS_LEN + 1u : 21u) ? size - 1 : (x ? SVK_XSTATUS_LEN + 1u : 21u))) ;
    if (!r)
    {
      FUZZ_ASSERT(info.source == (x ? SVK_SRC_SVKIT : size - 1 == SVK_STATUS_LEN ? SVK_SRC_RUNIT : SVK_SRC_DAEMONTOOLS)) ;
      check_fmt(&st) ;
    }
    else FUZZ_ASSERT(r == SVK_READ_BADSIZE || r == SVK_READ_BADDATA) ;
  }
  return 0 ;
}
