/* ISC license. svkit fuzz targets: shared helpers (see doc/fuzzing.md).
   Each target defines LLVMFuzzerTestOneInput; it is linked either with
   libFuzzer (make fuzz) or with replay.c (tests/fuzz-replay.t). */

#ifndef SVKIT_FUZZ_H
#define SVKIT_FUZZ_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput (uint8_t const *data, size_t size) ;

/* skalibs' strerr_die* all end in strerr_diev or strerr_dievsys.  The
   targets define them (fuzz_die_hooks below) so that a fatal error in
   the code under test returns to the target instead of exiting. */
extern jmp_buf fuzz_jb ;
extern int fuzz_armed ;
extern int fuzz_died ;     /* exit code passed to strerr_die*, 0 if none */

#define FUZZ_DIE_HOOKS \
jmp_buf fuzz_jb ; \
int fuzz_armed ; \
int fuzz_died ; \
void strerr_diev (int e, char const *const *v, unsigned int n) \
{ \
  (void)v ; (void)n ; \
  if (!fuzz_armed) { fprintf(stderr, "fuzz: unexpected strerr_diev\n") ; abort() ; } \
  fuzz_died = e ? e : -1 ; longjmp(fuzz_jb, 1) ; \
} \
void strerr_dievsys (int e, char const *const *v, unsigned int n) { strerr_diev(e, v, n) ; }

/* An oracle failed: abort, so that libFuzzer and the replay driver both
   report it as a crash with the input saved. */
#define FUZZ_ASSERT(c) do { if (!(c)) { fprintf(stderr, "%s:%d: fuzz assertion failed: %s\n", __FILE__, __LINE__, #c) ; abort() ; } } while (0)

#endif
