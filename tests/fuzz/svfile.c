/* ISC license. Fuzz target: the readers of a service directory's small
   files, src/lib/svfile.c (notification-fd, timeout-kill, down-signal...).
   Input: one selector byte, then the file content, written to a file and
   read with svfile_read_uint (max chosen by the selector),
   svfile_read_signal and svfile_read_small (buffer size 1..64).
   Oracle: a number read is <= max and is exactly the decimal content;
   garbage is EINVAL, too big is ERANGE; a signal is in 1..NSIG-1 and
   its file holds no NUL; a small
   read is NUL-terminated, shorter than the buffer, a prefix of the content
   without trailing blanks. */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "fuzz.h"
#include "svkit.h"

static char file[4200] ;
static char dir[4096] ;

static void cleanup (void) { unlink(file) ; rmdir(dir) ; }

int LLVMFuzzerInitialize (int *argc, char ***argv)
{
  char const *tmp = getenv("TMPDIR") ;
  (void)argc ; (void)argv ;
  snprintf(dir, sizeof dir, "%s/svkit-fuzz-svfile.%ld", tmp && *tmp ? tmp : "/tmp", (long)getpid()) ;
  if (mkdir(dir, 0700) < 0 && errno != EEXIST) abort() ;
  snprintf(file, sizeof file, "%s/f", dir) ;
  atexit(&cleanup) ;
  return 0 ;
}

static int blank (char c) { return c == '\n' || c == ' ' || c == '\t' || c == '\r' ; }

int LLVMFuzzerTestOneInput (uint8_t const *data, size_t size)
{
  static uint32_t const maxes[8] = { 0, 1, 9, 255, 65535, 1000000, 0x7fffffffu, 0xffffffffu } ;
  char const *c ;
  size_t clen, tlen ;
  uint32_t max, n = 12345 ;
  int fd, r, sig = -1 ;
  char buf[64] ;
  if (!size) return 0 ;
  max = maxes[data[0] & 7] ;
  c = (char const *)data + 1 ; clen = size - 1 ;
  fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600) ;
  if (fd < 0) abort() ;
  if (clen && write(fd, c, clen) != (ssize_t)clen) abort() ;
  close(fd) ;

  /* uint: the first 31 bytes are looked at */
  tlen = clen < 31 ? clen : 31 ;
  while (tlen && blank(c[tlen - 1])) tlen-- ;
  errno = 0 ;
  r = svfile_read_uint(file, max, &n) ;
  if (r == 1)
  {
    uint64_t v = 0 ;
    FUZZ_ASSERT(n <= max && tlen && tlen <= 19) ;
    for (size_t i = 0 ; i < tlen ; i++) { FUZZ_ASSERT(c[i] >= '0' && c[i] <= '9') ; v = v * 10 + (uint64_t)(c[i] - '0') ; }
    FUZZ_ASSERT(v == n) ;
  }
  else
  {
    int digits = tlen > 0 ;
    FUZZ_ASSERT(r == -1 && (errno == EINVAL || errno == ERANGE)) ;
    FUZZ_ASSERT(n == 12345) ;
    for (size_t i = 0 ; i < tlen ; i++) if (c[i] < '0' || c[i] > '9') digits = 0 ;
    /* all digits and short: can only fail for being too big */
    if (digits && clen < 31) FUZZ_ASSERT(errno == ERANGE) ;
    if (!digits && clen < 31) FUZZ_ASSERT(errno == EINVAL || (c[0] >= '0' && c[0] <= '9')) ;
  }

  r = svfile_read_signal(file, &sig) ;
  if (r == 1)
  {
    FUZZ_ASSERT(sig > 0 && sig < NSIG) ;
    FUZZ_ASSERT(!memchr(c, 0, tlen)) ;  /* "TERM\0KILL" is garbage, not TERM */
  }
  else FUZZ_ASSERT(r == -1 && errno == EINVAL && sig == -1) ;

  {
    size_t max2 = 1 + data[0] % 64 ;
    ssize_t l = svfile_read_small(file, buf, max2) ;
    size_t k = clen < max2 - 1 ? clen : max2 - 1 ;
    FUZZ_ASSERT(l >= 0 && (size_t)l < max2 && !buf[l]) ;
    FUZZ_ASSERT((size_t)l <= k && !memcmp(buf, c, (size_t)l)) ;
    for (size_t i = (size_t)l ; i < k ; i++) FUZZ_ASSERT(blank(c[i])) ;
    if (l) FUZZ_ASSERT(!blank(buf[l - 1])) ;
  }
  return 0 ;
}
