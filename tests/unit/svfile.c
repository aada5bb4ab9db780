/* ISC license. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <skalibs/djbunix.h>
#include "tap.h"
#include "svkit.h"

static char dir[] = "/tmp/svkit-unit.XXXXXX" ;

static void put (char const *name, char const *s)
{
  openwritenclose_unsafe(name, s, strlen(s)) ;
}

int main (void)
{
  uint32_t n = 0 ;
  int sig = 0 ;
  char buf[16] ;
  if (!mkdtemp(dir) || chdir(dir) < 0) { printf("Bail out! no temp dir\n") ; return 1 ; }
  put("a", "2500\n") ; put("b", "abc\n") ; put("c", "99999999999999999999999\n") ; put("d", "70000\n") ;
  put("e", "") ; put("f", "12x\n") ;
  put("s1", "TERM\n") ; put("s2", "sighup") ; put("s3", "9") ; put("s4", "NOPE") ; put("s5", "0") ; put("s6", "usr1\n") ;
  is_int(svfile_read_uint("a", 1000000, &n), 1, "number read") ; is_int(n, 2500, "value 2500") ;
  is_int(svfile_read_uint("missing", 100, &n), 0, "absent file: 0") ;
  is_int(svfile_read_uint("b", 100, &n), -1, "garbage: -1") ; is_int(errno, EINVAL, "garbage: EINVAL") ;
  is_int(svfile_read_uint("c", 100, &n), -1, "huge: -1") ; is_int(errno, ERANGE, "huge: ERANGE") ;
  is_int(svfile_read_uint("d", 65535, &n), -1, "over max: -1") ; is_int(errno, ERANGE, "over max: ERANGE") ;
  is_int(svfile_read_uint("e", 100, &n), -1, "empty: -1") ; is_int(errno, EINVAL, "empty: EINVAL") ;
  is_int(svfile_read_uint("f", 100, &n), -1, "trailing junk: -1") ; is_int(errno, EINVAL, "trailing junk: EINVAL") ;
  is_int(svfile_read_signal("s1", &sig), 1, "TERM") ; is_int(sig, SIGTERM, "TERM = SIGTERM") ;
  is_int(svfile_read_signal("s2", &sig), 1, "sighup") ; is_int(sig, SIGHUP, "sighup = SIGHUP") ;
  is_int(svfile_read_signal("s3", &sig), 1, "9") ; is_int(sig, 9, "9 = 9") ;
  is_int(svfile_read_signal("s4", &sig), -1, "NOPE refused") ;
  is_int(svfile_read_signal("s5", &sig), -1, "0 refused") ;
  is_int(svfile_read_signal("s6", &sig), 1, "usr1") ; is_int(sig, SIGUSR1, "usr1 = SIGUSR1") ;
  is_int(svfile_read_signal("missing", &sig), 0, "absent signal file: 0") ;
  {
    int n = -1 ;
    is_int(svk_signal_scan("65", &n), 0, "65: beyond NSIG, refused") ;
    is_int(svk_signal_scan("TERM ", &n), 0, "trailing blank refused") ;
    is_int(svk_signal_scan("", &n), 0, "empty refused") ;
    is_int(svk_signal_scan("SIGkill", &n), 1, "SIGkill") ; is_int(n, SIGKILL, "SIGkill = SIGKILL") ;
    is_int(svk_signal_scan("64", &n), 1, "64") ; is_int(n, 64, "64 = 64") ;
  }
  is_int(svfile_read_small("a", buf, sizeof buf), 4, "read_small trims the newline") ;
  {
    uint64_t st = 0 ;
    is_int(svk_proc_starttime(getpid(), &st), 1, "svk_proc_starttime of self") ;
    ok(st > 0, "start time is positive") ;
    is_int(svk_proc_starttime(0x7ffffff0, &st), 0, "no such process: 0") ;
  }
  for (char const *const *p = (char const *const[]){ "a","b","c","d","e","f","s1","s2","s3","s4","s5","s6", 0 } ; *p ; p++) unlink(*p) ;
  if (chdir("/") == 0) rmdir(dir) ;
  return tap_done() ;
}
