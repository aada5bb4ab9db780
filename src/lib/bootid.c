/* ISC license. */

#include <errno.h>
#include <string.h>
#include <skalibs/fmtscan.h>
#include "svkit.h"

/* "0123abcd-...-...\n": 32 hex digits and 4 dashes */
int svk_bootid (unsigned char *out)
{
  char buf[64] ;
  unsigned int n = 0 ;
  ssize_t r = svfile_read_small("/proc/sys/kernel/random/boot_id", buf, sizeof buf) ;
  memset(out, 0, 16) ;
  if (r < 0) return -1 ;
  for (ssize_t i = 0 ; i < r ; i++)
  {
    unsigned char d ;
    if (buf[i] == '-') continue ;
    d = fmtscan_num(buf[i], 16) ;
    if (d > 15 || n >= 32) { memset(out, 0, 16) ; return (errno = EINVAL, -1) ; }
    out[n >> 1] |= n & 1 ? d : (unsigned char)(d << 4) ;
    n++ ;
  }
  if (n != 32) { memset(out, 0, 16) ; return (errno = EINVAL, -1) ; }
  return 0 ;
}
