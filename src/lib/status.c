/* ISC license. */

#include <errno.h>
#include <string.h>
#include <skalibs/uint32.h>
#include <skalibs/uint64.h>
#include "svkit.h"

/* status (20 bytes, runit layout; the first 18 are daemontools'):
   [0..11] TAI64N stamp  [12..15] pid LE  [16] paused  [17] want 'u'/'d'
   (0 in once mode, as daemontools)  [18] TERM sent  [19] state 0/1/2 */

void svk_status_pack (char *out, svk_status const *st)
{
  svk_tai64n_pack(out, &st->stamp) ;
  uint32_pack(out + 12, st->pid) ;
  out[16] = !!(st->flags & SVK_F_PAUSED) ;
  out[17] = st->flags & SVK_F_ONCE ? 0 : st->want ;
  out[18] = !!(st->flags & SVK_F_TERMSENT) ;
  out[19] = (char)st->state ;
}

int svk_status_unpack (svk_status *st, char const *in, size_t len)
{
  if (len != SVK_STATUS_LEN && len != SVK_STATUS_DJB_LEN) return (errno = EINVAL, -1) ;
  memset(st, 0, sizeof *st) ;
  svk_tai64n_unpack(in, &st->stamp) ;
  if (st->stamp.nsec > 999999999) return (errno = EINVAL, -1) ;
  uint32_unpack(in + 12, &st->pid) ;
  if ((unsigned char)in[16] > 1) return (errno = EINVAL, -1) ;
  if (in[16]) st->flags |= SVK_F_PAUSED ;
  switch (in[17])
  {
    case 'u' : case 'd' : st->want = in[17] ; break ;
    case 0 : st->want = 'u' ; st->flags |= SVK_F_ONCE ; break ;
    default : return (errno = EINVAL, -1) ;
  }
  if (len == SVK_STATUS_LEN)
  {
    if ((unsigned char)in[18] > 1 || (unsigned char)in[19] > 2) return (errno = EINVAL, -1) ;
    if (in[18]) st->flags |= SVK_F_TERMSENT ;
    st->state = (uint8_t)in[19] ;
  }
  else st->state = st->pid ? SVK_RUN : SVK_DOWN ;
  return 0 ;
}

/* xstatus (96 bytes, version 2; all integers little-endian):
   [0..3] "svkx"  [4] version  [5] state  [6] want  [7] flags
   [8..19] TAI64N stamp  [20..31] TAI64N ready stamp  [32..35] pid
   [36..39] exitcode (signed)  [40..43] exitsig  [44..47] starts
   [48..55] pid start time  [56..59] supervise pid  [60..63] processes KILLed since the last stop began
   [64..71] st_dev and [72..79] st_ino of the service directory
   [80..95] boot id.
   Version 1 is the first 64 bytes, with 1 at [4] (60..63 zero then). */

void svk_xstatus_pack (char *out, svk_status const *st)
{
  memset(out, 0, SVK_XSTATUS_LEN) ;
  memcpy(out, "svkx", 4) ;
  out[4] = SVK_XSTATUS_VERSION ;
  out[5] = (char)st->state ;
  out[6] = st->want ;
  out[7] = (char)st->flags ;
  svk_tai64n_pack(out + 8, &st->stamp) ;
  svk_tai64n_pack(out + 20, &st->readystamp) ;
  uint32_pack(out + 32, st->pid) ;
  uint32_pack(out + 36, (uint32_t)st->exitcode) ;
  uint32_pack(out + 40, st->exitsig) ;
  uint32_pack(out + 44, st->starts) ;
  uint64_pack(out + 48, st->pidstart) ;
  uint32_pack(out + 56, st->svpid) ;
  uint64_pack(out + 64, st->dirdev) ;
  uint64_pack(out + 72, st->dirino) ;
  memcpy(out + 80, st->bootid, 16) ;
  uint32_pack(out + 60, st->killed) ;
}

int svk_xstatus_unpack (svk_status *st, char const *in, size_t len)
{
  uint32_t u ;
  unsigned char version = len == SVK_XSTATUS_LEN ? SVK_XSTATUS_VERSION : len == SVK_XSTATUS_V1_LEN ? 1 : 0 ;
  if (!version || memcmp(in, "svkx", 4) || (unsigned char)in[4] != version)
    return (errno = EINVAL, -1) ;
  if ((unsigned char)in[5] > 2 || (in[6] != 'u' && in[6] != 'd')) return (errno = EINVAL, -1) ;
  memset(st, 0, sizeof *st) ;
  st->version = version ;
  st->state = (uint8_t)in[5] ;
  st->want = in[6] ;
  st->flags = (uint8_t)in[7] ;
  svk_tai64n_unpack(in + 8, &st->stamp) ;
  svk_tai64n_unpack(in + 20, &st->readystamp) ;
  if (st->stamp.nsec > 999999999 || st->readystamp.nsec > 999999999) return (errno = EINVAL, -1) ;
  uint32_unpack(in + 32, &st->pid) ;
  uint32_unpack(in + 36, &u) ; st->exitcode = (int32_t)u ;
  uint32_unpack(in + 40, &st->exitsig) ;
  uint32_unpack(in + 44, &st->starts) ;
  uint64_unpack(in + 48, &st->pidstart) ;
  uint32_unpack(in + 56, &st->svpid) ;
  if (version >= 2)
  {
    uint64_unpack(in + 64, &st->dirdev) ;
    uint64_unpack(in + 72, &st->dirino) ;
    memcpy(st->bootid, in + 80, 16) ;
  }
  uint32_unpack(in + 60, &st->killed) ;
  return 0 ;
}

static size_t add (char *out, size_t n, char const *s)
{
  size_t len = strlen(s) ;
  memcpy(out + n, s, len) ;
  return n + len ;
}

char const *svk_state_name (unsigned int state)
{
  static char const *const names[3] = { "down", "run", "finish" } ;
  return names[state <= 2 ? state : 0] ;
}

int svk_isup (svk_status const *st)
{
  return st->state == SVK_RUN && st->pid ;
}

/* Without notification-fd, ready means up (as with s6); with one, only
   svkit's READY flag counts: this also covers the moment when a new svkit
   supervise has written status but not yet xstatus.  (daemontools and
   runit know nothing of readiness.) */
int svk_isready (svk_status const *st, int notifies)
{
  return svk_isup(st) && (!notifies || (st->flags & SVK_F_READY)) ;
}

size_t svk_statfile_fmt (char *out, svk_status const *st)
{
  size_t n = add(out, 0, svk_state_name(st->state)) ;
  if (st->flags & SVK_F_PAUSED) n = add(out, n, ", paused") ;
  if (st->flags & SVK_F_TERMSENT) n = add(out, n, ", got TERM") ;
  if (st->state != SVK_DOWN && st->want == 'd') n = add(out, n, ", want down") ;
  else if (st->state == SVK_DOWN && st->want == 'u' && !(st->flags & SVK_F_ONCE)) n = add(out, n, ", want up") ;
  if (st->flags & SVK_F_EXIT) n = add(out, n, ", want exit") ;
  out[n++] = '\n' ;
  return n ;
}

size_t svk_pidfile_fmt (char *out, svk_status const *st)
{
  size_t n ;
  if (!st->pid) return 0 ;
  n = uint32_fmt(out, st->pid) ;
  out[n++] = '\n' ;
  return n ;
}
