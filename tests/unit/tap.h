/* ISC license. Minimal TAP producer for svkit's C unit tests. */
#ifndef SVKIT_TAP_H
#define SVKIT_TAP_H

#include <stdio.h>
#include <string.h>

static unsigned int tap_n = 0, tap_failed = 0 ;

#define ok(cond, ...) do { \
  int tap_c_ = !!(cond) ; tap_n++ ; if (!tap_c_) tap_failed++ ; \
  printf("%sok %u - ", tap_c_ ? "" : "not ", tap_n) ; printf(__VA_ARGS__) ; printf("\n") ; \
  if (!tap_c_) printf("#   failed at %s:%d: %s\n", __FILE__, __LINE__, #cond) ; \
} while (0)

#define is_int(got, want, ...) do { \
  long long tap_g_ = (long long)(got), tap_w_ = (long long)(want) ; \
  ok(tap_g_ == tap_w_, __VA_ARGS__) ; \
  if (tap_g_ != tap_w_) printf("#   got %lld, expected %lld\n", tap_g_, tap_w_) ; \
} while (0)

#define is_str(got, want, ...) do { \
  char const *tap_gs_ = (got), *tap_ws_ = (want) ; \
  ok(!strcmp(tap_gs_, tap_ws_), __VA_ARGS__) ; \
  if (strcmp(tap_gs_, tap_ws_)) printf("#   got \"%s\", expected \"%s\"\n", tap_gs_, tap_ws_) ; \
} while (0)

#define is_mem(got, want, len, ...) ok(!memcmp((got), (want), (len)), __VA_ARGS__)

static inline int tap_done (void)
{
  printf("1..%u\n", tap_n) ;
  return tap_failed ? 1 : 0 ;
}

#endif
