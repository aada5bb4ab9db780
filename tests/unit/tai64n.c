/* ISC license. */
#include <errno.h>
#include "tap.h"
#include "svkit.h"

int main (void)
{
  char pack[12], fmt[SVK_TAI64N_FMT + 1], iso[SVK_ISO8601_FMT + 1] ;
  svk_time t = { .sec = 1700000000, .nsec = 123456789 }, u ;
  svk_tai64n_pack(pack, &t) ;
  is_mem(pack, "\x40\x00\x00\x00\x65\x53\xf1\x0a\x07\x5b\xcd\x15", 12, "pack: 2^62 + 10 + unix, nanoseconds big-endian") ;
  svk_tai64n_unpack(pack, &u) ;
  ok(u.sec == t.sec && u.nsec == t.nsec, "unpack inverts pack") ;
  is_int(svk_tai64n_fmt(fmt, &t), 25, "fmt length") ; fmt[25] = 0 ;
  ok(!strcmp(fmt, "@400000006553f10a075bcd15"), "fmt: %s", fmt) ;
  is_int(svk_tai64n_scan(fmt, 25, &u), 25, "scan accepts its own label") ;
  ok(u.sec == t.sec && u.nsec == t.nsec, "scan round-trips") ;
  is_int(svk_tai64n_scan(fmt, 24, &u), 0, "scan refuses a short buffer") ;
  is_int(svk_tai64n_scan("@400000006553f10a075bcdZZ", 25, &u), 0, "scan refuses non-hex") ;
  is_int(svk_tai64n_scan("x400000006553f10a075bcd15", 25, &u), 0, "scan refuses a missing @") ;
  is_int(svk_tai64n_scan("@400000006553F10A075BCD15", 25, &u), 25, "scan accepts upper-case hex") ;
  is_int(svk_iso8601_fmt(iso, &t), 30, "iso8601 length") ; iso[30] = 0 ;
  ok(!strcmp(iso, "2023-11-14T22:13:20.123456789Z"), "iso8601: %s", iso) ;
  t.sec = 0 ; t.nsec = 5 ; svk_iso8601_fmt(iso, &t) ;
  ok(!strcmp(iso, "1970-01-01T00:00:00.000000005Z"), "iso8601 epoch: %s", iso) ;
  {
    svk_time a = { 10, 500000000 }, b = { 9, 900000000 } ;
    is_int(svk_time_diff_ms(&a, &b), 600, "diff_ms") ;
  }
  return tap_done() ;
}
