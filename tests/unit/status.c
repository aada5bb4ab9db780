/* ISC license. */
#include <errno.h>
#include "tap.h"
#include "svkit.h"

int main (void)
{
  char buf[SVK_XSTATUS_LEN], txt[64] ;
  svk_status st = { 0 }, u ;
  st.stamp.sec = 1700000000 ; st.stamp.nsec = 1 ;
  st.pid = 0x01020304 ; st.state = SVK_RUN ; st.want = 'd' ;
  st.flags = SVK_F_PAUSED | SVK_F_TERMSENT ;
  svk_status_pack(buf, &st) ;
  is_mem(buf, "\x40\x00\x00\x00\x65\x53\xf1\x0a\x00\x00\x00\x01", 12, "status[0..11]: TAI64N") ;
  is_mem(buf + 12, "\x04\x03\x02\x01", 4, "status[12..15]: pid little-endian") ;
  is_int(buf[16], 1, "status[16]: paused") ;
  is_int(buf[17], 'd', "status[17]: want") ;
  is_int(buf[18], 1, "status[18]: TERM sent") ;
  is_int(buf[19], 1, "status[19]: state run") ;
  is_int(svk_status_unpack(&u, buf, 20), 0, "unpack 20 bytes") ;
  ok(u.pid == st.pid && u.state == SVK_RUN && u.want == 'd' && (u.flags & (SVK_F_PAUSED|SVK_F_TERMSENT)) == (SVK_F_PAUSED|SVK_F_TERMSENT) && u.stamp.sec == st.stamp.sec, "unpack round-trips") ;
  is_int(svk_status_unpack(&u, buf, 18), 0, "unpack 18 bytes (daemontools)") ;
  ok(u.state == SVK_RUN, "daemontools: state from pid") ;
  is_int(svk_status_unpack(&u, buf, 19), -1, "19 bytes refused") ;
  is_int(errno, EINVAL, "with EINVAL") ;
  buf[17] = 'z' ;
  is_int(svk_status_unpack(&u, buf, 20), -1, "bad want refused") ;
  buf[17] = 'u' ; buf[19] = 7 ;
  is_int(svk_status_unpack(&u, buf, 20), -1, "bad state refused") ;
  st.flags |= SVK_F_ONCE ; svk_status_pack(buf, &st) ;
  is_int(buf[17], 0, "once: want byte 0, as daemontools") ;

  st.flags = SVK_F_READY | SVK_F_EXITED ; st.exitcode = -1 ; st.exitsig = 9 ; st.starts = 7 ;
  st.pidstart = 0x1122334455667788ULL ; st.svpid = 42 ; st.readystamp.sec = 1700000001 ;
  st.dirdev = 0x0102030405060708ULL ; st.dirino = 0x1112131415161718ULL ;
  for (int i = 0 ; i < 16 ; i++) st.bootid[i] = (unsigned char)(0xa0 + i) ;
  st.killed = 0x01020304 ;
  svk_xstatus_pack(buf, &st) ;
  is_mem(buf, "svkx\x02", 5, "xstatus magic and version 2") ;
  is_int(SVK_XSTATUS_LEN, 96, "xstatus is 96 bytes") ;
  is_int(buf[5], 1, "xstatus[5] state") ;
  is_int(buf[6], 'd', "xstatus[6] want") ;
  is_int((unsigned char)buf[7], SVK_F_READY | SVK_F_EXITED, "xstatus[7] flags") ;
  is_mem(buf + 36, "\xff\xff\xff\xff", 4, "xstatus[36..39] exitcode -1") ;
  is_mem(buf + 48, "\x88\x77\x66\x55\x44\x33\x22\x11", 8, "xstatus[48..55] pid start time LE") ;
  is_mem(buf + 60, "\x04\x03\x02\x01", 4, "xstatus[60..63] processes KILLed, LE") ;
  is_mem(buf + 64, "\x08\x07\x06\x05\x04\x03\x02\x01", 8, "xstatus[64..71] st_dev LE") ;
  is_mem(buf + 72, "\x18\x17\x16\x15\x14\x13\x12\x11", 8, "xstatus[72..79] st_ino LE") ;
  is_mem(buf + 80, st.bootid, 16, "xstatus[80..95] boot id") ;
  is_int(svk_xstatus_unpack(&u, buf, SVK_XSTATUS_LEN), 0, "xstatus unpack") ;
  is_int(u.killed, 0x01020304, "xstatus killed round-trips") ;
  ok(u.exitcode == -1 && u.exitsig == 9 && u.starts == 7 && u.pidstart == st.pidstart && u.svpid == 42 && u.readystamp.sec == 1700000001 && u.pid == st.pid, "xstatus round-trips") ;
  ok(u.version == 2 && u.dirdev == st.dirdev && u.dirino == st.dirino && !memcmp(u.bootid, st.bootid, 16), "version 2 fields round-trip") ;
  is_int(svk_xstatus_unpack(&u, buf, 64), -1, "version 2 in 64 bytes refused") ;
  is_int(svk_xstatus_unpack(&u, buf, 95), -1, "xstatus short refused") ;
  buf[4] = 3 ;
  is_int(svk_xstatus_unpack(&u, buf, SVK_XSTATUS_LEN), -1, "xstatus unknown version refused") ;
  /* version 1: the first 64 bytes, still read, without identity */
  buf[4] = 1 ;
  is_int(svk_xstatus_unpack(&u, buf, SVK_XSTATUS_V1_LEN), 0, "version 1 (64 bytes) read") ;
  ok(u.version == 1 && u.pid == st.pid && u.starts == 7 && u.svpid == 42 && !u.dirdev && !u.dirino && !u.bootid[0] && !u.bootid[15], "version 1: fields, no identity") ;
  is_int(svk_xstatus_unpack(&u, buf, SVK_XSTATUS_LEN), -1, "version 1 in 96 bytes refused") ;
  ok(SVK_XSTATUS_LEN_OK(96) && SVK_XSTATUS_LEN_OK(64) && !SVK_XSTATUS_LEN_OK(65) && !SVK_XSTATUS_LEN_OK(0), "sizes accepted: 96 and 64") ;

  {
    unsigned char id[16], zero[16] = { 0 } ;
    char txt2[64] ;
    FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r") ;
    if (f && fgets(txt2, sizeof txt2, f))
    {
      char hex[33] ;
      unsigned int n = 0 ;
      is_int(svk_bootid(id), 0, "svk_bootid") ;
      ok(memcmp(id, zero, 16), "boot id not zero") ;
      for (int i = 0 ; i < 16 ; i++) n += (unsigned int)snprintf(hex + 2 * i, 3, "%02x", id[i]) ;
      for (char *p = txt2, *q = txt2 ; ; p++) { if (*p != '-' && *p != '\n') *q++ = *p ; if (!*p) break ; }
      ok(n == 32 && !strcmp(hex, txt2), "boot id bytes are the hex digits of the file (%s)", hex) ;
    }
    else ok(1, "# skip no /proc/sys/kernel/random/boot_id") ;
    if (f) fclose(f) ;
  }

  memset(&st, 0, sizeof st) ; st.state = SVK_RUN ; st.want = 'u' ; st.pid = 123 ;
  txt[svk_statfile_fmt(txt, &st)] = 0 ; ok(!strcmp(txt, "run\n"), "stat: run") ;
  txt[svk_pidfile_fmt(txt, &st)] = 0 ; ok(!strcmp(txt, "123\n"), "pid: 123") ;
  st.want = 'd' ; st.flags = SVK_F_PAUSED | SVK_F_TERMSENT ;
  txt[svk_statfile_fmt(txt, &st)] = 0 ; ok(!strcmp(txt, "run, paused, got TERM, want down\n"), "stat: %s", txt) ;
  st.state = SVK_DOWN ; st.want = 'u' ; st.flags = 0 ; st.pid = 0 ;
  txt[svk_statfile_fmt(txt, &st)] = 0 ; ok(!strcmp(txt, "down, want up\n"), "stat: down, want up") ;
  is_int(svk_pidfile_fmt(txt, &st), 0, "pid: empty when down") ;
  st.state = SVK_FINISH ; st.want = 'u' ;
  txt[svk_statfile_fmt(txt, &st)] = 0 ; ok(!strcmp(txt, "finish\n"), "stat: finish") ;
  return tap_done() ;
}
