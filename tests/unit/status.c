/* ISC license. */
#include <errno.h>
#include "tap.h"
#include "svkit.h"

int main (void)
{
  char buf[64], txt[64] ;
  svk_status st = { 0 }, u ;
  st.stamp.sec = 1700000000 ; st.stamp.nsec = 1 ;
  st.pid = 0x01020304 ; st.state = SVK_RUN ; st.want = 'd' ;
  st.flags = SVK_F_PAUSED | SVK_F_TERMSENT ;
  status_pack(buf, &st) ;
  is_mem(buf, "\x40\x00\x00\x00\x65\x53\xf1\x0a\x00\x00\x00\x01", 12, "status[0..11]: TAI64N") ;
  is_mem(buf + 12, "\x04\x03\x02\x01", 4, "status[12..15]: pid little-endian") ;
  is_int(buf[16], 1, "status[16]: paused") ;
  is_int(buf[17], 'd', "status[17]: want") ;
  is_int(buf[18], 1, "status[18]: TERM sent") ;
  is_int(buf[19], 1, "status[19]: state run") ;
  is_int(status_unpack(&u, buf, 20), 0, "unpack 20 bytes") ;
  ok(u.pid == st.pid && u.state == SVK_RUN && u.want == 'd' && (u.flags & (SVK_F_PAUSED|SVK_F_TERMSENT)) == (SVK_F_PAUSED|SVK_F_TERMSENT) && u.stamp.sec == st.stamp.sec, "unpack round-trips") ;
  is_int(status_unpack(&u, buf, 18), 0, "unpack 18 bytes (daemontools)") ;
  ok(u.state == SVK_RUN, "daemontools: state from pid") ;
  is_int(status_unpack(&u, buf, 19), -1, "19 bytes refused") ;
  is_int(errno, EINVAL, "with EINVAL") ;
  buf[17] = 'z' ;
  is_int(status_unpack(&u, buf, 20), -1, "bad want refused") ;
  buf[17] = 'u' ; buf[19] = 7 ;
  is_int(status_unpack(&u, buf, 20), -1, "bad state refused") ;
  st.flags |= SVK_F_ONCE ; status_pack(buf, &st) ;
  is_int(buf[17], 0, "once: want byte 0, as daemontools") ;

  st.flags = SVK_F_READY | SVK_F_EXITED ; st.exitcode = -1 ; st.exitsig = 9 ; st.starts = 7 ;
  st.pidstart = 0x1122334455667788ULL ; st.svpid = 42 ; st.readystamp.sec = 1700000001 ;
  st.killed = 0x01020304 ;
  xstatus_pack(buf, &st) ;
  is_mem(buf, "svkx\x01", 5, "xstatus magic and version") ;
  is_int(buf[5], 1, "xstatus[5] state") ;
  is_int(buf[6], 'd', "xstatus[6] want") ;
  is_int((unsigned char)buf[7], SVK_F_READY | SVK_F_EXITED, "xstatus[7] flags") ;
  is_mem(buf + 36, "\xff\xff\xff\xff", 4, "xstatus[36..39] exitcode -1") ;
  is_mem(buf + 48, "\x88\x77\x66\x55\x44\x33\x22\x11", 8, "xstatus[48..55] pid start time LE") ;
  is_mem(buf + 60, "\x04\x03\x02\x01", 4, "xstatus[60..63] processes KILLed, LE") ;
  is_int(xstatus_unpack(&u, buf, 64), 0, "xstatus unpack") ;
  is_int(u.killed, 0x01020304, "xstatus killed round-trips") ;
  ok(u.exitcode == -1 && u.exitsig == 9 && u.starts == 7 && u.pidstart == st.pidstart && u.svpid == 42 && u.readystamp.sec == 1700000001 && u.pid == st.pid, "xstatus round-trips") ;
  is_int(xstatus_unpack(&u, buf, 63), -1, "xstatus short refused") ;
  buf[4] = 2 ;
  is_int(xstatus_unpack(&u, buf, 64), -1, "xstatus unknown version refused") ;

  memset(&st, 0, sizeof st) ; st.state = SVK_RUN ; st.want = 'u' ; st.pid = 123 ;
  txt[statfile_fmt(txt, &st)] = 0 ; ok(!strcmp(txt, "run\n"), "stat: run") ;
  txt[pidfile_fmt(txt, &st)] = 0 ; ok(!strcmp(txt, "123\n"), "pid: 123") ;
  st.want = 'd' ; st.flags = SVK_F_PAUSED | SVK_F_TERMSENT ;
  txt[statfile_fmt(txt, &st)] = 0 ; ok(!strcmp(txt, "run, paused, got TERM, want down\n"), "stat: %s", txt) ;
  st.state = SVK_DOWN ; st.want = 'u' ; st.flags = 0 ; st.pid = 0 ;
  txt[statfile_fmt(txt, &st)] = 0 ; ok(!strcmp(txt, "down, want up\n"), "stat: down, want up") ;
  is_int(pidfile_fmt(txt, &st), 0, "pid: empty when down") ;
  st.state = SVK_FINISH ; st.want = 'u' ;
  txt[statfile_fmt(txt, &st)] = 0 ; ok(!strcmp(txt, "finish\n"), "stat: finish") ;
  return tap_done() ;
}
